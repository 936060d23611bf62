"""The nn library beyond 0.1.0: activations, seeded weights, one-neuron hidden layers, reprs."""

from __future__ import annotations

import math
import random
import statistics

import numpy as np
import pytest

from micrograd import MLP, Layer, Module, Neuron, Value

ACTIVATION_MATH = {
    "relu": lambda z: max(z, 0.0),
    "tanh": math.tanh,
    "sigmoid": lambda z: 1 / (1 + math.exp(-z)),
    "linear": lambda z: z,
}


def plain_forward(model: MLP, x: list[float]) -> list[float]:
    """The MLP's math on floats, layer by layer: $\\phi(b + \\sum_i w_i x_i)$ with each neuron's own $\\phi$."""
    for layer in model.layers:
        x = [ACTIVATION_MATH[n.activation](n.b.data + sum(w.data * xi for w, xi in zip(n.w, x))) for n in layer.neurons]
    return x


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
    # the output is tanh of tanh of tanh, not merely some number in (-1, 1)
    assert model([2.0, 3.0, -1.0]).data == pytest.approx(plain_forward(model, [2.0, 3.0, -1.0])[0], rel=1e-14)


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


def test_zero_grad_sets_every_parameters_grad_to_zero() -> None:
    model = MLP(2, [3, 1], rng=random.Random(0))
    for p in model.parameters():
        p.grad = 0.5
    model.zero_grad()
    assert [p.grad for p in model.parameters()] == [0.0] * 13
    assert all(type(p.grad) is float for p in model.parameters())


def test_nonlin_is_relu_by_default_and_linear_when_false_as_in_0_1_0() -> None:
    assert (repr(Neuron(2)), Neuron(2).nonlin) == ("ReLUNeuron(2)", True)
    assert (repr(Neuron(2, nonlin=False)), Neuron(2, nonlin=False).nonlin) == ("LinearNeuron(2)", False)
    assert (Neuron(2, activation="tanh").nonlin, Neuron(2, activation="linear").nonlin) == (True, False)
    assert {repr(n) for n in Layer(2, 3).neurons} == {"ReLUNeuron(2)"}
    assert {repr(n) for n in Layer(2, 3, nonlin=False).neurons} == {"LinearNeuron(2)"}
    assert {repr(n) for n in Layer(2, 3, False).neurons} == {"LinearNeuron(2)"}  # positional, as 0.1.0 passes it


def test_weights_are_uniform_in_minus_one_to_one_and_the_bias_is_zero() -> None:
    neurons = [Neuron(100, rng=random.Random(k)) for k in range(10)]
    weights = [w.data for n in neurons for w in n.w]
    assert -1 < min(weights) < -0.99 and 0.99 < max(weights) < 1  # 1000 draws reach both ends, never past them
    assert abs(statistics.fmean(weights)) < 0.06  # centred on 0 (the sd of the mean of 1000 draws is 0.018)
    assert all(n.b.data == 0.0 for n in neurons)


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



@pytest.mark.parametrize(("activation", "output_activation"),
                         [("relu", "tanh"), ("tanh", "sigmoid"), ("sigmoid", "linear")])
def test_a_one_layer_mlp_uses_the_output_activation(activation: str, output_activation: str) -> None:
    """With one size in nouts the only layer is the output layer: `activation` does not apply to it."""
    model = MLP(2, [3], activation=activation, output_activation=output_activation, rng=random.Random(1))
    assert [n.activation for n in model.layers[0].neurons] == [output_activation] * 3
    x = [0.7, -1.3]
    assert [o.data for o in model(x)] == pytest.approx(plain_forward(model, x), rel=1e-14)


def test_hidden_layers_use_activation_and_the_last_output_activation() -> None:
    model = MLP(3, [4, 2, 1], activation="tanh", output_activation="sigmoid", rng=random.Random(7))
    assert [{n.activation for n in layer.neurons} for layer in model.layers] == [{"tanh"}, {"tanh"}, {"sigmoid"}]
    x = [2.0, 3.0, -1.0]
    assert model(x).data == pytest.approx(plain_forward(model, x)[0], rel=1e-14)


# ---- numpy: sizes, inputs and rows of arrays (numpy is a test dependency only) ----

def test_sizes_may_be_numpy_integers() -> None:
    model = MLP(np.int64(3), np.array([4, 4, 1]), rng=random.Random(0))
    assert repr(model) == repr(MLP(3, [4, 4, 1]))
    same = MLP(3, [4, 4, 1], rng=random.Random(0))
    assert [p.data for p in model.parameters()] == [p.data for p in same.parameters()]
    assert all(type(len(n.w)) is int for layer in model.layers for n in layer.neurons)
    assert len(Layer(np.int32(2), np.uint8(3)).neurons) == 3
    assert len(Neuron(np.int16(5)).w) == 5


@pytest.mark.parametrize(("build", "message"), [
    (lambda: Neuron(np.float64(2.0)), r"nin must be a positive integer, got np\.float64\(2\.0\)"),
    (lambda: Neuron(np.bool_(True)), "nin must be a positive integer"),
    (lambda: MLP(2, np.array([3, 0])), r"nout must be a positive integer, got np\.int64\(0\)"),
    (lambda: MLP(2, np.int64(3)), "nouts must be a non-empty list of layer sizes"),
    (lambda: MLP(2, np.array([], dtype=int)), "nouts must be a non-empty list of layer sizes"),
], ids=["float size", "bool size", "zero in an array", "a scalar for nouts", "an empty array"])
def test_numpy_sizes_that_are_not_positive_integers_are_named(build, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


@pytest.mark.parametrize("row", [
    np.array([2.0, 3.0, -1.0]), np.array([2, 3, -1]), np.array([2.0, 3.0, -1.0], dtype=np.float32),
    [np.float64(2.0), np.int64(3), np.float32(-1.0)], np.array([[2.0, 3.0, -1.0]])[0],
], ids=["float64 array", "int64 array", "float32 array", "list of numpy scalars", "row of a 2-D array"])
def test_an_mlp_reads_a_numpy_row_as_it_reads_a_list(row) -> None:
    model = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(0))
    out = model(row)
    assert out.data == model([2.0, 3.0, -1.0]).data
    out.backward()
    assert all(type(p.grad) is float and p.grad != 0.0 for p in model.parameters())


@pytest.mark.parametrize("x", [np.float64(-2.5), np.float32(-2.5), np.int64(-2), -2.5, Value(-2.5)],
                         ids=["float64", "float32", "int64", "float", "Value"])
def test_a_one_input_neuron_takes_a_single_number(x) -> None:
    n = Neuron(1, activation="linear", rng=random.Random(0))
    assert n(x).data == pytest.approx(n.w[0].data * float(x.data if isinstance(x, Value) else x), rel=1e-7)
    assert n([x]).data == n(x).data


def test_a_2d_array_is_not_one_input() -> None:
    with pytest.raises(ValueError, match=r"takes 3 inputs, got 2; a model reads one sample at a time, not a 2-D array"):
        Neuron(3)(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"takes 3 inputs, got 4; a model reads one sample at a time"):
        MLP(3, [2, 1])([[1.0, 2.0, 3.0]] * 4)
    with pytest.raises(ValueError, match=r"takes 3 inputs, got 2$"):  # numbers: no word about batches
        Neuron(3)(np.zeros(2))
    with pytest.raises(TypeError, match="ndarray"):
        Neuron(3)(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"takes 3 inputs, got 1; a model reads one sample at a time"):
        Neuron(3)([[1.0, 2.0, 3.0]])  # one row in a list is still a batch
    with pytest.raises(ValueError, match=r"takes 3 inputs, got 0$"):
        Neuron(3)([])


@pytest.mark.parametrize(("build", "message"), [
    (lambda: Neuron(0), "nin must be a positive integer, got 0"),
    (lambda: Layer(2, 0), "nout must be a positive integer, got 0"),
    (lambda: MLP(0, [1]), "nin must be a positive integer, got 0"),
    (lambda: MLP(2, [3, -1]), "nout must be a positive integer, got -1"),
    (lambda: MLP(2, []), "nouts must be a non-empty list of layer sizes, got []"),
], ids=["Neuron(0)", "Layer(2, 0)", "MLP(0, [1])", "MLP(2, [3, -1])", "MLP(2, [])"])
def test_a_bad_size_is_named_in_full(build, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        build()
    assert str(raised.value) == message


def test_one_input_and_layers_of_one_are_sizes_like_any_other() -> None:
    model = MLP(1, [1, 2, 1], activation="linear", rng=random.Random(3))
    assert [len(layer.neurons) for layer in model.layers] == [1, 2, 1]
    assert model(0.5).data == pytest.approx(plain_forward(model, [0.5])[0], rel=1e-14)
