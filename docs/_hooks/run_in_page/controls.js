// Run, Edit and Reset controls on the page's Python examples, which run in a Web Worker (worker.mjs).
// The build (docs/_hooks/run_examples.py) marks each block data-run="k", or data-run-needs="why" when
// the browser cannot run it, and writes a JSON island naming the page's Markdown and diagrams.
// Nothing happens on a page without the island; the worker starts when the pointer reaches a
// runnable block, a control gets the focus, or Run is clicked. The controls go into the nav that
// Material gives each block, in short tasks after DOMContentLoaded; then <html> gets
// data-run-controls="ready".
(() => {
  const island = document.getElementById("run-page");
  const script = document.currentScript;
  if (!island || !script || typeof Worker === "undefined" || typeof WebAssembly === "undefined") return;
  const base = new URL(".", script.src);
  const config = JSON.parse(island.textContent);
  const pageUrl = new URL(config.page, base).href;
  const limitSeconds = () => Number(document.documentElement.dataset.runLimitSeconds) || 60;
  const edits = {}; // block index -> the reader's code
  const figures = config.diagrams.map((id) => document.getElementById(id)?.closest("figure") || null);
  const originals = figures.map((figure) => figure && figure.cloneNode(true));
  const drawnWith = figures.map(() => "{}"); // the edits each diagram was last drawn from
  let worker = null;
  let running = null; // {id, index, timer}
  let nextId = 1;

  const icon = (path) => `url("data:image/svg+xml,${encodeURIComponent(
    `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'><path d='${path}'/></svg>`)}")`;
  const style = document.createElement("style");
  style.textContent = `
[data-run-control]::after{-webkit-mask-image:var(--run-icon);mask-image:var(--run-icon)}
[data-run-control=run]{--run-icon:${icon("M8 5v14l11-7z")}}
[data-run-control=stop]{--run-icon:${icon("M6 6h12v12H6z")}}
[data-run-control=edit]{--run-icon:${icon("M3 17.25V21h3.75L17.8 9.94l-3.75-3.75zM20.7 7.04a1 1 0 0 0 0-1.41l-2.33-2.34a1 1 0 0 0-1.42 0l-1.83 1.84 3.75 3.75z")}}
[data-run-control=reset]{--run-icon:${icon("M12 5V1L7 6l5 5V7a6 6 0 1 1-6 6H4a8 8 0 1 0 8-8z")}}
[data-run-control=why]{--run-icon:${icon("M11 7h2v2h-2zm0 4h2v6h-2zm1-9a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16z")}}
[data-run-control][hidden]{display:none}
[data-run-control]:disabled{opacity:.4;cursor:default}
.run-editor{display:block;box-sizing:border-box;width:100%;margin:0;padding:.77em 1.18em;border:0;resize:vertical;
  font:inherit;color:var(--md-code-fg-color);background:var(--md-code-bg-color);outline-offset:-.1rem}
.run-output{--run-accent:#2e7d32;margin:-.6em 0 1em;padding:.3em .8em;border-left:.2rem solid var(--run-accent);
  background:var(--md-code-bg-color);font-size:.8em}
[data-md-color-scheme=slate] .run-output{--run-accent:#81c784}
.run-output.run-output--bad{--run-accent:#c62828}[data-md-color-scheme=slate] .run-output.run-output--bad{--run-accent:#ff8a80}
.run-output.run-output--quiet{--run-accent:var(--md-default-fg-color--light)}
.run-output p{margin:.2em 0}.run-output .run-status{font-weight:700;color:var(--run-accent)}
.run-output pre{margin:.3em 0}.run-output pre code{padding:.5em .8em}
.run-stale svg{opacity:.4}.run-note{font-size:.7em;color:var(--md-default-fg-color--light)}`;

  function startWorker() {
    if (worker) return worker;
    worker = new Worker(new URL("worker.mjs", base), { type: "module" });
    worker.onmessage = ({ data }) => data.id === running?.id && finish(data);
    worker.onerror = (event) => running && finish({ type: "error", message: event.message || "the worker failed" });
    worker.postMessage({ id: 0, type: "load" });
    return worker;
  }

  function stopWorker() {
    worker?.terminate();
    worker = null;
  }

  function output(block) {
    let box = block.nextElementSibling;
    if (!box?.classList.contains("run-output")) {
      box = document.createElement("div");
      box.className = "run-output";
      box.setAttribute("role", "status");
      block.after(box);
    }
    return box;
  }

  function show(block, kind, status, parts = {}) {
    const box = output(block);
    box.className = `run-output${kind === "ok" ? "" : kind === "quiet" ? " run-output--quiet" : " run-output--bad"}`;
    box.dataset.status = parts.status || kind;
    box.replaceChildren();
    const line = document.createElement("p");
    line.className = "run-status";
    line.textContent = status;
    box.append(line);
    if (parts.output) box.append(pre(parts.output));
    if (parts.detail && kind === "quiet") { // a sentence: why it was not run
      const why = document.createElement("p");
      why.textContent = parts.detail;
      box.append(why);
    } else if (parts.detail) { // a difference or a traceback, as Python printed it
      const label = document.createElement("p");
      label.textContent = `${parts.summary || "Details"}:`;
      box.append(label, pre(parts.detail));
    }
    if (parts.graph) box.insertAdjacentHTML("beforeend", parts.graph);
  }

  function pre(text) {
    const element = document.createElement("pre");
    const code = document.createElement("code");
    code.textContent = text.replace(/\n$/, "");
    element.append(code);
    return element;
  }

  const STATUS = {
    ok: (r) => r.edited ? "Ran your edit." : "Ran in your browser: the output matches the page.",
    differs: () => "The output differs from the page.",
    error: () => "It raised an exception.",
    skipped: () => "Not run.",
  };

  function report(result) {
    const target = running.index;
    for (const r of result.blocks) {
      const block = blocks[r.index]; // none for a block the browser cannot run
      if (!block || (r.index !== target && ["ok", "skipped"].includes(r.status))) continue; // replayed quietly
      const kind = r.status === "ok" ? "ok" : r.status === "skipped" ? "quiet" : "bad";
      const prefix = r.index === target ? "" : "Replayed for a later block: ";
      show(block, kind, prefix + STATUS[r.status](r), {
        status: r.status, output: r.output, detail: r.detail, graph: r.graph,
        summary: r.status === "differs" ? "What differs" : r.status === "error" ? "Traceback" : "Why",
      });
    }
    const box = output(blocks[target]); // the benchmark reads the worker's times
    box.dataset.ms = Math.round(result.ms);
    box.dataset.startup = JSON.stringify(result.startup);
    for (const drawing of result.diagrams) redraw(drawing, result.editsKey);
    markStale();
  }

  function redraw({ marker, svg, error }, editsKey) {
    const figure = figures[marker];
    if (!figure) return;
    let fresh;
    if (svg) {
      fresh = document.createRange().createContextualFragment(svg).firstElementChild;
      note(fresh, "Redrawn from your run.");
      drawnWith[marker] = editsKey;
    } else {
      fresh = figure;
      note(fresh, `Could not be redrawn: ${error}`);
    }
    if (fresh !== figure) figure.replaceWith(fresh);
    figures[marker] = fresh;
  }

  function note(figure, text) {
    figure.querySelector(".run-note")?.remove();
    const caption = document.createElement("figcaption");
    caption.className = "run-note";
    caption.textContent = text;
    figure.append(caption);
  }

  // a diagram after an edited block shows the page's code until a run redraws it from the edit
  function markStale() {
    figures.forEach((figure, marker) => {
      if (!figure) return;
      const before = {};
      blocks.forEach((block, k) => {
        if (k in edits && block.compareDocumentPosition(figure) & Node.DOCUMENT_POSITION_FOLLOWING) before[k] = edits[k];
      });
      const key = JSON.stringify(before);
      if (key === "{}" && drawnWith[marker] !== "{}") {
        const original = originals[marker].cloneNode(true);
        figure.replaceWith(original);
        figures[marker] = original;
        drawnWith[marker] = "{}";
      } else if (key !== drawnWith[marker]) {
        figure.classList.add("run-stale");
        note(figure, "Drawn before your edit: run the block above it to redraw.");
      } else {
        figure.classList.remove("run-stale");
      }
    });
  }

  function finish(message) {
    const { index, timer } = running;
    clearTimeout(timer);
    if (message.type === "started") {
      running.timer = setTimeout(() => stop(`Stopped after ${limitSeconds()} s, the time limit.`), limitSeconds() * 1000);
      show(blocks[index], "quiet", "Running…");
      return;
    }
    if (message.type === "result") {
      message.result.editsKey = running.editsKey;
      report(message.result);
    } else if (message.type === "error") {
      show(blocks[index], "bad", "The run failed in the browser's Python.", { detail: message.message, status: "error" });
    }
    settle();
  }

  function settle() {
    running = null;
    for (const button of document.querySelectorAll("[data-run-control=run]")) button.disabled = false;
    for (const button of document.querySelectorAll("[data-run-control=stop]")) button.hidden = true;
  }

  function stop(why) {
    if (!running) return;
    clearTimeout(running.timer);
    stopWorker(); // Python cannot be interrupted from outside: the worker goes, and a fresh one starts
    show(blocks[running.index], "bad", why, { status: "stopped" });
    settle();
    startWorker();
  }

  function run(index) {
    if (running) return;
    const block = blocks[index];
    const editsKey = JSON.stringify(edits);
    running = { id: nextId++, index, timer: 0, editsKey };
    for (const button of document.querySelectorAll("[data-run-control=run]")) button.disabled = true;
    block.querySelector("[data-run-control=stop]").hidden = false;
    show(block, "quiet", worker ? "Running…" : "Starting Python in your browser…");
    startWorker().postMessage({ id: running.id, type: "run", page: pageUrl, target: index, edits: JSON.parse(editsKey) });
  }

  // every control is a copy of one button; clicks reach them through one listener on the document
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-code__button";

  function control(kind, label) {
    const copy = button.cloneNode();
    copy.dataset.runControl = kind;
    copy.title = label;
    copy.setAttribute("aria-label", label);
    return copy;
  }

  function edit(block, index) {
    let editor = block.querySelector(".run-editor");
    if (editor) {
      editor.focus();
      return;
    }
    const code = block.querySelector("pre > code");
    editor = document.createElement("textarea");
    editor.className = "run-editor";
    editor.value = code.textContent.replace(/\n$/, "");
    editor.rows = editor.value.split("\n").length + 1;
    editor.spellcheck = false;
    editor.wrap = "off"; // code keeps its lines; a long one scrolls, as in the block
    editor.setAttribute("autocapitalize", "off");
    editor.setAttribute("aria-label", `Python example ${index + 1}, editable; Ctrl+Enter runs it`);
    editor.addEventListener("input", () => {
      if (editor.value === code.textContent.replace(/\n$/, "")) delete edits[index];
      else edits[index] = editor.value;
      markStale();
    });
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        run(index);
      }
    });
    const shown = getComputedStyle(code); // the field looks like the code it replaces
    editor.style.fontSize = shown.fontSize;
    editor.style.lineHeight = shown.lineHeight;
    code.style.display = "none"; // Material's CSS would override the hidden attribute
    code.after(editor);
    block.querySelector("[data-run-control=reset]").hidden = false;
    editor.focus();
  }

  function reset(block, index) {
    block.querySelector(".run-editor")?.remove();
    block.querySelector("pre > code").style.display = "";
    delete edits[index];
    block.querySelector("[data-run-control=reset]").hidden = true;
    block.querySelector("[data-run-control=edit]").focus();
    markStale();
  }

  document.addEventListener("click", (event) => {
    const clicked = event.target instanceof Element ? event.target.closest("[data-run-control]") : null;
    const block = clicked?.closest("[data-run], [data-run-needs]");
    if (!block) return;
    const index = Number(block.dataset.run);
    const kind = clicked.dataset.runControl;
    if (kind === "run") run(index);
    else if (kind === "stop") stop("Stopped.");
    else if (kind === "edit") edit(block, index);
    else if (kind === "reset") reset(block, index);
    else if (kind === "why") {
      show(block, "quiet", "This example does not run in the browser.", { detail: block.dataset.runNeeds, summary: "Why" });
    }
  });

  // the pointer reaching a runnable block, or the focus entering one, starts the worker
  const wake = (event) => {
    if (!(event.target instanceof Element && event.target.closest("[data-run]"))) return;
    document.removeEventListener("pointerover", wake);
    document.removeEventListener("focusin", wake);
    startWorker();
  };
  document.addEventListener("pointerover", wake);
  document.addEventListener("focusin", wake);

  /** Put a block's controls first in the nav Material gives it (false: it has none yet). */
  function addControls(block) {
    const nav = block.querySelector(".md-code__nav");
    if (!nav) return false;
    if ("runNeeds" in block.dataset) {
      nav.prepend(control("why", "Why this example has no Run control"));
      return true;
    }
    const k = Number(block.dataset.run) + 1;
    const stop = control("stop", "Stop the run");
    const reset = control("reset", `Reset example ${k} to the page's code`);
    stop.hidden = reset.hidden = true;
    nav.prepend(control("run", `Run example ${k} in your browser`), stop, control("edit", `Edit example ${k}`), reset);
    return true;
  }

  // A long page has dozens of blocks: the controls are added a few at a time, each batch a short
  // task, so that the page answers a reader's input in between (a task over 50 ms would delay it).
  const BATCH_MS = 10;
  const pause = () => globalThis.scheduler?.yield?.() ?? new Promise((resolve) => setTimeout(resolve, 0));

  async function addAll() {
    await pause(); // leave the task that ran the deferred scripts and DOMContentLoaded's handlers
    document.head.append(style); // the rules match only what the script adds: nothing else is restyled
    const waiting = new Set();
    let batch = performance.now();
    for (const block of document.querySelectorAll("[data-run], [data-run-needs]")) {
      if (performance.now() - batch > BATCH_MS) {
        await pause();
        batch = performance.now();
      }
      if (!addControls(block)) waiting.add(block);
    }
    if (waiting.size) await navsFor(waiting);
    document.documentElement.dataset.runControls = "ready"; // every block has its controls (tests wait for this)
  }

  /** Resolves once every block in `waiting` has got a nav from Material and its controls. */
  function navsFor(waiting) {
    return new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        for (const block of waiting) if (addControls(block)) waiting.delete(block);
        if (waiting.size) return;
        observer.disconnect();
        resolve();
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
  }

  const blocks = [];
  for (const block of document.querySelectorAll("[data-run]")) blocks[Number(block.dataset.run)] = block;
  // the script is deferred: it runs just before DOMContentLoaded, whose handlers (Material's) make the navs
  document.addEventListener("DOMContentLoaded", addAll, { once: true });
})();
