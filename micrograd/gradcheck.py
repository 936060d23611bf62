"""Gradient checking: backward() against central differences $\\frac{f(x+h) - f(x-h)}{2h}$."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from micrograd.engine import Value


@dataclass(frozen=True)
class GradientCheck:
    """Per input: the gradient from backward(), the numerical estimate, and whether they agree."""

    inputs: tuple[float, ...]
    analytic: tuple[float, ...]
    numeric: tuple[float, ...]
    close: tuple[bool, ...]

    @property
    def ok(self) -> bool:
        return all(self.close)

    def __str__(self) -> str:
        rows = [f"{'input':>6} {'x':>12} {'backward':>14} {'numeric':>14}  match"]
        for i, (x, a, n, c) in enumerate(zip(self.inputs, self.analytic, self.numeric, self.close)):
            rows.append(f"{i:>6} {x:>12.6g} {a:>14.8g} {n:>14.8g}  {'yes' if c else 'NO'}")
        return "\n".join(rows)


def check_gradients(f: Callable[..., Value], inputs: Sequence[float], *, h: float = 1e-6,
                    rtol: float = 1e-4, atol: float = 1e-6) -> GradientCheck:
    """Compare d f / d x_i from backward() with central differences at `inputs`."""
    xs = [Value(x) for x in inputs]
    out = f(*xs)
    if not isinstance(out, Value):
        raise TypeError(f"the checked function must return a Value, got {type(out).__name__}")
    out.backward()
    analytic = tuple(x.grad for x in xs)
    numeric = []
    for i in range(len(inputs)):
        up = [Value(x + (h if j == i else 0.0)) for j, x in enumerate(inputs)]
        down = [Value(x - (h if j == i else 0.0)) for j, x in enumerate(inputs)]
        numeric.append((f(*up).data - f(*down).data) / (2 * h))
    close = tuple(math.isclose(a, n, rel_tol=rtol, abs_tol=atol) for a, n in zip(analytic, numeric))
    return GradientCheck(tuple(map(float, inputs)), analytic, tuple(numeric), close)


def assert_gradients_close(f: Callable[..., Value], inputs: Sequence[float], **tolerances: float) -> None:
    """Raise AssertionError with the full comparison table when any gradient disagrees."""
    result = check_gradients(f, inputs, **tolerances)
    if not result.ok:
        raise AssertionError(f"gradients do not match central differences:\n{result}")
