"""A scalar reverse-mode autograd engine: one `Value` class.

Every operation has the same shape: compute the result, record the inputs and the
*local* derivative d(out)/d(input) of each, return the new `Value`. `backward()` then
walks the graph once in reverse topological order and applies the chain rule,
``child.grad += local * node.grad``.

Local derivatives are stored as numbers, not as closures: a closure stored on the node it refers to is a
reference cycle, and freeing every training step's graph would then fall to Python's cyclic garbage collector.
Here a graph is freed by reference counting (a node of your own may still take a closure, as in the lecture).
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import mul
from typing import Any, Union

from micrograd._floats import as_float, dpow, finite, is_real, power

Number = int | float
Operand = Union["Value", Number]
_new = object.__new__  # a bare instance, for _node to fill in


class Value:
    """A scalar that remembers how it was computed, so gradients can flow back to its inputs.

    Args:
        data: any real number, stored as a float.
        _children: for a new operation: its inputs.
        _op: the operation's name, for diagrams.
        label: a name for diagrams.
        _local: d(self)/d(child) for each child; leave it out only to set `_backward` to a closure.

    Raises:
        TypeError: data is not a real number, or a child is not a Value.
        OverflowError: data is too large for a float (10**400, say).
        ValueError: `_local` is given, but not one number per child.
    """

    __slots__ = ("data", "grad", "label", "_prev", "_local", "_op")

    def __init__(self, data: Number, _children: Iterable[Value] = (), _op: str = "",
                 label: str = "", _local: Iterable[float] = ()) -> None:
        self.data = data if type(data) is float else as_float(data)
        self.grad = 0.0
        self.label = label
        self._prev = tuple(_children)  # a tuple, not a set: the graph's order is deterministic
        self._local: tuple[float, ...] | Callable[[], None] | None = tuple(map(as_float, _local)) if _local else ()
        self._op = _op
        if self._prev and not all(isinstance(c, Value) for c in self._prev):  # leaves, the common case, skip it
            raise TypeError(f"the children of a Value must be Values, got {self._prev!r}")
        if self._prev and not self._local:
            self._local = None  # waiting for a closure; backward() says what is missing if none comes
        elif len(self._local) != len(self._prev):
            raise ValueError(f"Value({self.data}, op {_op!r}) has {len(self._prev)} children and {len(self._local)} "
                             "local derivatives: pass one d(out)/d(child) per child, in the children's order")

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"

    # ---- primitive operations: out, its children, and the local derivative of each ----

    def __add__(self, other: Operand) -> Value:
        """Addition $f(a, b) = a + b$; $f'_a = f'_b = 1$."""
        if (o := other if type(other) is Value else _lift(other)) is None:  # a Value skips the call
            return NotImplemented
        return _node(self.data + o.data, (self, o), "+", (1.0, 1.0))

    def __mul__(self, other: Operand) -> Value:
        """Multiplication $f(a, b) = a b$; $f'_a = b$, $f'_b = a$."""
        if (o := other if type(other) is Value else _lift(other)) is None:  # a Value skips the call
            return NotImplemented
        return _node(self.data * o.data, (self, o), "*", (o.data, self.data))

    def __sub__(self, other: Operand) -> Value:
        """Subtraction $f(a, b) = a - b$; $f'_a = 1$, $f'_b = -1$."""
        if (o := other if type(other) is Value else _lift(other)) is None:  # a Value skips the call
            return NotImplemented
        return _node(self.data - o.data, (self, o), "-", (1.0, -1.0))

    def __neg__(self) -> Value:
        """Negation $f(a) = -a$; $f'_a = -1$."""
        return _node(-self.data, (self,), "neg", (-1.0,))

    def __truediv__(self, other: Operand) -> Value:
        """Division $f(a, b) = a / b$; $f'_a = 1/b$, $f'_b = -a/b^2$, computed as $-(a/b)/b$ (as PyTorch does).

        Raises:
            ZeroDivisionError: b is 0 and a is finite.
        """
        if (o := other if type(other) is Value else _lift(other)) is None:  # a Value skips the call
            return NotImplemented
        a, b = self.data, o.data
        if b == 0.0:
            if finite(a):
                raise ZeroDivisionError(f"division by zero: {a} / {b}")
            r = math.copysign(math.inf, b)  # NaN or ±inf over ±0: as float64 divides, which Python refuses
            return _node(a * r, (self, o), "/", (r, -a * r * r))
        out = a / b
        return _node(out, (self, o), "/", (1.0 / b, -out / b))  # not -a/(b*b), which underflows for tiny b

    def __pow__(self, other: Operand) -> Value:
        """Power $f(a, k) = a^k$; $f'_a = k a^{k-1}$, and for a Value exponent $f'_k = a^k \\ln a$.

        Raises:
            ValueError: a < 0 and k is not an integer (finite ones).
            ZeroDivisionError: a = 0 and k < 0.
        """
        if isinstance(other, Value):
            a, k = self.data, other.data
            out = power(a, k)
            # d(a^k)/dk = a^k ln a: 0 at a = 0 for k >= 0 (the limit), NaN for a < 0 (no real log), as in torch
            dk = 0.0 if a == 0 and k >= 0 else out * (math.log(a) if a > 0 else -math.inf if a == 0 else math.nan)
            return _node(out, (self, other), "**", (dpow(a, k), dk))
        if not is_real(other):
            return NotImplemented
        k = float(other)
        return _node(power(self.data, k), (self,), f"**{other}", (dpow(self.data, k),))

    def exp(self) -> Value:
        """Exponential $f(x) = e^x$; $f'(x) = e^x$. Raises OverflowError for x above about 709.78."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.data}) overflows a float (largest is about exp(709.78))") from None
        return _node(out, (self,), "exp", (out,))

    def log(self) -> Value:
        """Natural logarithm $f(x) = \\ln x$; $f'(x) = 1/x$. Raises ValueError for a finite $x \\le 0$."""
        x = self.data
        if not x > 0:
            if finite(x):
                raise ValueError(f"log is defined only for x > 0, got log({x})")
            return _node(math.nan, (self,), "log", (1.0 / x,))  # x is -inf or NaN: no real log
        return _node(math.log(x), (self,), "log", (1.0 / x,))

    def tanh(self) -> Value:
        """Hyperbolic tangent $f(x) = \\tanh x$; $f'(x) = 1 - \\tanh^2 x$ (finite for any x)."""
        t = math.tanh(self.data)
        return _node(t, (self,), "tanh", (1.0 - t * t,))

    def sigmoid(self) -> Value:
        """Logistic $f(x) = 1 / (1 + e^{-x})$; $f'(x) = f(x)(1 - f(x))$."""
        x = self.data
        e = math.exp(-abs(x))  # exp of a non-positive number only: never overflows
        s = 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)
        return _node(s, (self,), "sigmoid", (s * (1.0 - s),))

    def relu(self) -> Value:
        """Rectified linear unit $f(x) = \\max(0, x)$; $f'(x) = 1$ for $x > 0$, else 0; NaN stays NaN."""
        x = self.data
        if x <= 0:
            return _node(0.0, (self,), "ReLU", (0.0,))
        return _node(x, (self,), "ReLU", (1.0,))  # x > 0, or NaN with the slope PyTorch gives it

    @staticmethod
    def sum(values: Iterable[Operand], start: Operand = 0.0) -> Value:
        """One node for $f(x_1, ..., x_n) = s + \\sum_i x_i$; $f'_{x_i} = 1$.

        Args:
            values: the terms $x_i$, Values or numbers (a number becomes a constant leaf).
            start: $s$, added first as builtin sum() does; a Value start is a child too.
        """
        vs = [v if isinstance(v, Value) else Value(v) for v in values]
        total = as_float(start) if not isinstance(start, Value) else start.data
        for v in vs:  # left to right, as builtin sum() adds
            total += v.data
        if isinstance(start, Value):
            vs.insert(0, start)
        return _node(total, tuple(vs), "sum", (1.0,) * len(vs))

    @staticmethod
    def dot(w: Sequence[Value], x: Sequence[Operand], b: Value) -> Value:
        """A neuron's $f(w, x, b) = b + \\sum_i w_i x_i$ as one node; $f'_{w_i} = x_i$, $f'_{x_i} = w_i$, $f'_b = 1$.

        Args:
            w: the weights.
            x: the inputs, Values or numbers.
            b: the bias.

        Raises:
            ValueError: w and x differ in length.
        """
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
        return NotImplemented if (lifted := _lift(other)) is None else lifted - self

    def __rtruediv__(self, other: Number) -> Value:  # other / self
        return NotImplemented if (lifted := _lift(other)) is None else lifted / self

    def __rpow__(self, other: Number) -> Value:  # other ** self
        return NotImplemented if (lifted := _lift(other)) is None else lifted ** self

    # ---- backpropagation ----

    @property
    def _backward(self) -> Callable[[], None]:
        """The chain rule for this node alone (add local derivative times grad into each child), or your closure."""
        return self._local if callable(self._local) else self._chain_rule

    @_backward.setter
    def _backward(self, closure: Callable[[], None]) -> None:
        self._local = closure

    def _chain_rule(self) -> None:
        if self._local is None:
            raise ValueError(f"Value({self.data}, op {self._op!r}) has children but no local derivatives: pass "
                             "_local=(d(out)/d(child), ...) to Value(), or set out._backward to a closure")
        if callable(self._local):
            return self._local()
        for child, d in zip(self._prev, self._local):
            child.grad += d * self.grad

    def topological_order(self) -> list[Value]:
        """Every node this one depends on, each after all of its inputs (iterative: no depth limit).

        Returns:
            The nodes, depth first along each node's children, this one last.
        """
        return self._sort()[0]

    def _sort(self) -> tuple[list[Value], bool]:
        """topological_order(), and whether any node already has a grad (backward() then replays), in one pass."""
        topo: list[Value] = []
        visited = {self}
        any_grad = self.grad != 0.0
        # the recursive sort's call stack: the path's nodes, each with its children's iterator (the innermost in locals)
        nodes: list[Value] = []
        todos: list[Iterator[Value]] = []
        node, todo = self, iter(self._prev)
        # On a deep graph the path holds many iterators at once, whose allocation would trigger full
        # collections that each scan the whole graph (quadratic time); nothing here makes a cycle.
        was_enabled = gc.isenabled()  # not a context manager: this runs at every backward(), and is cheaper
        gc.disable()
        try:
            while True:
                for child in todo:
                    if child not in visited:
                        visited.add(child)
                        if child.grad:
                            any_grad = True
                        if child._prev:  # descend; a leaf needs no stack entry, it is placed at once
                            nodes.append(node)
                            todos.append(todo)
                            node, todo = child, iter(child._prev)
                            break
                        topo.append(child)
                else:  # all inputs placed: the node goes after them, and its parent's loop resumes
                    topo.append(node)
                    if not nodes:
                        return topo, any_grad
                    node, todo = nodes.pop(), todos.pop()
        finally:
            if was_enabled:
                gc.enable()

    def backward(self) -> None:
        """Add d(self)/d(node) to every node's grad, d(self)/d(self) = 1: grads accumulate until zeroed.

        The loop is each node's `_backward()` in reverse topological order, inlined for speed. It
        skips a node whose grad is 0 if its local derivatives are finite: it would add only zeros.

        Raises:
            ValueError: a node made with children has neither local derivatives nor a closure.
        """
        topo, replay = self._sort()
        # This pass starts from zero and adds earlier grads back at the end: pushed through the
        # graph again, an earlier pass's grads would be counted once more at every level.
        if replay:
            earlier = [v.grad for v in topo]
            for v in topo:
                v.grad = 0.0
        self.grad = 1.0
        local: Any  # numbers, or a lecture-style node's closure (or None): the except clause takes those
        for v in reversed(topo):
            g, local, i = v.grad, v._local, 0
            try:
                if g or sum(local) * 0.0 != 0.0:  # 0 * an infinite or NaN local is NaN, and must be added
                    for child in v._prev:  # a counter, not zip(): no iterator object to make for each node
                        child.grad += local[i] * g
                        i += 1
            except TypeError:  # a lecture-style node: no numbers to index or add up
                v._chain_rule()
        if replay:
            for v, g in zip(topo, earlier):
                v.grad += g


def _lift(x: object) -> Value | None:
    """A Value as is, a real number wrapped as a constant Value, None for anything else."""
    if isinstance(x, Value):
        return x
    return _node(float(x), (), "", ()) if type(x) is float or type(x) is int or is_real(x) else None


def _node(data: float, children: tuple[Value, ...], op: str, local: tuple[float, ...]) -> Value:
    """A new Value from a float the engine made: `Value()`'s checks are for user input only."""
    if data - data and children and finite(*(c.data for c in children)):  # NaN or ±inf from finite inputs
        raise OverflowError(f"{op} of {', '.join(str(c.data) for c in children)}: the result is too large for a float")
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._prev = children
    out._local = local
    out._op = op
    return out
