"""Stochastic gradient descent: $p \\leftarrow p - \\eta_k \\, \\partial L / \\partial p$."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from micrograd.engine import Value

LearningRate = float | Callable[[int], float]


class SGD:
    """Plain gradient descent; `lr` is a number or a schedule `step -> rate` (step counts from 0)."""

    def __init__(self, parameters: Iterable[Value], lr: LearningRate = 0.05) -> None:
        self.parameters = list(parameters)
        if not callable(lr) and not lr > 0:
            raise ValueError(f"learning rate must be positive, got {lr!r}")
        self.lr = lr
        self.steps = 0

    def rate(self) -> float:
        """The learning rate for the next step."""
        return self.lr(self.steps) if callable(self.lr) else self.lr

    def zero_grad(self) -> None:
        """Reset every gradient: backward() adds to them."""
        for p in self.parameters:
            p.grad = 0.0

    def step(self) -> None:
        """Move every parameter against its gradient: downhill on the loss."""
        lr = self.rate()
        for p in self.parameters:
            p.data -= lr * p.grad
        self.steps += 1
