"""Drawing: draw_dot's graph, label escaping checked in rendered SVG, rendering with no system
Graphviz, a plugged-in renderer, and the engine's independence from Graphviz."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from importlib.util import find_spec
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd import Neuron, Value, draw_dot, render_svg
from micrograd.draw import graphviz_version, use_renderer

HAS_PYGRAPHVIZ = find_spec("pygraphviz") is not None
needs_graphviz = pytest.mark.skipif(find_spec("graphviz") is None,
                                    reason='draw_dot needs the graphviz package (the [draw] extra)')
needs_pygraphviz = pytest.mark.skipif(not HAS_PYGRAPHVIZ, reason="pygraphviz is not installed (the [draw] extra)")
needs_renderer = pytest.mark.skipif(not HAS_PYGRAPHVIZ and shutil.which("dot") is None,
                                    reason="rendering needs pygraphviz or Graphviz's dot executable")
SVG = "{http://www.w3.org/2000/svg}"
NODE = re.compile(r'\t(\w+) \[label=("(?:[^"\\]|\\.)*"|[^\s\]]+)(.*)\]')
EDGE = re.compile(r"\t(\w+) -> (\w+)")


def parse(dot_source: str) -> tuple[dict[str, str], dict[str, str], list[tuple[str, str]]]:
    """Records (name -> label), operation nodes (name -> label) and edges of draw_dot's DOT source."""
    records, ops, edges = {}, {}, []
    for line in dot_source.splitlines():
        if m := NODE.fullmatch(line):
            (records if "shape=record" in m[3] else ops)[m[1]] = m[2].strip('"')
        elif m := EDGE.fullmatch(line):
            edges.append((m[1], m[2]))
    return records, ops, edges


def small_graph() -> tuple[Value, Value, Value]:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    d = c + a
    d.label = "d"
    return a, b, d


def run_python(code: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter (a clean sys.modules), optionally with only `path` on PATH."""
    env = dict(os.environ)
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env,
                          timeout=120)


# ---- the graph ----

@needs_graphviz
def test_draw_dot_returns_a_digraph_with_a_record_per_value_and_a_node_per_op() -> None:
    import graphviz

    _, _, d = small_graph()
    d.backward()
    dot = draw_dot(d)
    assert isinstance(dot, graphviz.Digraph)
    records, ops, edges = parse(dot.source)
    assert sorted(records.values()) == [
        "{ a | data 2.0000 | grad -2.0000 }", "{ b | data -3.0000 | grad 2.0000 }",
        "{ c | data -6.0000 | grad 1.0000 }", "{ d | data -4.0000 | grad 1.0000 }"]
    assert sorted(ops.values()) == ["*", "+"]
    name = {label.split()[1]: n for n, label in records.items()}
    op = {label: n for n, label in ops.items()}
    assert sorted(edges) == sorted([(name["a"], op["*"]), (name["b"], op["*"]), (op["*"], name["c"]),
                                    (name["c"], op["+"]), (name["a"], op["+"]), (op["+"], name["d"])])


@needs_graphviz
def test_numbers_are_shown_with_four_decimals() -> None:
    x = Value(1 / 3, label="x")
    y = x * 2.0
    y.backward()
    records, _, _ = parse(draw_dot(y).source)
    assert "{ x | data 0.3333 | grad 2.0000 }" in records.values()
    assert "{  | data 2.0000 | grad 0.3333 }" in records.values()  # the constant 2, unlabelled


@needs_graphviz
@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_rankdir(rankdir: str) -> None:
    dot = draw_dot(small_graph()[2], rankdir=rankdir)
    assert f"rankdir={rankdir}" in dot.source


def test_an_invalid_rankdir_names_the_choices() -> None:
    with pytest.raises(ValueError, match=r"LR, TB.*'sideways'"):
        draw_dot(Value(1.0), rankdir="sideways")


@needs_graphviz
def test_the_same_graph_gives_the_same_dot_source() -> None:
    first, second = draw_dot(small_graph()[2]).source, draw_dot(small_graph()[2]).source
    assert first == second


@needs_graphviz
def test_a_neuron_shows_every_weight_and_input_as_its_own_node() -> None:
    """Neuron computes w.x + b as one fused `dot` node; its inputs are still drawn one by one."""
    n = Neuron(3, rng=random.Random(0))
    for i, w in enumerate(n.w):
        w.label = f"w{i}"
    n.b.label = "b"
    xs = [Value(v, label=f"x{i}") for i, v in enumerate([1.0, -2.0, 0.5])]
    records, ops, edges = parse(draw_dot(n(xs)).source)
    labels = {name: label.split("|")[0].strip("{ ") for name, label in records.items()}
    inputs = {"w0", "w1", "w2", "x0", "x1", "x2", "b"}
    assert inputs <= set(labels.values())
    assert len(records) == len(inputs) + 2  # plus the dot product and the ReLU output
    dot_op = next(name for name, label in ops.items() if label == "dot")
    assert sorted(labels[src] for src, dst in edges if dst == dot_op) == sorted(inputs)


# ---- escaping, checked where it matters: in the rendered SVG ----

def _node_texts(svg: str) -> dict[str, tuple[list[str], int]]:
    """Per node name: its texts (whitespace collapsed) and how many field separators it has."""
    nodes = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") == "node":
            texts = [" ".join((t.text or "").split()) for t in g.iter(f"{SVG}text")]
            nodes[g.findtext(f"{SVG}title")] = ([t for t in texts if t], len(list(g.iter(f"{SVG}polyline"))))
    return nodes


LABEL_TEXT = st.text(alphabet='|{}<>"\\ &\'abnlrNGT:=;[]', max_size=12)


@needs_graphviz
@needs_renderer
@settings(max_examples=40, deadline=None, database=None)
@given(label=LABEL_TEXT)
def test_any_label_stays_inside_its_record(label: str) -> None:
    v = Value(1.5, label=label) + Value(-0.25, label=label)
    nodes = _node_texts(render_svg(draw_dot(v)))
    assert len(nodes) == 4  # three records and the + node: nothing broke out of its record
    shown = " ".join(label.replace("\xa0", " ").split())
    for data in ("1.5000", "-0.2500"):
        texts, separators = next(node for node in nodes.values() if f"data {data}" in node[0])
        assert separators == 2  # exactly three fields: label | data | grad
        assert texts == [t for t in (shown, f"data {data}", "grad 0.0000") if t]


@needs_graphviz
@needs_renderer
@pytest.mark.parametrize("label", ['a|b', '{x}', '<y>', 'say "hi"', 'back\\slash', 'end\\', '\\N and \\l', 'a & b'])
def test_special_characters_in_a_label_are_shown_as_written(label: str) -> None:
    (texts, separators), = _node_texts(render_svg(draw_dot(Value(0.5, label=label)))).values()
    assert texts == [label, "data 0.5000", "grad 0.0000"] and separators == 2


# ---- rendering ----

@needs_graphviz
@needs_renderer
def test_render_svg_takes_a_graph_or_its_source() -> None:
    dot = draw_dot(small_graph()[2])
    svg = render_svg(dot)
    assert svg == render_svg(dot.source)
    assert ET.fromstring(svg).tag == f"{SVG}svg"


@needs_graphviz
@needs_renderer
def test_a_diagram_shows_itself_in_jupyter() -> None:
    bundle = draw_dot(Value(1.0, label="x"))._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml"] and "<svg" in bundle["image/svg+xml"]


@needs_renderer
def test_bad_dot_source_is_a_value_error_with_graphvizs_message() -> None:
    with pytest.raises(ValueError, match=r"Graphviz could not render.*syntax error"):
        render_svg("digraph { a -> }")


@needs_renderer
def test_graphviz_version() -> None:
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", graphviz_version())


@needs_graphviz
@needs_pygraphviz
def test_rendering_needs_no_system_graphviz(tmp_path: Path) -> None:
    """pygraphviz's wheels bundle Graphviz: with nothing on PATH, rendering still works."""
    result = run_python("""
        import shutil
        from micrograd import Value, draw_dot, render_svg
        assert shutil.which("dot") is None
        print(render_svg(draw_dot(Value(2.0, label="x") * 3)))
    """, path=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "<svg" in result.stdout and ">data 6.0000<" in result.stdout


@needs_graphviz
def test_without_pygraphviz_the_dot_executable_renders(tmp_path: Path) -> None:
    """The fallback pipes the DOT source through `dot` and turns its errors into ValueError."""
    fake_dot = tmp_path / "dot"  # a stand-in that echoes its input, or fails on a bad source
    fake_dot.write_text(f"""#!{sys.executable}
import sys
source = sys.stdin.read()
if "bad" in source:
    sys.exit(print("Error: syntax error in line 1 near 'bad'", file=sys.stderr) or 1)
print("<svg>" + source.strip() + "</svg>")
""")
    fake_dot.chmod(0o755)
    result = run_python("""
        import sys
        sys.modules["pygraphviz"] = None  # as if it were not installed
        from micrograd import render_svg
        print(render_svg("digraph { ok }"), end="")
        try:
            render_svg("digraph { bad }")
        except ValueError as e:
            print(e)
    """, path=str(tmp_path))
    assert result.returncode == 0, result.stderr
    rendered, error = result.stdout.strip().splitlines()
    assert rendered == "<svg>digraph { ok }</svg>"
    assert error == "Graphviz could not render the DOT source: Error: syntax error in line 1 near 'bad'"


@needs_graphviz
@pytest.mark.skipif(shutil.which("dot") is None,
                    reason="no system Graphviz (dot) on PATH; .ci/run installs Debian's graphviz so CI runs this")
def test_a_system_graphviz_renders_without_pygraphviz() -> None:
    """With a real `dot` on PATH and no pygraphviz, the same drawing renders, escaping intact."""
    result = run_python("""
        import sys
        sys.modules["pygraphviz"] = None  # as if it were not installed
        from micrograd import Value, draw_dot, render_svg
        from micrograd.draw import graphviz_version, use_renderer
        x = Value(2.0, label='a|b {c} <d> "e"')
        print(graphviz_version())
        print(render_svg(draw_dot(x * 3)))
        try:
            render_svg("digraph { a -> }")
        except ValueError as e:
            print(e)
    """)
    assert result.returncode == 0, result.stderr
    version, svg = result.stdout.split("\n", 1)
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", version)
    assert "a|b {c} &lt;d&gt; &quot;e&quot;" in svg and ">data 6.0000<" in svg
    assert "Graphviz could not render the DOT source:" in svg and "syntax error" in svg


# ---- Graphviz stays optional ----

@pytest.mark.parametrize("module", ["micrograd.engine", "micrograd.nn", "micrograd"])
def test_importing_the_engine_imports_nothing_from_graphviz(module: str) -> None:
    result = run_python(f"""
        import sys
        import {module}
        print(sorted(m for m in sys.modules if "graphviz" in m))
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _distribution() -> str:
    """The name pip installs this package under (the `micrograd` on PyPI is 0.1.0, another package)."""
    return packages_distributions()["micrograd"][0]


def test_a_missing_graphviz_gives_an_import_error_naming_the_extra() -> None:
    result = run_python("""
        import sys
        sys.modules["graphviz"] = None  # as if it were not installed
        from micrograd import Value, draw_dot
        v = Value(1.0) * 2  # the engine works without it
        try:
            draw_dot(v)
        except ImportError as e:
            print(e)
    """)
    assert result.returncode == 0, result.stderr
    message = result.stdout.strip()
    assert "graphviz" in message and f"{_distribution()}[draw]" in message


def test_no_renderer_at_all_gives_an_import_error_naming_both_options(tmp_path: Path) -> None:
    result = run_python("""
        import sys
        sys.modules["pygraphviz"] = None  # as if it were not installed
        from micrograd import render_svg
        try:
            render_svg("digraph { a }")
        except ImportError as e:
            print(e)
    """, path=str(tmp_path))
    assert result.returncode == 0, result.stderr
    message = result.stdout.strip()
    assert "pygraphviz" in message and "dot" in message and f"{_distribution()}[draw]" in message


# ---- a renderer plugged in (the browser's WebAssembly Graphviz, say) ----

@pytest.fixture
def plugged() -> Iterator[list[str]]:
    """A stand-in renderer plugged in for one test: SVG naming the source's length; the sources it saw."""
    seen: list[str] = []

    def render(source: str) -> str:
        if "bad" in source:
            raise ValueError("the stand-in cannot draw this")
        seen.append(source)
        return f"<svg><!-- {len(source)} --></svg>"

    use_renderer(render)
    try:
        yield seen
    finally:
        use_renderer(None)


@needs_graphviz
def test_a_plugged_renderer_draws_every_svg_of_a_diagram(plugged: list[str]) -> None:
    dot = draw_dot(small_graph()[2])
    expected = f"<svg><!-- {len(dot.source)} --></svg>"
    assert render_svg(dot) == render_svg(dot.source) == expected
    assert dot._repr_mimebundle_() == {"image/svg+xml": expected}
    assert dot._repr_svg_() == dot._repr_image_svg_xml() == expected
    assert dot.pipe(format="svg", encoding="utf-8") == expected
    assert dot.pipe(format="svg") == expected.encode()
    assert plugged == [dot.source] * 7


@needs_graphviz
@needs_renderer
def test_a_plugged_renderer_leaves_other_formats_and_engines_to_graphviz(plugged: list[str]) -> None:
    dot = draw_dot(Value(1.0, label="x"))
    assert dot.pipe(format="png").startswith(b"\x89PNG\r\n\x1a\n")
    assert ET.fromstring(dot.pipe(format="svg", engine="neato")).tag == f"{SVG}svg"
    assert plugged == []


@needs_renderer
def test_use_renderer_none_restores_graphviz(plugged: list[str]) -> None:
    assert render_svg("digraph { a }").startswith("<svg>")
    use_renderer(None)
    assert ET.fromstring(render_svg("digraph { a }")).tag == f"{SVG}svg"
    assert plugged == ["digraph { a }"]


def test_a_plugged_renderers_error_reaches_the_caller(plugged: list[str]) -> None:
    with pytest.raises(ValueError, match="the stand-in cannot draw this"):
        render_svg("digraph { bad }")


def test_use_renderer_needs_a_function_or_none() -> None:
    with pytest.raises(TypeError, match="function from DOT source to SVG text, or None; got 'dot'"):
        use_renderer("dot")  # type: ignore[arg-type]


def test_a_renderer_that_returns_bytes_is_a_type_error() -> None:
    use_renderer(lambda source: source.encode())  # type: ignore[arg-type, return-value]
    try:
        with pytest.raises(TypeError, match="returned a bytes, not SVG text"):
            render_svg("digraph { a }")
    finally:
        use_renderer(None)


def test_a_plugged_renderer_needs_neither_graphviz_nor_pygraphviz(tmp_path: Path) -> None:
    """As in Pyodide: no pygraphviz, no dot; the module imports and renders through the plugged renderer."""
    result = run_python("""
        import sys
        sys.modules["graphviz"] = sys.modules["pygraphviz"] = None  # as if neither were installed
        import micrograd.draw as draw
        draw.use_renderer(lambda source: "<svg><!-- Generated by graphviz version 16.1 (0) -->" + source + "</svg>")
        print(draw.render_svg("digraph { a }"))
        print(draw.graphviz_version())
        print(sorted(m for m in sys.modules if "graphviz" in m and sys.modules[m] is not None))
    """, path=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "<svg><!-- Generated by graphviz version 16.1 (0) -->digraph { a }</svg>", "16.1", "[]"]
