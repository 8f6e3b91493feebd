"""The engine as a text: its speed-ups build what the plain code would, its order is the
checked walk's, and the benchmark's classic baseline is a real engine."""

from __future__ import annotations

import random

import pytest

from benchmarks import classic
from benchmarks.engine import moons_like
from micrograd.engine import MUL, TANH, Value, topological_order
from micrograd.graph import topological_index
from micrograd.losses import max_margin
from micrograd.nn import MLP
from micrograd.speed import new_value


def test_an_ops_result_is_the_node_the_plain_constructor_makes() -> None:
    a, b = Value(2.0), Value(-3.0)
    fast, plain = new_value(Value, -6.0, (a, b), MUL), Value(-6.0, (a, b), "*")
    for slot in Value.__slots__:
        assert getattr(fast, slot) == getattr(plain, slot), slot
    assert (a * b)._rule is MUL and a.tanh()._rule is TANH


def test_the_engines_order_is_the_checked_walks_order() -> None:
    rng = random.Random(5)
    leaves = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(6)]
    nodes = list(leaves)
    for _ in range(40):
        a, b = rng.choice(nodes), rng.choice(nodes)
        nodes.append(rng.choice([a + b, a * b, (a * b).tanh(), a - b, a**2]))
    root = nodes[-1]
    assert topological_order(root) == topological_index(root)[0]


def test_the_topological_order_needs_no_recursion_for_a_deep_chain() -> None:
    y = Value(1.0)
    for _ in range(20_000):
        y = y + 1.0
    assert len(topological_order(y)) == 40_001


def test_the_classic_baseline_computes_the_same_loss_and_grads_as_micrograd() -> None:
    xs, ys = moons_like(6)
    theirs = classic.MLP(2, [4, 4, 1], seed=3)
    ours = MLP(2, [4, 4, 1], seed=3)
    their_loss = classic.hinge_loss(theirs, xs, ys)
    our_loss = max_margin([ours(x) for x in xs], ys, ours.parameters())  # type: ignore[misc]
    their_loss.backward()
    our_loss.backward()
    assert our_loss.data == pytest.approx(their_loss.data, rel=1e-12)
    their_grads = [p.grad for p in theirs.parameters()]
    assert [p.grad for p in ours.parameters()] == pytest.approx(their_grads, rel=1e-9, abs=1e-12)
    assert any(g != 0.0 for g in their_grads)
