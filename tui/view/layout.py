"""Where each node and edge of a graph goes on a character grid, computed once per graph.

The drawing reads left to right like the lecture's ``draw_dot``: a node's
column is its depth (leaves on the left, the root on the right) and each node
has a row of its own, in topological order. With one node per row, an edge
can run along its operand's row and then down a channel of its own in the
gap before its consumer's column without ever crossing a box. Stepping only
changes the text inside the boxes, so the layout is never redone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_OP = 7  # longest op name drawn in full: "sigmoid"; longer ones are cut
GAP = 1  # columns between a channel and the op node it feeds

# Which sides of a cell a line leaves through: up, down, left, right.
_UP, _DOWN, _LEFT, _RIGHT = 1, 2, 4, 8
_GLYPHS = {
    _LEFT | _RIGHT: "─",
    _UP | _DOWN: "│",
    _DOWN | _RIGHT: "┌",
    _DOWN | _LEFT: "┐",
    _UP | _RIGHT: "└",
    _UP | _LEFT: "┘",
    _UP | _DOWN | _RIGHT: "├",
    _UP | _DOWN | _LEFT: "┤",
    _LEFT | _RIGHT | _DOWN: "┬",
    _LEFT | _RIGHT | _UP: "┴",
    _UP | _DOWN | _LEFT | _RIGHT: "┼",
    _LEFT: "─",
    _RIGHT: "─",
    _UP: "│",
    _DOWN: "│",
}
_CROSS = _UP | _DOWN | _LEFT | _RIGHT
HEAVY = str.maketrans("─│┌┐└┘├┤┬┴┼", "━┃┏┓┗┛┣┫┳┻╋")
"""The line style of the edge a step uses: heavy, so it stands out without colour."""
# Each cell's character by its bits; a four-way cell is a crossing (the line passes
# under) unless a line ends there.
_CELL = [" " if bits == 0 else "─" if bits == _CROSS else _GLYPHS[bits] for bits in range(16)]
# A row of cells is kept as bytes and turned into glyphs without a Python loop: code
# page 437 has every box-drawing glyph in one byte, so the row is translated to it and
# decoded (a loop over the cells was half the time of a layout).
_CELL_CP437 = bytes(glyph.encode("cp437")[0] for glyph in _CELL).ljust(256, b"\0")


@dataclass(frozen=True)
class Box:
    """Where one node is drawn: its row, where its op node and its record start, and widths."""

    node: int
    row: int
    op_x: int
    record_x: int
    record_width: int


@dataclass(frozen=True)
class Layout:
    """A drawn graph: the static lines (edges, op nodes, box borders) and each node's box."""

    lines: tuple[str, ...]
    boxes: dict[int, Box]
    width: int
    paths: dict[tuple[int, int], tuple[tuple[int, int], ...]]
    """Each edge's cells, (row, x), from its operand's record to its consumer's op, by
    (consumer, operand position): the edge a step sends a grad along is drawn apart."""

    @property
    def height(self) -> int:
        return len(self.lines)


def depths(nodes: Sequence[int], operands: dict[int, tuple[int, ...]]) -> dict[int, int]:
    """Each node's column: just before its first consumer's, so that a bias, a constant or a
    side branch sits beside the node it feeds instead of far to the left with a long edge
    across the drawing. Nodes nothing drawn consumes go one column past their deepest
    operand."""
    depth: dict[int, int] = {}
    consumers: dict[int, list[int]] = {node: [] for node in nodes}
    for node in nodes:
        drawn = [o for o in operands[node] if o in depth]
        depth[node] = 1 + max(depth[o] for o in drawn) if drawn else 0
        for operand in drawn:
            consumers[operand].append(node)
    for node in reversed(nodes):
        if consumers[node]:
            depth[node] = min(depth[c] for c in consumers[node]) - 1
    return depth


def _lanes(operands: tuple[int, ...], drawn: dict[int, int]) -> list[list[tuple[int, int]]]:
    """The channels a node's edges arrive by, each edge as (operand position, operand):
    all distinct operands share the first channel, and each repeated use of an operand
    gets one more. Operands that are not ``drawn`` have no edge."""
    first: list[tuple[int, int]] = []
    repeats: list[list[tuple[int, int]]] = []
    for position, operand in enumerate(operands):
        if operand not in drawn:
            continue
        if any(operand == seen for _, seen in first):
            repeats.append([(position, operand)])
        else:
            first.append((position, operand))
    return [first, *repeats] if first else []


def _op_label(op: str) -> str:
    return f"({op[:MAX_OP]})" if op else ""


def _rows(nodes: Sequence[int], column: dict[int, int], packed: bool) -> dict[int, int]:
    """Each node's row: a row of its own, in topological order; or ``packed``, each column
    stacked from the top, so a network of collapsed neurons is as tall as its widest layer."""
    if not packed:
        return {node: 2 * i for i, node in enumerate(nodes)}
    filled: dict[int, int] = {}
    rows = {}
    for node in nodes:
        rows[node] = 2 * filled.get(column[node], 0)
        filled[column[node]] = filled.get(column[node], 0) + 1
    return rows


def layout(
    nodes: Sequence[int],
    operands: dict[int, tuple[int, ...]],
    ops: dict[int, str],
    record_width: dict[int, int],
    packed: bool = False,
) -> Layout:
    """Lay out ``nodes`` (topologically ordered ids) with edges to the operands that are drawn.

    ``ops`` gives each node's op ("" for a leaf) and ``record_width`` the
    width each node's record text needs, so that it never has to move.
    ``packed`` puts several nodes on a row (see ``_rows``); an edge whose way
    along its operand's row is blocked by another node's box then runs along
    the blank row below.
    """
    column = depths(nodes, operands)
    columns = max(column.values(), default=0) + 1
    # Each consumer gets a vertical channel that its operands' edges run down; an operand
    # used twice (a + a) gets a channel per use, so both edges can be seen.
    lanes = {node: _lanes(operands[node], column) for node in nodes}
    first_channel: dict[int, int] = {}
    channel_room = [0] * columns
    for node in nodes:
        if lanes[node]:
            first_channel[node] = channel_room[column[node]]
            channel_room[column[node]] += len(lanes[node])
    widest = [0] * columns
    for node in nodes:
        widest[column[node]] = max(widest[column[node]], record_width[node] + 2)

    op_room = [0] * columns
    for node in nodes:
        if ops[node]:
            op_room[column[node]] = max(op_room[column[node]], len(_op_label(ops[node])) + 1)
    start = [0] * columns
    x = 0
    for c in range(columns):
        x += channel_room[c] + (GAP if channel_room[c] else 0)
        start[c] = x
        x += op_room[c] + widest[c] + (1 if c < columns - 1 else 0)
    width = x

    rows = _rows(nodes, column, packed)
    height = max(rows.values(), default=-2) + 2  # a blank row under the lowest for detours
    cells = [bytearray(width) for _ in range(height)]
    text_on_row: dict[int, list[tuple[int, str]]] = {}
    boxes: dict[int, Box] = {}

    for node in nodes:
        row, c = rows[node], column[node]
        op_x = start[c]
        record_x = op_x + op_room[c]
        boxes[node] = Box(node, row, op_x, record_x, record_width[node])
        if ops[node]:
            label = _op_label(ops[node])
            text_on_row.setdefault(row, []).extend((op_x + i, ch) for i, ch in enumerate(label))
            for i in range(op_x + len(label), record_x):
                cells[row][i] |= _LEFT | _RIGHT

    # Where a line ends: a four-way cell there is a junction (┼), elsewhere a crossing.
    junctions_on_row: dict[int, set[int]] = {}

    def hline(row: int, x0: int, x1: int) -> list[tuple[int, int]]:
        junctions_on_row.setdefault(row, set()).update((x0, x1))
        for x in range(x0, x1 + 1):
            cells[row][x] |= (_LEFT if x > x0 else 0) | (_RIGHT if x < x1 else 0)
        return [(row, x) for x in range(x0, x1 + 1)]

    def vline(x: int, y0: int, y1: int) -> list[tuple[int, int]]:
        junctions_on_row.setdefault(y0, set()).add(x)
        junctions_on_row.setdefault(y1, set()).add(x)
        for y in range(y0, y1 + 1):
            cells[y][x] |= (_UP if y > y0 else 0) | (_DOWN if y < y1 else 0)
        return [(y, x) for y in range(y0, y1 + 1)]

    paths: dict[tuple[int, int], tuple[tuple[int, int], ...]] = {}
    spans_on_row: dict[int, list[tuple[int, int]]] = {}
    for box in boxes.values():
        spans_on_row.setdefault(box.row, []).append((box.op_x, box.record_x + box.record_width + 2))

    def blocked(row: int, x0: int, x1: int) -> bool:
        return any(x0 < end and start <= x1 for start, end in spans_on_row.get(row, ()))

    def along(source: Box, channel: int) -> list[tuple[int, int]]:
        """From the operand's record to the channel: along its row, or where another box
        is in the way, one row down and along the blank row."""
        begin = source.record_x + source.record_width + 2
        if not blocked(source.row, begin, channel):
            return hline(source.row, begin, channel)
        cells = hline(source.row, begin, begin)
        cells += vline(begin, source.row, source.row + 1)[1:]
        return cells + hline(source.row + 1, begin, channel)[1:]

    for node in nodes:
        if not lanes[node]:
            continue
        c = column[node]
        left = start[c] - GAP - channel_room[c] + first_channel[node]
        target = boxes[node]
        hline(target.row, left, target.op_x - 1)
        for lane, edges in enumerate(lanes[node]):
            channel = left + lane
            for position, operand in edges:
                out = along(boxes[operand], channel)
                turn = out[-1][0]  # the row the edge reaches the channel on
                down = vline(channel, min(turn, target.row), max(turn, target.row))
                if turn > target.row:
                    down.reverse()
                into = [(target.row, x) for x in range(channel, target.op_x)]
                paths[node, position] = tuple(dict.fromkeys([*out, *down, *into]))

    lines = []
    for y in range(height):
        line = cells[y].translate(_CELL_CP437).decode("cp437")
        crossings = [x for x in junctions_on_row.get(y, ()) if cells[y][x] == _CROSS]
        if y in text_on_row or crossings:
            chars = list(line)
            for x, ch in text_on_row.get(y, ()):
                chars[x] = ch
            for x in crossings:
                chars[x] = _GLYPHS[_CROSS]
            line = "".join(chars)
        lines.append(line.rstrip())
    if lines and not lines[-1] and not packed:  # packed: it holds numbers under a node
        lines.pop()
    return Layout(tuple(lines), boxes, width, paths)
