"""OutlineView: every node of the graph as one line, in the order the backward pass visits them.

The graph panel can only draw a neighbourhood of a big graph; the outline is
the whole of it, drawn lazily line by line so that 10^5 nodes scroll freely.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip

from tui.text.naming import formula
from tui.view.trace_view import TraceView
from tui.widgets.node_list import NodeList


class OutlineView(NodeList):
    """One line per node, root first: ``name = op(operands)   data   grad marks``."""

    cursor: reactive[int] = reactive(0)
    """The line under the cursor (0 is the root)."""

    def show(self, view: TraceView) -> None:
        self.view = view
        self.virtual_size = Size(200, view.size)
        self.sync()

    def _node(self, line: int) -> int:
        assert self.view is not None
        return self.view.size - 1 - line

    def line_text(self, line: int) -> str:
        """The text of one outline line (also what the tests read)."""
        assert self.view is not None
        view, node = self.view, self._node(line)
        names = view.names
        operands = [names[o] for o in view.trace.operands(node)]
        shape = formula(view.ops[node], operands) if operands else names[node]
        computed = f" = {shape}" if shape != names[node] else ""  # not x**2 = x**2
        data = view.data_text(node) + view.changed(node, "data")
        grad = view.grad_text(node) + view.changed(node, "grad") + view.marks(node)
        return f"{names[node]}{computed}   data {data}  grad {grad}"

    def sync(self) -> None:
        """Keep the current step's node in view."""
        if self.view is None:
            return
        focus = self.view.focus_nodes()[-1]
        line = self.view.size - 1 - focus
        if not self.scroll_y <= line < self.scroll_y + self.size.height:
            self.scroll_to(y=max(0, line - self.size.height // 2), animate=False, force=True)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        line = y + scroll_y
        if self.view is None or line >= self.view.size:
            return Strip.blank(self.size.width, self.base_style)
        style = self.base_style
        if self._node(line) in self.view.focus_nodes():
            style += Style(bold=True, reverse=True)
        if line == self.cursor and self.has_focus:
            style += Style(underline=True)
        strip = Strip([Segment(self.line_text(line), style)]).crop(
            scroll_x, scroll_x + self.size.width
        )
        return strip.extend_cell_length(self.size.width, self.base_style)

    def on_click(self, event: events.Click) -> None:
        """Inspect the node on the clicked line."""
        offset = event.get_content_offset(self)
        if offset is None or self.view is None:
            return
        line = offset.y + self.scroll_offset.y
        if line < self.view.size:
            self.cursor = line
            self.post_message(self.NodeSelected(self._node(line)))

    def action_move(self, delta: int) -> None:
        if self.view is None:
            return
        self.cursor = max(0, min(self.cursor + delta, self.view.size - 1))
        self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, force=True)

    def watch_cursor(self) -> None:
        self.refresh()

    def cursor_node(self) -> int | None:
        return self._node(self.cursor) if self.view is not None else None
