"""Losses: mse, max_margin, l2 and accuracy, their values, gradients and errors."""

from __future__ import annotations

import pytest

from micrograd import (
    Value,
    accuracy,
    l2,
    max_margin,
    mse,
)


def test_mse_is_the_mean_of_squared_errors_and_its_gradient() -> None:
    p = [Value(0.5), Value(-2.0)]
    loss = mse(p, [1.0, -1.0])
    assert loss.data == pytest.approx((0.25 + 1.0) / 2)
    loss.backward()
    assert [v.grad for v in p] == pytest.approx([2 * (0.5 - 1) / 2, 2 * (-2 + 1) / 2])


def test_max_margin_is_the_mean_hinge_and_its_gradient() -> None:
    s = [Value(0.25), Value(-3.0), Value(2.0)]
    loss = max_margin(s, [1, -1, -1])  # margins 1 - y s: 0.75, -2 (no loss), 3
    assert loss.data == pytest.approx((0.75 + 0 + 3) / 3)
    loss.backward()
    assert [v.grad for v in s] == pytest.approx([-1 / 3, 0.0, 1 / 3])


def test_l2_penalty_and_its_gradient() -> None:
    w = [Value(0.5), Value(-2.0)]
    penalty = l2(w, 0.1)
    assert penalty.data == pytest.approx(0.1 * (0.25 + 4.0))
    penalty.backward()
    assert [v.grad for v in w] == pytest.approx([0.1, -0.4])
    assert l2([], 0.1).data == 0.0


def test_accuracy_is_sign_agreement() -> None:
    assert accuracy([Value(0.3), Value(-0.1), 0.0, 2.0], [1, -1, 1, -1]) == 0.5  # a score of 0 is negative


# ---- errors ----

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
