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

from micrograd import MLP, Neuron, Value, draw_dot, render_svg
from micrograd.draw import draw_mlp, graphviz_version, nodes_between, use_renderer

HAS_PYGRAPHVIZ = find_spec("pygraphviz") is not None
needs_graphviz = pytest.mark.skipif(find_spec("graphviz") is None,
                                    reason='draw_dot needs the graphviz package (the [draw] extra)')
needs_pygraphviz = pytest.mark.skipif(not HAS_PYGRAPHVIZ, reason="pygraphviz is not installed (the [draw] extra)")
needs_renderer = pytest.mark.skipif(not HAS_PYGRAPHVIZ and shutil.which("dot") is None,
                                    reason="rendering needs pygraphviz or Graphviz's dot executable")
SVG = "{http://www.w3.org/2000/svg}"
NODE = re.compile(r'\t+(\w+) \[label=("(?:[^"\\]|\\.)*"|[^\s\]]+)(.*)\]')  # \t+: nodes in a cluster too
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


# ---- what a learner needs to see structure: clusters, numbers, the gradient's flow ----

def labelled_neuron() -> tuple[list[Value], Value, Value]:
    """Inputs x1, x2, a tanh neuron's output y, and L = y * y after backward()."""
    n = Neuron(2, activation="tanh", rng=random.Random(1))
    n.w[0].label, n.w[1].label, n.b.label = "w1", "w2", "b"
    x = [Value(1.0, label="x1"), Value(-2.0, label="x2")]
    y = n(x)
    y.label = "y"
    loss = y * y
    loss.label = "L"
    loss.backward()
    return x, y, loss


def record_names(dot_source: str) -> dict[str, str]:
    """Value label -> node name in draw_dot's source (labels are unique in these tests)."""
    records, _, _ = parse(dot_source)
    return {label.removeprefix("{ ").removesuffix(" }").split(" | ")[-3]: name for name, label in records.items()}


def cluster_bodies(dot_source: str) -> dict[str, list[str]]:
    """Cluster label -> the node names declared directly inside it (a nested cluster's nodes excluded)."""
    bodies: dict[str, list[str]] = {}
    stack: list[list[str]] = []
    for line in dot_source.splitlines():
        if line.strip().startswith("subgraph cluster_"):
            stack.append([])
        elif stack and (m := re.fullmatch(r'\s*fontsize=12 label=("(?:[^"\\]|\\.)*"|\S+) .*', line)):
            bodies[m[1].strip('"')] = stack[-1]
        elif stack and line.strip() == "}":
            stack.pop()
        elif stack and (m := re.fullmatch(r"\s*(\w+) \[label=.*", line)):
            stack[-1].append(m[1])
    return bodies


def test_nodes_between_is_what_a_neuron_adds() -> None:
    x, y, _ = labelled_neuron()
    between = nodes_between(x, y)
    assert [v.label for v in between if v.label] == ["w1", "w2", "b", "y"]
    assert [v._op for v in between if v._op] == ["dot", "tanh"]
    assert nodes_between(iter(x), [y]) == between  # any iterables, a list of outputs
    assert nodes_between([], y) == y.topological_order()


def test_nodes_between_several_outputs_is_one_order_without_repeats() -> None:
    x = [Value(1.0), Value(2.0)]
    shared = x[0] * x[1]
    outputs = [shared + 1, shared.tanh(), shared * x[0]]
    between = nodes_between(x, outputs)
    assert len(between) == len({id(v) for v in between}) == 5  # shared, the constant 1 and the three results
    place = {id(v): i for i, v in enumerate(between)}
    for v in between:  # each after whatever it was computed from, inside the set
        assert all(place[id(c)] < place[id(v)] for c in v._prev if id(c) in place)
    assert {id(v) for v in outputs} <= set(place) and not {id(v) for v in x} & set(place)


def test_nodes_between_needs_values() -> None:
    with pytest.raises(TypeError, match="nodes_between needs Values, got float"):
        nodes_between([1.0], Value(1.0))  # type: ignore[list-item]


@needs_graphviz
def test_a_cluster_holds_its_values_and_their_operations() -> None:
    x, y, loss = labelled_neuron()
    source = draw_dot(loss, clusters={"neuron": nodes_between(x, y)}).source
    names = record_names(source)
    _, ops, _ = parse(source)
    op_names = {label: name for name, label in ops.items()}
    assert set(cluster_bodies(source)["neuron"]) == {
        names["w1"], names["w2"], names["b"], names["y"], op_names["tanh"], op_names["dot"], op_names["dot"][:-2]}
    assert len(cluster_bodies(source)["neuron"]) == 7
    outside = source.split("subgraph cluster_0")[0]
    for label in ("x1", "x2", "L"):
        assert f"\t{names[label]} [label=" in outside


@needs_graphviz
@needs_renderer
def test_a_cluster_is_drawn_around_its_nodes() -> None:
    """In the SVG: a box labelled with the cluster's label, and the cluster's nodes inside it, the rest outside."""
    x, y, loss = labelled_neuron()
    dot = draw_dot(loss, clusters={"a neuron": nodes_between(x, y)})
    svg = ET.fromstring(render_svg(dot))
    (cluster,) = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "cluster"]
    assert cluster.findtext(f"{SVG}text") == "a neuron"
    outline = cluster.find(f"{SVG}path").get("d")  # M x,y C x,y x,y ...: a rounded box
    points = [tuple(map(float, p.split(","))) for p in outline[1:].replace("C", " ").split()]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    inside = {}
    for g in svg.iter(f"{SVG}g"):
        if g.get("class") == "node":
            text = g.find(f"{SVG}text")
            tx, ty = float(text.get("x")), float(text.get("y"))
            inside[text.text.strip()] = min(xs) < tx < max(xs) and min(ys) < ty < max(ys)
    assert inside == {"w1": True, "w2": True, "b": True, "y": True, "dot": True, "tanh": True, "": True,
                      "x1": False, "x2": False, "L": False, "*": False}


@needs_graphviz
def test_a_cluster_inside_another_is_nested() -> None:
    x = [Value(1.0, label="x1"), Value(0.5, label="x2")]
    layer = [Neuron(2, rng=random.Random(i)) for i in range(2)]
    for i, n in enumerate(layer):
        n.w[0].label, n.w[1].label, n.b.label = f"w{i}a", f"w{i}b", f"b{i}"
    h = [n(x) for n in layer]
    h[0].label, h[1].label = "h0", "h1"
    out = h[0] + h[1]
    out.label = "out"
    source = draw_dot(out, clusters={"neuron 0": nodes_between(x, h[0]), "layer": nodes_between(x, h),
                                     "neuron 1": nodes_between(x, h[1])}).source
    names, bodies = record_names(source), cluster_bodies(source)
    assert {names[v] for v in ("w0a", "w0b", "b0", "h0")} <= set(bodies["neuron 0"])
    assert {names[v] for v in ("w1a", "w1b", "b1", "h1")} <= set(bodies["neuron 1"])
    assert bodies["layer"] == []  # every node of the layer sits in one of its neurons
    layer_start, layer_end = source.index("label=layer"), source.rindex("\t}")
    assert layer_start < source.index('label="neuron 0"') < layer_end
    assert layer_start < source.index('label="neuron 1"') < layer_end


@needs_graphviz
def test_a_cluster_label_keeps_newlines_backslashes_and_quotes() -> None:
    x = Value(1.0, label="x")
    source = draw_dot(x * 2, clusters={'two\nlines \\ "q"': [x]}).source
    assert 'label="two\\nlines \\\\ \\"q\\""' in source


@needs_graphviz
@pytest.mark.parametrize(("clusters", "error", "message"), [
    ({"c": []}, ValueError, "cluster 'c' is empty"),
    ({"c": [Value(7.0)]}, ValueError, r"cluster 'c' holds Value\(data=7.0, grad=0.0\), which the drawn Value"),
    ({"c": [1.0]}, TypeError, "cluster 'c' holds a float, not a Value"),
    ({"a": "AB", "b": "AB"}, ValueError, "clusters 'a' and 'b' hold the same Values"),
    ({"a": "AB", "b": "BC"}, ValueError, "clusters 'a' and 'b' share some Values, and neither holds the other"),
])
def test_clusters_that_cannot_be_drawn_are_named(clusters: dict[str, object], error: type[Exception],
                                                 message: str) -> None:
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    by_letter = {"A": a, "B": b, "C": c}
    clusters = {k: [by_letter[ch] for ch in v] if isinstance(v, str) else v for k, v in clusters.items()}
    with pytest.raises(error, match=message):
        draw_dot(a * b + c, clusters=clusters)  # type: ignore[arg-type]


@needs_graphviz
@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_numbered_records_follow_the_topological_order(rankdir: str) -> None:
    _, _, loss = labelled_neuron()
    records, _, edges = parse(draw_dot(loss, rankdir, numbered=True).source)
    number = {name: int(label.strip("{ ").split(" | ")[0].removeprefix("#")) for name, label in records.items()}
    order = loss.topological_order()
    assert sorted(number.values()) == list(range(1, len(order) + 1))
    assert [records[n].split(" | ")[1] for n in sorted(number, key=number.get)] == [v.label for v in order]
    for src, dst in edges:  # every Value is numbered after the Values its operation read
        if dst.endswith("op"):
            assert number[src] < number[dst[:-2]]
    assert all(" | " not in label or label.startswith("{ #") for label in records.values())


@needs_graphviz
def test_unnumbered_records_have_no_number() -> None:
    records, _, _ = parse(draw_dot(labelled_neuron()[2]).source)
    assert not any("#" in label for label in records.values())


def edge_styles(dot_source: str) -> dict[tuple[str, str], str]:
    """(tail, head) -> the attributes of draw_dot's edge, as written in the source."""
    return {(m[1], m[2]): m[3] for m in re.finditer(r"\t(\w+) -> (\w+)(?: \[(.*)\])?", dot_source)}


@needs_graphviz
def test_grad_flow_draws_each_edge_as_wide_as_its_gradient() -> None:
    a, b = Value(3.0, label="a"), Value(-0.5, label="b")
    c = a * b  # grads: c 1, a -0.5, b 3 (the largest)
    c.label = "c"
    c.backward()
    source = draw_dot(c, grad_flow=True).source
    names, styles = record_names(source), edge_styles(source)
    op = names["c"] + "op"
    assert styles[(names["b"], op)] == "arrowsize=1.00 penwidth=5.00"  # |3| of 3: the widest
    assert styles[(names["a"], op)] == f"arrowsize={0.6 + 0.4 / 6:.2f} penwidth={0.75 + 4.25 / 6:.2f}"
    assert styles[(op, names["c"])] == f"arrowsize={0.6 + 0.4 / 3:.2f} penwidth={0.75 + 4.25 / 3:.2f}"
    assert set(edge_styles(draw_dot(c).source).values()) == {None}  # no widths unless asked


@needs_graphviz
@pytest.mark.parametrize(("grad", "style"), [
    (0.0, "penwidth=0.75 style=dashed"),
    (float("nan"), "penwidth=0.75 style=dotted"),
    (float("inf"), "arrowsize=1.00 penwidth=5.00"),
    (-float("inf"), "arrowsize=1.00 penwidth=5.00"),
])
def test_grad_flow_marks_zero_nan_and_infinite_gradients(grad: float, style: str) -> None:
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a + b
    c.label = "c"
    a.grad, b.grad, c.grad = grad, 4.0, 2.0
    source = draw_dot(c, grad_flow=True).source
    names, styles = record_names(source), edge_styles(source)
    assert styles[(names["a"], names["c"] + "op")] == style
    assert styles[(names["b"], names["c"] + "op")] == "arrowsize=1.00 penwidth=5.00"  # 4 is the widest finite


@needs_graphviz
def test_grad_flow_before_backward_dashes_every_edge() -> None:
    source = draw_dot(Value(1.0) * Value(2.0), grad_flow=True).source
    assert set(edge_styles(source).values()) == {"penwidth=0.75 style=dashed"}


# ---- an MLP's architecture ----

def mlp_parts(dot_source: str) -> tuple[list[list[str]], list[str], list[tuple[str, str, str | None]]]:
    """draw_mlp's layers (their circles' labels), their titles, and its visible edges (tail, head, attributes)."""
    layers, titles, edges = [], [], []
    for block in dot_source.split("subgraph ")[1:]:
        titles.append(re.search(r'title\d+ \[label=("[^"]*"|\S+)', block)[1].strip('"'))
        layers.append([m[1].strip('"') for m in re.finditer(r'\t\t(?:in|n)\w+ \[label=("[^"]*"|\S+)\]', block)])
    for m in re.finditer(r"\t(\w+) -> (\w+)(?: \[(.*)\])?", dot_source):
        if "invis" not in (m[3] or ""):
            edges.append((m[1], m[2], m[3]))
    return layers, titles, edges


@needs_graphviz
def test_draw_mlp_draws_every_neuron_and_every_connection() -> None:
    model = MLP(3, [4, 4, 1], activation="tanh", rng=random.Random(0))
    layers, titles, edges = mlp_parts(draw_mlp(model).source)
    assert layers == [["x1", "x2", "x3"], [""] * 4, [""] * 4, ["y"]]
    assert titles == ["inputs", "hidden\\nlayer 1\\n4 tanh", "hidden\\nlayer 2\\n4 tanh", "output\\nlayer\\n1 linear"]
    assert len(edges) == 3 * 4 + 4 * 4 + 4 * 1 == len(set(edges))
    heads = {head for _, head, _ in edges}
    for tail, head, _ in edges:  # each layer's nodes all feed each neuron of the next
        assert int(head[1]) == (0 if tail.startswith("in") else int(tail[1]) + 1)
    assert len(heads) == 4 + 4 + 1


@needs_graphviz
def test_draw_mlp_names_its_outputs_and_relu() -> None:
    layers, titles, _ = mlp_parts(draw_mlp(MLP(2, [3, 2], rng=random.Random(0))).source)
    assert layers[-1] == ["y1", "y2"]
    assert titles[1:] == ["hidden\\nlayer 1\\n3 ReLU", "output\\nlayer\\n2 linear"]


@needs_graphviz
def test_draw_mlp_weights_are_widths_and_negative_ones_dashed() -> None:
    model = MLP(2, [2, 1], rng=random.Random(0))
    weights = [w.data for layer in model.layers for n in layer.neurons for w in n.w]
    _, _, edges = mlp_parts(draw_mlp(model, weights=True).source)
    largest = max(map(abs, weights))
    assert [attributes for _, _, attributes in edges] == [
        f"penwidth={0.75 + 3.25 * abs(w) / largest:.2f}" + (" style=dashed" if w < 0 else "") for w in weights]
    assert any(w < 0 for w in weights) and any(w > 0 for w in weights)
    assert all(attributes is None for _, _, attributes in mlp_parts(draw_mlp(model).source)[2])


@needs_graphviz
@needs_renderer
def test_draw_mlp_renders_circles_in_layers() -> None:
    """In the SVG: 3 + 4 + 4 + 1 circles, each layer in one column (left to right) or one row (top to bottom)."""
    model = MLP(3, [4, 4, 1], rng=random.Random(0))
    for rankdir, axis in (("LR", "cx"), ("TB", "cy")):
        svg = ET.fromstring(render_svg(draw_mlp(model, rankdir)))
        circles = [e for e in svg.iter(f"{SVG}ellipse")]
        assert len(circles) == 12
        positions = sorted({round(float(e.get(axis))) for e in circles})
        assert len(positions) == 4  # one per layer
        assert [sum(round(float(e.get(axis))) == p for e in circles) for p in positions] == [3, 4, 4, 1]
        edges = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "edge"]
        assert len(edges) == 32  # the invisible edges that order each layer are not drawn


def test_draw_mlp_needs_an_mlp() -> None:
    with pytest.raises(TypeError, match="draw_mlp needs an MLP, got Neuron"):
        draw_mlp(Neuron(2))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rankdir must be one of"):
        draw_mlp(MLP(2, [1]), rankdir="down")


# ---- the diagram object: renders, pipes, saves and shows itself with no system Graphviz ----

SYSTEM_DOT = shutil.which("dot")


@pytest.fixture(params=["pygraphviz, no dot on PATH", "dot alone", "plugged renderer, neither"])
def backend(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each way a diagram can be rendered, the others taken away; the working directory is an empty folder."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    if request.param == "pygraphviz, no dot on PATH":
        if not HAS_PYGRAPHVIZ:
            pytest.skip("pygraphviz is not installed (the [draw] extra)")
        monkeypatch.setenv("PATH", str(empty))
    elif request.param == "dot alone":
        if SYSTEM_DOT is None:
            pytest.skip("no system Graphviz (dot) on PATH; .ci/run installs Debian's graphviz so CI runs this")
        monkeypatch.setitem(sys.modules, "pygraphviz", None)  # as if it were not installed
        monkeypatch.setenv("PATH", str(Path(SYSTEM_DOT).parent))
    else:
        monkeypatch.setitem(sys.modules, "pygraphviz", None)
        monkeypatch.setenv("PATH", str(empty))
        use_renderer(lambda source: f'<svg xmlns="http://www.w3.org/2000/svg"><text>{len(source)}</text></svg>')
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    try:
        yield request.param
    finally:
        use_renderer(None)


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@needs_graphviz
def test_a_diagram_pipes_and_shows_its_svg(backend: str) -> None:
    dot = draw_dot(Value(2.0, label="x") * 3)
    svg = dot.pipe(format="svg", encoding="utf-8")
    assert ET.fromstring(svg).tag == f"{SVG}svg"
    assert (">data 6.0000<" in svg) != (backend == "plugged renderer, neither")
    assert dot.pipe() == svg.encode()  # SVG is the diagram's format
    assert dot._repr_image_svg_xml() == dot._repr_svg_() == render_svg(dot) == svg
    assert dot._repr_mimebundle_() == {"image/svg+xml": svg}
    assert files_under(Path.cwd()) == []


@needs_graphviz
def test_a_diagram_renders_one_file_and_no_source_beside_it(backend: str) -> None:
    dot = draw_dot(Value(2.0, label="x") * 3)
    assert dot.render() == "graph.svg"
    assert Path("graph.svg").read_text() == render_svg(dot)
    assert dot.render("pictures/x", format="svg") == os.path.join("pictures", "x.svg")
    assert dot.render("y", directory="pictures") == os.path.join("pictures", "y.svg")
    assert files_under(Path.cwd()) == ["graph.svg", "pictures/x.svg", "pictures/y.svg"]
    with pytest.raises(FileExistsError, match=r"graph\.svg is already there"):
        dot.render(raise_if_result_exists=True)


@needs_graphviz
def test_a_diagram_renders_other_formats_with_graphviz(backend: str) -> None:
    dot = draw_dot(Value(2.0, label="x") * 3)
    if backend == "plugged renderer, neither":
        with pytest.raises(ImportError, match=r"rendering png needs pygraphviz .* or Graphviz's dot executable"):
            dot.render(format="png")
        assert files_under(Path.cwd()) == []
        return
    assert dot.render(format="png") == "graph.png"
    assert Path("graph.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert dot.render(outfile="out.pdf") == "out.pdf"  # the format from the suffix
    assert Path("out.pdf").read_bytes().startswith(b"%PDF")
    assert dot._repr_mimebundle_(include=["image/png"])["image/png"].startswith(b"\x89PNG")
    assert files_under(Path.cwd()) == ["graph.png", "out.pdf"]


@needs_graphviz
def test_a_diagram_views_itself_from_a_temporary_folder(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import graphviz

    opened: list[Path] = []
    monkeypatch.setattr(graphviz, "view", lambda path, quiet=False: opened.append(Path(path)))
    dot = draw_dot(Value(2.0, label="x") * 3)
    path = Path(dot.view())
    assert opened == [path] and path.name == "graph.svg"
    assert path.read_text() == render_svg(dot)
    assert Path.cwd() not in path.parents and files_under(Path.cwd()) == []
    assert dot.view("here") == "here.svg" and opened[-1] == Path("here.svg")
    assert files_under(Path.cwd()) == ["here.svg"]


@needs_graphviz
def test_a_diagrams_repr_says_what_it_is_and_how_to_see_it() -> None:
    y = Value(2.0, label="x") * 3
    text = repr(draw_dot(y))
    assert text.startswith("<draw_dot diagram of Value(data=6.0, grad=0.0): 3 Values and 1 operation")
    assert 'd.render("graph") writes graph.svg' in text and "d.view()" in text and "Jupyter" in text
    assert "5 Values and 2 operations" in repr(draw_dot(y + 1))  # x, 3, x*3, 1 and the sum
    assert repr(draw_mlp(MLP(3, [4, 4, 1]))).startswith("<draw_mlp diagram of an MLP with layers of 3 -> 4 -> 4 -> 1")


@needs_graphviz
def test_a_diagram_in_a_plain_repl_without_dot(tmp_path: Path) -> None:
    """What a learner sees typing `draw_dot(y)` into python3 with no system Graphviz: the repr, no traceback."""
    env = {**os.environ, "PATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-i", "-q"], input="from micrograd import Value, draw_dot\n"
                            "draw_dot(Value(2.0) * 3)\n", capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "<draw_dot diagram of Value(data=6.0, grad=0.0)" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


# ---- escaping of newlines and spaces ----

@needs_graphviz
@needs_renderer
def test_a_newline_in_a_label_is_a_line_break_in_its_field() -> None:
    (texts, separators), = _node_texts(render_svg(draw_dot(Value(0.5, label="two\nlines")))).values()
    assert texts == ["two", "lines", "data 0.5000", "grad 0.0000"] and separators == 2


@needs_graphviz
@needs_renderer
def test_spaces_inside_a_label_are_kept() -> None:
    svg = ET.fromstring(render_svg(draw_dot(Value(0.5, label="a  b   c"))))
    texts = [(t.text or "").replace("\xa0", " ") for t in svg.iter(f"{SVG}text")]
    assert "a  b   c" in [t.strip() for t in texts]


@needs_graphviz
def test_options_of_the_dot_executable_go_to_graphviz_as_they_are(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """renderer=, formatter= and neato_no_op= exist only as dot's command-line options: graphviz runs dot."""
    import graphviz

    dot = draw_dot(Value(1.0, label="x"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(graphviz.ExecutableNotFound):
        dot.pipe(format="png", renderer="cairo")
    with pytest.raises(graphviz.ExecutableNotFound):
        dot.render(format="png", renderer="cairo")
    if SYSTEM_DOT is not None:
        monkeypatch.setenv("PATH", str(Path(SYSTEM_DOT).parent))
        assert dot.pipe(format="png", renderer="cairo").startswith(b"\x89PNG")


# ---- errors ----

def test_draw_dot_names_a_wrong_argument_type() -> None:
    with pytest.raises(TypeError, match="float"):
        draw_dot(1.0)  # type: ignore[arg-type]


@needs_graphviz
@needs_pygraphviz
def test_view_without_a_viewer_says_where_the_file_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot, and no xdg-open either
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RuntimeError, match=r"here\.svg is written, but no viewer could open it \(.+\)"):
        draw_dot(Value(1.0)).view("here")
    assert Path("here.svg").read_text().startswith("<?xml")


@needs_graphviz
def test_an_operation_without_a_name_is_an_empty_oval() -> None:
    """A lecture-style Value(data, children) with no op name: its oval is drawn blank, not named v2op."""
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = Value(3.0, (a, b), label="c", _local=(1.0, 1.0))
    dot = draw_dot(c)
    _, ops, _ = parse(dot.source)
    assert list(ops.values()) == [""]  # label="", parse() strips the quotes
    assert "1 operation" in repr(dot)


def test_dot_without_the_graphviz_package_gives_an_import_error_naming_the_extra(tmp_path: Path) -> None:
    (tmp_path / "dot").write_text("#!/bin/sh\nexit 1\n")
    (tmp_path / "dot").chmod(0o755)
    result = run_python("""
        import sys
        sys.modules["graphviz"] = sys.modules["pygraphviz"] = None  # a dot executable, neither package
        from micrograd import render_svg
        try:
            render_svg("digraph { a }")
        except ImportError as e:
            print(e)
    """, path=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert '"graphviz" package' in result.stdout and f"{_distribution()}[draw]" in result.stdout
