"""Gradient checking: backward() against central differences $\\frac{f(x+h) - f(x-h)}{2h}$."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from micrograd._checks import real, reals
from micrograd.engine import Value


@dataclass(frozen=True)
class GradientCheck:
    """Per input: the gradient from backward(), the numerical estimate, and whether they agree.

    Attributes:
        inputs: The point $x$ checked.
        analytic: $\\partial f / \\partial x_i$ from `backward()`.
        numeric: The central difference for each $x_i$.
        close: Whether each pair agrees within the tolerances.
    """

    inputs: tuple[float, ...]
    analytic: tuple[float, ...]
    numeric: tuple[float, ...]
    close: tuple[bool, ...]

    @property
    def ok(self) -> bool:
        """True when every gradient agrees."""
        return all(self.close)

    def __str__(self) -> str:
        rows = [f"{'input':>6} {'x':>12} {'backward':>14} {'numeric':>14}  match"]
        for i, (x, a, n, c) in enumerate(zip(self.inputs, self.analytic, self.numeric, self.close)):
            rows.append(f"{i:>6} {x:>12.6g} {a:>14.8g} {n:>14.8g}  {'yes' if c else 'NO'}")
        return "\n".join(rows)


def central_difference(f: Callable[[Sequence[float]], float], inputs: Sequence[float], i: int,
                       h: float = 1e-6) -> float:
    """The slope of f along input i, $\\frac{f(x + h e_i) - f(x - h e_i)}{2h}$, from two evaluations.

    Args:
        f: A function of a list of floats, returning a float.
        inputs: The point $x$.
        i: Which input to move.
        h: The step; the error of the estimate shrinks as $h^2$ until rounding takes over.

    Returns:
        The estimate of $\\partial f / \\partial x_i$ at x.
    """
    up = [x + h if j == i else x for j, x in enumerate(inputs)]
    down = [x - h if j == i else x for j, x in enumerate(inputs)]
    return (f(up) - f(down)) / (2 * h)


def check_gradients(f: Callable[..., Value], inputs: Sequence[float], *, h: float = 1e-6,
                    rtol: float = 1e-4, atol: float = 1e-6) -> GradientCheck:
    """Compare each $\\partial f / \\partial x_i$ from `backward()` with a central difference at `inputs`.

    The estimate is $\\frac{f(x + h e_i) - f(x - h e_i)}{2h}$, whose error shrinks as $h^2$; a pair
    $(a, m)$ agrees when $|a - m| \\le \\max(\\text{rtol} \\cdot \\max(|a|, |m|), \\text{atol})$, as `math.isclose`.

    Args:
        f: A function of $n$ Values that returns one Value, such as `lambda a, b: (a * b).tanh()`.
        inputs: The point $x$: $n$ real numbers, a list or a 1-D array.
        h: The step $h > 0$.
        rtol: The relative tolerance, $\\ge 0$.
        atol: The absolute tolerance, $\\ge 0$, for gradients near 0.

    Returns:
        A `GradientCheck`; `ok` says whether all agree, and `str()` gives a table.

    Raises:
        TypeError: an input is not a real number, or `f` does not return a Value.
        ValueError: `h` is not positive, or a tolerance is negative.
    """
    point = reals("inputs", inputs)
    h = real("h", h, positive=True)
    rtol, atol = real("rtol", rtol, minimum=0), real("atol", atol, minimum=0)
    xs = [Value(x) for x in point]
    out = f(*xs)
    if not isinstance(out, Value):
        raise TypeError(f"the checked function must return a Value, got {type(out).__name__}")
    out.backward()
    analytic = tuple(x.grad for x in xs)
    numeric = [central_difference(lambda p: f(*map(Value, p)).data, point, i, h) for i in range(len(point))]
    close = tuple(math.isclose(a, n, rel_tol=rtol, abs_tol=atol) for a, n in zip(analytic, numeric))
    return GradientCheck(tuple(point), analytic, tuple(numeric), close)


def assert_gradients_close(f: Callable[..., Value], inputs: Sequence[float], **tolerances: float) -> None:
    """`check_gradients(f, inputs, **tolerances)`, raising when any gradient disagrees: for use in tests.

    Args:
        f: A function of $n$ Values that returns one Value.
        inputs: The point $x$: $n$ real numbers, a list or a 1-D array.
        **tolerances: `h`, `rtol` or `atol`, passed on to `check_gradients`.

    Raises:
        AssertionError: with the full comparison table, when a gradient disagrees.
        TypeError: as `check_gradients` raises it.
        ValueError: as `check_gradients` raises it.
    """
    result = check_gradients(f, inputs, **tolerances)
    if not result.ok:
        raise AssertionError(f"gradients do not match central differences:\n{result}")
