"""The datasets: the lecture's four samples and make_moons."""

from __future__ import annotations

import math
import random
import statistics

import numpy as np
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


def noise_of(n: int, noise: float, seed: int) -> list[float]:
    """The noise make_moons added to each coordinate: its points minus the same points made with noise 0.

    The shuffle and the standard normal draws do not depend on `noise`, so one seed gives the same
    order and the same draws; only their scale changes.
    """
    noisy, labels = make_moons(n, noise, random.Random(seed))
    clean, clean_labels = make_moons(n, 0.0, random.Random(seed))
    assert labels == clean_labels
    return [a - b for p, q in zip(noisy, clean) for a, b in zip(p, q)]


def test_make_moons_noise_is_gaussian_with_the_given_standard_deviation() -> None:
    deviations = noise_of(2000, 0.1, seed=3)  # 4000 draws: the sample's sd is within about 2% of 0.1
    mean = statistics.fmean(deviations)
    assert abs(mean) < 4 * 0.1 / math.sqrt(len(deviations))
    assert statistics.stdev(deviations) == pytest.approx(0.1, rel=0.06)
    # both coordinates get noise, each its own draw
    xs, ys = deviations[0::2], deviations[1::2]
    assert statistics.stdev(xs) == pytest.approx(0.1, rel=0.08) and statistics.stdev(ys) == pytest.approx(0.1, rel=0.08)
    assert abs(statistics.correlation(xs, ys)) < 0.1
    # Gaussian, not uniform: about 68% of the draws within one standard deviation, 95% within two
    assert sum(abs(d) < 0.1 for d in deviations) / len(deviations) == pytest.approx(0.683, abs=0.03)
    assert sum(abs(d) < 0.2 for d in deviations) / len(deviations) == pytest.approx(0.954, abs=0.02)


def test_make_moons_noise_scales_the_same_draws() -> None:
    small, large = noise_of(50, 0.05, seed=8), noise_of(50, 0.3, seed=8)
    assert large == pytest.approx([6 * d for d in small], rel=1e-9, abs=1e-12)


# ---- numpy: n and noise as numpy scalars (numpy is a test dependency only) ----

def test_make_moons_takes_numpy_scalars_and_returns_plain_numbers() -> None:
    xs, ys = make_moons(np.int64(40), np.float32(0.25), random.Random(4))
    assert (xs, ys) == make_moons(40, float(np.float32(0.25)), random.Random(4))
    assert all(type(c) is float for x in xs for c in x) and all(type(y) is int for y in ys)
    assert len(make_moons(np.uint16(7), np.float64(0.0), random.Random(0))[0]) == 7


@pytest.mark.parametrize(("n", "noise", "error", "message"), [
    (np.int64(1), 0.1, ValueError, r"n must be an integer >= 2, got np\.int64\(1\)"),
    (np.float64(100.0), 0.1, ValueError, r"n must be an integer >= 2, got np\.float64\(100\.0\)"),
    (np.bool_(True), 0.1, ValueError, "n must be an integer >= 2"),
    (10, math.nan, ValueError, "noise must be a finite number >= 0, got nan"),
    (10, math.inf, ValueError, "noise must be a finite number >= 0, got inf"),
    (10, np.float64(-0.5), ValueError, r"noise must be a finite number >= 0, got np\.float64\(-0\.5\)"),
    (10, "0.1", TypeError, "noise must be a real number, got str"),
], ids=["n=1", "float n", "bool n", "nan noise", "inf noise", "negative noise", "str noise"])
def test_make_moons_names_a_bad_n_or_noise(n: object, noise: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        make_moons(n, noise)  # type: ignore[arg-type]


class InOrder(random.Random):
    """A Random that leaves the points in the order make_moons builds them (its noise is still drawn)."""

    def shuffle(self, x: object, *args: object) -> None:
        pass


@pytest.mark.parametrize("n", [2, 4, 7])
def test_make_moons_builds_both_arcs_from_t_0_to_pi_as_scikit_learn(n: int) -> None:
    """Upper: (cos t, sin t), label -1; lower: (1 - cos t, 1/2 - sin t), label +1; t evenly from 0 to pi."""
    xs, ys = make_moons(n, 0.0, InOrder(0))
    upper, lower = n // 2, n - n // 2

    def ts(k: int) -> list[float]:
        return [math.pi * i / (k - 1) for i in range(k)] if k > 1 else [0.0]

    expected = [[math.cos(t), math.sin(t)] for t in ts(upper)]
    expected += [[1 - math.cos(t), 0.5 - math.sin(t)] for t in ts(lower)]
    assert ys == [-1] * upper + [1] * lower
    assert xs == [pytest.approx(p, abs=1e-15) for p in expected]


def test_make_moons_noise_is_the_rngs_gaussian_draws_added_to_each_coordinate_in_turn() -> None:
    n, sigma, seed = 9, 0.3, 5
    rng = random.Random(seed)
    rng.shuffle(list(range(n)))  # the shuffle make_moons makes first (its draws depend only on n)
    draws = [rng.gauss(0.0, sigma) for _ in range(2 * n)]
    assert noise_of(n, sigma, seed) == pytest.approx(draws, abs=1e-12)


def test_make_moons_defaults_to_100_points_with_noise_0_1() -> None:
    assert make_moons(rng=random.Random(6)) == make_moons(100, 0.1, random.Random(6))
