"""JumpScreen: ask for a step number and go straight there."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tui.text.visible import visible


class JumpScreen(ModalScreen[int | None]):
    """A small dialog: type a step from 0 to N, enter to jump, escape to cancel."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, steps: int) -> None:
        super().__init__()
        self.steps = steps

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Jump to step (0 to {self.steps}):")
            yield Input(placeholder=f"0-{self.steps}", id="jump-input")
            yield Label("", id="jump-error")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        n = self.steps
        if not text.isdigit() or int(text) > n:
            self.query_one("#jump-error", Label).update(
                Content(
                    visible(f"'{text}' is not a step: type a whole number from 0 to {self.steps}")
                )
            )
            return
        self.dismiss(int(text))

    def action_cancel(self) -> None:
        self.dismiss(None)
