"""Stochastic gradient descent: $p \\leftarrow p - \\eta_k \\, \\partial L / \\partial p$."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from micrograd._checks import real
from micrograd.engine import Value

LearningRate = float | Callable[[int], float]


class SGD:
    """Plain gradient descent: each `step()` sets $p \\leftarrow p - \\eta_k \\, \\partial L / \\partial p$.

    Args:
        parameters: The Values to train, usually `model.parameters()` (a list, or an array of Values).
        lr: The learning rate $\\eta_k$: a positive number (numpy's too), or a schedule, a function of
            the step number $k$ (counted from 0) that returns a rate $\\ge 0$.

    Raises:
        TypeError: a parameter is not a Value, or `lr` is neither a number nor callable.
        ValueError: `lr` is not a positive finite number.
    """

    def __init__(self, parameters: Iterable[Value], lr: LearningRate = 0.05) -> None:
        self.parameters = list(parameters)
        wrong = next((i for i, p in enumerate(self.parameters) if not isinstance(p, Value)), None)
        if wrong is not None:
            p = self.parameters[wrong]
            raise TypeError(f"SGD trains Values; parameters[{wrong}] is {type(p).__name__}: {p!r}")
        self.lr: LearningRate = lr if callable(lr) else real("learning rate", lr, positive=True)
        self.steps = 0

    def rate(self) -> float:
        """The learning rate $\\eta_k$ of the next step, $k$ = `self.steps`.

        Raises:
            TypeError: the schedule returned something that is not a real number.
            ValueError: the schedule returned a negative or non-finite rate.
        """
        if not callable(self.lr):
            return self.lr
        return real(f"the learning rate schedule's rate for step {self.steps}", self.lr(self.steps), minimum=0)

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0: `backward()` adds to it."""
        for p in self.parameters:
            p.grad = 0.0

    def step(self) -> None:
        """Move every parameter downhill on $L$: $p \\leftarrow p - \\eta_k \\, \\partial L / \\partial p$.

        Then $k \\leftarrow k + 1$.
        """
        lr = self.rate()
        for p in self.parameters:
            p.data -= lr * p.grad
        self.steps += 1
