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
from tui.messages import LoadRequested


class ErrorScreen(Screen[None]):
    """Title, file:line, message and hint; ``r`` retries once the file is fixed."""

    BINDINGS = [Binding("r", "retry", "Retry"), Binding("q", "app.quit", "Quit")]

    def __init__(self, error: ScenarioError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        error = self.error
        text = Text()
        text.append(f"{error.title}\n\n", style="bold")
        text.append(f"{error.location}\n", style="underline")
        text.append(f"{error.message}\n\n")
        text.append(f"What to do: {error.hint}.\n\n")
        text.append("Fix the file, then press r to try again, or q to quit.", style="dim")
        with Vertical(classes="dialog", id="error"):
            yield Static(text)
        yield Footer()

    def action_retry(self) -> None:
        self.post_message(LoadRequested(Path(self.error.path), 0))
