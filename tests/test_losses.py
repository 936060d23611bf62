"""Losses: mse, max_margin, l2 and accuracy, their values, gradients and errors."""

from __future__ import annotations

import math

import numpy as np
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


def test_max_margin_names_the_three_smallest_wrong_labels() -> None:
    with pytest.raises(ValueError, match=r"^max_margin needs labels -1 or \+1, got \[0, 1e-05, 2\]$"):
        max_margin([Value(0.0)] * 6, [3, 2, 1e-5, 0, -1, 1])


@pytest.mark.parametrize(("call", "message"), [
    (lambda: mse([Value(1.0)], [1.0, 2.0]), "need as many predictions as targets (at least one), got 1 and 2"),
    (lambda: max_margin([], []), "need as many predictions as targets (at least one), got 0 and 0"),
    (lambda: accuracy([1.0, 2.0], [1.0]), "need as many scores as labels (at least one), got 2 and 1"),
], ids=["mse", "max_margin", "accuracy"])
def test_a_length_mismatch_names_both_sides(call, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        call()
    assert str(raised.value) == message


def test_accuracy_counts_a_label_of_zero_as_negative() -> None:
    """Only y > 0 is read: a label of 0 is on the negative side, like a score of 0."""
    assert accuracy([-0.5, 0.5, 0.0], [0, 0, 0]) == pytest.approx(2 / 3)


# ---- numpy: targets and scores as arrays or numpy scalars (numpy is a test dependency only) ----

@pytest.mark.parametrize("targets", [np.array([1.0, -1.0, 0.5]), np.array([1, -1, 0.5], dtype=np.float32),
                                     [np.float64(1.0), np.int64(-1), np.float32(0.5)]],
                         ids=["float64 array", "float32 array", "list of numpy scalars"])
def test_mse_takes_numpy_targets(targets) -> None:
    p = [Value(0.5), Value(-2.0), Value(0.0)]
    loss = mse(p, targets)
    assert type(loss.data) is float and loss.data == pytest.approx((0.25 + 1.0 + 0.25) / 3)
    loss.backward()
    assert [v.grad for v in p] == pytest.approx([2 * (0.5 - 1) / 3, 2 * (-2 + 1) / 3, 2 * (0 - 0.5) / 3])


def test_max_margin_and_accuracy_take_numpy_labels_and_scores() -> None:
    s = [Value(0.25), Value(-3.0), Value(2.0)]
    for labels in (np.array([1, -1, -1]), np.array([1.0, -1.0, -1.0]), [np.int64(1), np.int8(-1), np.float32(-1)]):
        loss = max_margin(s, labels)
        assert loss.data == pytest.approx((0.75 + 0 + 3) / 3)
    scores = np.array([0.3, -0.1, 0.0, 2.0])
    result = accuracy(scores, np.array([1, -1, 1, -1]))
    assert type(result) is float and result == 0.5
    assert accuracy([np.float32(0.3), Value(-0.1)], np.array([1.0, 1.0])) == 0.5


def test_l2_takes_a_numpy_alpha_and_refuses_a_negative_or_nan_one() -> None:
    w = [Value(0.5), Value(-2.0)]
    assert l2(w, np.float64(0.1)).data == pytest.approx(0.1 * 4.25)
    assert l2(w, np.float32(0.5)).data == pytest.approx(0.5 * 4.25)
    for alpha in (-0.1, math.nan, math.inf):
        with pytest.raises(ValueError, match="alpha must be a finite number >= 0"):
            l2(w, alpha)
    with pytest.raises(TypeError, match="alpha must be a real number, got str"):
        l2(w, "0.1")  # type: ignore[arg-type]


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: mse([Value(1.0), Value(2.0)], np.array([[1.0], [2.0]])), TypeError,
     r"targets\[0\] must be a real number, got ndarray"),
    (lambda: mse([Value(1.0), Value(2.0)], [1.0, "2"]), TypeError, r"targets\[1\] must be a real number, got str"),
    (lambda: max_margin([Value(1.0)], [None]), TypeError, r"labels\[0\] must be a real number, got NoneType"),
    (lambda: max_margin([Value(1.0), Value(2.0)], np.array([1, 0])), ValueError, r"-1 or \+1, got \[0\]"),
    (lambda: accuracy([Value(1.0)], [True]), TypeError, r"labels\[0\] must be a real number, got bool"),
    (lambda: accuracy(["high"], [1]), TypeError, r"scores\[0\] must be a real number, got str"),
    (lambda: mse([Value(1.0)], np.array([])), ValueError, "got 1 and 0"),
], ids=["2-D targets", "a string target", "a None label", "a zero label", "a bool label", "a string score",
        "an empty array"])
def test_a_target_or_score_that_is_not_a_number_is_named_with_its_index(call, error: type[Exception],
                                                                         message: str) -> None:
    with pytest.raises(error, match=message):
        call()


def test_accuracy_of_a_nan_score_is_nan_not_a_guess() -> None:
    """A diverged model's NaN score has no sign: counting it as negative would report a made-up accuracy."""
    assert math.isnan(accuracy([Value(math.nan), Value(1.0)], [-1, 1]))
    assert math.isnan(accuracy(np.array([0.5, np.nan]), np.array([1, -1])))
    assert accuracy([Value(math.inf), Value(-math.inf)], [1, -1]) == 1.0  # infinities have a sign
