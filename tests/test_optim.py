"""SGD: a step against the gradient, a learning-rate schedule, and its errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from micrograd import (
    SGD,
    Value,
)


def test_the_default_learning_rate_is_0_05() -> None:
    w = Value(1.0)
    w.grad = 2.0
    opt = SGD([w])
    opt.step()
    assert opt.rate() == 0.05 and w.data == pytest.approx(0.9)


def test_sgd_step_moves_against_the_gradient() -> None:
    w = Value(1.0)
    (w * w).backward()  # dw = 2
    opt = SGD([w], lr=0.1)
    opt.step()
    assert w.data == pytest.approx(0.8)
    assert opt.rate() == 0.1 and opt.steps == 1
    opt.zero_grad()
    assert w.grad == 0.0


def test_sgd_schedule_is_called_with_the_step_number() -> None:
    w = Value(0.0)
    w.grad = 1.0
    seen: list[int] = []

    def schedule(k: int) -> float:
        seen.append(k)
        return 1.0 - 0.9 * k / 100

    opt = SGD([w], lr=schedule)
    for _ in range(3):
        opt.step()
    assert seen == [0, 1, 2]
    assert w.data == pytest.approx(-(1.0 + 0.991 + 0.982))


# ---- errors ----

def test_sgd_needs_a_positive_learning_rate() -> None:
    with pytest.raises(ValueError, match="positive"):
        SGD([Value(1.0)], lr=0.0)


# ---- numpy rates and parameters; what a rate may be (numpy is a test dependency only) ----

@pytest.mark.parametrize("lr", [np.float64(0.1), np.float32(0.1), np.int64(1)], ids=["float64", "float32", "int64"])
def test_a_numpy_learning_rate_leaves_plain_floats_in_the_parameters(lr) -> None:
    w = Value(1.0)
    (w * w).backward()  # dw = 2
    opt = SGD([w], lr=lr)
    opt.step()
    assert type(w.data) is float and type(opt.rate()) is float
    assert w.data == pytest.approx(1.0 - float(lr) * 2.0)


def test_sgd_takes_an_array_of_values_and_a_schedule_that_returns_numpy_floats() -> None:
    params = np.array([Value(1.0), Value(-1.0)], dtype=object)
    for p in params:
        p.grad = 1.0
    opt = SGD(params, lr=lambda k: np.float64(0.5) / (k + 1))
    opt.step()
    opt.step()
    assert [p.data for p in params] == pytest.approx([1.0 - 0.5 - 0.25, -1.0 - 0.5 - 0.25])
    assert all(type(p.data) is float for p in params)


@pytest.mark.parametrize(("lr", "error", "message"), [
    (-0.1, ValueError, "learning rate must be a positive finite number, got -0.1"),
    (math.nan, ValueError, "learning rate must be a positive finite number, got nan"),
    (math.inf, ValueError, "learning rate must be a positive finite number, got inf"),
    (np.float64(0.0), ValueError, r"learning rate must be a positive finite number, got np\.float64\(0\.0\)"),
    ("0.1", TypeError, "learning rate must be a real number, got str"),
    (True, TypeError, "learning rate must be a real number, got bool"),
], ids=["negative", "nan", "inf", "numpy zero", "str", "bool"])
def test_a_bad_learning_rate_is_named(lr: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        SGD([Value(1.0)], lr=lr)  # type: ignore[arg-type]


@pytest.mark.parametrize(("rate", "error", "message"), [
    (-0.5, ValueError, r"schedule's rate for step 2 must be a finite number >= 0, got -0\.5"),
    (math.nan, ValueError, r"schedule's rate for step 2 must be a finite number >= 0, got nan"),
    (None, TypeError, r"schedule's rate for step 2 must be a real number, got NoneType"),
], ids=["negative", "nan", "None"])
def test_a_schedule_that_gives_a_bad_rate_is_named_with_its_step(rate: object, error: type[Exception],
                                                                 message: str) -> None:
    w = Value(1.0)
    opt = SGD([w], lr=lambda k: 0.1 if k < 2 else rate)  # type: ignore[arg-type, return-value]
    opt.step()
    opt.step()
    with pytest.raises(error, match=message):
        opt.step()
    assert opt.steps == 2 and w.data == 1.0  # grad 0: the two good steps left it; the bad one did nothing


def test_a_schedule_may_reach_zero() -> None:
    w = Value(1.0)
    w.grad = 1.0
    opt = SGD([w], lr=lambda k: 0.0)
    opt.step()
    assert w.data == 1.0 and opt.steps == 1


def test_sgd_names_a_parameter_that_is_not_a_value() -> None:
    with pytest.raises(TypeError, match=r"SGD trains Values; parameters\[1\] is float: 2\.0"):
        SGD([Value(1.0), 2.0])  # type: ignore[list-item]
