"""The graph layout: one row per node, edges that never cross a box, two edges for ``a + a``."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from micrograd import Trace
from tui.loading.scenario import load_scenario
from tui.view.layout import layout
from tui.view.trace_view import TraceView
from tui.widgets.graph import _window

ROOT = Path(__file__).resolve().parents[2]


def drawn(name: str) -> tuple[TraceView, list[str]]:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.py")
    view = TraceView(scenario.summary(), Trace(scenario.root))
    nodes = list(range(view.size))
    result = layout(
        nodes,
        {n: view.trace.operands(n) for n in nodes},
        {n: view.ops[n] for n in nodes},
        {n: view.record_width(n) for n in nodes},
    )
    grid = [list(line.ljust(result.width)) for line in result.lines]
    for node, box in result.boxes.items():
        text = f"[{view.record(node)}]"
        assert all(c == " " for c in grid[box.row][box.record_x : box.record_x + len(text)]), (
            "nothing is drawn where a record goes"
        )
        grid[box.row][box.record_x : box.record_x + len(text)] = text
    return view, ["".join(row).rstrip() for row in grid]


def test_example_is_drawn_like_draw_dot() -> None:
    _, lines = drawn("example")
    assert lines == [
        "[x │ 2.0 │ 0.0   ]──┬┐",
        "                    ││",
        "[y │ -3.0 │ 0.0   ]─┤│",
        "                    ││",
        "                    └──(*)───[x*y │ -6.0 │ 0.0   ]─┐",
        "                     │                             │",
        "                     └─(**2)─[x**2 │ 4.0 │ 0.0   ]─┤",
        "                                                   │",
        "                                                   └─(+)─[z │ -2.0 │ 0.0   ]",
    ]


def test_a_node_used_twice_has_two_edges_into_its_consumer() -> None:
    _, lines = drawn("shared_node")
    assert lines[0].endswith("─┬┐"), "two edges leave a"
    assert "└┴─(+)" in lines[2], "and both arrive at a + a"


def test_an_input_sits_beside_the_node_it_feeds() -> None:
    view, lines = drawn("neuron")
    bias_row = next(line for line in lines if line.lstrip().startswith("[b │"))
    n_row = next(line for line in lines if "[n │" in line)
    assert n_row.index("[n │") - bias_row.index("[b │") < 40


def test_a_neighbourhood_reaches_a_few_consumers_of_a_widely_shared_node() -> None:
    from micrograd import Value
    from tui.view.trace_view import BIG_GRAPH, CONSUMERS_NEAR

    weight = Value(0.5, label="w")
    total = sum((weight * float(i) for i in range(500)), Value(0.0))
    scenario = load_scenario(ROOT / "scenarios" / "example.py")
    view = TraceView(scenario.summary(), Trace(total))
    centre = (view.trace.id_of(weight),)
    drawn = view.neighbourhood(centre)
    assert len(drawn) <= BIG_GRAPH and centre[0] in drawn
    consumers = view.trace.consumers(centre[0])
    assert set(consumers[:CONSUMERS_NEAR]) <= set(drawn), "nearest first"
    assert not set(consumers[CONSUMERS_NEAR:]) & set(drawn), "a few, not a channel for each"


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(st.text(alphabet="ab │─┬┐(*)[]>·✓●", max_size=30), min_size=1, max_size=3),
    start=st.integers(0, 60),
    width=st.integers(1, 60),
)
def test_a_row_is_cut_to_the_panel_as_textual_would_cut_it(
    parts: list[str], start: int, width: int
) -> None:
    """The graph cuts its rows by slicing strings; Textual's own cut must agree."""
    styles = [Style(bold=True), Style(italic=True), Style(dim=True)]
    spans = list(zip(parts, styles))
    pad = Style(underline=True)
    fast = _window(spans, start, width, pad)
    slow = Strip([Segment(text, style) for text, style in spans]).crop_extend(
        start, start + width, pad
    )
    assert fast.cell_length == width
    assert cells(fast) == cells(slow)


def cells(strip: Strip) -> list[tuple[str, Style | None]]:
    return [(character, segment.style) for segment in strip for character in segment.text]
