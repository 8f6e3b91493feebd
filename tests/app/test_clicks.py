"""Clicks on nodes: a record in the graph or a line of the outline opens that node in the
inspector, wherever the panel is scrolled; a click on an edge, a border or a blank row
selects nothing."""

from __future__ import annotations

import pytest

from tests.app.test_app import ROOT
from tests.app.test_teaching import QUIET, debugger
from tui.app import MicrogradApp
from tui.widgets.graph import GraphView
from tui.widgets.outline import OutlineView

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", ["example", "neuron"])
async def test_a_click_on_a_record_inspects_that_node_and_elsewhere_nothing(name: str) -> None:
    app = MicrogradApp(ROOT / "scenarios" / f"{name}.py", options=QUIET)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await debugger(pilot)
        graph = screen.query_one(GraphView)
        layout = graph._layout
        assert layout is not None
        inset = graph.content_region.offset - graph.region.offset
        for scrolled in (0, 1):
            graph.scroll_to(x=scrolled, y=scrolled, animate=False, force=True)
            await pilot.pause()
            for node, box in layout.boxes.items():
                x = box.record_x + 1 - graph.scroll_offset.x + inset.x
                y = box.row - graph.scroll_offset.y + inset.y
                if not (0 <= x - inset.x < graph.content_size.width and y - inset.y >= 0):
                    continue
                screen.pinned = None
                await pilot.click(GraphView, offset=(x, y))
                assert screen.pinned == node, f"clicked {screen.view.names[node]}"
        screen.pinned = None
        await pilot.click(GraphView, offset=(0, 0))  # the border
        await pilot.click(GraphView, offset=(inset.x, layout.height + inset.y))  # below
        assert screen.pinned is None
        await pilot.press("o")
        outline = screen.query_one(OutlineView)
        inset = outline.content_region.offset - outline.region.offset
        for line in range(screen.view.size):
            await pilot.click(OutlineView, offset=(inset.x + 1, inset.y + line))
            assert screen.pinned == screen.view.size - 1 - line
