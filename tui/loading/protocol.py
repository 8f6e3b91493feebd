"""What the app and the worker process say to each other: a few plain messages, pickled
and sent with their length over a pipe.

The app asks (``Load``, ``Rebuild``); the worker answers with any number of
``Running`` and ``Progressed`` while it works, then one ``Recorded`` or
``Failed``. ``Exiting`` is the worker's last word when the scenario calls
``os._exit()``. Messages hold plain data only: the app never receives a
live object of the scenario's, so nothing of its code can run in the app.
"""

from __future__ import annotations

import copyreg
import os
import pickle
import struct
from array import array
from dataclasses import dataclass
from typing import Any

from micrograd.gradcheck import BackwardCallCheck
from micrograd.trace import Trace
from tui.loading.errors import ScenarioError
from tui.loading.sites import Sources
from tui.loading.summary import Summary

_LENGTH = struct.Struct("<Q")


@dataclass(frozen=True)
class Load:
    """Run the scenario file at ``path`` and record its pass."""

    path: str
    timeout: float
    max_nodes: int
    forward: bool


@dataclass(frozen=True)
class Rebuild:
    """Record the pass of training iteration ``iteration`` (0 for any other scenario) again,
    with or without a forward phase, after setting a leaf's data if ``edit`` says so."""

    iteration: int
    forward: bool
    edit: tuple[int, float] | None = None


@dataclass(frozen=True)
class Running:
    """The worker is about to run this part of the scenario's code (``build()``, ...)."""

    what: str


@dataclass(frozen=True)
class Progressed:
    """How far recording has come (see ``micrograd.trace.Progress``)."""

    what: str
    done: int
    total: int


@dataclass(frozen=True)
class Recorded:
    """A recorded pass, and for a ``Load`` the scenario's summary."""

    trace: Trace
    check: BackwardCallCheck | None
    iteration: int = 0
    summary: Summary | None = None
    sources: Sources | None = None
    """Where each node was built, for a graph of ``micrograd.Value``s."""


@dataclass(frozen=True)
class Failed:
    """The request could not be done; ``error`` says why."""

    error: ScenarioError


@dataclass(frozen=True)
class Exiting:
    """The scenario called ``os._exit(code)`` at ``line`` of its file (None if not known)."""

    code: int
    line: int | None


_BUFFER = 1 << 63
"""Set in a chunk's length when the chunk is an array's memory, sent beside the pickle."""


class _Chunks:
    """A pipe as the file a ``pickle.Pickler`` writes to: each write goes out at once as
    one chunk (its length, then its bytes), so the message is never held whole here.

    An array's numbers go out as a chunk of their own, straight from the array's
    memory (``buffer``): pickled in the message, each array was first copied to
    bytes, and the pickler kept every copy until the message was done (25 MB of
    a 10^5-node trace's, at the worker's busiest moment), as the app's unpickler
    kept each copy it read.
    """

    def __init__(self, descriptor: int) -> None:
        self.descriptor = descriptor

    def write(self, data: bytes | memoryview) -> int:
        if data:
            _write_all(self.descriptor, _LENGTH.pack(len(data)))
            _write_all(self.descriptor, data)
        return len(data)

    def buffer(self, buffer: pickle.PickleBuffer) -> None:
        """Send ``buffer`` beside the pickle (returning nothing tells the pickler so)."""
        with buffer.raw() as raw:
            _write_all(self.descriptor, _LENGTH.pack(len(raw) | _BUFFER))
            _write_all(self.descriptor, raw)


def _write_all(descriptor: int, data: bytes | memoryview) -> None:
    with memoryview(data) as view:
        while view:
            view = view[os.write(descriptor, view) :]


def _array_in_place(numbers: array[Any]) -> tuple[Any, ...]:
    """An array, pickled as an empty one of its type code filled from its own memory
    (see ``_Chunks.buffer``). Filling it after it is made, not passing the memory to the
    constructor, keeps the unpickler from holding the bytes till the message is done."""
    return array, (numbers.typecode,), pickle.PickleBuffer(numbers), None, None, array.frombytes


_DISPATCH = {**copyreg.dispatch_table, array: _array_in_place}


def send(descriptor: int, message: object) -> None:
    """Write one message to a pipe: its pickle in chunks as the pickler makes them, then an
    empty chunk. A 10^5-node trace pickles to about 30 MB, which ``pickle.dumps`` would
    build in a buffer of twice that before a byte went out."""
    chunks = _Chunks(descriptor)
    pickler = pickle.Pickler(chunks, protocol=5, buffer_callback=chunks.buffer)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(message)
    _write_all(descriptor, _LENGTH.pack(0))


class Frames:
    """Messages rebuilt from a pipe's bytes as they arrive, in whatever pieces: chunks, each
    its length then its bytes, until an empty one ends the message. The bytes go straight
    into the message or the array they belong to, copied once."""

    def __init__(self) -> None:
        self._header = bytearray()
        self._left = 0
        """Bytes of the current chunk still to come."""
        self._message = bytearray()
        self._buffers: list[bytearray] = []
        """The arrays' numbers sent beside this message, in order."""
        self._into = self._message
        """Where the current chunk's bytes go."""

    def feed(self, data: bytes) -> list[object]:
        """The messages that ``data`` completes."""
        messages = []
        with memoryview(data) as rest:
            while rest:
                if self._left:
                    taken = rest[: self._left]
                    self._into += taken
                    self._left -= len(taken)
                    rest = rest[len(taken) :]
                    continue
                wanted = _LENGTH.size - len(self._header)
                self._header += rest[:wanted]
                rest = rest[wanted:]
                if len(self._header) < _LENGTH.size:
                    break
                (length,) = _LENGTH.unpack(self._header)
                self._header.clear()
                self._left = length & ~_BUFFER
                if length & _BUFFER:
                    self._into = bytearray()
                    self._buffers.append(self._into)
                elif length:
                    self._into = self._message
                else:  # the empty chunk: the message is whole
                    messages.append(self._rebuilt())
        return messages

    def _rebuilt(self) -> object:
        """The message whole, each array's numbers let go as soon as the array has them."""
        buffers, self._buffers = self._buffers, []
        buffers.reverse()
        handed = (buffers.pop() for _ in range(len(buffers)))
        message = pickle.loads(self._message, buffers=handed)
        self._message = self._into = bytearray()
        return message
