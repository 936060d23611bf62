"""The operation tables: every operation of Value with its math, written once (`OP_CASES`), and every
operation as one function of two Values (`OPS`).

Each operation is spelled so that it works on micrograd Values and on PyTorch tensors alike
(`a.exp()`, `2 ** a`, ...), so the closed-form, central-difference and PyTorch checks
(tests/test_engine.py, tests/test_torch.py) all test the same expression.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from micrograd import Value
from strategies import away_from_zero, pairs, reals, sigmoid, singles


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


OP_CASES: list[OpCase] = [
    OpCase("a + b", lambda a, b: a + b, lambda a, b: a + b, lambda a, b: (1.0, 1.0), pairs()),
    OpCase("a - b", lambda a, b: a - b, lambda a, b: a - b, lambda a, b: (1.0, -1.0), pairs()),
    OpCase("a * b", lambda a, b: a * b, lambda a, b: a * b, lambda a, b: (b, a), pairs()),
    OpCase("a / b", lambda a, b: a / b, lambda a, b: a / b, lambda a, b: (1 / b, -a / b**2),
           st.tuples(reals(-3, 3), away_from_zero(0.1, 3))),
    OpCase("a ** 3", lambda a: a**3, lambda a: a**3, lambda a: (3 * a**2,), singles(reals(-3, 3))),
    OpCase("a ** 0", lambda a: a**0, lambda a: 1.0, lambda a: (0.0,), singles(reals(-3, 3))),
    OpCase("a ** 2.5", lambda a: a**2.5, lambda a: a**2.5, lambda a: (2.5 * a**1.5,), singles(reals(0.1, 3))),
    OpCase("a ** -2", lambda a: a**-2, lambda a: a**-2, lambda a: (-2 * a**-3,), singles(away_from_zero(0.2, 3))),
    OpCase("a ** b", lambda a, b: a**b, lambda a, b: a**b, lambda a, b: (b * a ** (b - 1), a**b * math.log(a)),
           st.tuples(reals(0.1, 3), reals(-2, 2))),
    OpCase("-a", lambda a: -a, lambda a: -a, lambda a: (-1.0,), singles(reals(-3, 3))),
    OpCase("2 + a", lambda a: 2 + a, lambda a: 2 + a, lambda a: (1.0,), singles(reals(-3, 3))),
    OpCase("1 - a", lambda a: 1 - a, lambda a: 1 - a, lambda a: (-1.0,), singles(reals(-3, 3))),
    OpCase("2 * a", lambda a: 2 * a, lambda a: 2 * a, lambda a: (2.0,), singles(reals(-3, 3))),
    OpCase("1 / a", lambda a: 1 / a, lambda a: 1 / a, lambda a: (-1 / a**2,), singles(away_from_zero(0.1, 3))),
    OpCase("2 ** a", lambda a: 2**a, lambda a: 2**a, lambda a: (2**a * math.log(2),), singles(reals(-3, 3))),
    OpCase("exp", lambda a: a.exp(), math.exp, lambda a: (math.exp(a),), singles(reals(-5, 5))),
    OpCase("log", lambda a: a.log(), math.log, lambda a: (1 / a,), singles(reals(0.01, 10))),
    OpCase("tanh", lambda a: a.tanh(), math.tanh, lambda a: (1 - math.tanh(a) ** 2,), singles(reals(-5, 5))),
    OpCase("sigmoid", lambda a: a.sigmoid(), sigmoid, lambda a: (sigmoid(a) * (1 - sigmoid(a)),),
           singles(reals(-10, 10))),
    OpCase("relu", lambda a: a.relu(), lambda a: max(a, 0.0), lambda a: (1.0 if a > 0 else 0.0,),
           singles(away_from_zero(1e-3, 3))),
    OpCase("Value.sum", lambda a, b, c: Value.sum([a, b, c]), lambda a, b, c: a + b + c,
           lambda a, b, c: (1.0, 1.0, 1.0), st.tuples(*[reals(-3, 3)] * 3),
           torch_f=lambda a, b, c: a + b + c),
    OpCase("Value.sum with numbers and a start", lambda a, b: Value.sum([a, 2.5, b], start=a),
           lambda a, b: a + a + 2.5 + b, lambda a, b: (2.0, 1.0), pairs(),
           torch_f=lambda a, b: a + a + 2.5 + b),
    OpCase("Value.dot", lambda w1, w2, x1, x2, b: Value.dot([w1, w2], [x1, x2], b),
           lambda w1, w2, x1, x2, b: b + w1 * x1 + w2 * x2,
           lambda w1, w2, x1, x2, b: (x1, x2, w1, w2, 1.0), st.tuples(*[reals(-3, 3)] * 5),
           torch_f=lambda w1, w2, x1, x2, b: b + w1 * x1 + w2 * x2),
    OpCase("Value.dot with number inputs", lambda w1, w2, b: Value.dot([w1, w2], [1.5, -2.0], b),
           lambda w1, w2, b: b + 1.5 * w1 - 2.0 * w2, lambda w1, w2, b: (1.5, -2.0, 1.0),
           st.tuples(*[reals(-3, 3)] * 3), torch_f=lambda w1, w2, b: b + w1 * 1.5 + w2 * -2.0),
    OpCase("Value.dot of a weight with itself", lambda w, b: Value.dot([w, w], [w, 3.0], b),
           lambda w, b: b + w * w + 3 * w, lambda w, b: (2 * w + 3, 1.0), pairs(),
           torch_f=lambda w, b: b + w * w + w * 3.0),
]

CASE_IDS = [case.name for case in OP_CASES]


# every operation as a function of two Values a, b (the unary ones ignore b), and whether it reads b:
# the NaN and infinity rule is checked on each (test_engine.py, and against PyTorch in test_torch.py)
OPS: dict[str, tuple[Callable[[Value, Value], Value], bool]] = {
    "a + b": (lambda a, b: a + b, True), "a - b": (lambda a, b: a - b, True), "a * b": (lambda a, b: a * b, True),
    "a / b": (lambda a, b: a / b, True), "a ** b": (lambda a, b: a**b, True), "-a": (lambda a, b: -a, False),
    "a ** 3": (lambda a, b: a**3, False), "a ** 0.5": (lambda a, b: a**0.5, False),
    "a ** -1": (lambda a, b: a**-1, False), "exp": (lambda a, b: a.exp(), False),
    "log": (lambda a, b: a.log(), False), "tanh": (lambda a, b: a.tanh(), False),
    "sigmoid": (lambda a, b: a.sigmoid(), False), "relu": (lambda a, b: a.relu(), False),
    "sum": (lambda a, b: Value.sum([a, b, a]), True), "dot": (lambda a, b: Value.dot([a], [b], b), True),
}
