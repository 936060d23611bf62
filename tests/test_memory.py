"""No reference cycles: a graph that goes out of scope is freed by reference counting alone.

The cyclic collector is switched off while each test runs, so nothing is freed behind the
test's back; `gc.collect()` then returns how many unreachable objects only it could free.
"""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator
from contextlib import contextmanager

from micrograd import MLP, Value, fit, l2, make_moons, max_margin
from reference_engine import ClosureValue


@contextmanager
def collector_off() -> Iterator[None]:
    """Collect what is already garbage, then keep the cyclic collector off until the block ends."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def live(kind: type) -> int:
    """How many objects of exactly this type the collector tracks right now."""
    return sum(type(o) is kind for o in gc.get_objects())


def _training_step(model: MLP, xs: list[list[float]], ys: list[int]) -> float:
    scores = [model(x) for x in xs]
    loss = max_margin(scores, ys) + l2(model.parameters(), 1e-4)
    model.zero_grad()
    loss.backward()
    return loss.data


def _moons(n: int = 20) -> tuple[MLP, list[list[float]], list[int]]:
    xs, ys = make_moons(n, 0.1, random.Random(0))
    return MLP(2, [8, 8, 1], rng=random.Random(0)), xs, ys


def test_a_training_step_leaves_nothing_for_the_cyclic_collector() -> None:
    model, xs, ys = _moons()
    with collector_off():
        _training_step(model, xs, ys)
        assert gc.collect() == 0


def test_fit_leaves_nothing_for_the_cyclic_collector() -> None:
    model, xs, ys = _moons()
    with collector_off():
        fit(model, xs, ys, steps=3, loss="max_margin", alpha=1e-4, every=1, log=lambda _: None)
        assert gc.collect() == 0


def test_every_value_of_a_step_is_freed_when_it_returns() -> None:
    model, xs, ys = _moons()
    with collector_off():
        before = live(Value)  # the parameters, and whatever else the session holds
        _training_step(model, xs, ys)
        assert live(Value) == before


def test_a_deleted_graph_is_freed_at_once() -> None:
    with collector_off():
        before = live(Value)
        x = Value(2.0)
        y = (x * x + x.exp()).tanh() ** 2
        y.backward()
        assert live(Value) > before + 1
        del y
        assert live(Value) == before + 1  # only x is left


def test_the_check_can_fail_a_graph_of_closures_is_cyclic_garbage() -> None:
    """Control: micrograd 0.1.0's kind of node (a closure on the node it refers to) is found."""

    def step() -> None:
        w = [ClosureValue(0.5), ClosureValue(-0.25)]
        loss = sum((wi * xi for wi, xi in zip(w, [1.0, 2.0])), ClosureValue(0.0)).relu()
        loss.backward()

    with collector_off():
        before = live(ClosureValue)
        step()
        assert live(ClosureValue) > before  # still there after the function returned
        assert gc.collect() > 0


def test_the_collector_is_left_as_it_was() -> None:
    """backward() pauses the collector while it runs; it must not switch it on (or off) for good."""
    model, xs, ys = _moons(4)
    with collector_off():
        _training_step(model, xs, ys)
        assert not gc.isenabled()
    _training_step(model, xs, ys)
    assert gc.isenabled()
