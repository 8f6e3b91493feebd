"""NodeList: what the graph drawing and the outline share, a scrollable view of nodes
with a cursor that the arrow keys move and enter hands to the inspector."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message

from tui.view.trace_view import TraceView
from tui.widgets.lines import LineView


class NodeList(LineView, can_focus=True):
    """A focusable, scrollable view of a trace's nodes; subclasses draw them and move the cursor."""

    BINDINGS = [
        Binding("up,k", "move(-1)", "Node up", show=False, id="node-up",
                tooltip="in the graph or outline: move the node cursor up"),
        Binding("down,j", "move(1)", "Node down", show=False, id="node-down",
                tooltip="in the graph or outline: move the node cursor down"),
        Binding("enter", "inspect", "Inspect", show=False, id="inspect",
                tooltip="inspect the node under the cursor (a click does too)"),
    ]  # fmt: skip

    @dataclass
    class NodeSelected(Message):
        """The learner asked to inspect ``node``."""

        node: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: TraceView | None = None

    def action_move(self, delta: int) -> None:
        """Move the cursor ``delta`` nodes along."""
        raise NotImplementedError

    def cursor_node(self) -> int | None:
        """The node under the cursor, if any."""
        raise NotImplementedError

    def action_inspect(self) -> None:
        node = self.cursor_node()
        if node is not None:
            self.post_message(self.NodeSelected(node))
