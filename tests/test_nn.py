"""The nn library beyond 0.1.0: activations, seeded weights, one-neuron hidden layers, reprs."""

from __future__ import annotations

import math
import random

import pytest

from micrograd import MLP, Layer, Module, Neuron, Value

ACTIVATION_MATH = {
    "relu": lambda z: max(z, 0.0),
    "tanh": math.tanh,
    "sigmoid": lambda z: 1 / (1 + math.exp(-z)),
    "linear": lambda z: z,
}


@pytest.mark.parametrize("activation", list(ACTIVATION_MATH))
def test_neuron_applies_its_activation_to_w_dot_x_plus_b(activation: str) -> None:
    n = Neuron(3, activation=activation, rng=random.Random(3))
    n.b.data = 0.1
    x = [0.5, -1.5, 2.0]
    z = n.b.data + sum(w.data * xi for w, xi in zip(n.w, x))
    assert n(x).data == pytest.approx(ACTIVATION_MATH[activation](z), rel=1e-14)


def test_activation_keyword_takes_precedence_over_nonlin() -> None:
    assert repr(Neuron(2, nonlin=False, activation="tanh")) == "TanhNeuron(2)"


def test_neuron_takes_values_numbers_or_a_bare_value() -> None:
    n = Neuron(2, activation="linear", rng=random.Random(0))
    x1 = Value(1.5)
    out = n([x1, -2.0])
    out.backward()
    assert x1.grad == n.w[0].data  # the input is part of the graph
    assert n.w[1].grad == -2.0 and n.b.grad == 1.0
    one = Neuron(1, activation="linear")
    assert one(Value(2.0)).data == pytest.approx(2.0 * one.w[0].data)


def test_lecture_network_is_tanh_throughout() -> None:
    model = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh")
    assert repr(model) == ("MLP of [Layer of [TanhNeuron(3), TanhNeuron(3), TanhNeuron(3), TanhNeuron(3)], "
                           "Layer of [TanhNeuron(4), TanhNeuron(4), TanhNeuron(4), TanhNeuron(4)], "
                           "Layer of [TanhNeuron(4)]]")
    assert -1 < model([2.0, 3.0, -1.0]).data < 1


def test_mlp_activation_and_output_activation_are_separate() -> None:
    model = MLP(2, [3, 2], activation="sigmoid", output_activation="relu")
    assert repr(model) == ("MLP of [Layer of [SigmoidNeuron(2), SigmoidNeuron(2), SigmoidNeuron(2)], "
                           "Layer of [ReLUNeuron(3), ReLUNeuron(3)]]")
    out = model([0.3, -0.7])
    assert isinstance(out, list) and len(out) == 2 and all(o.data >= 0 for o in out)


def test_rng_gives_reproducible_weights_and_leaves_the_random_module_alone() -> None:
    random.seed(5)
    untouched = random.random()
    random.seed(5)
    first = [p.data for p in MLP(2, [8, 1], rng=random.Random(42)).parameters()]
    assert random.random() == untouched
    second = [p.data for p in MLP(2, [8, 1], rng=random.Random(42)).parameters()]
    other = [p.data for p in MLP(2, [8, 1], rng=random.Random(43)).parameters()]
    assert first == second != other
    assert [p.data for p in Layer(2, 3, rng=random.Random(42)).parameters()] == first[:9]


def test_a_hidden_layer_of_one_neuron_works() -> None:
    """0.1.0 fails here: a one-neuron layer returns a bare Value, which the next layer must accept."""
    model = MLP(2, [1, 1], rng=random.Random(1))
    model.layers[0].neurons[0].b.data = 5.0  # keep the hidden ReLU active so gradients flow through it
    out = model([0.5, -0.5])
    assert type(out) is Value
    out.backward()
    assert len(model.parameters()) == 5
    assert all(p.grad != 0.0 for p in model.parameters())


def test_layer_and_mlp_parameters_and_counts() -> None:
    layer = Layer(3, 2)
    assert len(layer.parameters()) == 8
    assert len(MLP(3, [4, 4, 1]).parameters()) == 41
    assert len(MLP(2, [16, 16, 1]).parameters()) == 337


def test_module_has_no_parameters_by_default() -> None:
    module = Module()
    assert module.parameters() == []
    module.zero_grad()  # nothing to reset, and no error


def test_gradients_reach_every_weight_of_an_mlp() -> None:
    model = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(0))
    model([2.0, 3.0, -1.0]).backward()
    assert all(p.grad != 0.0 for p in model.parameters())


# ---- errors ----

def test_neuron_with_the_wrong_number_of_inputs() -> None:
    n = Neuron(3)
    with pytest.raises(ValueError, match=r"3 inputs, got 2"):
        n([1.0, 2.0])
    with pytest.raises(ValueError, match=r"3 inputs, got 1"):
        n(Value(1.0))  # a bare Value is one input
    with pytest.raises(ValueError, match="2 weights with 3 inputs"):
        Value.dot([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0], Value(0.0))


@pytest.mark.parametrize("build", [
    lambda: Neuron(2, activation="softmax"),
    lambda: Layer(2, 3, activation="softmax"),
    lambda: MLP(2, [3, 1], activation="softmax"),
    lambda: MLP(2, [3, 1], output_activation="softmax"),
], ids=["Neuron", "Layer", "MLP hidden", "MLP output"])
def test_unknown_activation_names_the_choices(build) -> None:
    with pytest.raises(ValueError, match=r"'softmax'.*'relu', 'tanh', 'sigmoid', 'linear'"):
        build()


@pytest.mark.parametrize(("build", "message"), [
    (lambda: Neuron(0), "nin"),
    (lambda: Neuron(2.5), "nin"),
    (lambda: Layer(2, 0), "nout"),
    (lambda: MLP(0, [1]), "nin"),
    (lambda: MLP(2, 3), "list of layer sizes"),
    (lambda: MLP(2, []), "list of layer sizes"),
    (lambda: MLP(2, [4, -1]), "nout"),
    (lambda: MLP(2, [True]), "nout"),
], ids=["Neuron(0)", "Neuron(2.5)", "Layer(2, 0)", "MLP(0, [1])", "MLP(2, 3)", "MLP(2, [])",
        "MLP(2, [4, -1])", "MLP(2, [True])"])
def test_bad_layer_sizes(build, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()
