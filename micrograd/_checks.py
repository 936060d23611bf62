"""Argument checks shared by the extras: plain Python numbers and numpy's scalars pass, anything else is named.

Duck typing through `numbers.Integral` and `numbers.Real` (numpy registers its scalar types there),
so the package needs no numpy to accept numpy's numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real


def integer(name: str, n: object, minimum: int) -> int:
    """`n` as an int if it is an integer (Python's or numpy's, not a bool) of at least `minimum`.

    Raises:
        ValueError: naming `name` and `n` for anything else.
    """
    if isinstance(n, bool) or not isinstance(n, Integral) or n < minimum:
        kind = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {kind}, got {n!r}")
    return int(n)


def real(name: str, x: object, *, minimum: float = -math.inf, strict: bool = False) -> float:
    """`x` as a float if it is a finite real number (numpy's too, not a bool) `>= minimum` (`> minimum` if strict).

    Raises:
        TypeError: `x` is not a real number (the message names `name` and the type).
        ValueError: `x` is NaN, infinite or below the minimum.
    """
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{name} must be a real number, got {type(x).__name__}: {x!r}")
    value = float(x)
    if not math.isfinite(value) or value < minimum or (strict and value == minimum):
        kind = ("a positive finite number" if strict and minimum == 0 else "a finite number" if minimum == -math.inf
                else f"a finite number {'>' if strict else '>='} {minimum:g}")
        raise ValueError(f"{name} must be {kind}, got {x!r}")
    return value


def reals(name: str, items: Iterable[object]) -> list[float]:
    """Every item as a float (a list or 1-D array of numbers); NaN and infinities pass through as they are.

    Raises:
        TypeError: naming the first item that is not a real number, with its index (`name[i]`).
    """
    out = []
    for i, x in enumerate(items):
        if isinstance(x, bool) or not isinstance(x, Real):
            raise TypeError(f"{name}[{i}] must be a real number, got {type(x).__name__}: {x!r}")
        out.append(float(x))
    return out
