"""`<!-- diagram: EXPR | title | DIRECTION -->` markers: the page's own objects, drawn where the marker stands.

At build time the page's examples above a marker run as pytest runs them (page_examples.PageRun),
and what EXPR evaluates to is drawn: a `Value` via `draw_dot`, a graphviz `Digraph` as is, a
matplotlib `Figure`. DIRECTION, optional, is the way a graph reads: `LR` (left to right, the
default for a Value) or `TB` (top to bottom), also `RL` and `BT`; the author picks whichever
fits the column better. The SVG waits in a placeholder until the page is HTML.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from mkdocs.exceptions import PluginError
from sybil import Document

import svg_minify
from micrograd import Value, draw_dot
from micrograd.draw import RANKDIRS
from page_examples import ExampleError, PageRun, directives
from page_state import PageState
from svg_diagrams import MPL_RC, figure_svg, themed_svg


def on_markdown(markdown: str, page: PageState) -> str:
    """Replace each marker with a placeholder for the SVG it asks for; PluginError naming page and line."""
    if page.is_notebook:
        return markdown
    try:
        return _draw_markers(markdown, page)
    except ExampleError as error:
        raise PluginError(str(error)) from None


def on_html(html: str, page: PageState) -> str:
    """Nothing to do: the dispatcher fills the placeholders."""
    return html


def _draw_markers(markdown: str, page: PageState) -> str:
    written = directives(Document(page.text, page.path), "diagram")
    if not written:
        return markdown
    # the markdown MkDocs passes has lost its front matter, so markers are matched by order
    markers = directives(Document(markdown, page.path), "diagram")
    if len(markers) != len(written):
        raise ExampleError(f"{page.path}: found {len(written)} diagram markers in the file "
                           f"but {len(markers)} in its Markdown")
    run = PageRun(page.text, page.path)
    replacements: list[tuple[int, int, str]] = []
    with _matplotlib_in_palette():
        for marker, original in zip(markers, written):
            run.run_until(original.start)
            svg = draw_expression(original.lexemes["arguments"], run.namespace, page, page.where(original.start))
            marker_text = markdown[marker.start:marker.end]
            indent = marker_text[: len(marker_text) - len(marker_text.lstrip())]  # keeps it inside an admonition
            replacements.append((marker.start, marker.end, indent + page.placeholder(svg)))
    for start, end, text in reversed(replacements):
        markdown = markdown[:start] + text + markdown[end:]
    return markdown


def draw_expression(arguments: str, namespace: dict[str, Any], page: PageState, where: str) -> str:
    """Inline SVG for the marker's `EXPR | title | DIRECTION`, evaluated in the page's namespace."""
    expression, _, rest = (part.strip() for part in arguments.partition("|"))
    title, _, direction = (part.strip() for part in rest.partition("|"))
    if direction and direction not in RANKDIRS:
        raise ExampleError(f"{where}: diagram direction {direction!r} is not one of {', '.join(RANKDIRS)}")
    try:
        drawn = eval(expression, namespace)  # the page's own code, run at build time on purpose
    except Exception as error:
        raise ExampleError(
            f"{where}: diagram expression {expression!r} raised {type(error).__name__}: {error}") from None
    try:
        if isinstance(drawn, Value):
            summary = f"data {drawn.data:.4f}, grad {drawn.grad:.4f}"
            svg = page.cache.graphviz_svg(draw_dot(drawn, rankdir=direction or "LR").source)
            title = title or f"Computation graph of {expression}: {summary}"
        elif _is_instance(drawn, "graphviz", "Digraph") or _is_instance(drawn, "graphviz", "Graph"):
            if direction:  # a copy: the page's own graph object keeps its direction
                drawn = drawn.copy()
                drawn.graph_attr["rankdir"] = direction
            svg, title = page.cache.graphviz_svg(drawn.source), title or f"Graph drawn by {expression}"
        elif direction:
            raise ExampleError(f"{where}: diagram direction {direction} applies to a graph, "
                               f"not to a {type(drawn).__name__}")
        elif _is_instance(drawn, "matplotlib.figure", "Figure"):
            svg, title = figure_svg(drawn), title or f"Plot of {expression}"
            if "matplotlib.pyplot" in sys.modules:  # a pyplot figure would stay open for the whole build
                sys.modules["matplotlib.pyplot"].close(drawn)
        else:
            raise ExampleError(f"{where}: diagram expression {expression!r} is a {type(drawn).__name__}; "
                               "expected a Value, a graphviz Digraph or a matplotlib Figure")
    except ValueError as error:  # Graphviz rejected the DOT source
        raise ExampleError(f"{where}: {error}") from None
    return svg_minify.minify(themed_svg(svg, title, page.next_id()), in_html=True)


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
