"""Drawing with Graphviz: `draw_dot` a Value's graph, `draw_mlp` an MLP's architecture, `render_svg` the SVG.

`draw_dot` can box a neuron's or a layer's nodes (`clusters`, with `nodes_between`), number
the nodes in topological order (`numbered`) and draw each edge as wide as its gradient
(`grad_flow`), in any reading direction (`rankdir`). Both pictures use widths and dashes, not
colours, so they read the same on a light and a dark page.

Only this module needs Graphviz, and only when called: `pip install "micrograd-spelled-out[draw]"`
brings the `graphviz` package (to build DOT) and `pygraphviz` (whose wheels bundle the
Graphviz libraries, so no system Graphviz is needed to render).

Rendering goes to the first of these that is there:

1. a renderer plugged in with `use_renderer` (for example a WebAssembly Graphviz in the browser);
2. pygraphviz, which renders in-process with the Graphviz its wheel bundles;
3. Graphviz's `dot` executable on PATH, through the `graphviz` package.

The diagrams `draw_dot` and `draw_mlp` return are graphviz Digraphs whose `pipe`, `render`,
`view` and Jupyter display use that same order, so none of them needs a `dot` executable, and
`render` writes the rendered file only (no DOT source beside it).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from micrograd import _diagram
from micrograd.engine import Value

if TYPE_CHECKING:
    import graphviz

    from micrograd.nn import MLP

RANKDIRS = ("LR", "TB", "RL", "BT")
_ACTIVATION_NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear"}
_RECORD_SPECIALS = re.compile(r'([|{}<>"\\ ])')


def _escape_record(text: str) -> str:
    """Escape what a Graphviz record label treats as structure (`| { } < > "`, backslash)."""
    # spaces too: a leading or trailing space would otherwise be trimmed from a record field
    return _RECORD_SPECIALS.sub(r"\\\1", text).replace("\n", r"\n")


def draw_dot(root: Value, rankdir: str = "LR", *, clusters: Mapping[str, Iterable[Value]] | None = None,
             numbered: bool = False, grad_flow: bool = False) -> graphviz.Digraph:
    """The graph that computed `root`: a record (label | data | grad) per Value, a node per operation.

    Args:
        root: the Value whose graph is drawn, with every Value it was computed from.
        rankdir: the direction the graph reads in, inputs first: "LR" (left to right), "TB"
            (top to bottom), "RL" or "BT".
        clusters: label -> Values to draw inside a box with that label, each with its operation
            node. A cluster whose Values all lie in a larger cluster is drawn inside it, so a
            layer's box can hold its neurons' boxes. `nodes_between` gives a neuron's or a
            layer's Values.
        numbered: start each record with the Value's place in `root.topological_order()`, #1
            first: every Value is numbered after all the Values it was computed from, and
            `backward()` visits them from the highest number down.
        grad_flow: draw each edge as wide as the |grad| of the Value it leaves (the Value an
            operation reads, or the one it makes), from 0.75 pt for no gradient to 5 pt for the
            largest finite |grad| in the graph (an infinite one is 5 pt too). An edge whose
            gradient is 0 is dashed, NaN dotted. Widths and dashes, no colours: the picture reads
            the same on a light and a dark page.

    Returns:
        A graphviz.Digraph that renders without a system Graphviz, as the module's notes say.
        Jupyter shows it, `render_svg` gives its SVG, `render()` writes a file, `view()` opens it.

    Raises:
        TypeError: `root` or a cluster's member is not a Value.
        ValueError: an unknown rankdir; a cluster that is empty, holds a Value `root` was not
            computed from, holds the same Values as another, or shares some but not all of its
            Values with another.
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_dot needs a Value, got {type(root).__name__}")
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    dot = _diagram.diagram_class()(format="svg", graph_attr={"rankdir": rankdir})
    nodes = root.topological_order()
    # names from the graph's order, not id(): the same graph always gives the same DOT source
    name = {id(v): f"v{i}" for i, v in enumerate(nodes)}
    boxes, home, parent = _cluster_boxes(clusters or {}, name)
    widest = max((abs(v.grad) for v in nodes if math.isfinite(v.grad)), default=0.0)
    for i, v in enumerate(nodes):
        fields = [f"#{i + 1}"] if numbered else []
        fields += [_escape_record(v.label), f"data {v.data:.4f}", f"grad {v.grad:.4f}"]
        box = boxes[home[name[id(v)]]] if name[id(v)] in home else dot
        box.node(name[id(v)], label=f"{{ {' | '.join(fields)} }}", shape="record")
        if v._op or v._prev:  # an operation made without a name still gets its (empty) oval
            box.node(name[id(v)] + "op", label=v._op)
            dot.edge(name[id(v)] + "op", name[id(v)], **_flow_style(v.grad, widest) if grad_flow else {})
        for child in v._prev:
            dot.edge(name[id(child)], name[id(v)] + "op", **_flow_style(child.grad, widest) if grad_flow else {})
    _nest(dot, boxes, parent)
    operations = sum(bool(v._op or v._prev) for v in nodes)
    dot.description = (f"draw_dot diagram of {root!r}: {len(nodes)} Value{'s' * (len(nodes) != 1)} and "
                       f"{operations} operation{'s' * (operations != 1)}")
    return dot


def nodes_between(inputs: Iterable[Value], outputs: Value | Iterable[Value]) -> list[Value]:
    """The Values computed on the way from `inputs` to `outputs`: what a neuron or a layer adds to a graph.

    That is every Value `outputs` were computed from, themselves included, except `inputs` and
    the Values `inputs` were computed from; for `y = neuron(x)` it is the neuron's weights and
    bias, its sum and its activation. Give it to `draw_dot(..., clusters=...)` to box them.

    Args:
        inputs: the Values fed in (numbers fed in are constants the outputs hold as their own).
        outputs: the Value or Values that came out.

    Returns:
        Those Values in topological order (each after the Values it was computed from).

    Raises:
        TypeError: an input or an output is not a Value.
    """
    ins, outs = list(inputs), [outputs] if isinstance(outputs, Value) else list(outputs)
    for v in [*ins, *outs]:
        if not isinstance(v, Value):
            raise TypeError(f"nodes_between needs Values, got {type(v).__name__}")
    seen = {v for x in ins for v in x.topological_order()}
    between = []
    for out in outs:  # each output's order, less what is already placed: still inputs before results
        for v in out.topological_order():
            if v not in seen:
                seen.add(v)
                between.append(v)
    return between


def draw_mlp(model: MLP, rankdir: str = "LR", *, weights: bool = False) -> graphviz.Digraph:
    """An MLP's architecture: its inputs and neurons as circles in layers, every connection drawn.

    Each layer is a column of circles (a row when `rankdir` is "TB") titled with its size and
    activation; an arrow goes from every input of a layer to each of its neurons, so
    `MLP(3, [4, 4, 1])` has `3*4 + 4*4 + 4*1 = 32` arrows. The outputs are labelled y (y1, y2, ...
    for several) and the inputs x1, x2, ...

    Args:
        model: the MLP to draw.
        rankdir: the direction the layers follow each other in: "LR", "TB", "RL" or "BT".
        weights: draw each connection as wide as its weight's |w|, from 0.75 pt (w = 0) to 4 pt
            (the largest |w|), dashed where the weight is negative. No colours, so it reads the
            same on a light and a dark page.

    Returns:
        A graphviz.Digraph that renders without a system Graphviz, as `draw_dot`'s does.

    Raises:
        TypeError: `model` is not an MLP.
        ValueError: an unknown rankdir.
    """
    from micrograd.nn import MLP  # here, not at the top: nn is what draws on this module's users

    if not isinstance(model, MLP):
        raise TypeError(f"draw_mlp needs an MLP, got {type(model).__name__}")
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    import graphviz

    dot = _diagram.diagram_class()(format="svg", graph_attr={"rankdir": rankdir, "splines": "line", "nodesep": "0.15",
                                                     "ranksep": "0.8"},
                           node_attr={"shape": "circle", "width": "0.45", "fixedsize": "true", "label": ""},
                           edge_attr={"arrowsize": "0.5"})
    sizes = [len(model.layers[0].neurons[0].w), *(len(layer.neurons) for layer in model.layers)]
    largest = max(abs(w.data) for layer in model.layers for n in layer.neurons for w in n.w) or 1.0
    columns = [("inputs", [f"in{k}" for k in range(sizes[0])], [f"x{k + 1}" for k in range(sizes[0])])]
    for i, layer in enumerate(model.layers):
        activation = layer.neurons[0].activation
        names = [f"n{i}_{j}" for j in range(len(layer.neurons))]
        if i < len(model.layers) - 1:
            title, labels = f"hidden\nlayer {i + 1}", [""] * len(names)
        else:
            title, labels = "output\nlayer", ["y"] if len(names) == 1 else [f"y{j + 1}" for j in range(len(names))]
        columns.append((f"{title}\n{len(names)} {_ACTIVATION_NAMES.get(activation, activation)}", names, labels))
    for c, (title, names, labels) in enumerate(columns):
        # a layer is one rank, its title first and its circles in order: invisible edges fix the order
        column = graphviz.Digraph(name=f"layer{c}", graph_attr={"rank": "same"})
        column.node(f"title{c}", label=_escape_label(title), shape="plaintext", fixedsize="false", fontsize="12")
        for name, label in zip(names, labels):
            column.node(name, label=label)
        for a, b in itertools.pairwise([f"title{c}", *names]):
            column.edge(a, b, style="invis")
        dot.subgraph(column)
    for (_, sources, _), (_, names, _), layer in zip(columns, columns[1:], model.layers):
        for name, neuron in zip(names, layer.neurons):
            for source, w in zip(sources, neuron.w):
                dot.edge(source, name, **_weight_style(w.data, largest) if weights else {})
    dot.description = f"draw_mlp diagram of an MLP with layers of {' -> '.join(map(str, sizes))}"
    return dot


def _weight_style(w: float, largest: float) -> dict[str, str]:
    """A connection's width for weight `w`, where the largest |weight| is `largest`; dashed if negative."""
    style = {"penwidth": f"{0.75 + 3.25 * min(abs(w) / largest, 1.0):.2f}"}
    return {**style, "style": "dashed"} if w < 0 else style


def _cluster_boxes(clusters: Mapping[str, Iterable[Value]],
                   name: dict[int, str]) -> tuple[list[graphviz.Digraph], dict[str, int], list[int | None]]:
    """Per cluster an empty subgraph and the cluster it nests in; per node name, the smallest cluster holding it."""
    import graphviz

    members: list[frozenset[str]] = []
    for label, values in clusters.items():
        held = set()
        for v in values:
            if not isinstance(v, Value):
                raise TypeError(f"cluster {label!r} holds a {type(v).__name__}, not a Value")
            if id(v) not in name:
                raise ValueError(f"cluster {label!r} holds {v!r}, which the drawn Value was not computed from")
            held.add(name[id(v)])
        if not held:
            raise ValueError(f"cluster {label!r} is empty")
        members.append(frozenset(held))
    labels = list(clusters)
    for i, j in itertools.combinations(range(len(members)), 2):
        a, b = members[i], members[j]
        if a == b:
            raise ValueError(f"clusters {labels[i]!r} and {labels[j]!r} hold the same Values")
        if a & b and not (a < b or b < a):
            raise ValueError(f"clusters {labels[i]!r} and {labels[j]!r} share some Values, and neither holds the other")
    by_size = sorted(range(len(members)), key=lambda i: -len(members[i]))
    home: dict[str, int] = {}
    for i in by_size:  # largest first, so the smallest cluster holding a node claims it last
        home.update(dict.fromkeys(members[i], i))
    parent = [min((j for j in range(len(members)) if members[i] < members[j]), key=lambda j: len(members[j]),
                  default=None) for i in range(len(members))]
    boxes = []
    for i, label in enumerate(labels):
        box = graphviz.Digraph(name=f"cluster_{i}")
        box.attr(label=_escape_label(label), style="rounded,dashed", labeljust="l", fontsize="12")
        boxes.append(box)
    return boxes, home, parent


def _nest(graph: graphviz.Digraph, boxes: list[graphviz.Digraph], parent: list[int | None],
          outer: int | None = None) -> None:
    """Add each cluster whose parent is `outer` to `graph`, after nesting its own clusters in it."""
    for i, box in enumerate(boxes):
        if parent[i] == outer:
            _nest(box, boxes, parent, i)
            graph.subgraph(box)  # copies the box's statements: it must be complete by now


def _flow_style(grad: float, widest: float) -> dict[str, str]:
    """An edge's width (and dashes) for a gradient of `grad` where the largest finite |grad| is `widest`."""
    if math.isnan(grad):
        return {"penwidth": "0.75", "style": "dotted"}
    if grad == 0:
        return {"penwidth": "0.75", "style": "dashed"}
    share = 1.0 if math.isinf(grad) or widest == 0 else abs(grad) / widest
    return {"penwidth": f"{0.75 + 4.25 * share:.2f}", "arrowsize": f"{0.6 + 0.4 * share:.2f}"}


def _escape_label(text: str) -> str:
    """A plain label as Graphviz shows it: backslashes kept, newlines as line breaks (graphviz quotes the rest)."""
    return text.replace("\\", "\\\\").replace("\n", "\\n")


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
    _diagram.plugged.render = render


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
    return _diagram.render(graph if isinstance(graph, str) else graph.source, "svg", "dot").decode()


def graphviz_version() -> str:
    """The version of the Graphviz that `render_svg` uses (part of a diagram cache key)."""
    match = re.search(r"Generated by graphviz version ([^\s]+)", render_svg("digraph {}"))
    return match.group(1) if match else "unknown"
