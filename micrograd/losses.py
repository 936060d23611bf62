"""Losses over a model's outputs, each a single Value to call `backward()` on."""

from __future__ import annotations

from collections.abc import Sequence

from micrograd.engine import Value


def check_pairs(items: Sequence[object], targets: Sequence[object],
                names: tuple[str, str] = ("predictions", "targets")) -> None:
    """ValueError unless the two sequences are non-empty and of one length (each item has its target)."""
    if len(items) != len(targets) or not items:
        raise ValueError(f"need as many {names[0]} as {names[1]} (at least one), got {len(items)} and {len(targets)}")


def mse(predictions: Sequence[Value], targets: Sequence[float]) -> Value:
    """Mean squared error $L = \\frac{1}{n} \\sum_i (p_i - y_i)^2$."""
    check_pairs(predictions, targets)
    return Value.sum((p - y) ** 2 for p, y in zip(predictions, targets)) / len(predictions)


def max_margin(scores: Sequence[Value], labels: Sequence[float]) -> Value:
    """Hinge loss for labels $y_i = \\pm 1$: $L = \\frac{1}{n} \\sum_i \\max(0, 1 - y_i s_i)$."""
    check_pairs(scores, labels)
    if any(y not in (-1, 1) for y in labels):
        raise ValueError(f"max_margin needs labels -1 or +1, got {sorted(set(labels) - {-1, 1})[:3]}")
    return Value.sum((1 - y * s).relu() for s, y in zip(scores, labels)) / len(scores)


def l2(parameters: Sequence[Value], alpha: float) -> Value:
    """L2 penalty $\\alpha \\sum_j w_j^2$, which pulls weights toward zero."""
    return alpha * Value.sum(p * p for p in parameters)


def accuracy(scores: Sequence[Value | float], labels: Sequence[float]) -> float:
    """Fraction of scores whose sign matches the $\\pm 1$ label (score 0 counts as negative)."""
    check_pairs(scores, labels, ("scores", "labels"))
    data = [s.data if isinstance(s, Value) else s for s in scores]
    return sum((s > 0) == (y > 0) for s, y in zip(data, labels)) / len(labels)
