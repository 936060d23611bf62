"""fit(): training to a small loss, stopping early, logging, and its errors."""

from __future__ import annotations

import math
import random
import re

import numpy as np
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
    with pytest.raises(ValueError, match=r"^unknown loss 'hinge'; choose one of 'mse', 'max_margin'$"):
        fit(model, [[1.0, 2.0]], [1.0], loss="hinge")
    with pytest.raises(ValueError, match=r"^need as many inputs as targets \(at least one\), got 2 and 1$"):
        fit(model, [[1.0, 2.0], [0.0, 1.0]], [1.0])
    with pytest.raises(ValueError, match=r"^fit trains a model with one output; this model returns a list$"):
        fit(MLP(2, [2], rng=random.Random(0)), [[1.0, 2.0]], [1.0], steps=1)


def test_fit_stops_at_step_0_before_any_update() -> None:
    """A loss already under `until` at the first forward pass: one step recorded, no weight moved."""
    xs, ys = lecture_samples()
    model = lecture_model()
    before = [p.data for p in model.parameters()]
    messages: list[str] = []
    history = fit(model, xs, ys, steps=100, lr=0.1, until=10.0, every=1, log=messages.append)
    assert history.stopped_at == 0 and history.steps == 1
    assert [p.data for p in model.parameters()] == before
    assert messages == [f"step    0  loss {history.loss[0]:.6f}  accuracy {history.accuracy[0]:.0%}",
                        f"loss {history.loss[0]:.6f} < 10.0 at step 0: stopped"]


def test_fit_with_zero_steps_records_nothing_and_moves_nothing() -> None:
    xs, ys = lecture_samples()
    model = lecture_model()
    before = [p.data for p in model.parameters()]
    history = fit(model, xs, ys, steps=0, every=1, log=lambda line: pytest.fail(f"logged {line!r}"))
    assert (history.loss, history.accuracy, history.stopped_at, history.steps) == ([], [], None, 0)
    assert [p.data for p in model.parameters()] == before


# ---- numpy: fit(model, X, y) as scikit-learn users call it (numpy is a test dependency only) ----

@pytest.mark.parametrize("as_numpy", [
    lambda xs, ys: (np.array(xs), np.array(ys)),
    lambda xs, ys: ([np.array(x) for x in xs], np.array(ys, dtype=np.float32)),
    lambda xs, ys: (np.array(xs, dtype=np.float32).astype(np.float64), np.array(ys, dtype=np.int64)),
], ids=["2-D X and 1-D y", "list of arrays and float32 y", "int64 labels"])
def test_fit_on_numpy_arrays_goes_through_the_same_steps_as_on_lists(as_numpy) -> None:
    xs, ys = lecture_samples()
    on_lists = fit(lecture_model(), xs, ys, steps=20, lr=0.1, alpha=1e-3, every=0)
    X, y = as_numpy(xs, ys)
    on_arrays = fit(lecture_model(), X, y, steps=np.int64(20), lr=np.float64(0.1), alpha=np.float64(1e-3), every=0)
    assert on_arrays.loss == on_lists.loss and on_arrays.accuracy == on_lists.accuracy  # the same floats, bit for bit
    assert all(type(v) is float for v in on_arrays.loss + on_arrays.accuracy)


def test_fit_takes_numpy_until_and_every() -> None:
    xs, ys = lecture_samples()
    messages: list[str] = []
    history = fit(lecture_model(), np.array(xs), np.array(ys), steps=500, lr=0.1, until=np.float64(0.05),
                  every=np.int64(1000), log=messages.append)
    assert history.stopped_at is not None and history.loss[history.stopped_at] < 0.05
    assert messages[-1].endswith(f"< 0.05 at step {history.stopped_at}: stopped")


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"ys": np.array([[1.0], [-1.0]])}, TypeError, r"targets\[0\] must be a real number, got ndarray"),
    ({"steps": -1}, ValueError, "steps must be an integer >= 0, got -1"),
    ({"steps": 2.0}, ValueError, r"steps must be an integer >= 0, got 2\.0"),
    ({"every": np.int64(-5)}, ValueError, r"every must be an integer >= 0, got np\.int64\(-5\)"),
    ({"alpha": -1e-4}, ValueError, "alpha must be a finite number >= 0"),
    ({"alpha": -1e-4, "steps": 0}, ValueError, "alpha must be a finite number >= 0"),  # checked before any step
    ({"until": "0.1"}, TypeError, "until must be a real number, got str"),
    ({"until": math.nan}, ValueError, "until must be a finite number, got nan"),
    ({"lr": 0}, ValueError, "learning rate must be a positive finite number, got 0"),
], ids=["2-D targets", "negative steps", "float steps", "negative every", "negative alpha", "negative alpha, no steps",
        "str until", "nan until", "zero lr"])
def test_fit_names_a_bad_argument_before_training(kwargs: dict[str, object], error: type[Exception],
                                                  message: str) -> None:
    model = MLP(2, [1], rng=random.Random(0))
    before = [p.data for p in model.parameters()]
    arguments: dict[str, object] = {"xs": np.array([[1.0, 2.0], [0.0, 1.0]]), "ys": np.array([1.0, -1.0]), **kwargs}
    with pytest.raises(error, match=message):
        fit(model, **arguments)  # type: ignore[arg-type]
    assert [p.data for p in model.parameters()] == before


def test_fit_defaults_to_100_silent_steps_of_mse_at_rate_0_05() -> None:
    xs, ys = lecture_samples()
    messages: list[str] = []
    by_default = fit(lecture_model(), xs, ys, log=messages.append)
    spelled_out = fit(lecture_model(), xs, ys, steps=100, lr=0.05, loss="mse", alpha=0.0, until=None, every=0)
    assert messages == [] and by_default == spelled_out and by_default.steps == 100


def test_the_loss_fit_records_is_the_data_loss_plus_the_l2_penalty() -> None:
    xs, ys = lecture_samples()
    model = lecture_model()
    scores = [model(x) for x in xs]
    data_loss = sum((s.data - y) ** 2 for s, y in zip(scores, ys)) / len(ys)
    penalty = 0.01 * sum(p.data ** 2 for p in model.parameters())
    history = fit(model, xs, ys, steps=1, alpha=0.01)
    assert history.loss[0] == pytest.approx(data_loss + penalty, rel=1e-12)


def test_until_stops_only_below_the_threshold_not_at_it() -> None:
    xs, ys = lecture_samples()
    first = fit(lecture_model(), xs, ys, steps=1).loss[0]
    assert fit(lecture_model(), xs, ys, steps=3, until=first).stopped_at == 1  # step 0's loss equals it: go on
    assert fit(lecture_model(), xs, ys, steps=3, until=math.nextafter(first, math.inf)).stopped_at == 0
