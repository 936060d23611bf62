"""SGD: a step against the gradient, a learning-rate schedule, and its errors."""

from __future__ import annotations

import pytest

from micrograd import (
    SGD,
    Value,
)


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
