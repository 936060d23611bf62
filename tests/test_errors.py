"""Bad input gets a clear, named error; extreme but valid input gets finite numbers."""

from __future__ import annotations

import math
import random

import pytest

from micrograd import (
    MLP,
    SGD,
    Layer,
    Neuron,
    Value,
    accuracy,
    check_gradients,
    draw_dot,
    fit,
    make_moons,
    max_margin,
    mse,
)


@pytest.mark.parametrize("data", ["x", None, [1.0], True, 1 + 2j], ids=["str", "None", "list", "bool", "complex"])
def test_value_of_a_non_number_is_a_type_error_naming_the_type(data: object) -> None:
    with pytest.raises(TypeError, match=type(data).__name__):
        Value(data)  # type: ignore[arg-type]


@pytest.mark.parametrize("spell", [
    lambda a, o: a + o, lambda a, o: o + a, lambda a, o: a - o, lambda a, o: o - a,
    lambda a, o: a * o, lambda a, o: o * a, lambda a, o: a / o, lambda a, o: o / a,
    lambda a, o: a**o, lambda a, o: o**a,
], ids=["a+o", "o+a", "a-o", "o-a", "a*o", "o*a", "a/o", "o/a", "a**o", "o**a"])
@pytest.mark.parametrize("other", ["2", None, [2.0], object()], ids=["str", "None", "list", "object"])
def test_an_operand_that_is_not_a_number_is_a_type_error(spell, other: object) -> None:
    with pytest.raises(TypeError):
        spell(Value(2.0), other)


@pytest.mark.parametrize("x", [0.0, -2.5])
def test_log_outside_its_domain_says_log_and_the_value(x: float) -> None:
    with pytest.raises(ValueError, match=rf"log.*{x}"):
        Value(x).log()


@pytest.mark.parametrize("spell", [
    lambda: Value(-8.0) ** (1 / 3),
    lambda: Value(-8.0) ** Value(0.5),
    lambda: (-8.0) ** Value(0.5),
], ids=["number exponent", "Value exponent", "reflected"])
def test_negative_base_with_a_non_integer_exponent_is_a_value_error(spell) -> None:
    with pytest.raises(ValueError, match="-8"):
        spell()


def test_negative_base_with_an_integer_exponent_is_fine() -> None:
    x = Value(-2.0)
    y = x**3
    y.backward()
    assert (y.data, x.grad) == (-8.0, 12.0)
    assert (Value(-2.0) ** Value(2.0)).data == 4.0


@pytest.mark.parametrize("spell", [
    lambda: Value(1.0) / 0,
    lambda: Value(1.0) / Value(0.0),
    lambda: 1 / Value(0.0),
    lambda: Value(0.0) ** -1,
], ids=["a/0", "a/Value(0)", "1/Value(0)", "0**-1"])
def test_division_by_zero_is_a_zero_division_error(spell) -> None:
    with pytest.raises(ZeroDivisionError):
        spell()


def test_exp_overflow_is_an_overflow_error_giving_the_value() -> None:
    with pytest.raises(OverflowError, match=r"exp\(1000"):
        Value(1000.0).exp()
    with pytest.raises(OverflowError, match="10"):
        Value(10.0) ** 400


@pytest.mark.parametrize("x", [1000.0, -1000.0])
@pytest.mark.parametrize("op", ["tanh", "sigmoid"])
def test_tanh_and_sigmoid_stay_finite_at_the_extremes(op: str, x: float) -> None:
    v = Value(x)
    out = getattr(v, op)()
    out.backward()
    expected = {("tanh", 1000.0): 1.0, ("tanh", -1000.0): -1.0,
                ("sigmoid", 1000.0): 1.0, ("sigmoid", -1000.0): 0.0}[op, x]
    assert out.data == expected
    assert math.isfinite(v.grad) and v.grad == 0.0


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


@pytest.mark.parametrize("loss", [mse, max_margin])
def test_losses_need_as_many_predictions_as_targets(loss) -> None:
    with pytest.raises(ValueError, match="got 2 and 3"):
        loss([Value(1.0), Value(-1.0)], [1.0, -1.0, 1.0])
    with pytest.raises(ValueError, match="got 0 and 0"):
        loss([], [])
    with pytest.raises(ValueError, match="got 2 and 1"):
        accuracy([1.0, -1.0], [1.0])


def test_max_margin_needs_labels_of_plus_or_minus_one() -> None:
    with pytest.raises(ValueError, match=r"-1 or \+1, got \[0\]"):
        max_margin([Value(0.3), Value(-0.2)], [1, 0])


def test_fit_rejects_an_unknown_loss_and_mismatched_data() -> None:
    model = MLP(2, [1], rng=random.Random(0))
    with pytest.raises(ValueError, match="'hinge'"):
        fit(model, [[1.0, 2.0]], [1.0], loss="hinge")
    with pytest.raises(ValueError, match="got 2 and 1"):
        fit(model, [[1.0, 2.0], [0.0, 1.0]], [1.0])
    with pytest.raises(ValueError, match="one output"):
        fit(MLP(2, [2], rng=random.Random(0)), [[1.0, 2.0]], [1.0], steps=1)


def test_sgd_needs_a_positive_learning_rate() -> None:
    with pytest.raises(ValueError, match="positive"):
        SGD([Value(1.0)], lr=0.0)


@pytest.mark.parametrize(("n", "noise", "message"), [(1, 0.1, "n must"), (2.5, 0.1, "n must"), (10, -0.1, "noise")])
def test_make_moons_rejects_bad_arguments(n: object, noise: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_moons(n, noise)  # type: ignore[arg-type]


def test_draw_dot_and_check_gradients_name_a_wrong_argument_type() -> None:
    with pytest.raises(TypeError, match="float"):
        draw_dot(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        check_gradients(lambda x: x.data, [1.0])  # type: ignore[arg-type, return-value]
