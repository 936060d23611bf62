"""Floats for the engine: real numbers in, and the rule for NaN, infinity and domain errors.

The rule: from finite inputs an operation gives a finite result or raises a named error
(ValueError outside its domain, ZeroDivisionError, OverflowError); a NaN or infinite input
gives what PyTorch's float64 gives. These helpers apply it where Python's own float
arithmetic would not (`0.0 ** -1` raises, `(-8.0) ** 0.5` is complex, `10**400` has no float).
"""

from __future__ import annotations

import math
from numbers import Real
from typing import TypeGuard


def is_real(x: object) -> TypeGuard[Real]:
    """True for a real number (int, float, any `numbers.Real`), False for a bool or anything else."""
    return type(x) is float or type(x) is int or (isinstance(x, Real) and not isinstance(x, bool))


def as_float(x: object) -> float:
    """The float value of a real number; TypeError (naming the type) or OverflowError (naming x) if none."""
    if not is_real(x):
        raise TypeError(f"Value needs a real number (int or float), got {type(x).__name__}: {x!r}")
    try:
        return float(x)
    except OverflowError:
        s = str(x)  # hundreds of digits (a float holds up to about 1.8e308): shown by its ends and its length
        raise OverflowError(f"Value({s[:6]}...{s[-3:]}, {len(s)} characters long) is too large for a float "
                            "(the largest is about 1.8e308)") from None


def finite(*xs: float) -> bool:
    return all(x - x == 0.0 for x in xs)  # x - x is 0.0 for a finite x, NaN for NaN and ±inf


def power(a: float, k: float) -> float:
    """$a^k$ in the reals, with errors that name the operands (for finite ones; else as float64 gives it)."""
    if a < 0 and not k.is_integer() and finite(a, k):
        raise ValueError(f"{a} ** {k}: a negative base needs an integer exponent (the result is not real)")
    if a == 0 and k < 0 and finite(k):
        raise ZeroDivisionError(f"{a} ** {k}: zero cannot be raised to a negative power")
    try:
        out: float = a ** k  # float ** float is typed Any (it can be complex); the checks above keep it real
    except OverflowError:
        raise OverflowError(f"{a} ** {k} overflows a float") from None
    return out


def dpow(a: float, k: float) -> float:
    """$d(a^k)/da = k a^{k-1}$, 0 for k = 0; infinite at a = 0 when k < 1, as the slope is."""
    if k == 0:
        return 0.0
    if a == 0 and k < 1:
        return math.copysign(math.inf, k)
    try:
        slope: float = k * a ** (k - 1)  # real: power() has already rejected a negative base with a fractional k
    except OverflowError:  # |a| < 1 and a^(k-1) beyond a float: infinite, with the sign of k a^(k-1)
        return math.copysign(math.inf, -k if a < 0 and (k - 1) % 2 == 1 else k)
    return slope
