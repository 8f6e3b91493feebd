"""How the app was asked to run: the command line's choices, in one value.

Kept apart from the app so the command line can build it without importing
Textual (printing a transcript stays fast).
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.loading.remote import DEFAULT_MAX_MEMORY
from tui.loading.scenario import DEFAULT_MAX_NODES, DEFAULT_TIMEOUT

DEFAULT_HOST = "127.0.0.1"
"""Where ``--serve`` listens unless told: this machine only."""
DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 60
"""Room for a large class; each session is a process of its own (about 40 MB)."""


@dataclass(frozen=True)
class Options:
    """The app's start-up choices; the learner can change ``forward`` and ``quiz`` with keys."""

    timeout: float = DEFAULT_TIMEOUT
    max_nodes: int = DEFAULT_MAX_NODES
    max_memory: int = DEFAULT_MAX_MEMORY
    """Bytes of memory the scenario's worker process may use (``--max-memory``)."""
    forward: bool = True
    """Begin the timeline with the forward phase (``--backward-only`` turns it off)."""
    quiz: bool = False
    """Start in quiz mode (``--quiz``)."""
    quiz_forward: bool = True
    """The quiz asks the forward phase's values too (``--quiz backward`` leaves them out)."""
    watch: bool = True
    """Reload the scenario when its file changes on disk (``--no-watch`` turns it off)."""
    spare: bool = True
    """Keep a worker started ahead, so a reload skips Python's start-up (~15 MB idle);
    a browser session of ``--serve``, one of many on the server, goes without."""
    attached: bool = False
    """The graph comes from a program that called ``debug()`` and waits for the app:
    there is no file to run or watch, and a reload records the same graph again."""
    teach: str | None = None
    """Where followers connect to follow this app's position (``--teach``), if anywhere."""
    follow: str | None = None
    """The teacher to follow (``--follow``): the scenario and the position come from there."""
