"""Losses, SGD, fit(), the datasets and the gradient check."""

from __future__ import annotations

import math
import random
import re

import pytest

from micrograd import (
    MLP,
    SGD,
    Value,
    accuracy,
    assert_gradients_close,
    check_gradients,
    fit,
    l2,
    lecture_samples,
    make_moons,
    max_margin,
    mse,
)


def lecture_model(seed: int = 0) -> MLP:
    return MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(seed))


# ---- losses ----

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


# ---- SGD ----

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


# ---- fit ----

def test_fit_on_the_lecture_samples_reaches_a_small_mse() -> None:
    xs, ys = lecture_samples()
    history = fit(lecture_model(), xs, ys, steps=100, lr=0.1, loss="mse", every=0)
    assert history.steps == 100 and history.stopped_at is None
    assert history.loss[-1] < 0.01 < history.loss[0]
    assert history.accuracy[-1] == 1.0


def test_fit_until_stops_early_and_reports_the_step() -> None:
    xs, ys = lecture_samples()
    messages: list[str] = []
    history = fit(lecture_model(), xs, ys, steps=500, lr=0.1, until=0.05, every=1000, log=messages.append)
    k = history.stopped_at
    assert k is not None and history.steps == k + 1 < 500
    assert history.loss[k] < 0.05 <= min(history.loss[:k])
    assert messages[-1] == f"loss {history.loss[k]:.6f} < 0.05 at step {k}: stopped"


def test_fit_logs_loss_and_accuracy_every_n_steps() -> None:
    xs, ys = lecture_samples()
    messages: list[str] = []
    history = fit(lecture_model(), xs, ys, steps=10, lr=0.1, every=4, log=messages.append)
    pattern = re.compile(r"step +(\d+) +loss (\d+\.\d{6}) +accuracy (\d+)%")
    logged = [pattern.fullmatch(m) for m in messages]
    assert all(logged), messages
    assert [int(m[1]) for m in logged] == [0, 4, 8, 9]  # and always the last step
    for m in logged:
        k = int(m[1])
        assert float(m[2]) == pytest.approx(history.loss[k], abs=1e-6)
        assert int(m[3]) == round(100 * history.accuracy[k])


def test_fit_is_silent_when_every_is_zero() -> None:
    xs, ys = lecture_samples()

    def fail(message: str) -> None:
        raise AssertionError(f"logged {message!r}")

    fit(lecture_model(), xs, ys, steps=3, every=0, log=fail)


def test_moons_reach_full_training_accuracy() -> None:
    """The lecture's demo: MLP(2, [16, 16, 1]), hinge loss + 1e-4 L2, lr 1.0 - 0.9 k / 100, 100 steps."""
    xs, ys = make_moons(100, 0.1, random.Random(2))
    model = MLP(2, [16, 16, 1], rng=random.Random(2))
    history = fit(model, xs, ys, steps=100, lr=lambda k: 1.0 - 0.9 * k / 100, loss="max_margin", alpha=1e-4)
    assert history.accuracy[-1] == 1.0
    assert history.loss[-1] < history.loss[0] / 10


# ---- datasets ----

def test_lecture_samples() -> None:
    xs, ys = lecture_samples()
    assert xs == [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    assert ys == [1.0, -1.0, -1.0, 1.0]


@pytest.mark.parametrize("n", [2, 7, 100])
def test_make_moons_shape_and_labels(n: int) -> None:
    xs, ys = make_moons(n, 0.1, random.Random(0))
    assert len(xs) == len(ys) == n
    assert all(len(x) == 2 and all(isinstance(c, float) for c in x) for x in xs)
    assert ys.count(-1) == n // 2 and ys.count(1) == n - n // 2


def test_make_moons_is_deterministic_with_a_seeded_rng() -> None:
    assert make_moons(50, 0.1, random.Random(9)) == make_moons(50, 0.1, random.Random(9))
    assert make_moons(50, 0.1, random.Random(9)) != make_moons(50, 0.1, random.Random(10))
    _, ys = make_moons(50, 0.1, random.Random(9))
    assert ys[:10] != sorted(ys[:10])  # shuffled, not all of one moon first


def test_make_moons_without_noise_lies_on_the_two_arcs() -> None:
    xs, ys = make_moons(41, 0.0, random.Random(0))
    upper = [x for x, y in zip(xs, ys) if y == -1]
    lower = [x for x, y in zip(xs, ys) if y == 1]
    for px, py in upper:  # the unit circle's upper half
        assert math.hypot(px, py) == pytest.approx(1.0) and py >= -1e-12
    for px, py in lower:  # the same half circle flipped and moved to (1, 0.5)
        assert math.hypot(px - 1, py - 0.5) == pytest.approx(1.0) and py <= 0.5 + 1e-12
    # the arcs run from end to end, evenly
    assert min(p[0] for p in upper) == pytest.approx(-1.0) and max(p[0] for p in upper) == pytest.approx(1.0)
    assert min(p[0] for p in lower) == pytest.approx(0.0) and max(p[0] for p in lower) == pytest.approx(2.0)


# ---- gradient check ----

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
