"""FindScreen: find a node by (part of) its name and inspect it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

MAX_MATCHES = 200


class FindScreen(ModalScreen[int | None]):
    """Type to filter the node names; enter inspects the highlighted match."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Find a node by name:")
            yield Input(placeholder="e.g. x or w1", id="find-input")
            yield OptionList(id="find-matches")

    def on_mount(self) -> None:
        self._filter("")

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        matches = [i for i, name in enumerate(self.names) if needle in name.lower()]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(self.names[i], id=str(i)) for i in matches[:MAX_MATCHES])
        if matches:
            options.highlighted = 0

    @on(Input.Submitted)
    def submit(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            self.notify("No node matches that name", severity="warning")
            return
        option = options.get_option_at_index(options.highlighted)
        self.dismiss(int(option.id or 0))

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def key_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def key_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
