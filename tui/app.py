"""MicrogradApp: loads a scenario in a worker and shows it on the right screen.

The App stays small: screens do the work. It owns loading, because the
debugger, the error screen and the picker all end in "load this file".
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Label, LoadingIndicator
from textual.worker import get_current_worker

from micrograd import Trace
from tui.scenario import DEFAULT_MAX_NODES, DEFAULT_TIMEOUT, ScenarioError, load_scenario
from tui.screens.debugger import DebuggerScreen
from tui.screens.error import ErrorScreen
from tui.screens.help import HelpScreen
from tui.screens.picker import PickerScreen
from tui.view import TraceView


class MicrogradApp(App[None]):
    """Step forward and back through backpropagation."""

    CSS_PATH = "app.tcss"
    TITLE = "micrograd-tui"
    # Every action has a key and the help screen lists them; a palette would
    # only duplicate that, so it is off on purpose.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(
        self,
        path: Path | None = None,
        bundled: list[Path] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_nodes: int = DEFAULT_MAX_NODES,
    ) -> None:
        super().__init__()
        self.path = path
        self.bundled = bundled or []
        self.timeout = timeout
        self.max_nodes = max_nodes

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Label("Loading…", id="loading-label")
        with Center():
            yield LoadingIndicator()

    def on_mount(self) -> None:
        if self.path is None:
            self.push_screen(PickerScreen(self.bundled))
        else:
            self.reload(self.path, 0)

    def reload(self, path: Path | str, position: int) -> None:
        """Load (or load again) a scenario, then show it at ``position``."""
        self.path = Path(path)
        self.query_one("#loading-label", Label).update(f"Loading {path} …")
        if len(self.screen_stack) > 1:
            self.notify(f"Loading {path} …", timeout=2)
        self._load(self.path, position)

    @work(thread=True, exclusive=True, group="load")
    def _load(self, path: Path, position: int) -> None:
        """Run the scenario and record its trace off the UI thread; never touch widgets here."""
        worker = get_current_worker()
        try:
            scenario = load_scenario(
                path, self.timeout, self.max_nodes, lambda: worker.is_cancelled
            )
            self.call_from_thread(
                self._progress, f"Recording the backward pass over {scenario.size:,} nodes …"
            )
            view = TraceView(scenario, Trace(scenario.root))
        except ScenarioError as error:
            if not worker.is_cancelled:
                self.call_from_thread(self._show, ErrorScreen(error))
            return
        self.call_from_thread(self._show, DebuggerScreen(view, position))

    def _progress(self, text: str) -> None:
        self.query_one("#loading-label", Label).update(text)

    def _show(self, screen: Screen[None]) -> None:
        # The loading screen is never seen again: stop its animation from costing frames.
        self.screen_stack[0].query(LoadingIndicator).remove()
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
