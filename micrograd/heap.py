"""How micrograd and the app keep Python's cycle collector out of the way of big graphs.

Every choice about the collector is here. Recording a pass pauses it
(``paused``). A trace of 10^5 nodes is a couple of million objects that live as long as it
is on show, and each full collection walks every one of them: one came while
the debugger was being mounted (0.13 s of a 1.8 s launch) and then one every
few dozen keys (75 ms at 10^4 nodes, 250 ms at 10^5), each a key that hangs.
So a load ends by moving everything alive out of the collector's way
(``gc.freeze``), and the next load of the same app begins by moving it back
and collecting, which frees the traces no longer on show, cycles and all (a
lecture-style Value class makes one per op). The app gives everything back
when it closes. While a scenario builds its graph, the youngest generation is
collected less often (``collecting_less_often``). And once a process has let go of
a big trace, it hands the memory that frees back to the system (``give_back``).
The command starts with the collector off (``hold_for_launch``) until the
app's first screen is drawn (``launched``).
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator

YOUNG_COLLECTION_EVERY = 20_000
"""Allocations between two collections of the youngest generation while a scenario loads
(Python's default is 700); see ``collecting_less_often``."""


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Pause Python's cycle collector while a pass is recorded.

    Recording allocates one object per step and then indexes them, none of
    which can be part of a cycle, yet every few thousand allocations the
    collector walks the whole growing heap: a third of the time at 10^5 nodes
    (1.9 s down to 1.3 s), and another 0.3 s when the indexes were built
    after the pause.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_held_for_launch = False


def hold_for_launch() -> None:
    """Keep the collector off while the app starts, until ``launched``.

    Importing the app and Textual and mounting the first screen make a few
    hundred thousand objects, all of them kept, and the collector walked them
    again and again as they were made: 12 ms of the quarter of a second from
    the command to the first frame. A command that prints a trace and ends
    never turns it back on: what it makes is freed as it goes, cycles aside.
    """
    global _held_for_launch
    if gc.isenabled():
        gc.disable()
        _held_for_launch = True


def launched() -> None:
    """The start is over (the app's first screen is drawn, or the server is up): leave
    everything alive now (modules, widgets, the trace on show) out of future
    collections, and turn the collector back on if ``hold_for_launch`` turned it off."""
    global _held_for_launch
    if _held_for_launch:
        _held_for_launch = False
        gc.freeze()
        gc.enable()


def set_aside() -> None:
    """After a load: leave every object alive now out of future collections."""
    gc.freeze()


def take_back(collect: bool = True) -> None:
    """Before a load (``collect``) or on closing: put what ``set_aside`` left out back
    into the collector's care, and collect what has become garbage since."""
    if gc.get_freeze_count():
        gc.unfreeze()
        if collect:
            gc.collect()


@contextlib.contextmanager
def collecting_less_often() -> Iterator[None]:
    """Run Python's cycle collector less often while a scenario builds its graph.

    A graph is two or three objects a node that the collector tracks, all alive,
    and with the default thresholds the collector ran every 700 allocations
    and walked the whole growing graph every so often: a third of loading a
    10^5-node scenario (0.65 s down to 0.44 s). It still runs, so the cycles
    a lecture-style Value class leaves behind (a closure per op) are freed.
    A second load running at the same time leaves the thresholds to the first.
    """
    thresholds = gc.get_threshold()
    if thresholds[0] >= YOUNG_COLLECTION_EVERY:
        yield
        return
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


@functools.cache
def _trimmer() -> Callable[[int], int] | None:
    """The C library's ``malloc_trim``, where it is glibc's; looked up when first needed
    (``ctypes`` would cost every launch 10 ms), among the symbols the process already has
    (``ctypes.util.find_library`` would start ``ldconfig``: a fork of the whole worker)."""
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc: musl, macOS
        return None


def give_back() -> None:
    """Return the memory a trace no longer wanted leaves free to the system.

    glibc keeps what Python frees for its own next allocations: the worker, once
    it has sent a 10^5-node trace to the app and kept only the live graph, went
    on holding 79 MB (106 with the trace), and 66 MB with this.
    """
    trim = _trimmer()
    if trim is not None:
        trim(0)
