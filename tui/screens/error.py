"""ErrorScreen: a scenario that could not be loaded, and what to do about it."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.loading.errors import ScenarioError
from tui.messages import BackRequested, LoadRequested


class ErrorScreen(Screen[None]):
    """Title, file:line, message and hint; ``r`` retries once the file is fixed."""

    BINDINGS = [
        Binding("r", "retry", "Retry"),
        Binding("q", "back", "Back", tooltip="back to the scenarios (q there quits)"),
    ]

    def __init__(self, error: ScenarioError, from_picker: bool = False) -> None:
        super().__init__()
        self.error = error
        self.from_picker = from_picker
        """Whether the file was chosen in the picker: then q goes back to it, else quits."""

    def compose(self) -> ComposeResult:
        error = self.error
        text = Text()
        text.append(f"{error.title}\n\n", style="bold")
        text.append(f"{error.location}\n", style="underline")
        text.append(f"{error.message}\n\n")
        text.append(f"What to do: {error.hint}.\n\n")
        leave = "go back" if self.from_picker else "quit"
        text.append(f"Fix the file, then press r to try again, or q to {leave}.", style="dim")
        with Vertical(classes="dialog", id="error"):
            yield Static(text)
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.from_picker if action == "back" else True

    def action_back(self) -> None:
        self.post_message(BackRequested())

    def action_retry(self) -> None:
        self.post_message(LoadRequested(Path(self.error.path), 0))
