"""Small datasets: the lecture's four samples and two interleaving half-moons."""

from __future__ import annotations

import math
import random


def lecture_samples() -> tuple[list[list[float]], list[float]]:
    """The lecture's four inputs of three features and their targets $\\pm 1$."""
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    return xs, ys


def make_moons(n: int = 100, noise: float = 0.1,
               rng: random.Random | None = None) -> tuple[list[list[float]], list[int]]:
    """`n` points on two interleaving half circles with Gaussian noise; labels -1 (upper) and +1 (lower).

    Built as scikit-learn's `make_moons` (which labels them 0 and 1), shuffled.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an int >= 2, got {n!r}")
    if not noise >= 0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")
    rng = rng or random.Random()
    n_upper = n // 2
    n_lower = n - n_upper

    def angles(k: int) -> list[float]:
        return [math.pi * i / (k - 1) if k > 1 else 0.0 for i in range(k)]

    points = [([math.cos(t), math.sin(t)], -1) for t in angles(n_upper)]
    points += [([1 - math.cos(t), 0.5 - math.sin(t)], 1) for t in angles(n_lower)]
    rng.shuffle(points)
    X = [[x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)] for (x, y), _ in points]
    return X, [label for _, label in points]
