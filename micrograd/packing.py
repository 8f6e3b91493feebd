"""Steps packed into columns, to send a recorded ``Trace`` to another process quickly.

The app records a scenario in a worker process and receives its trace as
plain data. Pickling 190,000 frozen steps one object at a time took a second
each way; a run of steps of one kind packed as one column per field (arrays
of floats and ints, lists of the rest) pickles in C, and the steps are built
again with the same slot-filling constructor recording uses: 0.1 s each way.

A trace keeps its steps packed, too (``PackedSteps``), and builds a step only
when it is read: as objects, the steps of a 10^5-node graph and their floats
took some 60 MB in each process. A field that holds a tuple of numbers (a forward
step's operands and inputs) is a ``Ragged`` column: kept as tuples, those two
alone took 20 MB more.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import Field, fields
from itertools import accumulate, groupby
from operator import attrgetter, eq
from typing import Any, overload

from micrograd.speed import slot_filler
from micrograd.steps import CallStep, ChainStep, ForwardStep, SeedStep, Step, UpdateStep

_ARRAY_CODES = {"float": "d", "int": "q"}
"""Fields kept in a typed array: a float or an int each, 8 bytes, no object per value."""

_RAGGED_CODES = {"tuple[float, ...]": "d", "tuple[int, ...]": "q"}
"""Fields kept as a ``Ragged`` column: a tuple of floats or ints each."""

_KINDS = (ForwardStep, SeedStep, ChainStep, CallStep, UpdateStep)
_FIELDS: dict[type, tuple[Field[Any], ...]] = {kind: fields(kind) for kind in _KINDS}
_BUILDERS = {kind: slot_filler(kind, *(f.name for f in _FIELDS[kind])) for kind in _KINDS}

BLOCK = 4096
"""Steps whose columns ``PackedSteps.between`` copies at once."""

Packed = list[tuple[str, list[Any]]]
"""Runs of steps of one kind, in order: the kind's name, then one column per field."""


class Ragged:
    """A column of tuples of numbers, each a few long, kept end to end in one typed array
    with where each ends: no tuple, and no object per number, until a row is read."""

    def __init__(self, code: str, rows: Iterable[Sequence[Any]] = ()) -> None:
        self.values: array[Any] = array(code)
        self.ends: array[int] = array("q", [0])
        for row in rows:
            self.values.extend(row)
            self.ends.append(len(self.values))

    def __len__(self) -> int:
        return len(self.ends) - 1

    @overload
    def __getitem__(self, index: int) -> tuple[Any, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[Any, ...]]: ...

    def __getitem__(self, index: int | slice) -> tuple[Any, ...] | list[tuple[Any, ...]]:
        values, ends = self.values, self.ends
        if isinstance(index, slice):
            rows = range(*index.indices(len(self)))
            return [tuple(values[ends[i] : ends[i + 1]]) for i in rows]
        return tuple(values[ends[index] : ends[index + 1]])

    def extend(self, more: Ragged) -> None:
        """Add ``more``'s rows after these."""
        offset = len(self.values)
        self.values.extend(more.values)
        self.ends.extend(end + offset for end in more.ends[1:])


def _column(kind: str, values: Iterable[Any]) -> Any:
    """One field's values as the column its kind is kept in."""
    if kind in _ARRAY_CODES:
        return array(_ARRAY_CODES[kind], values)
    if kind in _RAGGED_CODES:
        return Ragged(_RAGGED_CODES[kind], values)
    return list(values)


def pack(steps: tuple[Step, ...]) -> Packed:
    """The steps as runs of one kind each, a column per field."""
    packed: Packed = []
    for kind, run in groupby(steps, type):
        same = list(run)
        columns = [_column(str(f.type), map(attrgetter(f.name), same)) for f in _FIELDS[kind]]
        packed.append((kind.__name__, columns))
    return packed


def merge(packed: Packed, more: Packed) -> None:
    """Add ``more`` runs to ``packed``, extending its last run where the kinds match."""
    for name, columns in more:
        if packed and packed[-1][0] == name:
            for column, added in zip(packed[-1][1], columns):
                column.extend(added)
        else:
            packed.append((name, columns))


class PackedSteps(Sequence[Step]):
    """Steps kept as ``pack`` makes them, each built as a step object when it is read."""

    def __init__(self, packed: Packed) -> None:
        self.packed = packed
        by_name = {kind.__name__: kind for kind in _KINDS}
        self._builders = [_BUILDERS[by_name[name]] for name, _ in packed]
        lengths = (len(columns[0]) for _, columns in packed)
        self._starts = array("q", [0, *accumulate(lengths)])

    def __len__(self) -> int:
        return self._starts[-1]

    @overload
    def __getitem__(self, index: int) -> Step: ...

    @overload
    def __getitem__(self, index: slice) -> list[Step]: ...

    def __getitem__(self, index: int | slice) -> Step | list[Step]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("step index out of range")
        run = bisect.bisect_right(self._starts, index) - 1
        at = index - self._starts[run]
        step: Step = self._builders[run](*(column[at] for column in self.packed[run][1]))
        return step

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same steps in the same order, packed or not."""
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(map(eq, self, other))

    __hash__ = None  # type: ignore[assignment]

    def between(self, start: int, stop: int, backward: bool = False) -> Iterator[Step]:
        """Steps ``start`` to ``stop``, built as they are read, last first if ``backward``:
        a jump across a whole trace reads the columns a block of steps at a time, not a step
        at a time, nor all at once (copies of a 10^5-node trace's columns took 30 MB)."""
        runs = range(len(self._builders))
        for run in reversed(runs) if backward else runs:
            low, high = max(start, self._starts[run]), min(stop, self._starts[run + 1])
            offset = self._starts[run]
            blocks = range(low - offset, high - offset, BLOCK)
            for first in reversed(blocks) if backward else blocks:
                last = min(first + BLOCK, high - offset)
                columns = [column[first:last] for column in self.packed[run][1]]
                if backward:
                    columns = [column[::-1] for column in columns]
                yield from map(self._builders[run], *columns)

    def __iter__(self) -> Iterator[Step]:
        return self.between(0, len(self))
