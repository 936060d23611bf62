"""Losses over a model's outputs, each a single Value to call `backward()` on."""

from __future__ import annotations

import math
from collections.abc import Sequence

from micrograd._checks import real, reals
from micrograd.engine import Value


def check_pairs(items: Sequence[object], targets: Sequence[object],
                names: tuple[str, str] = ("predictions", "targets")) -> None:
    """Check that each item has its target: the two sequences (lists or arrays) are non-empty and of one length.

    Args:
        items: Predictions, scores or inputs.
        targets: Their targets or labels.
        names: What to call the two in the error message.

    Raises:
        ValueError: the lengths differ or are 0.
    """
    if len(items) != len(targets) or len(items) == 0:  # len(), not truth: an array's truth is ambiguous
        raise ValueError(f"need as many {names[0]} as {names[1]} (at least one), got {len(items)} and {len(targets)}")


def mse(predictions: Sequence[Value], targets: Sequence[float]) -> Value:
    """Mean squared error, $L = \\frac{1}{n} \\sum_{i=1}^{n} (p_i - y_i)^2$.

    Its gradient is $\\partial L / \\partial p_i = \\frac{2}{n}(p_i - y_i)$.

    Args:
        predictions: The $n$ predictions $p_i$, Values (or numbers).
        targets: The $n$ targets $y_i$: real numbers, a list or a 1-D array.

    Returns:
        $L$, a Value whose graph reaches every prediction.

    Raises:
        ValueError: the lengths differ or are 0.
        TypeError: a target is not a real number (named with its index).
    """
    check_pairs(predictions, targets)
    ys = reals("targets", targets)
    return Value.sum((p - y) ** 2 for p, y in zip(predictions, ys)) / len(ys)


def max_margin(scores: Sequence[Value], labels: Sequence[float]) -> Value:
    """Hinge loss, $L = \\frac{1}{n} \\sum_{i=1}^{n} \\max(0, 1 - y_i s_i)$ for labels $y_i = \\pm 1$.

    A score on the right side of 0 by a margin of at least 1 adds nothing; any other adds
    $\\partial L / \\partial s_i = -y_i / n$.

    Args:
        scores: The $n$ scores $s_i$, Values (or numbers).
        labels: The $n$ labels, each -1 or +1: a list or a 1-D array.

    Returns:
        $L$, a Value.

    Raises:
        ValueError: the lengths differ or are 0, or a label is not $\\pm 1$.
        TypeError: a label is not a real number.
    """
    check_pairs(scores, labels)
    ys = reals("labels", labels)
    wrong = sorted(set(ys) - {-1, 1})[:3]
    if wrong:
        raise ValueError(f"max_margin needs labels -1 or +1, got [{', '.join(format(y, 'g') for y in wrong)}]")
    return Value.sum((1 - y * s).relu() for s, y in zip(scores, ys)) / len(ys)


def l2(parameters: Sequence[Value], alpha: float) -> Value:
    """L2 penalty, $R = \\alpha \\sum_j w_j^2$, whose gradient $2 \\alpha w_j$ pulls each weight toward 0.

    Args:
        parameters: The weights $w_j$, usually `model.parameters()`.
        alpha: The strength $\\alpha \\ge 0$.

    Returns:
        $R$, a Value (0 for no parameters).

    Raises:
        TypeError: `alpha` is not a real number.
        ValueError: `alpha` is negative or not finite.
    """
    return real("alpha", alpha, minimum=0) * Value.sum(p * p for p in parameters)


def accuracy(scores: Sequence[Value | float], labels: Sequence[float]) -> float:
    """The fraction of scores whose sign matches the label's, $\\frac{1}{n} |\\{i : (s_i > 0) = (y_i > 0)\\}|$.

    A score of 0 counts as negative; a NaN score (a diverged model) makes the accuracy NaN, not a guess.

    Args:
        scores: The $n$ scores, Values or numbers (a list or a 1-D array).
        labels: The $n$ labels $\\pm 1$ (any sign works: only $y_i > 0$ is read).

    Returns:
        A float in $[0, 1]$, or NaN.

    Raises:
        ValueError: the lengths differ or are 0.
        TypeError: a score or label is not a real number.
    """
    check_pairs(scores, labels, ("scores", "labels"))
    data = reals("scores", (s.data if isinstance(s, Value) else s for s in scores))
    ys = reals("labels", labels)
    if any(map(math.isnan, data)):
        return math.nan
    return sum((s > 0) == (y > 0) for s, y in zip(data, ys)) / len(ys)
