"""Small datasets: the lecture's four samples and two interleaving half-moons."""

from __future__ import annotations

import math
import random
from typing import SupportsIndex

from micrograd._checks import integer, real


def lecture_samples() -> tuple[list[list[float]], list[float]]:
    """The lecture's four inputs of three features and their targets $\\pm 1$.

    Returns:
        `(xs, ys)`: four lists of three floats, and four targets, each -1.0 or 1.0.
    """
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    return xs, ys


def make_moons(n: SupportsIndex = 100, noise: float = 0.1,
               rng: random.Random | None = None) -> tuple[list[list[float]], list[int]]:
    """`n` points on two interleaving half circles, shuffled, with Gaussian noise.

    The upper moon, label -1, has $\\lfloor n/2 \\rfloor$ points $(\\cos t, \\sin t)$; the lower, label +1,
    the rest at $(1 - \\cos t, \\frac{1}{2} - \\sin t)$; $t$ runs evenly over $[0, \\pi]$ on each. Each
    coordinate then gets noise drawn from $\\mathcal{N}(0, \\sigma^2)$, $\\sigma$ = `noise`. This is
    scikit-learn's `make_moons`, which labels the moons 0 and 1.

    Args:
        n: The number of points, at least 2 (an int or numpy integer).
        noise: The standard deviation $\\sigma \\ge 0$.
        rng: Where the shuffle and the noise come from; a fresh unseeded `random.Random` by default.

    Returns:
        `(xs, ys)`: `n` lists of two floats, and `n` labels, each -1 or 1.

    Raises:
        ValueError: `n` is not an integer of at least 2, or `noise` is negative or not finite.
        TypeError: `noise` is not a real number.
    """
    n = integer("n", n, 2)
    sigma = real("noise", noise, minimum=0)
    rng = rng or random.Random()
    n_upper = n // 2
    n_lower = n - n_upper

    def angles(k: int) -> list[float]:
        return [math.pi * i / (k - 1) if k > 1 else 0.0 for i in range(k)]

    points = [([math.cos(t), math.sin(t)], -1) for t in angles(n_upper)]
    points += [([1 - math.cos(t), 0.5 - math.sin(t)], 1) for t in angles(n_lower)]
    rng.shuffle(points)
    X = [[x + rng.gauss(0.0, sigma), y + rng.gauss(0.0, sigma)] for (x, y), _ in points]
    return X, [label for _, label in points]
