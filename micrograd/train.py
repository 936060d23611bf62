"""A training loop: forward, loss, zero_grad, backward, step, with progress and early stopping."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from micrograd.engine import Operand, Value
from micrograd.losses import accuracy, check_pairs, l2, max_margin, mse
from micrograd.nn import Module
from micrograd.optim import SGD, LearningRate

LOSSES: dict[str, Callable[[Sequence[Value], Sequence[float]], Value]] = {"mse": mse, "max_margin": max_margin}


@dataclass
class History:
    """What `fit` saw: the loss and accuracy after each step's forward pass."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    stopped_at: int | None = None  # the step whose loss was under `until`, if it stopped early

    @property
    def steps(self) -> int:
        return len(self.loss)


def fit(model: Module, xs: Sequence[Sequence[Operand]], ys: Sequence[float], *, steps: int = 100,
        lr: LearningRate = 0.05, loss: str = "mse", alpha: float = 0.0, until: float | None = None,
        every: int = 0, log: Callable[[str], object] = print) -> History:
    """Train `model` (one output) on `(xs, ys)` by SGD; every `every` steps log loss and accuracy.

    The loss is `loss` ("mse" or "max_margin") plus `alpha` times the L2 penalty; training stops
    early once it is below `until`. Accuracy is the sign agreement with labels of ±1.
    """
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(map(repr, LOSSES))}")
    check_pairs(xs, ys, ("inputs", "targets"))
    params = model.parameters()
    optimizer = SGD(params, lr)
    history = History()
    for k in range(steps):
        outputs = [model(x) for x in xs]
        scores = [s for s in outputs if isinstance(s, Value)]
        if len(scores) != len(outputs):
            raise ValueError("fit trains a model with one output; this model returns a list")
        total = LOSSES[loss](scores, ys)
        if alpha:
            total = total + l2(params, alpha)
        history.loss.append(total.data)
        history.accuracy.append(accuracy(scores, ys))
        if every and (k % every == 0 or k == steps - 1):
            log(f"step {k:4d}  loss {total.data:.6f}  accuracy {history.accuracy[-1]:.0%}")
        if until is not None and total.data < until:
            history.stopped_at = k
            if every:
                log(f"loss {total.data:.6f} < {until} at step {k}: stopped")
            break
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
    return history
