"""PickerScreen: choose a bundled scenario by its title, with its notes alongside."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.loading.scenario import read_docstring
from tui.messages import LoadRequested
from tui.text.prose import reflow
from tui.text.visible import visible


class PickerScreen(Screen[None]):
    """The bundled curriculum in lesson order, numbered; enter opens the highlighted one."""

    BINDINGS = [Binding("enter", "open", "Open"), Binding("q", "app.quit", "Quit")]

    def __init__(self, paths: list[Path]) -> None:
        super().__init__()
        self.paths = paths
        self.docs = [read_docstring(path) for path in paths]

    def compose(self) -> ComposeResult:
        yield Static("micrograd-tui: choose a scenario (↑ ↓, enter)", id="status")
        with Horizontal(id="picker"):
            yield OptionList(
                *(
                    Option(Content(visible(f"{i + 1:>2}. {p.stem}: {title}")), id=str(i))
                    for i, (p, (title, _)) in enumerate(zip(self.paths, self.docs))
                ),
                id="picker-list",
            )
            yield Static(id="picker-notes")
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionHighlighted)
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        title, notes = self.docs[event.option_index]
        notes_text = visible(f"{title}\n\n{reflow(notes)}")
        self.query_one("#picker-notes", Static).update(Content(notes_text))

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option_index)

    def action_open(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None:
            self._open(highlighted)

    def _open(self, index: int) -> None:
        self.post_message(LoadRequested(self.paths[index], 0))
