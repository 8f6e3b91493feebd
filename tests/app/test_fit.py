"""Text that fits at 80×24: nothing is cut without a way to read it, no record is cut in
half at the graph's edge, and panels keep their room when they take the focus."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.app.test_app import graph_text, loaded
from tui.app import MicrogradApp
from tui.options import Options
from tui.screens.debugger import DebuggerScreen
from tui.screens.help import PANELS
from tui.text.prose import reflow
from tui.widgets.graph import GraphView
from tui.widgets.outline import OutlineView
from tui.widgets.steps import CurrentStep, StepLog

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
QUIET = Options(watch=False)


async def opened(app: MicrogradApp, pilot) -> DebuggerScreen:  # type: ignore[no-untyped-def]
    screen = await loaded(pilot)
    assert isinstance(screen, DebuggerScreen)
    return screen


async def test_the_current_step_is_never_cut_off_it_scrolls_with_a_more_mark() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "example.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot)
        await pilot.press(*["right"] * 8)
        current = screen.query_one(CurrentStep)
        shown = [current.render_line(y).text for y in range(current.size.height)]
        assert shown[-1].strip() == "↓ more below", "the step says more than fits"
        assert "total: x.grad = 4.0 + (-3.0)" in current.text.plain
        current.focus()
        await pilot.press(*["down"] * 6)
        shown = [current.render_line(y).text for y in range(current.size.height)]
        assert any("the sum over its 2 uses" in line for line in shown), "scrolled to the end"


async def test_tab_to_the_step_log_keeps_its_rows() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "example.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot)
        log = screen.query_one(StepLog)
        rows = log.scrollable_content_region.height
        log.focus()
        await pilot.pause()
        assert log.scrollable_content_region.height == rows >= 2


async def test_a_record_is_drawn_whole_or_not_at_all_at_the_graph_s_edges() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "neuron.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot)
        graph = screen.query_one(GraphView)
        for _ in range(len(screen.view.trace)):
            lines = graph_text(screen).splitlines()
            for line in lines:
                opened_records = line.count("[") + line.count(">")
                assert opened_records == line.count("]"), f"a record cut in half: {line!r}"
            for node in screen.view.focus_nodes():
                assert any(screen.view.names[node] + " │" in line for line in lines)
            await pilot.press("right")
        assert graph.size.width == 78


async def test_a_step_taller_than_the_panel_shows_its_node_and_what_fits_above_it() -> None:
    """Stepping back scrolls up; the step's other nodes sit above the one it changes, so
    the panel ends at that node rather than starting there (at 80×20 own_value's
    x1w1x2w2._backward() showed x1w1x2w2 on the top row and neither operand)."""
    app = MicrogradApp(ROOT / "scenarios" / "own_value.py", options=QUIET)
    async with app.run_test(size=(80, 20)) as pilot:
        screen = await opened(app, pilot)
        graph = screen.query_one(GraphView)
        await pilot.press("end")
        for _ in range(len(screen.view.trace)):
            *others, node = screen.view.focus_nodes()
            lines = graph_text(screen).splitlines()
            room = graph.scrollable_content_region
            assert any(screen.view.names[node] + " │" in line for line in lines)
            target = graph._box_region(node)
            for other in others:
                both = target.union(graph._box_region(other))
                if both.height <= room.height and both.width <= room.width:
                    assert any(screen.view.names[other] + " │" in line for line in lines)
            await pilot.press("left")


async def test_step_0_shows_where_the_first_step_happens() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "neuron.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot)
        text = graph_text(screen)
        assert "[x1 │" in text and "[w1 │" in text, "the first forward step's inputs"


async def test_step_numbers_keep_a_space_from_the_border_at_six_digits() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "example.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot)
        await pilot.press("end")
        log = screen.query_one(StepLog)
        assert all(log.render_line(y).text[:1] == " " for y in range(log.size.height))


def test_the_help_is_wrapped_once_by_the_screen_not_twice() -> None:
    text = reflow(PANELS)
    assert "arrows run from operands to the node they feed, as in the lecture's draw_dot" in text
    assert "\n\noperand.grad += ∂out/∂operand · out.grad" in text, "a formula keeps its line"


async def test_the_help_at_80_columns_has_no_ragged_breaks() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "example.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "feed,\nas in the" not in help_text


async def test_a_notification_is_cleared_when_a_dialog_opens_over_it() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "example.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(app, pilot)
        await pilot.press("t")
        assert app._notifications, "quiz on is announced"
        await pilot.press("B")
        await pilot.pause()
        assert app.screen.query_one(OptionList) is not None
        assert not app._notifications, "it would cover the dialog's key hints"


async def test_the_outline_does_not_repeat_a_name_that_is_its_formula() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "example.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot)
        outline = screen.query_one(OutlineView)
        lines = [outline.line_text(line) for line in range(screen.view.size)]
        assert not any(line.startswith("x**2 = x**2") for line in lines)
        assert any(line.startswith("z = x*y+x**2") for line in lines)


async def test_a_header_too_long_for_the_width_ends_in_an_ellipsis() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "neuron.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(app, pilot)
        header = app.screen.query_one("#status")
        assert header.render_line(0).text.rstrip().endswith("…")


async def test_a_scenario_opens_on_its_notes_under_what_to_press() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "neuron.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot)
        text = screen.query_one(CurrentStep).text.plain
        assert text.startswith("Step 0: nothing computed yet. Press →")
        assert "tanh's local derivative 1 - o² is exactly 0.5" in text
        await pilot.press("right")
        assert "tanh's local derivative" not in screen.query_one(CurrentStep).text.plain


async def test_z_gives_the_graph_the_whole_screen_and_back() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "neuron.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot)
        graph = screen.query_one(GraphView)
        height = graph.size.height
        await pilot.press("z")
        await pilot.pause()
        assert not screen.query_one("#lower").display and graph.size.height >= height + 10
        assert app.focused is graph
        await pilot.press("right", "z")
        await pilot.pause()
        assert screen.query_one("#lower").display and graph.size.height == height
        assert screen.position == 1, "stepping works zoomed"
