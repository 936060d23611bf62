"""How a diagram becomes SVG, PNG or a file: the renderers `micrograd.draw` uses, and its Digraph class.

A renderer plugged in with `micrograd.draw.use_renderer` makes SVG laid out by dot; everything
else goes to pygraphviz (the Graphviz its wheel bundles, in-process) or, without it, to the `dot`
executable on PATH. Nothing here imports graphviz or pygraphviz until it is needed.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import graphviz

T = TypeVar("T")


class _Plugged:
    """The renderer `use_renderer` set, if any (an object's field, so no module global is rebound)."""

    render: Callable[[str], str] | None = None


plugged = _Plugged()


@functools.cache
def diagram_class() -> type[graphviz.Digraph]:
    """graphviz.Digraph that renders, pipes, saves and shows itself without a `dot` executable."""
    try:
        import graphviz
    except ImportError:
        raise ImportError('draw_dot and draw_mlp need the "graphviz" package: '
                          'pip install "micrograd-spelled-out[draw]"') from None

    class Diagram(graphviz.Digraph):
        """A graphviz.Digraph whose output comes from `render_svg`'s renderers, not only from `dot`.

        `pipe`, `render`, `view` and the Jupyter display use the renderer plugged in with
        `use_renderer` (SVG only), else pygraphviz, else the `dot` executable. `render` writes
        the rendered file alone, no DOT source beside it (`save` writes that).
        """

        description = "graph"  # what the repr calls it, set by the function that draws it

        def __repr__(self) -> str:
            return (f"<{self.description}. Jupyter shows it; elsewhere d.view() opens it, "
                    'd.render("graph") writes graph.svg, render_svg(d) gives its SVG text, d.source its DOT source>')

        def pipe(self, format: str | None = None, renderer: str | None = None, formatter: str | None = None,
                 neato_no_op: bool | int | None = None, quiet: bool = False, *, engine: str | None = None,
                 encoding: str | None = None) -> bytes | str:
            """The rendered graph as bytes, or text when `encoding` is given (graphviz's signature).

            `renderer`, `formatter` and `neato_no_op` are options of the `dot` executable: with
            any of them the call goes to graphviz as is, and needs `dot` on PATH.
            """
            if renderer is not None or formatter is not None or neato_no_op is not None:
                piped: bytes | str = super().pipe(format, renderer=renderer, formatter=formatter,
                                                  neato_no_op=neato_no_op, quiet=quiet, engine=engine,
                                                  encoding=encoding)
                return piped
            rendered = render(self.source, format or self.format, engine or self.engine)
            return rendered.decode(encoding) if encoding is not None else rendered

        def render(self, filename: str | os.PathLike[str] | None = None,
                   directory: str | os.PathLike[str] | None = None, view: bool = False, cleanup: bool = False,
                   format: str | None = None, renderer: str | None = None, formatter: str | None = None,
                   neato_no_op: bool | int | None = None, quiet: bool = False, quiet_view: bool = False, *,
                   outfile: str | os.PathLike[str] | None = None, engine: str | None = None,
                   raise_if_result_exists: bool = False, overwrite_source: bool = False) -> str:
            """Write the rendered graph to `{directory}/{filename}.{format}` and return that path.

            graphviz's signature, but only the rendered file is written: no DOT source beside it
            (`save()` writes that, so `cleanup` and `overwrite_source` change nothing). The
            filename defaults to "graph", the format to SVG; `outfile="x.png"` names the file and,
            with no `format`, its format. `view=True` then opens it with the system's viewer.
            `renderer`, `formatter` and `neato_no_op` need the `dot` executable, as in graphviz.

            Raises:
                FileExistsError: `raise_if_result_exists` and the file is already there.
                RuntimeError: `view` and the system has no viewer to open the file with.
            """
            if renderer is not None or formatter is not None or neato_no_op is not None:
                rendered: str = super().render(filename, directory=directory, view=view, cleanup=cleanup,
                                               format=format, renderer=renderer, formatter=formatter,
                                               neato_no_op=neato_no_op, quiet=quiet, quiet_view=quiet_view,
                                               outfile=outfile, engine=engine,
                                               raise_if_result_exists=raise_if_result_exists,
                                               overwrite_source=overwrite_source)
                return rendered
            if outfile is not None:
                path = Path(outfile)
                format = format or path.suffix.lstrip(".") or self.format
            else:
                format = format or self.format
                folder = Path(directory) if directory is not None else Path(self.directory or ".")
                path = folder / f"{filename if filename is not None else 'graph'}.{format}"
            if raise_if_result_exists and path.exists():
                raise FileExistsError(f"{path} is already there (raise_if_result_exists=True)")
            data = self.pipe(format=format, engine=engine)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode())
            if view:
                import graphviz

                try:
                    graphviz.view(path, quiet=quiet_view)
                except OSError as e:  # no xdg-open (a server, a container): say where the picture is
                    raise RuntimeError(f"{path} is written, but no viewer could open it ({e})") from None
            return os.fspath(path)

        def view(self, filename: str | os.PathLike[str] | None = None,
                 directory: str | os.PathLike[str] | None = None, cleanup: bool = False, quiet: bool = False,
                 quiet_view: bool = False) -> str:
            """Render the graph and open it with the system's viewer; return the file's path.

            With neither `filename` nor `directory` the file goes to a new folder under the
            system's temporary directory, so viewing leaves nothing in the working directory.
            """
            if filename is None and directory is None:
                directory = tempfile.mkdtemp(prefix="micrograd-diagram-")
            return self.render(filename, directory, view=True, cleanup=cleanup, quiet=quiet, quiet_view=quiet_view)

        def _repr_svg_(self) -> str:
            return render(self.source, "svg", "dot").decode()

    return Diagram


def render(source: str, format: str, engine: str) -> bytes:
    """`source` in `format`: SVG with dot's layout from a plugged-in renderer if any, the rest from Graphviz."""
    if plugged.render is not None and format == "svg" and engine == "dot":
        svg = plugged.render(source)
        if not isinstance(svg, str):
            raise TypeError(f"the renderer given to use_renderer returned a {type(svg).__name__}, not SVG text")
        return svg.encode()
    return _render_with_graphviz(source, format, engine)


def _render_with_graphviz(source: str, format: str, engine: str) -> bytes:
    """`source` laid out by Graphviz's `engine` and written in `format`: pygraphviz, else `dot`."""
    try:
        import pygraphviz
    except ImportError:
        return _render_with_dot_executable(source, format, engine)
    rendered: bytes = _with_graphviz_errors(lambda: pygraphviz.AGraph(string=source).draw(format=format, prog=engine))
    return rendered


def _render_with_dot_executable(source: str, format: str, engine: str) -> bytes:
    if shutil.which("dot") is None:
        raise ImportError(f'rendering {format} needs pygraphviz (pip install "micrograd-spelled-out[draw]", it '
                          "bundles Graphviz) or Graphviz's dot executable on PATH; for SVG laid out by dot, a "
                          "renderer given to micrograd.draw.use_renderer will also do")
    try:
        import graphviz
    except ImportError:
        raise ImportError('rendering with the dot executable needs the "graphviz" package (or pygraphviz, which '
                          'needs no dot): pip install "micrograd-spelled-out[draw]"') from None

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
