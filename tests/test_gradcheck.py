"""The gradient check: central differences, and check_gradients finding a correct and a wrong backward."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from micrograd import (
    Value,
    assert_gradients_close,
    check_gradients,
)
from micrograd.gradcheck import central_difference

# ---- central differences ----

def test_central_difference_is_exact_for_a_quadratic() -> None:
    """For f = x^2 y + 3y the central difference has no h^2 error term in x, and none at all in y."""
    def f(p: list[float]) -> float:
        return p[0] * p[0] * p[1] + 3 * p[1]

    estimates = [central_difference(f, [1.5, -2.0], i, h=1e-3) for i in range(2)]
    assert estimates == pytest.approx([2 * 1.5 * -2.0, 1.5**2 + 3], rel=1e-9)


def test_central_difference_moves_only_input_i_by_plus_and_minus_h() -> None:
    calls: list[list[float]] = []

    def f(p: list[float]) -> float:
        calls.append(list(p))
        return math.sin(p[0]) * p[1]

    along_x = central_difference(f, [0.5, 2.0], 0, h=0.25)
    along_y = central_difference(f, [0.5, 2.0], 1, h=0.25)
    assert calls == [[0.75, 2.0], [0.25, 2.0], [0.5, 2.25], [0.5, 1.75]]
    assert along_x == (math.sin(0.75) * 2.0 - math.sin(0.25) * 2.0) / 0.5
    assert along_y == (math.sin(0.5) * 2.25 - math.sin(0.5) * 1.75) / 0.5
    # for sin, (sin(x + h) - sin(x - h)) / 2h = cos(x) sin(h) / h: the derivative times 1 - h^2/6 + ...
    assert along_x == pytest.approx(2 * math.cos(0.5) * math.sin(0.25) / 0.25, rel=1e-12)


# ---- check_gradients ----

def test_check_gradients_passes_a_correct_backward() -> None:
    result = check_gradients(lambda a, b: (a * b + a.exp()).tanh() / b, [0.3, -1.2])
    assert result.ok and result.close == (True, True)
    assert "NO" not in str(result)
    assert_gradients_close(lambda a: a.log() * a, [2.0])


def _square_with_a_forgotten_factor_of_two(x: Value) -> Value:
    """x**2 as a node whose local derivative is x instead of 2x."""
    return Value(x.data**2, (x,), "square", _local=(x.data,))


def _square_cut_from_the_graph(x: Value) -> Value:
    """x**2 computed from x.data: backward sees no path to x (the gradient goes missing)."""
    return Value(x.data**2) + 0 * x


@pytest.mark.parametrize(("wrong", "analytic"), [(_square_with_a_forgotten_factor_of_two, 3.0),
                                                 (_square_cut_from_the_graph, 0.0)])
def test_check_gradients_reports_a_wrong_backward(wrong, analytic: float) -> None:
    result = check_gradients(lambda a, b: wrong(a) + b, [3.0, 1.0])
    assert not result.ok and result.close == (False, True)
    assert result.analytic[0] == analytic and result.numeric[0] == pytest.approx(6.0)
    row = str(result).splitlines()[1].split()
    assert row[0] == "0" and float(row[2]) == analytic and float(row[3]) == pytest.approx(6.0) and row[4] == "NO"
    with pytest.raises(AssertionError, match="do not match central differences") as raised:
        assert_gradients_close(lambda a, b: wrong(a) + b, [3.0, 1.0])
    assert str(result) in str(raised.value)


# ---- errors ----

def test_check_gradients_names_a_wrong_return_type() -> None:
    with pytest.raises(TypeError, match="float"):
        check_gradients(lambda x: x.data, [1.0])  # type: ignore[arg-type, return-value]


def scaled_with_an_error(true_slope: float, error: float) -> Callable[[Value], Value]:
    """$f(a) = s a$, whose backward() reports the slope $s + \\varepsilon$ while the values say $s$.

    `(s + e) * a` carries the wrong slope into the graph; subtracting the constant `e * a.data`
    puts the value back to $s a$, so central differences measure $s$.
    """
    return lambda a: (true_slope + error) * a - Value(error * a.data)


@pytest.mark.parametrize(("relative", "close"), [(0.99e-4, True), (1.01e-4, False)])
def test_the_relative_tolerance_at_its_boundary(relative: float, close: bool) -> None:
    """rtol = 1e-4 by default: a slope of 3 reported as 3 (1 + r) passes just below r = 1e-4, fails just above."""
    result = check_gradients(scaled_with_an_error(3.0, 3.0 * relative), [0.5])
    assert result.numeric[0] == pytest.approx(3.0, rel=1e-8)
    assert result.analytic[0] == pytest.approx(3.0 * (1 + relative), rel=1e-14)
    assert result.close == (close,) and result.ok is close


@pytest.mark.parametrize(("absolute", "close"), [(0.99e-6, True), (1.01e-6, False)])
def test_the_absolute_tolerance_at_its_boundary(absolute: float, close: bool) -> None:
    """atol = 1e-6 by default: a slope of 0 reported as 1e-6 just passes (rtol alone would fail it)."""
    result = check_gradients(scaled_with_an_error(0.0, absolute), [0.5])
    assert result.numeric[0] == 0.0 and result.analytic[0] == absolute
    assert result.close == (close,)


@pytest.mark.parametrize(("rtol", "atol", "close"), [(1e-2, 0.0, True), (1e-3, 0.0, False), (0.0, 0.02, True),
                                                     (0.0, 0.01, False)])
def test_tolerances_passed_in_replace_the_defaults(rtol: float, atol: float, close: bool) -> None:
    """A slope of 3 reported as 3.015: relative error 0.5%, absolute 0.015."""
    result = check_gradients(scaled_with_an_error(3.0, 0.015), [0.5], rtol=rtol, atol=atol)
    assert result.close == (close,)


def test_check_gradients_takes_numpy_inputs_and_scalars() -> None:
    def f(a: Value, b: Value) -> Value:
        return (a * b + a.exp()).tanh() / b

    on_list = check_gradients(f, [0.3, -1.2])
    for inputs in (np.array([0.3, -1.2]), [np.float64(0.3), np.float64(-1.2)], np.array([[0.3, -1.2]])[0]):
        result = check_gradients(f, inputs, h=np.float64(1e-6), rtol=np.float32(1e-4), atol=np.float64(1e-6))
        assert result == on_list
        assert all(type(x) is float for x in result.inputs + result.analytic + result.numeric)
    assert check_gradients(lambda a: a * a, np.array([3], dtype=np.int64)).analytic == (6.0,)


@pytest.mark.parametrize(("inputs", "kwargs", "error", "message"), [
    ([1.0, "2"], {}, TypeError, r"inputs\[1\] must be a real number, got str"),
    (np.array([[1.0, 2.0]]), {}, TypeError, r"inputs\[0\] must be a real number, got ndarray"),
    ([1.0], {"h": 0.0}, ValueError, "h must be a positive finite number, got 0.0"),
    ([1.0], {"rtol": -1e-4}, ValueError, "rtol must be a finite number >= 0"),
    ([1.0], {"atol": math.nan}, ValueError, "atol must be a finite number >= 0, got nan"),
], ids=["str input", "2-D inputs", "zero h", "negative rtol", "nan atol"])
def test_check_gradients_names_a_bad_input_or_tolerance(inputs: object, kwargs: dict[str, float],
                                                        error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        check_gradients(lambda *xs: Value.sum(xs), inputs, **kwargs)  # type: ignore[arg-type]


def test_the_default_step_is_1e_minus_6() -> None:
    """For x^3 the central difference is 3x^2 + h^2 exactly: the step shows in the estimate."""
    assert central_difference(lambda p: p[0] ** 3, [1.0], 0) == pytest.approx(3.0, abs=1e-8)
    assert check_gradients(lambda a: a**3, [1.0]).numeric[0] == pytest.approx(3.0, abs=1e-8)
    assert check_gradients(lambda a: a**3, [1.0], h=0.5).numeric[0] == pytest.approx(3.25, rel=1e-12)


def test_the_table_lists_each_input_with_both_gradients() -> None:
    result = check_gradients(scaled_with_an_error(2.0, 1.0), [0.5])
    ok = check_gradients(lambda a: a * 2.0, [0.25])
    header = " input            x       backward        numeric  match"
    assert str(result).splitlines() == [header, "     0          0.5              3              2  NO"]
    assert str(ok).splitlines() == [header, "     0         0.25              2              2  yes"]


def test_assert_gradients_close_passes_its_tolerances_on() -> None:
    off_by_half_a_percent = scaled_with_an_error(2.0, 0.01)
    with pytest.raises(AssertionError, match="do not match central differences"):
        assert_gradients_close(off_by_half_a_percent, [0.5])
    assert_gradients_close(off_by_half_a_percent, [0.5], rtol=1e-2)
