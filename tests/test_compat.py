"""Code written for micrograd 0.1.0 runs unchanged and gives the same numbers."""

from __future__ import annotations

import itertools
import random

import pytest

from micrograd.check import readme_expression, sanity_expression
from reference_engine import README_NUMBERS, ClosureValue


def test_imports_of_0_1_0() -> None:
    import micrograd
    from micrograd.engine import Value
    from micrograd.nn import MLP, Layer, Module, Neuron
    assert (micrograd.Value, micrograd.MLP, micrograd.Neuron, micrograd.Layer, micrograd.Module) == (
        Value, MLP, Neuron, Layer, Module)


def test_readme_example_gives_the_readme_numbers() -> None:
    from micrograd.engine import Value

    a, b = Value(-4.0), Value(2.0)
    g = readme_expression(a, b)
    g.backward()
    assert f"{g.data:.4f}" == f"{README_NUMBERS['g']:.4f}"
    assert f"{a.grad:.4f}" == f"{README_NUMBERS['dg/da']:.4f}"
    assert f"{b.grad:.4f}" == f"{README_NUMBERS['dg/db']:.4f}"


def test_sanity_check_gives_minus_20_and_46() -> None:
    from micrograd.engine import Value

    x = Value(-4.0)
    y = sanity_expression(x)
    y.backward()
    assert (y.data, x.grad) == (-20.0, 46.0)


def _weights_as_0_1_0_draws_them(nin: int, nouts: list[int], rng: random.Random) -> list[float]:
    """The parameters 0.1.0 makes: layer by layer, neuron by neuron, nin uniform(-1, 1) weights
    drawn in order, then a bias of 0 that draws nothing."""
    sizes = [nin, *nouts]
    params: list[float] = []
    for fan_in, width in itertools.pairwise(sizes):
        for _ in range(width):
            params += [rng.uniform(-1, 1) for _ in range(fan_in)]
            params.append(0.0)
    return params


@pytest.mark.parametrize(("nin", "nouts"), [(2, [16, 16, 1]), (3, [4, 4, 1]), (1, [1]), (2, [1, 1])])
def test_same_seed_same_weights_from_the_random_module(nin: int, nouts: list[int]) -> None:
    from micrograd.nn import MLP

    random.seed(1337)
    model = MLP(nin, nouts)
    after = random.random()
    random.seed(1337)
    expected = _weights_as_0_1_0_draws_them(nin, nouts, random)  # type: ignore[arg-type]
    assert [p.data for p in model.parameters()] == expected
    assert random.random() == after  # and it draws exactly as many numbers


def test_parameters_are_layer_by_layer_neuron_by_neuron_weights_then_bias() -> None:
    from micrograd.nn import MLP

    model = MLP(3, [4, 4, 1])
    expected = [p for layer in model.layers for n in layer.neurons for p in (*n.w, n.b)]
    assert [id(p) for p in model.parameters()] == [id(p) for p in expected]
    assert len(model.parameters()) == 41  # (3 + 1) * 4 + (4 + 1) * 4 + (4 + 1) * 1
    assert all(p.data == 0.0 for layer in model.layers for p in (n.b for n in layer.neurons))
    assert all(-1 <= w.data <= 1 for layer in model.layers for n in layer.neurons for w in n.w)


def test_neuron_nonlin_and_layer_kwargs() -> None:
    from micrograd.engine import Value
    from micrograd.nn import Layer, Neuron

    relu, linear = Neuron(2), Neuron(2, nonlin=False)
    for n in (relu, linear):
        n.w[0].data, n.w[1].data, n.b.data = -1.0, 0.5, 0.25
    x = [1.0, 0.5]  # w.x + b = -0.5
    assert (relu(x).data, linear(x).data) == (0.0, -0.5)
    assert (relu.nonlin, linear.nonlin) == (True, False)
    assert repr(Layer(2, 2, nonlin=False)) == "Layer of [LinearNeuron(2), LinearNeuron(2)]"
    single = Layer(2, 1)(x)
    assert type(single) is Value  # a bare Value for one neuron, not a list
    assert isinstance(Layer(2, 3)(x), list)


def test_reprs_in_the_0_1_0_format() -> None:
    from micrograd.engine import Value
    from micrograd.nn import MLP

    assert repr(Value(2.5)) == "Value(data=2.5, grad=0.0)"
    assert repr(MLP(2, [2, 1])) == "MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(2)]]"


def test_zero_grad_resets_every_parameter() -> None:
    from micrograd.nn import MLP

    model = MLP(2, [3, 1])
    model([0.5, -1.0]).backward()
    assert any(p.grad for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_mlp_forward_and_backward_match_a_0_1_0_style_engine() -> None:
    """ReLU hidden layers, a linear last layer, and the same float sums: the same numbers as
    0.1.0's closure-based graph, a sum per neuron starting from the bias."""
    from micrograd.nn import MLP

    model = MLP(3, [4, 4, 1], rng=random.Random(7))
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
    loss.backward()

    params = iter([ClosureValue(p.data) for p in model.parameters()])  # same order, same numbers
    layers = [[([next(params) for _ in n.w], next(params)) for n in layer.neurons] for layer in model.layers]

    def reference(x: list[float]) -> ClosureValue:
        out: list = x
        for i, layer in enumerate(layers):
            acts = [sum((wi * xi for wi, xi in zip(w, out)), b) for w, b in layer]
            out = acts if i == len(layers) - 1 else [a.relu() for a in acts]
        return out[0]

    diffs = [reference(x) + -y for x, y in zip(xs, ys)]
    ref_loss = sum((d * d for d in diffs), ClosureValue(0.0))
    ref_loss.backward()
    assert loss.data == pytest.approx(ref_loss.data, rel=1e-15)
    ref_grads = [p.grad for layer in layers for w, b in layer for p in (*w, b)]
    assert [p.grad for p in model.parameters()] == pytest.approx(ref_grads, rel=1e-12, abs=1e-15)
