"""Graph helpers, DOT output, the finite-difference check, and the engine's independence."""

from __future__ import annotations

import math
import random
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd import Value, edges, nodes, to_dot
from micrograd.engine import EXP, TANH, Op
from micrograd.gradcheck import gradient_check, relative_error
from tests.conftest import random_graph
from tests.engine.test_steps import example


def test_nodes_and_edges() -> None:
    x, y, z = example()
    assert nodes(z)[:2] == [x, y] and nodes(z)[-1] is z
    a = Value(1.0)
    b = a + a
    assert edges(b) == [(a, b), (a, b)]


def test_to_dot_draws_records_and_op_nodes() -> None:
    _, _, z = example()
    z.label = "z"
    z.backward()
    dot = to_dot(z)
    assert dot.startswith("digraph micrograd {")
    assert 'n0 [shape=record, label="{ x | data 2.0000 | grad 1.0000 }"];' in dot
    assert 'n2_op [label="*"];' in dot and "n0 -> n2_op;" in dot and "n2_op -> n2;" in dot
    assert dot.count("->") == 5 + 3  # one per operand use, one per op to its result


def test_to_dot_escapes_record_characters() -> None:
    v = Value(1.0, label='a|b{"c"}')
    assert r"a\|b\{\"c\"\}" in to_dot(v)


def test_gradient_check_reports_every_leaf_and_leaves_the_graph_alone() -> None:
    x, y, z = example()
    x.grad = 5.0
    result = gradient_check(z)
    assert [leaf.label for leaf in result.leaves] == ["x", "y"]
    assert [leaf.analytic for leaf in result.leaves] == [1.0, 2.0]
    assert result.worst < 1e-8 and result.passed()
    assert (x.grad, x.data, z.grad) == (5.0, 2.0, 0.0)


def test_gradient_check_catches_a_wrong_derivative() -> None:
    x = Value(0.5, label="x")
    y = x.tanh()
    # A tanh node whose backward uses exp's rule (local = output) but tanh's forward.
    y._rule = Op("tanh", "tanh(a)", TANH.forward, EXP.local, ("wrong",))
    result = gradient_check(y)
    assert not result.passed()
    (leaf,) = result.leaves
    assert leaf.analytic == math.tanh(0.5)
    assert abs(leaf.numeric - (1 - math.tanh(0.5) ** 2)) < 1e-8


def test_relative_error_treats_non_finite_values_strictly() -> None:
    assert relative_error(math.inf, math.inf) == 0.0
    assert relative_error(1.0, math.nan) == math.inf
    assert relative_error(1e-9, 0.0) == 1e-9


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 30))
def test_backward_agrees_with_finite_differences_on_random_graphs(seed: int, size: int) -> None:
    rng = random.Random(seed)
    root = random_graph(rng.randint, lambda: rng.uniform(-2, 2), size)
    result = gradient_check(root)
    finite = [leaf for leaf in result.leaves if math.isfinite(leaf.numeric)]
    # relu's kink makes a central difference straddling 0 meaningless; such leaves are rare.
    assert sum(leaf.error > 1e-4 for leaf in finite) <= sum(
        1 for n in nodes(root) if n._op == "ReLU"
    )


def test_importing_micrograd_does_not_import_the_ui() -> None:
    code = (
        "import sys, micrograd, micrograd.nn, micrograd.losses, micrograd.optim;"
        "print('textual' in sys.modules, 'rich' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_limit_checks_leaves_spread_through_the_graph() -> None:
    leaves = [Value(float(i)) for i in range(100)]
    total = sum((leaf * leaf for leaf in leaves), Value(0.0))
    check = gradient_check(total, limit=10)
    assert 1 <= len(check.leaves) <= 10 and check.passed(1e-5)
    assert check.leaves[-1].node > check.leaves[0].node + 100, "not just the first few"
    assert len(gradient_check(total).leaves) == 101
