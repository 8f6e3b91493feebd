"""The table of operations: each op's forward rule and its local derivatives.

This is the only place the calculus lives. ``Value`` builds nodes from it,
``backward_steps`` (and so ``backward``) reads the local derivatives from it,
and the rule texts shown to learners sit next to the code they describe, so
the explanation and the arithmetic cannot drift apart.

Where PyTorch answers with ``inf`` or ``nan`` (log of 0, division by zero,
overflow), so do we: Python's ``math`` raises instead, which would hide the
very propagation of non-finite values that a learner may want to watch.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

Numbers = tuple[float, ...]

INF = math.inf
NAN = math.nan


@dataclass(frozen=True, slots=True)
class Op:
    """One operation: how it computes its output and each operand's local derivative.

    ``local(inputs, output)`` returns ∂output/∂input for every operand, in
    operand order; it receives the output too because several derivatives are
    cheapest and most accurate written in terms of it (tanh, sigmoid, exp).
    """

    name: str
    formula: str
    forward: Callable[[Numbers], float]
    local: Callable[[Numbers, float], Numbers]
    rules: tuple[str, ...]

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


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


def _pow_local(inputs: Numbers, output: float) -> Numbers:
    base, exponent = inputs
    # PyTorch treats an exponent of 0 (and a zero base with exponent >= 0, for
    # the exponent's derivative) as contributing exactly 0, not 0 * inf = nan.
    d_base = 0.0 if exponent == 0.0 else exponent * power(base, exponent - 1.0)
    d_exponent = 0.0 if base == 0.0 and exponent >= 0.0 else output * log(base)
    return d_base, d_exponent


def _number(x: float) -> str:
    """A number as Karpathy's micrograd writes it in an op name: ``**2``, ``**-1``, ``**0.5``."""
    return str(int(x)) if x == int(x) else repr(x)


def _power_by_constant(a: float, exponent: float) -> float:
    """``a ** n`` for a constant n, with PyTorch's square-root paths for n = ±0.5
    (so ``-0.0 ** 0.5`` is -0.0 and ``-inf ** 0.5`` is nan, as ``sqrt`` gives)."""
    if exponent in (0.5, -0.5) and not a < 0.0:
        root = math.sqrt(a)
        return root if exponent == 0.5 else divide(1.0, root)
    if exponent in (0.5, -0.5):
        return NAN
    return power(a, exponent)


@cache
def power_by(exponent: float) -> Op:
    """The op ``a ** n`` for a constant ``n``; the constant lives in the op, not in the graph."""
    n = _number(exponent)
    m = _number(exponent - 1.0)
    return Op(
        name=f"**{n}",
        formula=f"a**{n}",
        forward=lambda inputs: _power_by_constant(inputs[0], exponent),
        local=lambda inputs, _out: (
            0.0 if exponent == 0.0 else exponent * _power_by_constant(inputs[0], exponent - 1.0),
        ),
        rules=(f"∂(a**{n})/∂a = {n}·a**{m}",),
    )


ADD = Op(
    "+", "a + b", lambda v: v[0] + v[1], lambda v, o: (1.0, 1.0), ("∂(a+b)/∂a = 1", "∂(a+b)/∂b = 1")
)
SUB = Op(
    "-",
    "a - b",
    lambda v: v[0] - v[1],
    lambda v, o: (1.0, -1.0),
    ("∂(a-b)/∂a = 1", "∂(a-b)/∂b = -1"),
)
MUL = Op(
    "*", "a·b", lambda v: v[0] * v[1], lambda v, o: (v[1], v[0]), ("∂(a·b)/∂a = b", "∂(a·b)/∂b = a")
)
DIV = Op(
    "/",
    "a / b",
    lambda v: divide(v[0], v[1]),
    lambda v, o: (divide(1.0, v[1]), -divide(o, v[1])),
    ("∂(a/b)/∂a = 1/b", "∂(a/b)/∂b = -a/b²"),
)
NEG = Op("neg", "-a", lambda v: -v[0], lambda v, o: (-1.0,), ("∂(-a)/∂a = -1",))
POW = Op(
    "**",
    "a**b",
    lambda v: power(v[0], v[1]),
    _pow_local,
    ("∂(a**b)/∂a = b·a**(b-1)", "∂(a**b)/∂b = a**b·ln(a)"),
)
EXP = Op("exp", "exp(a)", lambda v: exp(v[0]), lambda v, o: (o,), ("∂exp(a)/∂a = exp(a)",))
LOG = Op(
    "log", "ln(a)", lambda v: log(v[0]), lambda v, o: (divide(1.0, v[0]),), ("∂ln(a)/∂a = 1/a",)
)
TANH = Op(
    "tanh",
    "tanh(a)",
    lambda v: math.tanh(v[0]),
    lambda v, o: (1.0 - o * o,),
    ("∂tanh(a)/∂a = 1 - tanh(a)²",),
)
SIGMOID = Op(
    "sigmoid",
    "σ(a)",
    lambda v: sigmoid(v[0]),
    lambda v, o: (o * (1.0 - o),),
    ("∂σ(a)/∂a = σ(a)·(1 - σ(a))",),
)
RELU = Op(
    "ReLU",
    "relu(a)",
    lambda v: 0.0 if v[0] < 0.0 else v[0],
    lambda v, o: (0.0 if o <= 0.0 else 1.0,),
    ("∂relu(a)/∂a = 1 if a > 0 else 0",),
)

_BY_NAME_AND_ARITY = {
    (op.name, len(op.rules)): op
    for op in (ADD, SUB, MUL, DIV, NEG, POW, EXP, LOG, TANH, SIGMOID, RELU)
}


def lookup(name: str, arity: int) -> Op | None:
    """The op a hand-built ``Value(data, children, name)`` means, or None if unknown.

    Lets code that builds nodes by hand, as the lecture does, still be stepped
    through; Karpathy's ``**n`` names carry their exponent.
    """
    op = _BY_NAME_AND_ARITY.get((name, arity))
    if op is None and arity == 1 and name.startswith("**"):
        try:
            op = power_by(float(name[2:]))
        except ValueError:
            return None
    return op
