"""The forward phase: one step per computed node, before the seed, undone exactly like grads."""

from __future__ import annotations

import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd import ForwardStep, SeedStep, Trace, Value
from micrograd.graph import topological_index
from micrograd.steps import forward_steps
from tests.conftest import random_graph
from tests.engine.test_steps import bits, example


def test_one_forward_step_per_computed_node_in_topological_order_then_the_seed() -> None:
    x, y, z = example()  # z = x*y + x**2
    trace = Trace(z, forward=True)
    assert trace.forward_length == 3
    forward = trace.steps[:3]
    assert all(isinstance(step, ForwardStep) for step in forward)
    assert [step.op for step in forward] == ["*", "**2", "+"]
    assert isinstance(trace.steps[3], SeedStep)
    assert len(trace) == 3 + len(Trace(example()[2]))


def test_a_forward_step_carries_its_inputs_and_result() -> None:
    x, y, z = example()
    trace = Trace(z, forward=True)
    product = trace.steps[0]
    assert isinstance(product, ForwardStep)
    assert product.operands == (trace.id_of(x), trace.id_of(y))
    assert product.inputs == (2.0, -3.0) and product.after == -6.0
    assert product.target == product.node and product.quantity == "data"
    assert math.isnan(product.before)
    last = trace.steps[2]
    assert isinstance(last, ForwardStep)
    assert last.inputs == (-6.0, 4.0) and last.after == z.data == -2.0


def test_data_is_not_computed_until_its_step_and_leaves_are_known_from_the_start() -> None:
    x, _, z = example()
    trace = Trace(z, forward=True)
    root, ix = trace.root, trace.id_of(x)
    assert trace.is_computed(ix) and trace.data(ix) == 2.0
    assert not trace.is_computed(root) and math.isnan(trace.data(root))
    assert trace.in_forward_phase()
    trace.seek(3)
    assert trace.is_computed(root) and trace.data(root) == -2.0
    assert trace.in_forward_phase(), "the last forward step is still the forward phase"
    trace.seek(4)
    assert not trace.in_forward_phase() and trace.grad(root) == 1.0
    trace.seek(2)
    assert not trace.is_computed(root) and math.isnan(trace.data(root))


def test_without_a_forward_phase_every_data_is_known_and_no_phase_is_forward() -> None:
    _, _, z = example()
    trace = Trace(z)
    assert trace.forward_length == 0 and not trace.in_forward_phase()
    assert all(trace.is_computed(i) for i in range(len(trace.nodes)))


def test_the_backward_part_is_the_same_pass_with_or_without_the_forward_phase() -> None:
    with_forward = Trace(example()[2], forward=True)
    without = Trace(example()[2])
    assert with_forward.steps[with_forward.forward_length :] == without.steps
    assert with_forward.arrival(0) == (1, 1)
    shift = with_forward.forward_length
    for index in range(len(without)):
        assert with_forward.arrival(index + shift) == without.arrival(index)


def test_forward_steps_recompute_data_after_a_leaf_is_edited() -> None:
    x, _, z = example()
    x.data = 3.0
    order, index = topological_index(z)
    steps = list(forward_steps(order, index))
    assert steps[-1].after == z.data == 3.0 * -3.0 + 9.0


def test_rerun_after_an_edit_starts_from_the_original_grads() -> None:
    x, y, z = example()
    trace = Trace(z, forward=True)
    x.data = 1.0
    again = trace.rerun()
    assert again.forward_length == 3
    again.seek(len(again))
    fresh_x, fresh_y = Value(1.0), Value(-3.0)
    fresh = fresh_x * fresh_y + fresh_x**2
    fresh.backward()
    assert again.data(again.root) == fresh.data
    assert (again.grad(again.id_of(x)), again.grad(again.id_of(y))) == (fresh_x.grad, fresh_y.grad)
    backward_only = again.rerun(forward=False)
    assert backward_only.forward_length == 0
    backward_only.seek(len(backward_only))
    assert backward_only.grad(backward_only.id_of(x)) == fresh_x.grad, "leaf grads not doubled"


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 30), moves=st.lists(st.integers(-5, 80)))
def test_seeking_through_both_phases_is_bit_exact(seed: int, size: int, moves: list[int]) -> None:
    rng = random.Random(seed)
    root = random_graph(rng.randint, lambda: rng.uniform(-2, 2), size)
    built = [node.data for node in root.topological_order()]
    trace = Trace(root, forward=True)
    trace.seek(trace.forward_length)
    assert bits([trace.data(i) for i in range(len(trace.nodes))]) == bits(built)
    snapshots = {}
    for position in range(len(trace) + 1):
        trace.seek(position)
        state = [trace.data(i) for i in range(len(trace.nodes))] + list(trace.grads())
        snapshots[position] = bits(state)
    for move in moves:
        trace.seek(move)
        state = [trace.data(i) for i in range(len(trace.nodes))] + list(trace.grads())
        assert bits(state) == snapshots[trace.position]
