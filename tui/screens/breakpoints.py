"""BreakpointsScreen: every breakpoint with how many steps stop there; go to one or clear it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.view.trace_view import TraceView


class BreakpointsScreen(ModalScreen[int | None]):
    """Enter inspects the highlighted node; d clears its breakpoint; esc closes."""

    BINDINGS = [
        Binding("escape,B", "close", "Close"),
        Binding("d,delete", "clear", "Clear breakpoint"),
    ]

    def __init__(self, view: TraceView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Breakpoints: c runs to the next step that changes one, C runs back.")
            yield OptionList(id="breakpoint-list")
            yield Static("enter: inspect · d: clear · esc: close", classes="dim")

    def on_mount(self) -> None:
        self._fill()

    def _fill(self) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        nodes = self.view.breakpoint_nodes()
        changing = self.view.trace.steps_changing
        options.add_options(
            Option(f"● {self.view.shown_name(n)}  ({len(changing(n))} steps change it)", id=str(n))
            for n in nodes
        )
        if not nodes:
            options.add_option(Option("No breakpoints: select a node and press b", disabled=True))
        else:
            options.highlighted = 0

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_clear(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        option = options.get_option_at_index(options.highlighted)
        if option.id is not None:
            self.view.toggle_breakpoint(int(option.id))
            self._fill()

    def action_close(self) -> None:
        self.dismiss(None)
