"""fit(): training to a small loss, stopping early, logging, and its errors."""

from __future__ import annotations

import random
import re

import pytest

from micrograd import (
    MLP,
    fit,
    lecture_samples,
    make_moons,
)


def lecture_model(seed: int = 0) -> MLP:
    return MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(seed))


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


# ---- errors ----

def test_fit_rejects_an_unknown_loss_and_mismatched_data() -> None:
    model = MLP(2, [1], rng=random.Random(0))
    with pytest.raises(ValueError, match="'hinge'"):
        fit(model, [[1.0, 2.0]], [1.0], loss="hinge")
    with pytest.raises(ValueError, match="got 2 and 1"):
        fit(model, [[1.0, 2.0], [0.0, 1.0]], [1.0])
    with pytest.raises(ValueError, match="one output"):
        fit(MLP(2, [2], rng=random.Random(0)), [[1.0, 2.0]], [1.0], steps=1)
