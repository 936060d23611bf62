"""Drawing a Value's graph with Graphviz: `draw_dot` builds it, `render_svg` renders it.

Only this module needs Graphviz, and only when called: `pip install "micrograd-spelled-out[draw]"`
brings the `graphviz` package (to build DOT) and `pygraphviz` (whose wheels bundle the
Graphviz libraries, so no system Graphviz is needed to render).

Rendering goes to the first of these that is there:

1. a renderer plugged in with `use_renderer` (for example a WebAssembly Graphviz in the browser);
2. pygraphviz, which renders in-process with the Graphviz its wheel bundles;
3. Graphviz's `dot` executable on PATH, through the `graphviz` package.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from micrograd.engine import Value

if TYPE_CHECKING:
    import graphviz

RANKDIRS = ("LR", "TB", "RL", "BT")
_RECORD_SPECIALS = re.compile(r'([|{}<>"\\ ])')
T = TypeVar("T")


def _escape_record(text: str) -> str:
    """Escape what a Graphviz record label treats as structure (`| { } < > "`, backslash)."""
    # spaces too: a leading or trailing space would otherwise be trimmed from a record field
    return _RECORD_SPECIALS.sub(r"\\\1", text).replace("\n", r"\n")


@functools.cache
def _diagram_class() -> type[graphviz.Digraph]:
    """graphviz.Digraph that renders, pipes, saves and shows itself without a `dot` executable."""
    try:
        import graphviz
    except ImportError:
        raise ImportError('draw_dot needs the "graphviz" package: pip install "micrograd-spelled-out[draw]"') from None

    class Diagram(graphviz.Digraph):
        """A graphviz.Digraph whose output comes from `render_svg`'s renderers, not only from `dot`.

        `pipe`, `render`, `view` and the Jupyter display use the renderer plugged in with
        `use_renderer` (SVG only), else pygraphviz, else the `dot` executable. `render` writes
        the rendered file alone, no DOT source beside it (`save` writes that).
        """

        description = "graph"  # what the repr calls it, set by the function that draws it

        def __repr__(self) -> str:
            return (f"<{self.description}: Jupyter shows it; render_svg(d) gives its SVG text, "
                    f'd.render("graph") writes graph.svg, d.view() opens it, d.source is its DOT text>')

        def pipe(self, format: str | None = None, renderer: str | None = None, formatter: str | None = None,
                 neato_no_op: bool | int | None = None, quiet: bool = False, *, engine: str | None = None,
                 encoding: str | None = None) -> bytes | str:
            """The rendered graph as bytes, or text when `encoding` is given (graphviz's signature).

            `renderer`, `formatter` and `neato_no_op` are options of the `dot` executable: with
            any of them the call goes to graphviz as is, and needs `dot` on PATH.
            """
            if renderer is not None or formatter is not None or neato_no_op is not None:
                piped: bytes | str = super().pipe(format, renderer, formatter, neato_no_op, quiet, engine=engine,
                                                  encoding=encoding)
                return piped
            rendered = _render(self.source, format or self.format, engine or self.engine)
            return rendered.decode(encoding) if encoding is not None else rendered

        def _repr_svg_(self) -> str:
            return render_svg(self)

    return Diagram


def _render(source: str, format: str, engine: str) -> bytes:
    """`source` in `format`: SVG with dot's layout from a plugged-in renderer if any, the rest from Graphviz."""
    if _plugged.render is not None and format == "svg" and engine == "dot":
        return render_svg(source).encode()
    return _render_with_graphviz(source, format, engine)


def draw_dot(root: Value, rankdir: str = "LR") -> graphviz.Digraph:
    """The graph that computed `root`: a record (label | data | grad) per Value, a node per operation."""
    if not isinstance(root, Value):
        raise TypeError(f"draw_dot needs a Value, got {type(root).__name__}")
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    dot = _diagram_class()(format="svg", graph_attr={"rankdir": rankdir})
    nodes = root.topological_order()
    # names from the graph's order, not id(): the same graph always gives the same DOT source
    name = {id(v): f"v{i}" for i, v in enumerate(nodes)}
    for v in nodes:
        label = f"{_escape_record(v.label)} | data {v.data:.4f} | grad {v.grad:.4f}"
        dot.node(name[id(v)], label=f"{{ {label} }}", shape="record")
        if v._op:
            dot.node(name[id(v)] + "op", label=v._op)
            dot.edge(name[id(v)] + "op", name[id(v)])
        for child in v._prev:
            dot.edge(name[id(child)], name[id(v)] + "op")
    return dot


class _Plugged:
    """The renderer `use_renderer` set, if any (an object's field, so no module global is rebound)."""

    render: Callable[[str], str] | None = None


_plugged = _Plugged()


def use_renderer(render: Callable[[str], str] | None) -> None:
    """Render every diagram's SVG with `render(dot_source) -> svg_text`, or go back to Graphviz.

    While a renderer is plugged in, `render_svg` and the SVG that `draw_dot`'s diagrams show
    (in Jupyter, `pipe(format="svg")`, `render(format="svg")`) come from it, and neither
    pygraphviz nor a `dot` executable is needed; in a browser, for instance, a WebAssembly
    Graphviz can draw. `draw_dot` itself still needs the pure-Python `graphviz` package, which
    builds the DOT source. Other formats (PNG, PDF) and layout engines (`neato`) still go to
    pygraphviz or `dot`.

    Args:
        render: takes DOT source, returns SVG text; it should raise ValueError when the source
            is not valid DOT, as Graphviz does here. None restores the default (pygraphviz,
            then the `dot` executable).

    Raises:
        TypeError: `render` is neither callable nor None.

    """
    if render is not None and not callable(render):
        raise TypeError(f"use_renderer needs a function from DOT source to SVG text, or None; got {render!r}")
    _plugged.render = render


def render_svg(graph: graphviz.Digraph | str) -> str:
    """SVG text of a graph or a DOT source, from the renderer in use (see `use_renderer`).

    Args:
        graph: a graphviz graph (such as `draw_dot`'s diagram) or DOT source text.

    Returns:
        The SVG document as text.

    Raises:
        ValueError: Graphviz rejects the source (its message is included).
        TypeError: a renderer plugged in with `use_renderer` returned something other than text.
        ImportError: no renderer is plugged in and neither pygraphviz nor a `dot` executable is there.
    """
    source = graph if isinstance(graph, str) else graph.source
    if _plugged.render is not None:
        svg = _plugged.render(source)
        if not isinstance(svg, str):
            raise TypeError(f"the renderer given to use_renderer returned a {type(svg).__name__}, not SVG text")
        return svg
    return _render_with_graphviz(source, "svg", "dot").decode()


def _render_with_graphviz(source: str, format: str, engine: str) -> bytes:
    """`source` laid out by Graphviz's `engine` and written in `format`: pygraphviz, else `dot`."""
    try:
        import pygraphviz
    except ImportError:
        return _render_with_dot_executable(source, format, engine)
    rendered: bytes = _with_graphviz_errors(lambda: pygraphviz.AGraph(string=source).draw(format=format, prog=engine))
    return rendered


def graphviz_version() -> str:
    """The version of the Graphviz that `render_svg` uses (part of a diagram cache key)."""
    match = re.search(r"Generated by graphviz version ([^\s]+)", render_svg("digraph {}"))
    return match.group(1) if match else "unknown"


def _render_with_dot_executable(source: str, format: str, engine: str) -> bytes:
    if shutil.which("dot") is None:
        raise ImportError(f'rendering {format} needs pygraphviz (pip install "micrograd-spelled-out[draw]", it '
                          "bundles Graphviz) or Graphviz's dot executable on PATH; for SVG laid out by dot, a "
                          "renderer given to micrograd.draw.use_renderer will also do")
    import graphviz

    try:
        rendered: bytes = graphviz.Source(source, engine=engine).pipe(format=format)
    except graphviz.CalledProcessError as e:
        stderr = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else e.stderr or ""
        raise ValueError(f"Graphviz could not render the DOT source: {stderr.strip()}") from None
    return rendered


def _with_graphviz_errors(render: Callable[[], T]) -> T:
    """Run `render`, turning what the Graphviz C library prints as `Error:` into a ValueError."""
    # the library writes its messages to file descriptor 2, beyond Python's sys.stderr
    with tempfile.TemporaryFile() as captured:
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)
        failure: Exception | None = None
        try:
            result = render()
        except Exception as e:  # pygraphviz says only "Invalid Input"; the reason is in the captured text
            failure = e
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        captured.seek(0)
        messages = captured.read().decode(errors="replace")
    errors = [line for line in messages.splitlines() if line.startswith(("Error", "Warning: syntax"))]
    if failure is not None or errors:
        detail = "; ".join(errors) or str(failure)
        raise ValueError(f"Graphviz could not render the DOT source: {detail}")
    return result  # set: render() raised nothing
