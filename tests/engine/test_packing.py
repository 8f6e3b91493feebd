"""A trace keeps its steps packed in columns and builds each one when it is read: the same
steps, field for field, in the same order, by index, slice or iteration."""

from __future__ import annotations

import pickle
import struct
import tracemalloc

import pytest

from micrograd import ForwardStep, Step, Trace, Value
from micrograd.packing import PackedSteps, Ragged, pack


def recorded() -> tuple[Trace, list[Step]]:
    x, y = Value(2.0, label="x"), Value(-3.0, label="y")
    z = (x * y + x**2).tanh() / 3.0
    trace = Trace(z, forward=True, updates=[(x, 0.1, 0.5, 2.0, 1.95, "SGD")])
    return trace, list(trace.steps)


def test_packed_steps_read_back_as_the_steps_recorded() -> None:
    trace, steps = recorded()
    packed = trace.steps
    assert isinstance(packed, PackedSteps)
    assert len(packed) == len(steps) and list(packed) == steps
    assert [packed[i] for i in range(len(steps))] == steps
    assert packed[-1] == steps[-1] and packed[2:5] == steps[2:5] and packed[::-3] == steps[::-3]
    assert packed == steps and packed == PackedSteps(pack(tuple(steps)))
    with pytest.raises(IndexError):
        packed[len(steps)]


def test_a_pickled_trace_keeps_every_float_bit_for_bit() -> None:
    trace, steps = recorded()
    again = pickle.loads(pickle.dumps(trace))
    bits = [struct.pack("<d", value) for step in steps for value in _floats(step)]
    assert [struct.pack("<d", v) for step in again.steps for v in _floats(step)] == bits


def _floats(step: object) -> list[float]:
    values = [getattr(step, name) for name in getattr(step, "__slots__", ())]
    flat = [v for value in values for v in (value if isinstance(value, tuple) else (value,))]
    return [v for v in flat if isinstance(v, float)]


def test_a_jump_reads_the_same_steps_as_one_at_a_time() -> None:
    trace, steps = recorded()
    packed = trace.steps
    assert isinstance(packed, PackedSteps)
    for start in range(len(steps)):
        for stop in range(start, len(steps) + 1):
            assert list(packed.between(start, stop)) == steps[start:stop]
            assert list(packed.between(start, stop, backward=True)) == steps[start:stop][::-1]


def test_a_step_s_tuples_of_numbers_are_kept_in_typed_arrays() -> None:
    """As tuples, a 10^5-node trace's operands and inputs took 20 MB more."""
    trace, steps = recorded()
    packed = trace.steps
    assert isinstance(packed, PackedSteps)
    runs = [columns for name, columns in packed.packed if name == "ForwardStep"]
    assert runs
    for _node, operands, _kind, inputs, _after in runs:
        assert isinstance(operands, Ragged) and operands.values.typecode == "q"
        assert isinstance(inputs, Ragged) and inputs.values.typecode == "d"
    forward = [step for step in steps if isinstance(step, ForwardStep)]
    assert [step.operands for step in forward] == [o for run in runs for o in run[1]]


def test_a_jump_holds_a_block_of_steps_at_a_time_however_long_the_trace() -> None:
    """A jump read copies of the columns it crossed: 30 MB at 10^5 nodes, most of it kept
    by the heap after they were freed."""

    def held_to_cross(length: int) -> int:
        x = Value(0.5, label="x")
        node = x
        for _ in range(length):
            node = node * 1.0001 + x
        trace = Trace(node, forward=True)
        tracemalloc.start()
        trace.seek(len(trace))
        trace.seek(0)
        held = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return held

    short, long = held_to_cross(3_000), held_to_cross(12_000)
    assert long < 1.5 * short, f"{short:,} bytes held to cross a trace, {long:,} for 4x as long"
