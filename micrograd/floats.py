"""Float arithmetic that answers as PyTorch does where Python's ``math`` would raise.

Log of 0, division by zero and overflow give ``inf`` or ``nan`` in PyTorch;
Python's ``math`` raises instead, which would hide the very propagation of
non-finite values that a learner may want to watch. The op table in
``micrograd.engine`` computes with these.
"""

from __future__ import annotations

import math

INF = math.inf
NAN = math.nan


def divide(a: float, b: float) -> float:
    """IEEE division: ``x/0`` is ±inf and ``0/0`` is nan, as in PyTorch."""
    if b == 0.0:
        if a == 0.0 or math.isnan(a):
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)
    return a / b


def _is_odd_integer(x: float) -> bool:
    return math.isfinite(x) and x == int(x) and int(x) % 2 == 1


def power(a: float, b: float) -> float:
    """IEEE ``a ** b``: inf on overflow or a zero base with a negative exponent,
    nan for a negative base with a fractional exponent (Python gives a complex)."""
    try:
        return math.pow(a, b)
    except OverflowError:
        return -INF if a < 0 and _is_odd_integer(b) else INF
    except ValueError:
        if a == 0.0:
            negative_zero = math.copysign(1.0, a) < 0
            return -INF if negative_zero and _is_odd_integer(b) else INF
        return NAN


def exp(a: float) -> float:
    """``e ** a`` that overflows to inf instead of raising."""
    try:
        return math.exp(a)
    except OverflowError:
        return INF


def log(a: float) -> float:
    """Natural log that gives -inf at 0 and nan below it, as PyTorch does."""
    if a > 0.0:
        return math.log(a)
    if a == 0.0:
        return -INF
    return NAN


def sigmoid(a: float) -> float:
    """1 / (1 + e^-a), written so that neither branch can overflow."""
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = exp(a)
    return e / (1.0 + e)


def exponent_text(x: float) -> str:
    """A number as Karpathy's micrograd writes it in an op name: ``**2``, ``**-1``, ``**0.5``."""
    return str(int(x)) if x == int(x) else repr(x)


def power_by_constant(a: float, exponent: float) -> float:
    """``a ** n`` for a constant n, with PyTorch's square-root paths for n = ±0.5
    (so ``-0.0 ** 0.5`` is -0.0 and ``-inf ** 0.5`` is nan, as ``sqrt`` gives)."""
    if exponent in (0.5, -0.5) and not a < 0.0:
        root = math.sqrt(a)
        return root if exponent == 0.5 else divide(1.0, root)
    if exponent in (0.5, -0.5):
        return NAN
    return power(a, exponent)
