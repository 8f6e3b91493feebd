"""Steps packed into columns, to send a recorded ``Trace`` to another process quickly.

The app records a scenario in a worker process and receives its trace as
plain data. Pickling 190,000 frozen steps one object at a time took a second
each way; a run of steps of one kind packed as one column per field (arrays
of floats and ints, lists of the rest) pickles in C, and the steps are built
again with the same slot-filling constructor recording uses: 0.1 s each way.
"""

from __future__ import annotations

from array import array
from dataclasses import Field, fields
from itertools import groupby
from operator import attrgetter
from typing import Any

from micrograd.speed import slot_filler
from micrograd.steps import CallStep, ChainStep, ForwardStep, SeedStep, Step, UpdateStep

_ARRAY_CODES = {"float": "d", "int": "q"}
"""Fields kept in a typed array: a float or an int each, 8 bytes, no object per value."""

_KINDS = (ForwardStep, SeedStep, ChainStep, CallStep, UpdateStep)
_FIELDS: dict[type, tuple[Field[Any], ...]] = {kind: fields(kind) for kind in _KINDS}
_BUILDERS = {kind: slot_filler(kind, *(f.name for f in _FIELDS[kind])) for kind in _KINDS}

Packed = list[tuple[str, list[Any]]]
"""Runs of steps of one kind, in order: the kind's name, then one column per field."""


def pack(steps: tuple[Step, ...]) -> Packed:
    """The steps as runs of one kind each, a column per field."""
    packed: Packed = []
    for kind, run in groupby(steps, type):
        same = list(run)
        columns: list[Any] = []
        for field in _FIELDS[kind]:
            values = map(attrgetter(field.name), same)
            code = _ARRAY_CODES.get(str(field.type))
            columns.append(array(code, values) if code else list(values))
        packed.append((kind.__name__, columns))
    return packed


def unpack(packed: Packed) -> tuple[Step, ...]:
    """The steps ``pack`` was given, equal field for field (floats bit for bit)."""
    by_name = {kind.__name__: kind for kind in _KINDS}
    steps: list[Step] = []
    for name, columns in packed:
        steps += map(_BUILDERS[by_name[name]], *columns)
    return tuple(steps)
