"""backward(): Karpathy's published expressions, deep graphs, shared nodes, a second pass."""

from __future__ import annotations

import pytest

from micrograd import GraphCycleError, Value, topological_order
from micrograd.engine import Value as EngineValue
from micrograd.graph import GraphTooLargeError, topological_index
from tests.engine.test_torch import karpathy_more_ops, karpathy_sanity


def test_both_import_paths_give_the_same_class() -> None:
    assert Value is EngineValue


def test_karpathy_readme_example() -> None:
    a = Value(-4.0)
    b = Value(2.0)
    g = karpathy_more_ops(a, b)
    g.backward()
    assert g.data == pytest.approx(24.7041, abs=1e-4)
    assert a.grad == pytest.approx(138.8338, abs=1e-4)
    assert b.grad == pytest.approx(645.5773, abs=1e-4)


def test_karpathy_sanity_check() -> None:
    x = Value(-4.0)
    y = karpathy_sanity(x)
    y.backward()
    assert (y.data, x.grad) == (-20.0, 46.0)


def test_value_starts_like_karpathys() -> None:
    v = Value(2, label="v")
    assert v.data == 2.0 and isinstance(v.data, float)
    assert v.grad == 0.0 and isinstance(v.grad, float)
    assert (v._prev, v._op, v.label) == ((), "", "v")
    v._backward()  # a leaf's _backward does nothing
    assert repr(v) == "Value(data=2.0, grad=0.0)"


@pytest.mark.slow
def test_a_chain_of_100000_nodes() -> None:
    x = Value(1.0)
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == 1.0


def test_a_plus_a_records_two_edges() -> None:
    a = Value(3.0)
    b = a + a
    assert b._prev == (a, a)
    b.backward()
    assert a.grad == 2.0


def test_shared_node_accumulates() -> None:
    a = Value(3.0)
    b = a + a
    c = b * b
    c.backward()
    assert b.grad == 2 * b.data == 12.0
    assert a.grad == 2 * b.grad == 24.0


def test_diamond() -> None:
    x = Value(0.5)
    left, right = x * 3.0, x.tanh()
    out = left * right
    out.backward()
    expected = 3.0 * right.data + left.data * (1 - right.data**2)
    assert x.grad == pytest.approx(expected, rel=1e-15)


def test_backward_twice_accumulates_leaves_but_not_intermediates() -> None:
    x = Value(2.0)
    h = x * x
    y = h * 3.0
    y.backward()
    assert (x.grad, h.grad, y.grad) == (12.0, 3.0, 1.0)
    y.backward()
    assert x.grad == 24.0, "leaf grads accumulate across passes, as in PyTorch"
    assert (h.grad, y.grad) == (3.0, 1.0), "intermediate grads show the latest pass"


def test_manual_backward_like_the_lecture() -> None:
    """Calling ``_backward`` node by node in reverse topological order works as in the lecture."""
    x = Value(2.0)
    y = (x * x).tanh()
    y.grad = 1.0
    for node in reversed(topological_order(y)):
        node._backward()
    expected = x.grad
    x.grad = 0.0
    y.backward()
    assert x.grad == expected


def test_topological_order_matches_the_recursive_definition() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    assert topological_order(e) == [a, b, c, d, e]


def test_a_walk_with_a_limit_stops_at_it() -> None:
    a, b = Value(1.0), Value(2.0)
    e = (a * b + a) * (a * b)  # a, b, a*b, a*b+a, another a*b, e: six nodes
    assert len(topological_index(e, limit=6)[0]) == 6
    with pytest.raises(GraphTooLargeError, match="more than 5 nodes"):
        topological_index(e, limit=5)


def test_a_cycle_is_a_clear_error() -> None:
    a = Value(1.0)
    b = a + 1
    a._prev = (b,)
    with pytest.raises(GraphCycleError, match="depends on itself"):
        b.backward()
