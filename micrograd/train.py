"""A training loop: forward, loss, zero_grad, backward, step, with progress and early stopping."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import SupportsIndex

from micrograd._checks import integer, real, reals
from micrograd.engine import Operand, Value
from micrograd.losses import accuracy, check_pairs, l2, max_margin, mse
from micrograd.nn import Module
from micrograd.optim import SGD, LearningRate

LOSSES: dict[str, Callable[[Sequence[Value], Sequence[float]], Value]] = {"mse": mse, "max_margin": max_margin}


@dataclass
class History:
    """What `fit` saw: the loss and accuracy of each step's forward pass, before that step's update.

    Attributes:
        loss: $L_k$ for each step $k$ run.
        accuracy: The sign agreement of the scores with the targets at each step (see `accuracy`).
        stopped_at: The step whose loss was under `until`, if training stopped early; else None.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    stopped_at: int | None = None

    @property
    def steps(self) -> int:
        """The number of forward passes run (the last one's update is skipped when it stopped early)."""
        return len(self.loss)


def fit(model: Module, xs: Sequence[Sequence[Operand]], ys: Sequence[float], *, steps: SupportsIndex = 100,
        lr: LearningRate = 0.05, loss: str = "mse", alpha: float = 0.0, until: float | None = None,
        every: SupportsIndex = 0, log: Callable[[str], object] = print) -> History:
    """Train a one-output `model` on the pairs $(x_i, y_i)$ by gradient descent on the whole set.

    Step $k$ computes $L_k = \\ell(f(x_1), \\dots, f(x_n); y) + \\alpha \\sum_j w_j^2$, records it, and
    stops if $L_k$ < `until`; otherwise it zeroes the grads, runs `backward()` and updates
    $w_j \\leftarrow w_j - \\eta_k \\, \\partial L_k / \\partial w_j$ (see `SGD`).

    Args:
        model: A `Module` whose output for one input is a single Value, such as `MLP(2, [16, 16, 1])`.
        xs: The $n$ inputs: lists of numbers, 1-D arrays, or the rows of a 2-D array.
        ys: The $n$ targets (labels $\\pm 1$ for "max_margin" and for the accuracy): a list or a 1-D array.
        steps: The most steps to run (0 runs none).
        lr: The learning rate $\\eta_k$, a number or a schedule `step -> rate` (see `SGD`).
        loss: $\\ell$: "mse" (`mse`) or "max_margin" (`max_margin`).
        alpha: The L2 strength $\\alpha \\ge 0$ (see `l2`); 0 adds no penalty to the graph.
        until: Stop at the first step whose loss is below this, before its update.
        every: Log loss and accuracy every `every` steps, and at the last; 0 logs nothing.
        log: Where log lines go (`print` by default).

    Returns:
        The `History` of loss and accuracy per step.

    Raises:
        ValueError: an unknown loss; `xs` and `ys` of different lengths or empty; a model with several
            outputs; a negative `steps`, `every` or `alpha`; or a bad learning rate.
        TypeError: a target, `alpha` or `until` is not a real number.
    """
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(map(repr, LOSSES))}")
    check_pairs(xs, ys, ("inputs", "targets"))
    targets = reals("targets", ys)
    steps, every = integer("steps", steps, 0), integer("every", every, 0)
    alpha = real("alpha", alpha, minimum=0)
    limit = None if until is None else real("until", until)
    params = model.parameters()
    optimizer = SGD(params, lr)
    history = History()
    for k in range(steps):
        outputs = [model(x) for x in xs]
        scores = [s for s in outputs if isinstance(s, Value)]
        if len(scores) != len(outputs):
            raise ValueError("fit trains a model with one output; this model returns a list")
        total = LOSSES[loss](scores, targets)
        if alpha:
            total = total + l2(params, alpha)
        history.loss.append(total.data)
        history.accuracy.append(accuracy(scores, targets))
        if every and (k % every == 0 or k == steps - 1):
            log(f"step {k:4d}  loss {total.data:.6f}  accuracy {history.accuracy[-1]:.0%}")
        if limit is not None and total.data < limit:
            history.stopped_at = k
            if every:
                log(f"loss {total.data:.6f} < {until} at step {k}: stopped")
            break
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
    return history
