"""What the app is told, as messages: what a screen asks of it (a screen posts one, and
it bubbles up to ``MicrogradApp``, which owns loading and recording and handles each
with ``@on``), and how a load in its worker thread is going.

The app answers with data going down: it shows a new trace on the debugger
(``DebuggerScreen.show``) or sets the debugger's ``problem``.
"""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from tui.classroom import ClassState
from tui.view.trace_view import TraceView


class LoadRequested(Message):
    """Read and run a scenario file (again), then show it at ``position``."""

    def __init__(self, path: Path, position: int) -> None:
        super().__init__()
        self.path = path
        self.position = position


class RebuildRequested(Message):
    """Record the pass on show again, without reading the file: after a leaf was edited
    (``edit`` is the node and its new data), or to add or leave out the forward phase;
    then show it at ``position``."""

    def __init__(
        self, view: TraceView, position: int, edit: tuple[int, float] | None = None
    ) -> None:
        super().__init__()
        self.view = view
        self.position = position
        self.edit = edit


class IterationRequested(Message):
    """Show another iteration of a training scenario, at its first or its last step."""

    def __init__(self, view: TraceView, iteration: int, at_end: bool) -> None:
        super().__init__()
        self.view = view
        self.iteration = iteration
        self.at_end = at_end


class BackRequested(Message):
    """Close the scenario on show and go back to the picker it was opened from."""


class StateChanged(Message):
    """The teacher's debugger is somewhere new: its followers should be told."""

    def __init__(self, state: ClassState) -> None:
        super().__init__()
        self.state = state


class LoadProgressed(Message):
    """A load in the worker thread has come this far (``micrograd.trace.Progress``'s
    terms: a total of 0 means the phase cannot say how far it is)."""

    def __init__(self, what: str, done: int, total: int) -> None:
        super().__init__()
        self.what = what
        self.done = done
        self.total = total
