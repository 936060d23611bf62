"""A scalar reverse-mode autograd engine: one `Value` class.

Every operation has the same shape: compute the result, record the inputs and the
*local* derivative d(out)/d(input) of each, return the new `Value`. `backward()` then
walks the graph once in reverse topological order and applies the chain rule,
``child.grad += local * node.grad``.

Local derivatives are stored as numbers, not as closures: a closure stored on the node
it refers to is a reference cycle, and freeing every training step's graph would then
fall to Python's cyclic garbage collector. Here a graph is freed by reference counting.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable, Sequence
from numbers import Real
from operator import attrgetter, mul
from typing import TypeGuard, Union

Number = int | float
Operand = Union["Value", Number]
_new = object.__new__  # a bare instance, for _node to fill in
_grad = attrgetter("grad")


def _is_real(x: object) -> TypeGuard[Real]:
    """True for a real number (int, float, any `numbers.Real`), False for a bool or anything else."""
    return type(x) is float or type(x) is int or (isinstance(x, Real) and not isinstance(x, bool))


def _as_float(x: object) -> float:
    """The float value of a real number; TypeError (naming the type) for anything else."""
    if not _is_real(x):
        raise TypeError(f"Value needs a real number (int or float), got {type(x).__name__}: {x!r}")
    return float(x)


class Value:
    """A scalar that remembers how it was computed, so gradients can flow back to its inputs."""

    __slots__ = ("data", "grad", "label", "_prev", "_local", "_op")

    def __init__(self, data: Number, _children: tuple[Value, ...] = (), _op: str = "",
                 label: str = "", _local: tuple[float, ...] = ()) -> None:
        self.data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        self.label = label
        self._prev = tuple(_children)  # a tuple, not a set: the graph's order is deterministic
        self._local = _local  # d(self)/d(child) for each child, in the same order
        self._op = _op

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"

    # ---- primitive operations: out, its children, and the local derivative of each ----

    def __add__(self, other: Operand) -> Value:
        """Addition $f(a, b) = a + b$; $f'_a = f'_b = 1$."""
        o = _lift(other)
        if o is None:
            return NotImplemented
        return _node(self.data + o.data, (self, o), "+", (1.0, 1.0))

    def __mul__(self, other: Operand) -> Value:
        """Multiplication $f(a, b) = a b$; $f'_a = b$, $f'_b = a$."""
        o = _lift(other)
        if o is None:
            return NotImplemented
        return _node(self.data * o.data, (self, o), "*", (o.data, self.data))

    def __sub__(self, other: Operand) -> Value:
        """Subtraction $f(a, b) = a - b$; $f'_a = 1$, $f'_b = -1$."""
        o = _lift(other)
        if o is None:
            return NotImplemented
        return _node(self.data - o.data, (self, o), "-", (1.0, -1.0))

    def __neg__(self) -> Value:
        """Negation $f(a) = -a$; $f'_a = -1$."""
        return _node(-self.data, (self,), "neg", (-1.0,))

    def __truediv__(self, other: Operand) -> Value:
        """Division $f(a, b) = a / b$; $f'_a = 1/b$, $f'_b = -a/b^2$."""
        o = _lift(other)
        if o is None:
            return NotImplemented
        a, b = self.data, o.data
        if b == 0.0:
            raise ZeroDivisionError(f"division by zero: {a} / {b}")
        return _node(a / b, (self, o), "/", (1.0 / b, -a / (b * b)))

    def __pow__(self, other: Operand) -> Value:
        """Power $f(a, k) = a^k$; $f'_a = k a^{k-1}$, and for a Value exponent $f'_k = a^k \\ln a$."""
        if isinstance(other, Value):
            a, k = self.data, other.data
            out = _pow(a, k)
            # d(a^k)/dk = a^k ln a: 0 at a = 0 (k > 0), and no real derivative for a < 0 (as torch: nan)
            dk = out * math.log(a) if a > 0 else (0.0 if a == 0 else math.nan)
            return _node(out, (self, other), "**", (_dpow(a, k), dk))
        if not _is_real(other):
            return NotImplemented
        k = float(other)
        return _node(_pow(self.data, k), (self,), f"**{other}", (_dpow(self.data, k),))

    def exp(self) -> Value:
        """Exponential $f(x) = e^x$; $f'(x) = e^x$."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.data}) overflows a float (largest is about exp(709.78))") from None
        return _node(out, (self,), "exp", (out,))

    def log(self) -> Value:
        """Natural logarithm $f(x) = \\ln x$ for $x > 0$; $f'(x) = 1/x$."""
        x = self.data
        if not x > 0:
            raise ValueError(f"log is defined only for x > 0, got log({x})")
        return _node(math.log(x), (self,), "log", (1.0 / x,))

    def tanh(self) -> Value:
        """Hyperbolic tangent $f(x) = \\tanh x$; $f'(x) = 1 - \\tanh^2 x$ (finite for any x)."""
        t = math.tanh(self.data)
        return _node(t, (self,), "tanh", (1.0 - t * t,))

    def sigmoid(self) -> Value:
        """Logistic $f(x) = 1 / (1 + e^{-x})$; $f'(x) = f(x)(1 - f(x))$."""
        x = self.data
        if x >= 0:  # exp of a non-positive number only: never overflows
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        return _node(s, (self,), "sigmoid", (s * (1.0 - s),))

    def relu(self) -> Value:
        """Rectified linear unit $f(x) = \\max(0, x)$; $f'(x) = 1$ for $x > 0$, else 0."""
        if self.data > 0:
            return _node(self.data, (self,), "ReLU", (1.0,))
        return _node(0.0, (self,), "ReLU", (0.0,))

    @staticmethod
    def sum(values: Iterable[Operand], start: Operand = 0.0) -> Value:
        """One node for $f(x_1, ..., x_n) = s + \\sum_i x_i$; $f'_{x_i} = 1$."""
        vs = [v if isinstance(v, Value) else Value(v) for v in values]
        total = _as_float(start) if not isinstance(start, Value) else start.data
        for v in vs:  # left to right, as builtin sum() adds
            total += v.data
        if isinstance(start, Value):
            vs.insert(0, start)
        return _node(total, tuple(vs), "sum", (1.0,) * len(vs))

    @staticmethod
    def dot(w: Sequence[Value], x: Sequence[Operand], b: Value) -> Value:
        """A neuron's $f(w, x, b) = b + \\sum_i w_i x_i$ as one node; $f'_{w_i} = x_i$, $f'_{x_i} = w_i$, $f'_b = 1$."""
        if len(w) != len(x):
            raise ValueError(f"dot product of {len(w)} weights with {len(x)} inputs")
        xs = [xi if isinstance(xi, Value) else Value(xi) for xi in x]
        xd, wd = [xi.data for xi in xs], [wi.data for wi in w]
        total = b.data
        for p in map(mul, wd, xd):  # bias first, then left to right: the float sum of micrograd 0.1.0
            total += p
        return _node(total, (*w, *xs, b), "dot", (*xd, *wd, 1.0))

    # ---- derived operations: one line each ----

    __radd__ = __add__  # other + self: the same sum, as addition commutes
    __rmul__ = __mul__  # other * self: the same product

    def __rsub__(self, other: Number) -> Value:  # other - self
        lifted = _lift(other)
        return NotImplemented if lifted is None else lifted - self

    def __rtruediv__(self, other: Number) -> Value:  # other / self
        lifted = _lift(other)
        return NotImplemented if lifted is None else lifted / self

    def __rpow__(self, other: Number) -> Value:  # other ** self
        lifted = _lift(other)
        return NotImplemented if lifted is None else lifted ** self

    # ---- backpropagation ----

    def _backward(self) -> None:
        """Chain rule for this node alone: add local derivative times this grad into each child."""
        g = self.grad
        for child, d in zip(self._prev, self._local):
            child.grad += d * g

    def topological_order(self) -> list[Value]:
        """Every node this one depends on, each after all of its inputs (iterative: no depth limit)."""
        topo: list[Value] = []
        visited = {self}
        # the path from the root, as the recursive sort's call stack: each node and its unvisited children
        path, children = [self], [iter(self._prev)]
        # Pause the cyclic collector: on a deep graph the path holds many iterators at once, whose
        # allocation would trigger full collections that each scan the whole graph (quadratic time).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            while path:
                for child in children[-1]:
                    if child not in visited:
                        visited.add(child)
                        if child._prev:  # descend; a leaf needs no stack entry, it is placed at once
                            path.append(child)
                            children.append(iter(child._prev))
                            break
                        topo.append(child)
                else:  # all inputs placed: the node goes after them
                    children.pop()
                    topo.append(path.pop())
        finally:
            if was_enabled:
                gc.enable()
        return topo

    def backward(self) -> None:
        """Add d(self)/d(node) to every node's grad, d(self)/d(self) = 1: grads accumulate until zeroed."""
        topo = self.topological_order()
        # This pass starts from zero and adds earlier grads back at the end: pushed through the
        # graph again, an earlier pass's grads would be counted once more at every level.
        replay = any(map(_grad, topo))
        if replay:
            earlier = list(map(_grad, topo))
            for v in topo:
                v.grad = 0.0
        self.grad = 1.0
        for v in reversed(topo):
            g, local, i = v.grad, v._local, 0
            for child in v._prev:  # a counter, not zip(): no iterator object to make for each node
                child.grad += local[i] * g
                i += 1  # noqa: SIM113 - enumerate() would be the iterator this loop avoids
        if replay:
            for v, g in zip(topo, earlier):
                v.grad += g


def _lift(x: object) -> Value | None:
    """A Value as is, a real number wrapped as a constant Value, None for anything else."""
    if isinstance(x, Value):
        return x
    return _node(float(x), (), "", ()) if _is_real(x) else None


def _node(data: float, children: tuple[Value, ...], op: str, local: tuple[float, ...]) -> Value:
    """A new Value from a float the engine made: `Value()`'s checks are for user input only."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._prev = children
    out._local = local
    out._op = op
    return out


def _pow(a: float, k: float) -> float:
    """$a^k$ in the reals, with errors that name the operands."""
    if a < 0 and not k.is_integer():
        raise ValueError(f"{a} ** {k}: a negative base needs an integer exponent (the result is not real)")
    if a == 0 and k < 0:
        raise ZeroDivisionError(f"{a} ** {k}: zero cannot be raised to a negative power")
    try:
        out: float = a ** k  # float ** float is typed Any (it can be complex); the checks above keep it real
    except OverflowError:
        raise OverflowError(f"{a} ** {k} overflows a float") from None
    return out


def _dpow(a: float, k: float) -> float:
    """$d(a^k)/da = k a^{k-1}$; infinite at a = 0 when 0 < k < 1, as the slope is."""
    if k == 0:
        return 0.0
    if a == 0 and k < 1:
        return math.inf
    try:
        slope: float = k * a ** (k - 1)  # real: _pow has already rejected a negative base with a fractional k
    except OverflowError:
        return math.copysign(math.inf, k)
    return slope
