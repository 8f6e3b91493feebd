"""Trace: a recorded pass with a cursor; stepping back restores every grad bit for bit."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd import Trace, Value
from micrograd.graph import topological_index
from tests.conftest import random_graph
from tests.engine.test_steps import bits, example


def test_positions_and_current_step() -> None:
    _, _, z = example()
    trace = Trace(z)
    assert (len(trace), trace.position, trace.current) == (6, 0, None)
    first = trace.step_forward()
    assert first == trace.current == trace.steps[0], "built again from its columns when read"
    assert trace.position == 1
    assert trace.step_back() == first and trace.position == 0
    assert trace.step_back() is None and trace.position == 0
    trace.seek(99)
    assert trace.position == 6 and trace.step_forward() is None
    trace.seek(-5)
    assert trace.position == 0


def test_grads_at_the_cursor() -> None:
    x, y, z = example()
    trace = Trace(z)
    ix, iy, iz = trace.id_of(x), trace.id_of(y), trace.id_of(z)
    assert [trace.grad(i) for i in (ix, iy, iz)] == [0.0, 0.0, 0.0]
    trace.step_forward()
    assert trace.grad(iz) == 1.0
    trace.seek(len(trace))
    assert (trace.grad(ix), trace.grad(iy)) == (1.0, 2.0)
    trace.seek(4)
    assert trace.grad(ix) == 4.0


def test_the_end_of_the_trace_is_what_backward_gives() -> None:
    _, _, z = example()
    trace = Trace(z)
    trace.seek(len(trace))
    expected = example()[2]
    expected.backward()
    assert list(trace.grads()) == [n.grad for n in expected.topological_order()]


def test_reached_and_final() -> None:
    x, _, z = example()
    trace = Trace(z)
    ix = trace.id_of(x)
    assert not trace.is_reached(ix) and not trace.is_final(ix)
    trace.seek(4)  # x**2 has contributed, x*y not yet
    assert trace.is_reached(ix) and not trace.is_final(ix)
    trace.seek(5)
    assert trace.is_final(ix)


def test_arrival_counts_contributions_to_shared_nodes() -> None:
    x, _, z = example()
    trace = Trace(z)
    into_x = [i for i, step in enumerate(trace.steps) if step.target == trace.id_of(x)]
    assert [trace.arrival(i) for i in into_x] == [(1, 2), (2, 2)]
    assert trace.arrival(0) == (1, 1)


def test_graph_structure() -> None:
    x, y, z = example()
    trace = Trace(z)
    ix = trace.id_of(x)
    assert trace.root == trace.id_of(z)
    assert trace.operands(trace.root) == (2, 3)
    assert sorted(trace.consumers(ix)) == [2, 3]
    a = Value(1.0)
    doubled = Trace(a + a)
    assert doubled.operands(1) == (0, 0) and doubled.consumers(0) == [1]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 40), forward=st.booleans())
def test_operands_consumers_and_changing_steps_match_the_graph(
    seed: int, size: int, forward: bool
) -> None:
    """They are read off the recorded steps; the graph itself must say the same."""
    rng = random.Random(seed)
    trace = Trace(random_graph(rng.randint, lambda: rng.uniform(-2, 2), size), forward)
    for node, value in enumerate(trace.nodes):
        operands = tuple(trace.id_of(o) for o in value._prev)
        assert trace.operands(node) == operands
        users = [i for i, other in enumerate(trace.nodes) if value in other._prev]
        assert trace.consumers(node) == sorted(set(users))
        changing = [i for i, step in enumerate(trace.steps) if node in step.targets]
        assert trace.steps_changing(node) == changing


def test_a_trace_can_reuse_a_topological_index_already_computed() -> None:
    *_, z = example()
    order, index = topological_index(z)
    shared = Trace(z, order=order, index=index)
    assert shared.nodes is order and shared.id_of(z) == index[id(z)]
    assert shared.steps == Trace(example()[2]).steps
    assert shared.rerun().nodes is order, "a rerun walks the same graph, so it reuses the walk"


def test_a_trace_of_a_second_pass_starts_from_the_leaves_kept_grads() -> None:
    x, _, z = example()
    z.backward()
    trace = Trace(z)
    ix = trace.id_of(x)
    assert trace.grad(ix) == 1.0, "at position 0 the leaf holds the first pass's grad"
    trace.seek(len(trace))
    assert trace.grad(ix) == 2.0


def test_later_changes_to_the_graph_do_not_rewrite_history() -> None:
    x, _, z = example()
    trace = Trace(z)
    trace.seek(len(trace))
    x.grad = 123.0
    x.data = 9.0
    assert trace.grad(trace.id_of(x)) == 1.0
    assert trace.steps[-1].local == 2.0


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 40), moves=st.lists(st.integers(-5, 60)))
def test_seeking_anywhere_and_back_is_bit_exact(seed: int, size: int, moves: list[int]) -> None:
    rng = random.Random(seed)
    trace = Trace(random_graph(rng.randint, lambda: rng.uniform(-2, 2), size))
    snapshots = {}
    for position in range(len(trace) + 1):
        trace.seek(position)
        snapshots[position] = bits(list(trace.grads()))
    for move in moves:
        trace.seek(move)
        assert bits(list(trace.grads())) == snapshots[trace.position]
    trace.seek(0)
    assert bits(list(trace.grads())) == snapshots[0]


def test_recording_pauses_the_cycle_collector_only_while_it_records() -> None:
    import gc

    _, _, z = example()
    Trace(z)
    assert gc.isenabled()
    gc.disable()
    try:
        Trace(z)
        assert not gc.isenabled(), "a collector switched off by the caller stays off"
    finally:
        gc.enable()


def test_nodes_with_the_same_label_share_one_string() -> None:
    """A model applied to many samples labels each sample's nodes alike: a string apiece
    took 5 MB of a 10^5-node trace, in the worker and again in the app."""
    x = Value(2.0, label="x")
    outs = [x * Value(float(i), label="".join(["w", "0"])) for i in range(3)]
    for out in outs:
        out.label = "".join(["o", "ut"])
    trace = Trace(outs[0] + outs[1] + outs[2])
    weights = [i for i, label in enumerate(trace.labels) if label == "w0"]
    products = [i for i, label in enumerate(trace.labels) if label == "out"]
    assert len(weights) == len(products) == 3
    assert len({id(trace.labels[i]) for i in weights + products}) == 2
