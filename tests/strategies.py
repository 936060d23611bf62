"""Hypothesis strategies, all in one place: finite floats for the operation table's domains
(tests/op_table.py), and random expression graphs with an interpreter that runs one graph on
micrograd Values, on plain floats (for central differences) or on PyTorch tensors.

A graph is a straight-line program: slots 0..n-1 hold the inputs, and each step applies one
operation to earlier slots and appends its result. Steps may reuse any earlier slot, so the
graphs share subexpressions and use inputs many times (the case where gradients must add up),
and the output is the last slot. Operations with a restricted domain are built so that they
stay inside it (`log(a * a + c)`, `a / (b * b + c)`, a positive base for a fractional power);
a graph that lands on relu's kink or overflows is rejected by the test with `reject()`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from micrograd import Value
from micrograd.gradcheck import central_difference


def reals(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Finite floats in [lo, hi]."""
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def away_from_zero(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Floats with lo <= |x| <= hi, of either sign (for a denominator, or relu away from its kink)."""
    return st.one_of(reals(lo, hi), reals(-hi, -lo))


def pairs(lo: float = -3.0, hi: float = 3.0) -> st.SearchStrategy[tuple[float, float]]:
    """Two finite floats in [lo, hi]."""
    return st.tuples(reals(lo, hi), reals(lo, hi))


def singles(strategy: st.SearchStrategy[float]) -> st.SearchStrategy[tuple[float]]:
    """One draw of `strategy` as a 1-tuple, the shape of a one-argument operation's inputs."""
    return st.tuples(strategy)


def sigmoid(x: float) -> float:
    """The logistic function $1 / (1 + e^{-x})$ on floats (the float backend's, and the operation table's)."""
    return 1.0 / (1.0 + math.exp(-x))


LARGEST = 1e4  # an output above this counts as overflow: central differences would lose too many digits


class Reject(Exception):
    """The graph is not smooth or not finite at this point; the test draws another."""


class ValueBackend:
    """The functions a graph needs beyond Python's operators, on Values (tensors spell them alike)."""

    def exp(self, a: Any) -> Any:
        return a.exp()

    def log(self, a: Any) -> Any:
        return a.log()

    def tanh(self, a: Any) -> Any:
        return a.tanh()

    def sigmoid(self, a: Any) -> Any:
        return a.sigmoid()

    def relu(self, a: Any) -> Any:
        return a.relu()

    def sum(self, xs: Sequence[Any]) -> Any:
        return Value.sum(xs)

    def dot(self, w: Sequence[Any], x: Sequence[Any], b: Any) -> Any:
        return Value.dot(w, x, b)


class FloatBackend(ValueBackend):
    """Floats with the math module; records every relu input so a kink inside ±h can be found."""

    def __init__(self) -> None:
        self.relu_inputs: list[float] = []

    def exp(self, a: float) -> float:
        if a > math.log(LARGEST):
            raise Reject(f"exp({a}) is too large")
        return math.exp(a)

    def log(self, a: float) -> float:
        return math.log(a)

    def tanh(self, a: float) -> float:
        return math.tanh(a)

    def sigmoid(self, a: float) -> float:
        return sigmoid(a)

    def relu(self, a: float) -> float:
        self.relu_inputs.append(a)
        return max(a, 0.0)

    def sum(self, xs: Sequence[float]) -> float:
        return sum(xs)

    def dot(self, w: Sequence[float], x: Sequence[float], b: float) -> float:
        return b + sum(wi * xi for wi, xi in zip(w, x))


# Operations by how many slots they read; `sum` reads 1 to 4, `dot` k weights, k inputs and a bias.
UNARY = ["neg", "exp", "log", "tanh", "sigmoid", "relu", "square", "cube", "pow_c", "c_plus", "c_minus",
         "c_times", "c_over", "c_pow"]
BINARY = ["add", "sub", "mul", "div", "pow"]
NARY = ["sum", "dot"]


def apply(op: str, args: Sequence[Any], c: float, B: ValueBackend) -> Any:
    """One step of a graph; `c` is the step's constant (positive, used where the domain needs it)."""
    a = args[0]
    match op:
        case "neg": return -a
        case "exp": return B.exp(a)
        case "log": return B.log(a * a + c)
        case "tanh": return B.tanh(a)
        case "sigmoid": return B.sigmoid(a)
        case "relu": return B.relu(a)
        case "square": return a**2
        case "cube": return a**3
        case "pow_c": return (a * a + c) ** (c - 1.25)  # a fractional power, maybe negative, of a positive base
        case "c_plus": return c + a
        case "c_minus": return c - a
        case "c_times": return c * a
        case "c_over": return c / (a * a + c)
        case "c_pow": return c**a
        case "add": return a + args[1]
        case "sub": return a - args[1]
        case "mul": return a * args[1]
        case "div": return a / (args[1] * args[1] + c)
        case "pow": return (a * a + c) ** args[1]
        case "sum": return B.sum(args)
        case "dot":
            k = len(args) // 2
            return B.dot(args[:k], args[k:2 * k], args[-1])
    raise AssertionError(f"unknown operation {op}")


@dataclass(frozen=True)
class Step:
    op: str
    args: tuple[int, ...]  # slots read
    c: float


@dataclass(frozen=True)
class Graph:
    """A straight-line program over `len(inputs)` inputs; `run` evaluates it with any backend."""

    inputs: tuple[float, ...]
    steps: tuple[Step, ...]

    def run(self, xs: Sequence[Any], backend: ValueBackend) -> Any:
        slots = list(xs)
        for step in self.steps:
            slots.append(apply(step.op, [slots[i] for i in step.args], step.c, backend))
        return slots[-1]

    def run_floats(self, xs: Sequence[float]) -> tuple[float, list[float]]:
        """The output on floats, and the relu inputs seen; Reject when not finite or too large."""
        backend = FloatBackend()
        try:
            out = self.run(xs, backend)
        except OverflowError as e:
            raise Reject(str(e)) from None
        if not abs(out) <= LARGEST:
            raise Reject(f"output {out} is too large")
        return out, backend.relu_inputs

    def numeric_grad(self, h: float = 1e-6) -> tuple[float, ...]:
        """Central differences (micrograd.gradcheck's); Reject if a relu input changes sign within ±h
        (the kink is in the way)."""
        _, kinks = self.run_floats(self.inputs)
        if any(abs(k) < 1e-4 for k in kinks):
            raise Reject("a relu input is at its kink")
        signs = [k > 0 for k in kinks]

        def output(*xs: float) -> float:
            out, relu_inputs = self.run_floats(xs)
            if [k > 0 for k in relu_inputs] != signs:
                raise Reject("a relu input changes sign within ±h")
            return out

        return tuple(central_difference(lambda xs: output(*xs), self.inputs, i, h) for i in range(len(self.inputs)))

    def __str__(self) -> str:
        names = [f"x{i}" for i in range(len(self.inputs))]
        for s in self.steps:
            names.append(f"{s.op}({', '.join(names[i] for i in s.args)}; c={s.c:g})")
        return names[-1]


@st.composite
def graphs(draw: Callable[..., Any], max_inputs: int = 4, max_steps: int = 12) -> Graph:
    """A random graph over 1..max_inputs inputs in [-2, 2], with 1..max_steps operations."""
    n_inputs = draw(st.integers(1, max_inputs))
    inputs = tuple(draw(st.lists(reals(-2, 2), min_size=n_inputs, max_size=n_inputs)))
    steps = []
    for _ in range(draw(st.integers(1, max_steps))):
        n_slots = n_inputs + len(steps)
        op = draw(st.sampled_from(UNARY + BINARY + NARY))
        if op == "sum":
            arity = draw(st.integers(1, 4))
        elif op == "dot":
            arity = 2 * draw(st.integers(1, 3)) + 1  # k weights, k inputs, a bias
        else:
            arity = 1 if op in UNARY else 2
        # lean towards the latest slots so graphs grow deep, not only wide
        slot = st.one_of(st.integers(max(0, n_slots - 2), n_slots - 1), st.integers(0, n_slots - 1))
        args = tuple(draw(slot) for _ in range(arity))
        steps.append(Step(op, args, draw(reals(0.5, 2))))
    return Graph(inputs, tuple(steps))


@st.composite
def path_data(draw: Callable[..., Any], max_segments: int = 12) -> str:
    """SVG path data: a moveto, then segments of every command but the arc, absolute or relative,
    with up to three decimals and either separator."""
    number = st.integers(-400_000, 400_000).map(lambda n: str(n / 1000))
    arity = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "Z": 0}
    separator = draw(st.sampled_from([" ", ","]))
    parts = [draw(st.sampled_from("Mm")) + separator.join(draw(number) for _ in range(2))]
    for _ in range(draw(st.integers(0, max_segments))):
        command = draw(st.sampled_from(sorted(arity) + [c.lower() for c in arity]))
        repeats = draw(st.integers(1, 2)) if arity[command.upper()] else 1  # "L1 2 3 4": the letter once
        parts.append(command + separator.join(draw(number) for _ in range(arity[command.upper()] * repeats)))
    return " ".join(parts)
