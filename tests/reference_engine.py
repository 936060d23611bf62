"""micrograd 0.1.0 as a reference: the numbers its README prints, and a closure-based engine that
builds its graph the way 0.1.0 does (tests/test_compat.py, tests/test_memory.py, tests/test_torch.py).
"""

from __future__ import annotations

from collections.abc import Callable

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
