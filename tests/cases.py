"""Shared test data: every operation with its math, micrograd 0.1.0's two test expressions,
and a closure-based engine built the way 0.1.0 builds its graph (the reference for its habits).

Each operation is written once, in a spelling that works on micrograd Values and on PyTorch
tensors alike (`a.exp()`, `2 ** a`, ...), so the analytic, numerical and PyTorch checks all
test the same expression.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from micrograd import Value


def reals(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Finite floats in [lo, hi]."""
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def away_from_zero(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Floats with lo <= |x| <= hi, of either sign (for a denominator, or relu away from its kink)."""
    return st.one_of(reals(lo, hi), reals(-hi, -lo))


def sigmoid(x: float) -> float:
    """The logistic function $1 / (1 + e^{-x})$ on floats."""
    return 1.0 / (1.0 + math.exp(-x))


@dataclass(frozen=True)
class OpCase:
    """One operation: how to spell it, its value and partial derivatives in closed form, and where
    it is smooth (the inputs to draw)."""

    name: str
    f: Callable[..., Any]  # on Values, and on tensors unless `torch_f` says otherwise
    value: Callable[..., float]  # the forward pass with the math module
    grad: Callable[..., tuple[float, ...]]  # d f / d each argument
    domain: st.SearchStrategy[tuple[float, ...]]
    torch_f: Callable[..., Any] | None = None

    @property
    def tensor_f(self) -> Callable[..., Any]:
        return self.torch_f or self.f

    def numeric_grad(self, args: Sequence[float], h: float = 1e-6) -> tuple[float, ...]:
        """Central differences $(f(x + h) - f(x - h)) / 2h$ of the math-module forward pass."""
        out = []
        for i in range(len(args)):
            up = [x + h if j == i else x for j, x in enumerate(args)]
            down = [x - h if j == i else x for j, x in enumerate(args)]
            out.append((self.value(*up) - self.value(*down)) / (2 * h))
        return tuple(out)


def _pair(lo: float = -3.0, hi: float = 3.0) -> st.SearchStrategy[tuple[float, float]]:
    return st.tuples(reals(lo, hi), reals(lo, hi))


def _one(strategy: st.SearchStrategy[float]) -> st.SearchStrategy[tuple[float]]:
    return st.tuples(strategy)


OP_CASES: list[OpCase] = [
    OpCase("a + b", lambda a, b: a + b, lambda a, b: a + b, lambda a, b: (1.0, 1.0), _pair()),
    OpCase("a - b", lambda a, b: a - b, lambda a, b: a - b, lambda a, b: (1.0, -1.0), _pair()),
    OpCase("a * b", lambda a, b: a * b, lambda a, b: a * b, lambda a, b: (b, a), _pair()),
    OpCase("a / b", lambda a, b: a / b, lambda a, b: a / b, lambda a, b: (1 / b, -a / b**2),
           st.tuples(reals(-3, 3), away_from_zero(0.1, 3))),
    OpCase("a ** 3", lambda a: a**3, lambda a: a**3, lambda a: (3 * a**2,), _one(reals(-3, 3))),
    OpCase("a ** 0", lambda a: a**0, lambda a: 1.0, lambda a: (0.0,), _one(reals(-3, 3))),
    OpCase("a ** 2.5", lambda a: a**2.5, lambda a: a**2.5, lambda a: (2.5 * a**1.5,), _one(reals(0.1, 3))),
    OpCase("a ** -2", lambda a: a**-2, lambda a: a**-2, lambda a: (-2 * a**-3,), _one(away_from_zero(0.2, 3))),
    OpCase("a ** b", lambda a, b: a**b, lambda a, b: a**b, lambda a, b: (b * a ** (b - 1), a**b * math.log(a)),
           st.tuples(reals(0.1, 3), reals(-2, 2))),
    OpCase("-a", lambda a: -a, lambda a: -a, lambda a: (-1.0,), _one(reals(-3, 3))),
    OpCase("2 + a", lambda a: 2 + a, lambda a: 2 + a, lambda a: (1.0,), _one(reals(-3, 3))),
    OpCase("1 - a", lambda a: 1 - a, lambda a: 1 - a, lambda a: (-1.0,), _one(reals(-3, 3))),
    OpCase("2 * a", lambda a: 2 * a, lambda a: 2 * a, lambda a: (2.0,), _one(reals(-3, 3))),
    OpCase("1 / a", lambda a: 1 / a, lambda a: 1 / a, lambda a: (-1 / a**2,), _one(away_from_zero(0.1, 3))),
    OpCase("2 ** a", lambda a: 2**a, lambda a: 2**a, lambda a: (2**a * math.log(2),), _one(reals(-3, 3))),
    OpCase("exp", lambda a: a.exp(), math.exp, lambda a: (math.exp(a),), _one(reals(-5, 5))),
    OpCase("log", lambda a: a.log(), math.log, lambda a: (1 / a,), _one(reals(0.01, 10))),
    OpCase("tanh", lambda a: a.tanh(), math.tanh, lambda a: (1 - math.tanh(a) ** 2,), _one(reals(-5, 5))),
    OpCase("sigmoid", lambda a: a.sigmoid(), sigmoid, lambda a: (sigmoid(a) * (1 - sigmoid(a)),),
           _one(reals(-10, 10))),
    OpCase("relu", lambda a: a.relu(), lambda a: max(a, 0.0), lambda a: (1.0 if a > 0 else 0.0,),
           _one(away_from_zero(1e-3, 3))),
    OpCase("Value.sum", lambda a, b, c: Value.sum([a, b, c]), lambda a, b, c: a + b + c,
           lambda a, b, c: (1.0, 1.0, 1.0), st.tuples(*[reals(-3, 3)] * 3),
           torch_f=lambda a, b, c: a + b + c),
    OpCase("Value.sum with numbers and a start", lambda a, b: Value.sum([a, 2.5, b], start=a),
           lambda a, b: a + a + 2.5 + b, lambda a, b: (2.0, 1.0), _pair(),
           torch_f=lambda a, b: a + a + 2.5 + b),
    OpCase("Value.dot", lambda w1, w2, x1, x2, b: Value.dot([w1, w2], [x1, x2], b),
           lambda w1, w2, x1, x2, b: b + w1 * x1 + w2 * x2,
           lambda w1, w2, x1, x2, b: (x1, x2, w1, w2, 1.0), st.tuples(*[reals(-3, 3)] * 5),
           torch_f=lambda w1, w2, x1, x2, b: b + w1 * x1 + w2 * x2),
    OpCase("Value.dot with number inputs", lambda w1, w2, b: Value.dot([w1, w2], [1.5, -2.0], b),
           lambda w1, w2, b: b + 1.5 * w1 - 2.0 * w2, lambda w1, w2, b: (1.5, -2.0, 1.0),
           st.tuples(*[reals(-3, 3)] * 3), torch_f=lambda w1, w2, b: b + w1 * 1.5 + w2 * -2.0),
    OpCase("Value.dot of a weight with itself", lambda w, b: Value.dot([w, w], [w, 3.0], b),
           lambda w, b: b + w * w + 3 * w, lambda w, b: (2 * w + 3, 1.0), _pair(),
           torch_f=lambda w, b: b + w * w + w * 3.0),
]

CASE_IDS = [case.name for case in OP_CASES]


# ---- micrograd 0.1.0's two tests: the expressions are micrograd.check's, which run on Values and tensors ----

README_NUMBERS = {"g": 24.7041, "dg/da": 138.8338, "dg/db": 645.5773}  # as 0.1.0's README prints them




# ---- the graph as micrograd 0.1.0 builds it: a backward closure stored on its own node ----

class ClosureValue:
    """A scalar whose `_backward` closure refers to the node holding it: the reference cycle of 0.1.0."""

    def __init__(self, data: float, children: tuple[ClosureValue, ...] = ()) -> None:
        self.data = data
        self.grad = 0.0
        self._prev = children
        self._backward: Callable[[], None] = lambda: None

    def __add__(self, other: ClosureValue | float) -> ClosureValue:
        other = other if isinstance(other, ClosureValue) else ClosureValue(other)
        out = ClosureValue(self.data + other.data, (self, other))

        def _backward() -> None:
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    __radd__ = __add__

    def __mul__(self, other: ClosureValue | float) -> ClosureValue:
        other = other if isinstance(other, ClosureValue) else ClosureValue(other)
        out = ClosureValue(self.data * other.data, (self, other))

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def relu(self) -> ClosureValue:
        out = ClosureValue(max(self.data, 0.0), (self,))

        def _backward() -> None:
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward
        return out

    def backward(self) -> None:
        order: list[ClosureValue] = []
        seen: set[int] = set()

        def visit(v: ClosureValue) -> None:
            if id(v) not in seen:
                seen.add(id(v))
                for child in v._prev:
                    visit(child)
                order.append(v)
        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()
