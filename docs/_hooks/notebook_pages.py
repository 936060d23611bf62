"""Notebook pages (rendered by mkdocs-jupyter): their output cache, images' alt text, copy text, no CDN scripts."""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import json
import os
import re
import sys
from html import escape, unescape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

import svg_minify
from copy_text import repl_text
from page_state import PageState

_NOTEBOOK_CELL = re.compile(r'(?=<div class="jp-Cell )')
_CELL_CODE = re.compile(r"<pre>(.*?)</pre>", re.S)
_CELL_ID = re.compile(r'<div class="jp-Cell [^"]*" id="cell-id=([^"]+)"')
_IMAGE = re.compile(r'<img alt="No description has been provided for this image" '
                    r'src="data:image/(?P<kind>svg\+xml|png|jpeg|gif);base64,(?P<data>[A-Za-z0-9+/=]+)"')
# nbconvert's template loads MathJax (an empty src here) and, for mermaid cells, imports mermaid from a
# CDN; our notebooks have neither math nor mermaid, and the site must not reach another host
_NOTEBOOK_CDN_SCRIPTS = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->"
    r'|<script type="module">(?:(?!</script>).)*?cdnjs\.cloudflare\.com.*?</script>', re.S)
CACHE_ENV = "MICROGRAD_NOTEBOOK_CACHE"  # overrides the cache folder (the tests use a fresh one)
# what, besides the notebook and the micrograd sources, changes what a notebook's cells output
_ENVIRONMENT = ("MPLBACKEND", "MPLCONFIGDIR", "PYTHONHASHSEED")
_LIBRARIES = ("matplotlib", "matplotlib-inline", "ipykernel", "ipython", "nbconvert", "nbclient", "mkdocs-jupyter",
              "graphviz", "pygraphviz")
# what a code cell's copy button copies: the text of this (hidden) element
_COPY_TEXT = re.compile(r'(<div class="clipboard-copy-txt" id="[^"]*">)(.*?)(</div>)', re.S)
_MAGIC = re.compile(r"^[ \t]*[%!].*$\n?", re.M)  # IPython's %magic and !shell lines


def key_cache(config: MkDocsConfig) -> None:
    """Point mkdocs-jupyter's output cache at a folder named by everything that changes a notebook's outputs.

    mkdocs-jupyter keys its cache by the notebook alone. What the notebook prints and draws also
    depends on the micrograd sources, the libraries that run and draw it, and the environment its
    kernel inherits: under the tests' MPLBACKEND=Agg a figure is never shown, so a page built
    there has no plots and must not be reused by a normal build.
    """
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is None:
        return
    jupyter.config["cache_dir"] = str(cache_root(Path(config.config_file_path).parent) / output_key())


def cache_root(project: Path) -> Path:
    """The folder that holds one output cache per `output_key()`, for the site whose mkdocs.yml is in `project`."""
    return Path(os.environ.get(CACHE_ENV) or project / ".cache" / "mkdocs-jupyter")


def output_key() -> str:
    """A hash of what a notebook's outputs depend on besides the notebook itself."""
    package = Path(sys.modules["micrograd"].__file__ or "").parent
    parts = [path.read_bytes() for path in sorted(package.glob("*.py"))]
    parts += [f"{name}={os.environ.get(name)}".encode() for name in _ENVIRONMENT]
    parts += [f"{name}={_version(name)}".encode() for name in _LIBRARIES]
    parts.append(sys.version.encode())
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def on_markdown(markdown: str, page: PageState) -> str:
    """Nothing to do: mkdocs-jupyter turns the notebook into HTML itself."""
    return markdown


def on_html(html: str, page: PageState) -> str:
    """A notebook page without nbconvert's CDN loaders, with REPL copy text and an alt text on every image."""
    if not page.is_notebook:
        return html
    html = _COPY_TEXT.sub(lambda m: m[1] + escape(cell_copy_text(unescape(m[2])), quote=False) + m[3], html)
    return describe_images(_NOTEBOOK_CDN_SCRIPTS.sub("", html), page)


def cell_copy_text(cell: str) -> str:
    """A code cell as an interactive `python3` accepts it pasted: without IPython's magics, laid out by
    copy_text.repl_text (a plain interpreter has no `%config`; the cell runs the same without it)."""
    return repl_text(_MAGIC.sub("", cell))


def describe_images(page_html: str, page: PageState) -> str:
    """Give every image output an alt text; PluginError naming the notebook and cell for one that has none.

    nbconvert writes "No description has been provided for this image". The text comes from
    the cell's metadata, `"alt"`: a string, or a list with one per image of the cell, in order.
    A Graphviz graph without one is named by the cell's last line (`Graph drawn by draw_dot(y)`).
    """
    written = {cell.get("id"): cell.get("metadata", {}).get("alt") for cell in json.loads(page.text)["cells"]}
    return "".join(_describe_cell(cell, written, page) for cell in _NOTEBOOK_CELL.split(page_html))


def _compact_url(image: re.Match[str]) -> str:
    """An image output's data URL; an SVG one minified and in UTF-8 (gzip then shrinks it; base64 it would not)."""
    if image["kind"] != "svg+xml":
        return f"data:image/{image['kind']};base64,{image['data']}"
    return svg_minify.data_url(svg_minify.minify(base64.b64decode(image["data"]).decode("utf-8")))


def _describe_cell(cell: str, written: dict[str | None, str | list[str] | None], page: PageState) -> str:
    found = _CELL_ID.search(cell)
    cell_id = found[1] if found else None
    alts = written.get(cell_id)
    alts = [alts] if isinstance(alts, str) else list(alts or [])
    code = _CELL_CODE.search(cell)
    last_line = unescape(re.sub(r"<[^>]+>", "", code[1])).strip().rsplit("\n", 1)[-1].strip() if code else ""
    pieces, done = [], 0
    for index, image in enumerate(_IMAGE.finditer(cell)):
        if index < len(alts):
            alt = alts[index]
        elif last_line and image["kind"] == "svg+xml" and b"Generated by graphviz" in base64.b64decode(image["data"]):
            alt = f"Graph drawn by {last_line}"
        else:
            raise PluginError(f"{page.path}, cell {cell_id!r}: image {index + 1} of the cell has no alt text; "
                              'say what it shows in the cell\'s metadata, "alt": "..."')
        pieces += [cell[done:image.start()], f'<img alt="{escape(alt, quote=True)}" src="{_compact_url(image)}"']
        done = image.end()
    return "".join(pieces) + cell[done:]
