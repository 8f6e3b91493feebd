"""What the app and the worker process say to each other: a few plain messages, pickled
and sent with their length over a pipe.

The app asks (``Load``, ``Rebuild``); the worker answers with any number of
``Running`` and ``Progressed`` while it works, then one ``Recorded`` or
``Failed``. ``Exiting`` is the worker's last word when the scenario calls
``os._exit()``. Messages hold plain data only: the app never receives a
live object of the scenario's, so nothing of its code can run in the app.
"""

from __future__ import annotations

import os
import pickle
import struct
from dataclasses import dataclass

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


def send(descriptor: int, message: object) -> None:
    """Write one message, whole, to a pipe."""
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_LENGTH.pack(len(body)) + body)
    while view:
        view = view[os.write(descriptor, view) :]


class Frames:
    """Messages rebuilt from a pipe's bytes as they arrive, in whatever pieces."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[object]:
        """The messages that ``data`` completes."""
        self._buffer += data
        messages = []
        while len(self._buffer) >= _LENGTH.size:
            (length,) = _LENGTH.unpack_from(self._buffer)
            end = _LENGTH.size + length
            if len(self._buffer) < end:
                break
            with memoryview(self._buffer) as whole, whole[_LENGTH.size : end] as body:
                messages.append(pickle.loads(body))  # read in place: a 10^5-node trace is MBs
            del self._buffer[:end]
        return messages
