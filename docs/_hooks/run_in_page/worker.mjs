// The Web Worker that runs a page's Python examples: Pyodide (CPython compiled to WebAssembly)
// with the site's own micrograd wheel, and Graphviz compiled to WebAssembly (@viz-js/viz) for the
// diagrams. Everything comes from the site's own host: runtime.json, written by the build
// (docs/_hooks/run_examples.py), names the files. The page (controls.js) terminates this worker to
// stop a run, so nothing here needs to be interruptible.

import { loadPyodide } from "./pyodide/pyodide.mjs";
import { instance as vizInstance } from "./viz/viz.js";

const here = new URL("./", import.meta.url);
let ready = null; // a Promise of the Python function that runs a block, once the runtime is up
const pages = new Map(); // page JSON URL -> Promise of its text and path

async function fetchBytes(name) {
  const response = await fetch(new URL(name, here));
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const startup = {}; // milliseconds since the worker started, by stage (the benchmark reports them)
const timed = (stage, promise) => promise.then((value) => ((startup[stage] = Math.round(performance.now())), value));

async function start() {
  const runtime = await timed("runtime.json", fetch(new URL("runtime.json", here)).then((r) => r.json()));
  const [pyodide, viz, wheels, support, bytecode] = await Promise.all([
    timed("pyodide", loadPyodide({
      indexURL: new URL("pyodide/", here).href,
      stdLibURL: new URL(runtime.stdlib, here).href,
      lockFileContents: runtime.lock, // Pyodide's lockfile without its package list: nothing is fetched by name
      packageBaseUrl: new URL("wheels/", here).href,
    })),
    timed("viz", vizInstance()),
    timed("wheels", Promise.all(runtime.wheels.map(fetchBytes))),
    fetchBytes(runtime.support),
    fetchBytes(runtime.bytecode),
  ]);
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]"); // not the default, the cwd
  for (const wheel of wheels) pyodide.unpackArchive(wheel, "wheel", { extractDir: sitePackages });
  pyodide.unpackArchive(support, "zip", { extractDir: runtime.support_dir });
  pyodide.unpackArchive(bytecode, "zip", { extractDir: "/" }); // __pycache__ beside those sources: no compiling
  // Graphviz's answer as [svg, error]: Python turns an error into the ValueError micrograd documents
  pyodide.registerJsModule("site_graphviz", {
    render(dot) {
      const result = viz.render(dot, { format: "svg" });
      if (result.status === "success") return [result.output, ""];
      return ["", result.errors.map((e) => e.message.trim()).join("; ") || "render failed"];
    },
  });
  pyodide.runPython(`
import sys
sys.path.insert(0, ${JSON.stringify(runtime.support_dir)})
import browser_runner, site_graphviz
browser_runner.plug_renderer(site_graphviz.render)
`);
  startup.imports = Math.round(performance.now());
  return pyodide.globals.get("browser_runner").run_json;
}

function page(url) {
  if (!pages.has(url)) {
    pages.set(url, fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      return response.text();
    }));
  }
  return pages.get(url);
}

self.onmessage = async ({ data }) => {
  const { id } = data;
  try {
    ready ??= start();
    if (data.type === "load") {
      await ready;
      self.postMessage({ id, type: "loaded" });
      return;
    }
    const [run, pageJson] = await Promise.all([ready, page(data.page)]);
    self.postMessage({ id, type: "started" }); // the page's time limit counts from here
    const started = performance.now();
    const result = JSON.parse(run(pageJson, data.target, JSON.stringify(data.edits)));
    result.ms = performance.now() - started;
    result.startup = startup;
    self.postMessage({ id, type: "result", result });
  } catch (error) {
    self.postMessage({ id, type: "error", message: String(error && error.message || error) });
  }
};
