"""GraphView: the computation graph drawn with boxes and arrows, like the lecture's ``draw_dot``.

The layout (``tui.view.layout``) is computed once per set of drawn nodes; a step
only rewrites the text inside the records, so stepping stays cheap. A graph
too big to read whole shows a neighbourhood of the current and coming steps
instead, kept while the step's nodes and their operands are all in it, so the
picture holds still as the cursor moves through it. The canvas only ever grows
while one trace is on show, since a change of size makes Textual lay out the
whole screen again, and a single step repaints only the records it changes.
"""

from __future__ import annotations

from collections import Counter

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip

from micrograd import CallStep, ChainStep, ForwardStep, Step
from tui.text.rules import flow_text
from tui.view.layout import HEAVY, Box, Layout, depths, layout
from tui.view.trace_view import TraceView
from tui.widgets.node_list import NodeList

LOOKAHEAD = 6
"""A new drawing of a big graph is centred on the current step and this many more in
the direction of travel, so it holds still for the steps that follow, forward or back."""


def _window(spans: list[tuple[str, Style]], start: int, width: int, pad: Style) -> Strip:
    """Cells ``start`` to ``start + width`` of a line of styled single-width text, padded.

    The drawing's glyphs and numbers are one cell each, so the window is cut
    by slicing strings: cutting the whole line as a ``Strip`` measured every
    character and was most of what drawing a row cost.
    """
    segments = []
    x, end = 0, start + width
    for text, style in spans:
        left, right = max(start, x), min(end, x + len(text))
        if left < right:
            segments.append(Segment(text[left - x : right - x], style))
        x += len(text)
    shown = sum(len(segment.text) for segment in segments)
    if shown < width:
        segments.append(Segment(" " * (width - shown), pad))
    return Strip(segments, width)


def _hidden(start: int, end: int, scroll_x: int, width: int) -> str:
    """A node (op and record) the window's edge would cut, as blanks with ``…`` at the
    edge: a record is shown whole or not at all, so that ``[a*b │`` without its ``(*)``
    never looks like an input. The current step's nodes are scrolled into view instead;
    where they do not all fit, the one it changes is whole, and another cut at the right
    edge is still drawn, its name in view."""
    blank = [" "] * (end - start)
    if start < scroll_x < end:
        blank[scroll_x - start] = "…"
    if start < scroll_x + width < end:
        blank[scroll_x + width - 1 - start] = "…"
    return "".join(blank)


def _runs_down(path: tuple[tuple[int, int], ...], at: int) -> bool:
    """Whether the edge ``path`` runs up or down through its cell ``at``."""
    (row, x), neighbours = path[at], path[max(0, at - 1) : at + 2]
    return any(other_x == x and other_row != row for other_row, other_x in neighbours)


def _lit(
    text: str, start: int, flow: dict[int, str], styles: tuple[Style, Style], grow: bool = False
) -> list[tuple[str, Style]]:
    """A stretch of the drawing's static lines from column ``start``, with the cells of the
    step's edges (``flow``) put in, in the second style; at the end of a line (``grow``) the
    stretch reaches out to the last of them, for numbers written past the line's end."""
    edge, lit = styles
    end = start + len(text)
    if grow and flow:
        end = max(end, max(flow) + 1)
    if not any(start <= x < end for x in flow):
        return [(text, edge)]
    spans: list[tuple[str, Style]] = []
    for x in range(start, end):
        cell = flow.get(x)
        character = cell if cell is not None else text[x - start : x - start + 1] or " "
        style = lit if cell is not None else edge
        if spans and spans[-1][1] is style:
            spans[-1] = (spans[-1][0] + character, style)
        else:
            spans.append((character, style))
    return spans


class GraphView(NodeList):
    """Draws the nodes of a ``TraceView`` with their data and grads at the cursor."""

    COMPONENT_CLASSES = {
        "graph--edge",
        "graph--flow",
        "graph--record",
        "graph--focus",
        "graph--cursor",
    }

    DEFAULT_CSS = """
    GraphView { background: $surface; }
    GraphView > .graph--edge { color: $text-muted; }
    GraphView > .graph--flow { color: $accent; text-style: bold; }
    GraphView > .graph--record { text-style: bold; }
    GraphView > .graph--focus { text-style: bold reverse; }
    GraphView > .graph--cursor { text-style: underline; }
    """

    cursor: reactive[int | None] = reactive(None)
    """The node picked with the arrow keys, to inspect with enter."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._layout: Layout | None = None
        self._drawn: tuple[int, ...] = ()
        self._by_row: dict[int, list[int]] = {}
        """The nodes drawn on each row, left to right (several, with neurons collapsed)."""
        self._marked: set[int] = set()
        """The nodes drawn as the last step's: focused, sending, or changed by it."""
        self._position: int | None = None
        self._flow: dict[int, dict[int, str]] = {}
        """The cells of the edges the current step uses, by row, then column: their glyphs
        drawn heavy, the numbers a chain step adds, and an arrow for the way it flows."""

    def show(self, view: TraceView) -> None:
        """Draw a new trace (after loading or reloading)."""
        self.view = view
        self._drawn = ()
        self.cursor = None
        self._position = None
        self.virtual_size = Size(0, 0)
        self.sync()

    def _nodes_to_draw(self) -> tuple[int, ...]:
        assert self.view is not None
        view = self.view
        if not view.is_big:
            return tuple(view.all_drawn())
        drawn = set(self._drawn)
        if all(n in drawn and drawn.issuperset(view.drawn_operands(n)) for n in self._focus()):
            return self._drawn
        backward = self._position is not None and view.trace.position < self._position
        centre = view.drawn(view.coming_nodes(LOOKAHEAD, backward=backward))
        if view.display() is None:
            return view.neighbourhood(centre)
        return self._fitting(view.nearest(centre))

    def _fitting(self, nearest: tuple[int, ...]) -> tuple[int, ...]:
        """Of the nodes nearest first, those a packed drawing (collapsed neurons) fits into
        the panel's height: no column has more nodes than the panel has rows for, the
        farthest left out. Columns depend on which nodes are drawn, so this checks again."""
        assert self.view is not None
        room = max(1, self.scrollable_content_region.height // 2)  # and the row under
        kept = list(nearest)
        for _ in range(3):
            ordered = sorted(kept)
            column = depths(ordered, {n: self.view.drawn_operands(n) for n in ordered})
            if max(Counter(column.values()).values(), default=0) <= room:
                break
            taken: Counter[int] = Counter()
            fitting = []
            for node in kept:
                taken[column[node]] += 1
                if taken[column[node]] <= room:
                    fitting.append(node)
            kept = fitting
        return tuple(sorted(kept))

    def _focus(self) -> tuple[int, ...]:
        """The drawn nodes the step is about, the one it changes last (a box, for a step
        inside a collapsed neuron)."""
        assert self.view is not None
        return self.view.drawn(self.view.focus_nodes())

    def _marked_nodes(self) -> set[int]:
        assert self.view is not None
        step = self.view.trace.current
        return {*self._focus(), *self.view.drawn(step.targets if step is not None else ())}

    def sync(self) -> None:
        """Bring the drawing up to the trace's cursor, keeping the current step in view."""
        if self.view is None:
            return
        view = self.view
        nodes = self._nodes_to_draw()
        marked = self._marked_nodes()
        one_step = self._position is not None and abs(view.trace.position - self._position) == 1
        if nodes != self._drawn:
            one_step = False
            self._drawn = nodes
            self._layout = layout(
                nodes,
                {n: view.drawn_operands(n) for n in nodes},
                {n: view.drawn_op(n) for n in nodes},
                {n: view.record_width(n) for n in nodes},
                packed=view.display() is not None,
            )
            self._by_row = {}
            for node, box in sorted(self._layout.boxes.items(), key=lambda item: item[1].op_x):
                self._by_row.setdefault(box.row, []).append(node)
            self.virtual_size = Size(
                max(self.virtual_size.width, self._layout.width),
                max(self.virtual_size.height, self._layout.height),
            )
            if self.cursor not in nodes:
                self.cursor = None
        self._scroll_to_focus()
        was_lit, self._flow = set(self._flow), self._flow_cells()
        if one_step and self._layout is not None:
            boxes = self._layout.boxes
            rows = {boxes[node].row for node in marked | self._marked if node in boxes}
            for row in rows | was_lit | set(self._flow):
                self.refresh_line(row)
        else:
            self.refresh()
        self._marked, self._position = marked, view.trace.position

    def _flow_cells(self) -> dict[int, dict[int, str]]:
        """The step's edges, drawn apart: a chain step's one edge with ``◀`` where the grad
        arrives and what it adds written under the operand's record; a forward step's
        edges into its node with ``▶`` where the data arrives (a learner's ``_backward()``
        call: all its edges, grads flowing back)."""
        assert self.view is not None
        step, layout_ = self.view.trace.current, self._layout
        if layout_ is None or step is None:
            return {}
        keys = self._edges(step)
        backward = isinstance(step, (ChainStep, CallStep))
        cells: dict[int, dict[int, str]] = {}
        for key in keys:
            path = layout_.paths.get(key)
            if path is None:
                continue
            for at, (row, x) in enumerate(path):
                glyph = layout_.lines[row][x : x + 1] or " "
                if glyph == "─" and _runs_down(path, at):  # a crossing: this edge on top
                    glyph = "│"
                cells.setdefault(row, {})[x] = glyph.translate(HEAVY)
            row, x = path[0] if backward else path[-1]
            cells[row][x] = "◀" if backward else "▶"
        if isinstance(step, ChainStep) and keys and step.operand in layout_.boxes:
            self._write_under(cells, layout_.boxes[step.operand], flow_text(step))
        return cells

    def _edges(self, step: Step) -> list[tuple[int, int]]:
        """The drawn edges a step uses, as the layout keys them (consumer, operand position):
        a chain step's one edge, a forward step's or a ``_backward()`` call's edges into its
        node; none for a step inside a collapsed neuron, whose box stands for both ends."""
        assert self.view is not None
        view = self.view
        if isinstance(step, ChainStep):
            ends = [(step.output, step.operand, step.position)]
        elif isinstance(step, (ForwardStep, CallStep)):
            ends = [(step.node, o, p) for p, o in enumerate(step.operands)]
        else:
            return []
        keys = []
        for output, operand, position in ends:
            drawn = view.drawn((output, operand))
            box, source = drawn[0], drawn[-1]
            if box == source:
                continue
            if box != output:  # a collapsed neuron: its edges are to its inputs
                position = view.drawn_operands(box).index(source)
            keys.append((box, position))
        return keys

    def _write_under(self, cells: dict[int, dict[int, str]], box: Box, text: str) -> None:
        """``text`` on the blank row under the record (over it for the last row), cut where
        the row is no longer blank, so no edge is hidden."""
        assert self._layout is not None
        lines = self._layout.lines
        row = box.row + 1 if box.row + 1 < len(lines) else box.row - 1
        if row < 0:
            return
        line = lines[row]
        room = 0
        for x in range(box.record_x, self._layout.width):
            if line[x : x + 1].strip() or x in cells.get(row, {}):
                break
            room += 1
        text = text if len(text) <= room else text[: room - 1] + "…" if room > 1 else ""
        for i, character in enumerate(text):
            cells.setdefault(row, {})[box.record_x + i] = character

    def _box_region(self, node: int) -> Region:
        assert self._layout is not None
        box = self._layout.boxes[node]
        return Region(box.op_x, box.row, box.record_x - box.op_x + box.record_width + 2, 1)

    def _scroll_to_focus(self) -> None:
        if self.view is None or self._layout is None:
            return
        regions = [self._box_region(n) for n in self._focus() if n in self._layout.boxes]
        if regions:
            focus, target = Region.from_union(regions), regions[-1]
            room = self.scrollable_content_region
            if 0 < room.width < focus.width:
                # Too wide: the node the step changes whole, and as much from the left as
                # fits, so that another step's node cut at the right edge keeps its name.
                left = min(target.x, max(focus.x, target.right - room.width))
                focus = Region(left, focus.y, room.width, focus.height)
            if 0 < room.height < focus.height:  # too tall: likewise, from the top
                top = min(target.y, max(focus.y, target.bottom - room.height))
                focus = Region(focus.x, top, focus.width, room.height)
            self.scroll_to_region(focus, animate=False, force=True)
            self.scroll_to(x=self._whole_records_x(focus), animate=False, force=True)

    def on_resize(self, event: events.Resize) -> None:
        """The panel's size decides where the step's nodes fit: the first drawing can come
        before the panel has one."""
        self._scroll_to_focus()

    def _whole_records_x(self, focus: Region) -> int:
        """Of the scroll positions that keep the focus in view, the one that cuts the fewest
        other nodes at the panel's edges (they would show as ``…``), nearest the present."""
        assert self._layout is not None
        width, now = self.scrollable_content_region.width, int(self.scroll_x)
        if not width:  # not laid out yet
            return now
        low = max(0, focus.right - width)
        high = max(low, min(focus.x, int(self.max_scroll_x)))
        spans = [
            (box.op_x, box.record_x + box.record_width + 2) for box in self._layout.boxes.values()
        ]
        candidates = {low, high, now} | {x for span in spans for x in span}

        def cuts(x: int) -> int:
            return sum(start < x < end or start < x + width < end for start, end in spans)

        allowed = [x for x in candidates if low <= x <= high]
        return min(allowed, key=lambda x: (cuts(x), abs(x - now)))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row, width = y + scroll_y, self.size.width
        if self.view is None or self._layout is None or row >= self._layout.height:
            return Strip.blank(width, self.base_style)
        base = self._layout.lines[row]
        styles = (self.component_style("graph--edge"), self.component_style("graph--flow"))
        flow = self._flow.get(row, {})
        spans: list[tuple[str, Style]] = []
        x = 0
        for node in self._by_row.get(row, ()):
            box = self._layout.boxes[node]
            spans += _lit(base[x : box.op_x].ljust(box.op_x - x), x, flow, styles)
            x, record = self._record_spans(node, box, scroll_x, width)
            spans += record
        spans += _lit(base[x:], x, flow, styles, grow=True)
        if any(cell_len(text) != len(text) for text, _ in spans):  # wide characters in a label
            strip = Strip([Segment(text, style) for text, style in spans])
            return strip.crop_extend(scroll_x, scroll_x + width, self.base_style)
        return _window(spans, scroll_x, width, self.base_style)

    def _record_spans(
        self, node: int, box: Box, scroll_x: int, width: int
    ) -> tuple[int, list[tuple[str, Style]]]:
        """A node's op and record, and the column after them: the record's look says what
        the step does with it (focused, passing its grad back, under the cursor)."""
        assert self.view is not None and self._layout is not None
        view, base = self.view, self._layout.lines[box.row]
        edge = self.component_style("graph--edge")
        focus = self._focus()
        style = self.component_style("graph--focus" if node in focus else "graph--record")
        if node == self.cursor:
            style += self.component_style("graph--cursor")
        sender = view.sender()
        opener = ">" if sender is not None and node == view.drawn((sender,))[0] else "["
        text = f"{opener}{view.record(node)}]"
        end = box.record_x + len(text)
        cut_left, cut_right = box.op_x < scroll_x < end, box.op_x < scroll_x + width < end
        if cut_left and node != focus[-1] or cut_right and node not in focus:
            return end, [(_hidden(box.op_x, end, scroll_x, width), edge)]
        op = base[box.op_x : box.record_x].ljust(box.record_x - box.op_x)
        return end, [(op, edge), (text, style)]

    def action_move(self, delta: int) -> None:
        """Move the node cursor up or down the drawing."""
        if not self._drawn:
            return
        if self.cursor in self._drawn:
            index = self._drawn.index(self.cursor) + delta
        else:
            index = 0 if delta > 0 else len(self._drawn) - 1
        self.cursor = self._drawn[max(0, min(index, len(self._drawn) - 1))]
        self.scroll_to_region(self._box_region(self.cursor), animate=False, force=True)

    def watch_cursor(self) -> None:
        self.refresh()

    def cursor_node(self) -> int | None:
        return self.cursor

    def on_click(self, event: events.Click) -> None:
        """Inspect the node whose record was clicked; a click on an edge, a blank row or
        the border selects nothing."""
        offset = event.get_content_offset(self)
        if offset is None or self._layout is None or self.view is None:
            return
        scroll_x, scroll_y = self.scroll_offset
        x, row = offset.x + scroll_x, offset.y + scroll_y
        for node in self._by_row.get(row, ()):
            box = self._layout.boxes[node]
            if box.record_x <= x < box.record_x + len(self.view.record(node)) + 2:
                self.cursor = node
                self.post_message(self.NodeSelected(node))

    def select(self, node: int) -> None:
        """Put the cursor on ``node`` (on its box, inside a collapsed neuron) if it is drawn,
        scrolling it into view."""
        if self.view is not None:
            node = self.view.drawn((node,))[0]
        if self._layout is not None and node in self._layout.boxes:
            self.cursor = node
            self.scroll_to_region(self._box_region(node), animate=False, force=True)
