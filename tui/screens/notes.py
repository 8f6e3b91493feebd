"""NotesScreen: the scenario's teaching notes, from its docstring, and what it printed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.text.prose import reflow


class NotesScreen(ModalScreen[None]):
    """The title and notes on one scrollable page; esc closes it."""

    BINDINGS = [Binding("escape,N,q", "close", "Close")]

    def __init__(self, title: str, notes: str, output: str = "") -> None:
        super().__init__()
        self.heading = title
        self.notes = reflow(notes) if notes else "This scenario has no teaching notes."
        self.output = output

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="notes"):
            yield Static(Text(self.heading, style="bold"))
            yield Static(Text("\n" + self.notes))
            if self.output:
                yield Static(Text("\nWhat the scenario printed:", style="bold"))
                yield Static(Text(self.output.rstrip()))
            yield Static(Text("\nesc closes the notes", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
