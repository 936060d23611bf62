"""Argument checks shared by the extras: plain Python numbers and numpy's scalars pass, anything else is named.

Duck typing through `numbers.Integral` and `numbers.Real` (numpy registers its scalar types there),
so the package needs no numpy to accept numpy's numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral

from micrograd._floats import is_real


def integer(name: str, n: object, minimum: int) -> int:
    """`n` as an int if it is an integer (Python's or numpy's, not a bool) of at least `minimum`.

    Raises:
        ValueError: naming `name` and `n` for anything else.
    """
    if isinstance(n, bool) or not isinstance(n, Integral) or n < minimum:
        kind = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {kind}, got {n!r}")
    return int(n)


def real(name: str, x: object, *, minimum: float = -math.inf, positive: bool = False) -> float:
    """`x` as a float if it is a finite real number (numpy's too, not a bool), `>= minimum`, and `> 0` if `positive`.

    Raises:
        TypeError: `x` is not a real number (the message names `name` and the type).
        ValueError: `x` is NaN, infinite, below the minimum, or not positive when it must be.
    """
    if not is_real(x):
        raise TypeError(f"{name} must be a real number, got {type(x).__name__}: {x!r}")
    value = float(x)
    if not math.isfinite(value) or value < minimum or (positive and value <= 0):
        kind = ("a positive finite number" if positive else
                "a finite number" if minimum == -math.inf else f"a finite number >= {minimum:g}")
        raise ValueError(f"{name} must be {kind}, got {x!r}")
    return value


def reals(name: str, items: Iterable[object]) -> list[float]:
    """Every item as a float (a list or 1-D array of numbers); NaN and infinities pass through as they are.

    Raises:
        TypeError: naming the first item that is not a real number, with its index (`name[i]`).
    """
    out = []
    for i, x in enumerate(items):
        if not is_real(x):
            raise TypeError(f"{name}[{i}] must be a real number, got {type(x).__name__}: {x!r}")
        out.append(float(x))
    return out
