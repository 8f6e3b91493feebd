"""A trace keeps its steps packed in columns and builds each one when it is read: the same
steps, field for field, in the same order, by index, slice or iteration."""

from __future__ import annotations

import pickle
import struct

import pytest

from micrograd import Step, Trace, Value
from micrograd.packing import PackedSteps, pack


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
