"""Inspector: everything about one node, by default the one the current step touches.

It wraps its rows into lines itself instead of holding an auto-height
``Static`` with a Rich table: new text on every step made Textual lay out the
whole screen again each step, and measuring the table cost more than the rest
of the step. For the same reason its virtual height is constant and its
scroll bar has no width (a scroll bar coming and going is a layout too):
scrolling stops at the last line, and a "more" mark shows there is one below.
"""

from __future__ import annotations

import bisect

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.strip import Strip

from tui.text.naming import MAX_LABEL, full_label
from tui.text.numbers import fmt
from tui.text.rules import local_rule, total_text
from tui.view.trace_view import TraceView
from tui.widgets.lines import LineView

CONSUMERS_LISTED = 12
"""A weight shared by a whole data set has thousands of consumers; name this many."""
LABEL_WIDTH = 8  # "operand", "used by", and a space
VIRTUAL_HEIGHT = 10_000  # taller than any node's text, so the size never changes
MORE = "↓ more below"


class Inspector(LineView, can_focus=True):
    """A node's label, op, data, grad, operands with local derivatives, and consumers."""

    DEFAULT_CSS = "Inspector { scrollbar-size-vertical: 0; }"

    node: int | None = None
    """The node on show."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[tuple[str, Text]] = []
        self._lines: list[list[Segment]] = []

    def show(self, view: TraceView, node: int, pinned: bool) -> None:
        self.node = node
        self._rows = describe_node(view, node, pinned)
        self._wrap_rows()

    def on_resize(self, event: events.Resize) -> None:
        self._wrap_rows()

    def _wrap_rows(self) -> None:
        """Lay the rows out as a label column and a value column wrapped to the width."""
        width = self.scrollable_content_region.width or self.size.width
        console, bold = self.app.console, self.base_style + Style(bold=True)
        self._lines = []
        for label, value in self._rows:
            for number, line in enumerate(value.wrap(console, max(1, width - LABEL_WIDTH))):
                first = label if number == 0 else ""
                label_cell = Segment(first.ljust(LABEL_WIDTH), bold)
                self._lines.append([label_cell, *text_segments(line, console)])
        self.virtual_size = Size(width, VIRTUAL_HEIGHT)
        self.scroll_to(y=min(self.scroll_y, self.max_scroll_y), animate=False, force=True)
        self.refresh()

    @property
    def max_scroll_y(self) -> int:
        return max(0, len(self._lines) - self.scrollable_content_region.height)

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_y)
        if index >= len(self._lines):
            return Strip.blank(self.size.width, self.base_style)
        line = self._lines[index]
        if y == self.scrollable_content_region.height - 1 and index < len(self._lines) - 1:
            line = [Segment(MORE.rjust(self.size.width), self.base_style + Style(dim=True))]
        strip = Strip(Segment.apply_style(line, self.base_style))
        return strip.extend_cell_length(self.size.width, self.base_style)


def describe_node(view: TraceView, node: int, pinned: bool) -> list[tuple[str, Text]]:
    """The inspector's rows for ``node`` at the trace's cursor: a label and its text."""
    trace, names = view.trace, view.names
    rows: list[tuple[str, Text]] = []
    heading = Text(names[node], style="bold")
    heading.append(
        "  (pinned; esc follows the step)" if pinned else "  (follows the step)", style="dim"
    )
    add(rows, "node", heading)
    if len(trace.labels[node]) > MAX_LABEL:  # the name is cut: here is all of it
        add(rows, "label", full_label(trace, node))
    add(rows, "op", view.ops[node] or "leaf (an input)")
    if trace.is_computed(node):
        add(rows, "data", fmt(trace.data(node)))
    else:
        add(rows, "data", Text("· not computed yet (the forward pass gets here)", "dim"))
    if not trace.is_reached(node):
        grad = Text("· not computed yet", style="dim")
    elif node == trace.root:  # no consumers: the seed sets it, once
        grad = Text(f"{fmt(trace.grad(node))}  ✓ final: the seed, ∂root/∂root = 1")
    elif trace.is_final(node):
        grad = Text(f"{fmt(trace.grad(node))}  ✓ final: every consumer has contributed")
    else:
        arrived, of = arrivals(view, node)
        grad = Text(f"{fmt(trace.grad(node))}  (waiting: {arrived} of {of} contributions in)")
    add(rows, "grad", grad)
    if trace.is_final(node) and node != trace.root:
        total = total_text(trace, names, node)
        if total:
            add(rows, "total", total)
    operands = trace.operands(node)
    if trace.rules[node] is None:  # a learner's own class: its calculus is in its _backward()
        shown = [names[operand] for operand in operands]
    else:
        computed = trace.is_computed(node)
        locals_ = view.local_derivatives(node) if computed else (None,) * len(operands)
        shown = [local_rule(trace, names, node, p, local) for p, local in enumerate(locals_)]
    for position, text in enumerate(shown):
        add(rows, "operand" if position == 0 else "", text)
    add(rows, "used by", consumers_text(view, node))
    if view.is_breakpoint(node):
        add(rows, "break", "● c and C stop at the steps that change this node")
    return rows


def arrivals(view: TraceView, node: int) -> tuple[int, int]:
    """How many of the node's grad contributions have arrived at the cursor, of how many."""
    trace = view.trace
    changing = [i for i in trace.steps_changing(node) if trace.steps[i].quantity == "grad"]
    return bisect.bisect_left(changing, trace.position), len(changing)


def add(rows: list[tuple[str, Text]], label: str, text: str | Text) -> None:
    rows.append((label, Text(text) if isinstance(text, str) else text))


def consumers_text(view: TraceView, node: int) -> str:
    consumers = view.trace.consumers(node)
    if not consumers:
        return "nothing (the root)"
    listed = ", ".join(view.names[c] for c in consumers[:CONSUMERS_LISTED])
    if len(consumers) > CONSUMERS_LISTED:
        listed += f", … ({len(consumers):,} nodes in all)"
    return listed


def text_segments(text: Text, console: Console) -> list[Segment]:
    """One line of ``text`` as segments in its own style too: Rich's ``Text.render``
    leaves the text's style out when no span is styled (``Text("x", style="bold")``)."""
    return list(Segment.apply_style(text.render(console), console.get_style(text.style)))
