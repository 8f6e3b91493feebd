"""EditScreen: type a new value for a leaf; the app recomputes the graph in memory."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.text.numbers import NotANumber, parse_number
from tui.text.visible import visible


class EditScreen(ModalScreen[float | None]):
    """A small dialog with the leaf's value filled in; enter applies, esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, name: str, value: float) -> None:
        super().__init__()
        self.name_ = name
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(f"New value for {self.name_}:"))
            yield Input(value=repr(self.value), id="edit-input")
            yield Label("", id="edit-error")
            yield Static(
                "The graph is recomputed in memory only: the scenario file is not changed.",
                classes="dim",
            )

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(parse_number(event.value))
        except NotANumber as error:
            self.query_one("#edit-error", Label).update(Content(visible(str(error))))

    def action_cancel(self) -> None:
        self.dismiss(None)
