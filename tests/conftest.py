"""Shared helpers for the engine tests: an independent finite-difference oracle and op
catalogue; and a fixture for tests that hold Python's cycle collector as a launch does."""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from micrograd import heap
from micrograd.engine import Value

# Every op, as a function of Values and as the same function of plain floats
# (math with no micrograd in it: the oracle must not share our code).
Ops = dict[str, tuple[Callable[..., Any], Callable[..., float]]]

UNARY: Ops = {
    "neg": (lambda a: -a, lambda a: -a),
    "relu": (lambda a: a.relu(), lambda a: max(a, 0.0)),
    "tanh": (lambda a: a.tanh(), math.tanh),
    "sigmoid": (lambda a: a.sigmoid(), lambda a: 1 / (1 + math.exp(-a))),
    "exp": (lambda a: a.exp(), math.exp),
    "log": (lambda a: a.log(), math.log),
    "square": (lambda a: a**2, lambda a: a**2),
    "cube": (lambda a: a**3, lambda a: a**3),
    "reciprocal": (lambda a: a**-1, lambda a: a**-1),
    "sqrt": (lambda a: a**0.5, lambda a: a**0.5),
    "radd": (lambda a: 3 + a, lambda a: 3 + a),
    "rsub": (lambda a: 3 - a, lambda a: 3 - a),
    "rmul": (lambda a: 3 * a, lambda a: 3 * a),
    "rtruediv": (lambda a: 3 / a, lambda a: 3 / a),
    "rpow": (lambda a: 2.5**a, lambda a: 2.5**a),
}
BINARY: Ops = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "truediv": (lambda a, b: a / b, lambda a, b: a / b),
    "pow": (lambda a, b: a**b, lambda a, b: a**b),
}
# Points inside every op's domain (log, sqrt and pow need a positive base).
POINTS = [0.3, 0.7, 1.3, 2.0, 3.1]


def central_difference(
    f: Callable[..., float], args: list[float], i: int, h: float = 1e-6
) -> float:
    """∂f/∂args[i] by central differences in float64."""
    up, down = list(args), list(args)
    up[i] += h
    down[i] -= h
    return (f(*up) - f(*down)) / (2 * h)


def grads_of(f: Callable[..., Value], args: list[float]) -> tuple[float, list[float]]:
    """Run ``f`` on fresh Values and return its data and each input's grad."""
    leaves = [Value(x) for x in args]
    out = f(*leaves)
    out.backward()
    return out.data, [leaf.grad for leaf in leaves]


def random_graph(
    draw_int: Callable[[int, int], int], draw_float: Callable[[], float], size: int
) -> Value:
    """A random expression over a few leaves, with shared nodes, constants and every op.

    Takes drawing functions rather than a hypothesis strategy so that plain
    ``random`` can drive it too; every node is kept in a pool that later
    nodes draw from, so reuse (shared nodes, ``a + a``) is common.
    """
    pool = [Value(draw_float(), label=f"x{i}") for i in range(draw_int(1, 3))]
    makers: list[Callable[[Value, Value], Value]] = [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a * b,
        lambda a, b: a / (b * b + 1),
        lambda a, b: (a * a + 0.5) ** b.tanh(),
        lambda a, b: -a,
        lambda a, b: a**2,
        lambda a, b: 2.0 * a + 1,
        lambda a, b: 1 - a,
        lambda a, b: 3 / (a * a + 1),
        lambda a, b: a.relu(),
        lambda a, b: a.tanh(),
        lambda a, b: a.sigmoid(),
        lambda a, b: (a.tanh()).exp(),
        lambda a, b: (a * a + 1).log(),
    ]
    for _ in range(size):
        a = pool[draw_int(0, len(pool) - 1)]
        b = pool[draw_int(0, len(pool) - 1)]
        pool.append(makers[draw_int(0, len(makers) - 1)](a, b))
    return pool[-1]


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does to the cycle collector, it is on and thawed afterwards."""
    try:
        yield
    finally:
        heap._held_for_launch = False
        gc.unfreeze()
        gc.enable()
