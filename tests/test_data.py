"""The datasets: the lecture's four samples and make_moons."""

from __future__ import annotations

import math
import random

import pytest

from micrograd import (
    lecture_samples,
    make_moons,
)


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


# ---- errors ----

@pytest.mark.parametrize(("n", "noise", "message"), [(1, 0.1, "n must"), (2.5, 0.1, "n must"), (10, -0.1, "noise")])
def test_make_moons_rejects_bad_arguments(n: object, noise: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_moons(n, noise)  # type: ignore[arg-type]
