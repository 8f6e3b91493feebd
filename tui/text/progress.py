"""What a long load says while it works: the phase, how far it has come, the time taken.

The loader tells a ``micrograd.trace.Progress`` (``what``, ``done``,
``total``; a total of 0 means the phase cannot say how far it has come, like
running the scenario's own code). The app draws it on its loading screen;
``TerminalProgress`` draws it as one line on a terminal's stderr for
``--print`` and ``--export``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

SHOW_AFTER = 0.5
"""Seconds a load runs before its progress is shown: a quick load just appears."""

PHASES = {
    "running": "Running the scenario",
    "checking": "Checking its graph",
    "forward": "Recording the forward pass",
    "backward": "Recording the backward pass",
    "naming": "Naming the nodes",
    "writing": "Writing the export",
}
UNITS = {"forward": "nodes", "backward": "steps"}


def progress_text(what: str, done: int, total: int) -> str:
    """``Recording the backward pass: 12,288 of 68,818 steps``."""
    text = PHASES.get(what, what)
    if total:
        text += f": {done:,} of {total:,} {UNITS.get(what, 'steps')}"
    return text


def elapsed_text(seconds: float) -> str:
    return f"{seconds:.1f} s"


def bar(done: int, total: int, width: int) -> str:
    """A bar of ``width`` cells, filled in proportion; an unknown total fills none."""
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


class TerminalProgress:
    """The load's progress as one line on a terminal, redrawn in place and cleared at the
    end; nothing at all when the stream is not a terminal, or the load is quick."""

    WIDTH = 24
    EVERY = 0.1  # seconds between redraws

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self._stream = stream
        self._clock = clock
        self._start = clock()
        self._drawn = 0.0
        self._what = ""
        self._shown = False
        self.live = stream.isatty()

    def __call__(self, what: str, done: int, total: int) -> None:
        now = self._clock()
        if not self.live or now - self._start < SHOW_AFTER:
            return
        if what == self._what and now - self._drawn < self.EVERY:
            return
        self._drawn, self._what = now, what
        self._shown = True
        text, elapsed = progress_text(what, done, total), elapsed_text(now - self._start)
        if total:
            line = f"{bar(done, total, self.WIDTH)} {text} ({elapsed})"
        else:  # no count to show, and no redraw until the next phase: say when it began
            line = f"{text} … (at {elapsed})"
        self._stream.write(f"\r\x1b[K{line}")
        self._stream.flush()

    def finish(self) -> None:
        """Clear the line, so that what follows starts on a clean one."""
        if self._shown:
            self._shown = False
            self._stream.write("\r\x1b[K")
            self._stream.flush()
