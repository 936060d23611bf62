"""MkDocs hook: diagrams drawn by micrograd at build time, math as MathML, doctest blocks highlighted as sessions.

- a ```dot fence becomes inline SVG (a pymdownx.superfences custom fence);
- `<!-- diagram: EXPR -->` or `<!-- diagram: EXPR | title -->` runs the page's Python examples
  above it (as Sybil runs them under pytest) and draws what EXPR evaluates to: a `Value` via
  `draw_dot`, a graphviz `Digraph` as is, a matplotlib `Figure`;
- arithmatex's `$...$` and `$$...$$` become MathML;
- a ```python fence that is a doctest session is highlighted as `pycon`, so the copy button can
  leave out prompts and output (docs/stylesheets/extra.css);
- a notebook's Graphviz output gets an alt text naming the code that drew it, and its page
  loses nbconvert's MathJax and CDN mermaid loaders (the notebooks use neither).

Any failure stops the build with the page and line. docs/contributing.md documents all of it.
"""

from __future__ import annotations

import base64
import contextlib
import doctest
import functools
import hashlib
import logging
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from pymdownx.superfences import SuperFencesException
from sybil import Document

from mathml import arithmatex_to_mathml
from micrograd import Value, draw_dot
from page_examples import ExampleError, PageRun, directives, fences, line_of, shown_spans
from svg_diagrams import MPL_RC, DiagramCache, figure_svg, themed_svg

log = logging.getLogger("mkdocs.hooks.diagrams")
_NOTEBOOK_CELL = re.compile(r'(?=<div class="jp-Cell )')
_CELL_CODE = re.compile(r"<pre>(.*?)</pre>", re.S)
_SVG_OUTPUT = re.compile(r'<img alt="No description has been provided for this image" '
                         r'src="data:image/svg\+xml;base64,(?P<data>[A-Za-z0-9+/=]+)"')
# nbconvert's template loads MathJax (an empty src here) and, for mermaid cells, imports mermaid from a
# CDN; our notebooks have neither math nor mermaid, and the site must not reach another host
_NOTEBOOK_CDN_SCRIPTS = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->"
    r'|<script type="module">(?:(?!</script>).)*?cdnjs\.cloudflare\.com.*?</script>', re.S)
CACHE_ENV = "MICROGRAD_DIAGRAM_CACHE"  # overrides the cache folder (the tests use a fresh one)


class DiagramError(SuperFencesException, PluginError):
    """A diagram that cannot be drawn: superfences lets it through and MkDocs aborts with its message."""


@dataclass
class _PageState:
    """What the current page's diagrams need: where they are, and the SVG waiting for its placeholder."""

    path: str = ""  # the page's source, relative to the working directory, for messages
    text: str = ""  # the page's source as written (line numbers refer to it)
    drawn: int = 0
    stash: dict[str, str] = field(default_factory=dict)  # placeholder token -> diagram SVG
    copies: dict[str, str] = field(default_factory=dict)  # data-copy-id -> what the copy button copies

    def next_id(self) -> str:
        """An id for the next diagram, unique on this page and stable from build to build."""
        self.drawn += 1
        return f"diagram-{self.drawn}"


_cache = DiagramCache(Path(".cache/diagrams"))
_page = _PageState()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Register the ```dot fence, open the diagram cache, key the notebook cache by the package."""
    global _cache
    root = Path(config.config_file_path).parent
    _cache = DiagramCache(Path(os.environ.get(CACHE_ENV) or root / ".cache" / "diagrams"))
    superfences = config.mdx_configs.setdefault("pymdownx.superfences", {})
    superfences.setdefault("custom_fences", []).append(
        {"name": "dot", "class": "diagram", "format": format_dot_fence, "validator": validate_dot_fence}
    )
    # mkdocs-jupyter caches a notebook's outputs by the notebook alone; a change to micrograd must
    # re-execute it, or the site would show what an older package printed
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is not None:
        package = Path(sys.modules["micrograd"].__file__ or "").parent
        digest = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(package.glob("*.py")))).hexdigest()[:16]
        jupyter.config["cache_dir"] = str(root / ".cache" / "mkdocs-jupyter" / digest)
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Draw the page's live diagrams into placeholders and mark doctest fences as `pycon`."""
    global _page
    source = page.file.abs_src_path
    if source is None or not source.endswith(".md"):  # a notebook: mkdocs-jupyter renders it
        _page = _PageState(path=os.path.relpath(source or page.file.src_uri))
        return markdown
    _page = _PageState(path=os.path.relpath(source), text=Path(source).read_text(encoding="utf-8"))
    try:
        markdown = draw_live_diagrams(markdown)
    except ExampleError as error:
        raise PluginError(str(error)) from None
    return doctest_fences_as_pycon(markdown, _page.path)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the live diagrams in place of their placeholders, fill in what to copy, turn TeX into MathML."""
    if not _page.text:  # a notebook
        return describe_notebook_graphs(_NOTEBOOK_CDN_SCRIPTS.sub("", html))
    for token, svg in _page.stash.items():
        html = html.replace(f"<p>{token}</p>", svg).replace(token, svg)
    for copy_id, text in _page.copies.items():
        html = html.replace(f'data-copy-id="{copy_id}"', f'data-copy="{escape(text, quote=True)}"', 1)
    html, failures = arithmatex_to_mathml(html)
    if failures:
        tex, message = failures[0]
        found = _page.text.find(tex.strip())  # TeX from a docstring is not in the page's text
        where = f"{_page.path}" + (f", line {line_of(_page.text, found)}" if found >= 0 else "")
        raise PluginError(f"{where}: {message}")
    return html


def on_post_build(config: MkDocsConfig) -> None:
    """Say how much Graphviz work the cache saved (a warm build with nothing changed renders none)."""
    log.info(f"diagrams: {_cache.rendered} rendered by Graphviz, {_cache.reused} from the cache in {_cache.folder}")


def describe_notebook_graphs(page_html: str) -> str:
    """Give a notebook's Graphviz outputs an alt text naming the code that drew them.

    nbconvert writes an SVG output as `<img src="data:...">` with the alt text "No description
    has been provided for this image"; the cell's last line (`draw_dot(y)`) says more.
    """
    described = []
    for cell in _NOTEBOOK_CELL.split(page_html):
        code = _CELL_CODE.search(cell)
        lines = unescape(re.sub(r"<[^>]+>", "", code.group(1))).strip().splitlines() if code else []
        described.append(_SVG_OUTPUT.sub(functools.partial(_graph_alt_text, lines), cell))
    return "".join(described)


def _graph_alt_text(code_lines: list[str], match: re.Match[str]) -> str:
    """An SVG output `<img>` with an alt text naming the cell's last line, if the SVG is a Graphviz graph."""
    if not code_lines or b"Generated by graphviz" not in base64.b64decode(match["data"]):
        return match[0]
    alt = escape(f"Graph drawn by {code_lines[-1].strip()}", quote=True)
    return f'<img alt="{alt}" src="data:image/svg+xml;base64,{match["data"]}"'


def draw_live_diagrams(markdown: str) -> str:
    """Replace each `<!-- diagram: ... -->` marker with a placeholder for the SVG it asks for."""
    written = directives(Document(_page.text, _page.path), "diagram")
    if not written:
        return markdown
    # the markdown MkDocs passes has lost its front matter, so markers are matched by order
    markers = directives(Document(markdown, _page.path), "diagram")
    if len(markers) != len(written):
        raise ExampleError(f"{_page.path}: found {len(written)} diagram markers in the file "
                           f"but {len(markers)} in its Markdown")
    run = PageRun(_page.text, _page.path)
    replacements: list[tuple[int, int, str]] = []
    with _matplotlib_in_palette():
        for marker, original in zip(markers, written):
            run.run_until(original.start)
            where = f"{_page.path}, line {line_of(_page.text, original.start)}"
            token = f"MICROGRADDIAGRAM{len(_page.stash)}X"
            _page.stash[token] = draw_expression(original.lexemes["arguments"], run.namespace, where)
            marker_text = markdown[marker.start:marker.end]
            indent = marker_text[: len(marker_text) - len(marker_text.lstrip())]  # keeps it inside an admonition
            replacements.append((marker.start, marker.end, indent + token))
    for start, end, text in reversed(replacements):
        markdown = markdown[:start] + text + markdown[end:]
    return markdown


def draw_expression(arguments: str, namespace: dict[str, Any], where: str) -> str:
    """Inline SVG for the marker's `EXPR | title`, evaluated in the page's namespace."""
    expression, _, title = (part.strip() for part in arguments.partition("|"))
    try:
        drawn = eval(expression, namespace)  # the page's own code, run at build time on purpose
    except Exception as error:
        raise ExampleError(
            f"{where}: diagram expression {expression!r} raised {type(error).__name__}: {error}") from None
    try:
        if isinstance(drawn, Value):
            summary = f"data {drawn.data:.4f}, grad {drawn.grad:.4f}"
            svg = _cache.graphviz_svg(draw_dot(drawn).source)
            title = title or f"Computation graph of {expression}: {summary}"
        elif _is_instance(drawn, "graphviz", "Digraph") or _is_instance(drawn, "graphviz", "Graph"):
            svg, title = _cache.graphviz_svg(drawn.source), title or f"Graph drawn by {expression}"
        elif _is_instance(drawn, "matplotlib.figure", "Figure"):
            svg, title = figure_svg(drawn), title or f"Plot of {expression}"
            if "matplotlib.pyplot" in sys.modules:  # a pyplot figure would stay open for the whole build
                sys.modules["matplotlib.pyplot"].close(drawn)
        else:
            raise ExampleError(f"{where}: diagram expression {expression!r} is a {type(drawn).__name__}; "
                               "expected a Value, a graphviz Digraph or a matplotlib Figure")
    except ValueError as error:  # Graphviz rejected the DOT source
        raise ExampleError(f"{where}: {error}") from None
    return themed_svg(svg, title, _page.next_id())


def _is_instance(obj: object, module: str, name: str) -> bool:
    """isinstance against a class of an optional library, without importing the library."""
    cls = getattr(sys.modules.get(module), name, None)
    return cls is not None and isinstance(obj, cls)


@contextlib.contextmanager
def _matplotlib_in_palette() -> Iterator[None]:
    """While a page's code runs: matplotlib (if installed) draws off-screen in the colours themed_svg maps."""
    try:
        import matplotlib
    except ImportError:
        yield
        return
    matplotlib.use("Agg")  # a build has no display
    with matplotlib.rc_context(MPL_RC):
        yield


def validate_dot_fence(language: str, inputs: dict[str, str], options: dict[str, str], attrs: dict[str, str],
                       md: Any) -> bool:
    """A ```dot fence takes one option, `title="..."` (the diagram's accessible name)."""
    for key, value in inputs.items():
        if key != "title":
            raise DiagramError(f"{_page.path}: a dot fence accepts only title=\"...\", not {key}={value!r}")
        options[key] = value
    return True


def format_dot_fence(src: str, language: str, class_name: str, options: dict[str, str], md: Any, **kwargs: Any) -> str:
    """Inline SVG for a ```dot fence; DiagramError naming page and line when Graphviz rejects it."""
    try:
        svg = _cache.graphviz_svg(src)
    except ValueError as error:
        raise DiagramError(f"{_page.path}, line {_dot_fence_line(src)}: {error}") from None
    return themed_svg(svg, options.get("title", "Graph diagram"), _page.next_id())


def _dot_fence_line(src: str) -> int | str:
    """The line of the ```dot fence whose content is `src`, in the page as written."""
    document = Document(_page.text, _page.path)
    for fence in fences(document):
        if fence.lexemes["info"].split()[:1] == ["dot"] and fence.lexemes["source"].strip() == src.strip():
            return line_of(_page.text, fence.start)
    return "?"


def doctest_fences_as_pycon(markdown: str, path: str) -> str:
    """Highlight ```python fences that hold a `>>>` session with the console lexer, and say what to copy.

    Pygments' console lexer marks prompts (`.gp`) and output (`.go`). The copy button copies a
    block's `data-copy` attribute when it has one: here, the session's statements as the REPL
    wants them. The page source keeps `python`, the one info string Sybil collects.
    """
    document = Document(markdown, path)
    shown = shown_spans(document)
    for fence in sorted(fences(document), key=lambda f: f.start, reverse=True):
        session = fence.lexemes["source"]
        if fence.lexemes["info"].strip() != "python" or not session.lstrip().startswith(">>>"):
            continue
        if any(start < fence.start < end for start, end in shown):
            continue
        copy_id = str(len(_page.copies))
        _page.copies[copy_id] = repl_input(session)
        info_at = markdown.index("python", fence.start)
        attributes = f'{{ .pycon data-copy-id="{copy_id}" }}'  # filled in by on_page_content
        markdown = markdown[:info_at] + attributes + markdown[info_at + len("python"):]
    return markdown


def repl_input(session: str) -> str:
    """A `>>>` session's statements without prompts or output, each multi-line one followed by the
    blank line that ends a block in the interactive interpreter: pasted into `python`, it runs."""
    statements = (example.source for example in doctest.DocTestParser().get_examples(session))
    return "".join(s + "\n" if s.count("\n") > 1 else s for s in statements).rstrip("\n")
