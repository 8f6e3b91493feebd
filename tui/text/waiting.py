"""The backward pass's queue in words: whose turn comes next, and who still waits.

A node passes its grad back once it is final, when every node that uses it has
passed its own back: that is why the steps come in topological order, last
node first. The step panel says at each step which nodes are ready and which
have some of their contributions but not all.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.text.naming import wrap


@dataclass(frozen=True)
class Queue:
    """The backward pass at the cursor: a few nodes of each kind by name, and how many."""

    ready: tuple[str, ...]
    """Nodes with a final grad that have not passed it back yet, in the order they will."""
    ready_count: int
    waiting: tuple[tuple[str, int, int], ...]
    """Nodes with some contributions in but not all: name, how many in, of how many."""
    waiting_count: int
    unreached: int
    """Nodes no contribution has reached yet."""


def queue_text(queue: Queue) -> str:
    """``ready: n, b │ waiting: x (1 of 2 in) │ not reached: 4``, with "+k" for the rest."""
    parts = [f"ready: {_listed(queue.ready, queue.ready_count) if queue.ready_count else 'none'}"]
    if queue.waiting_count:
        named = [f"{wrap(name)} ({got} of {total} in)" for name, got, total in queue.waiting]
        parts.append(f"waiting: {_listed(tuple(named), queue.waiting_count, wrapped=True)}")
    if queue.unreached:
        parts.append(f"not reached: {queue.unreached}")
    return " │ ".join(parts)


def _listed(names: tuple[str, ...], count: int, wrapped: bool = False) -> str:
    shown = ", ".join(names if wrapped else (wrap(name) for name in names))
    return shown + (f" +{count - len(names)}" if count > len(names) else "")
