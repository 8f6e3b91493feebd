"""Keeping Python's cycle collector away from the trace on show.

A trace of 10^5 nodes is a couple of million objects that live as long as it
is on show, and each full collection walks every one of them: one came while
the debugger was being mounted (0.13 s of a 1.8 s launch) and then one every
few dozen keys (75 ms at 10^4 nodes, 250 ms at 10^5), each a key that hangs.
So a load ends by moving everything alive out of the collector's way
(``gc.freeze``), and the next load of the same app begins by moving it back
and collecting, which frees the traces no longer on show, cycles and all (a
lecture-style Value class makes one per op). The app gives everything back
when it closes.
"""

from __future__ import annotations

import gc


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
