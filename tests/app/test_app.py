"""The app driven through Pilot: every key, the invariants, and the screens around the debugger."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from tui.app import MicrogradApp
from tui.cli import bundled_scenarios
from tui.loading.scenario import load_scenario
from tui.options import Options
from tui.screens.debugger import DebuggerScreen
from tui.screens.error import ErrorScreen
from tui.screens.find import FindScreen
from tui.screens.help import HelpScreen
from tui.screens.jump import JumpScreen
from tui.screens.notes import NotesScreen
from tui.screens.picker import PickerScreen
from tui.widgets.graph import GraphView
from tui.widgets.inspector import Inspector
from tui.widgets.lines import LineView
from tui.widgets.outline import OutlineView
from tui.widgets.steps import StepLog

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "example.py"
BACKWARD = Options(forward=False, watch=False)
"""The backward pass alone, as most of these tests count its steps; no file watching."""


async def loaded(pilot: Pilot[None]) -> DebuggerScreen | ErrorScreen:
    """Wait for the loading worker to finish and return the screen it opened."""
    for _ in range(200):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if isinstance(screen, (DebuggerScreen, ErrorScreen)) and screen.is_mounted:
            await pilot.pause()
            return screen
    raise AssertionError("the scenario never finished loading")


def graph_text(screen: Screen[Any]) -> str:
    graph = screen.query_one(GraphView)
    return "\n".join(graph.render_line(y).text for y in range(graph.size.height))


async def test_next_previous_first_last_keys() -> None:
    app = MicrogradApp(EXAMPLE, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert isinstance(screen, DebuggerScreen)
        for key, expected in [
            ("right", 1),
            ("l", 2),
            ("n", 3),
            ("left", 2),
            ("h", 1),
            ("p", 0),
            ("end", 6),
            ("home", 0),
            ("G", 6),
            ("g", 0),
        ]:
            await pilot.press(key)
            assert screen.position == expected, key


async def test_keys_that_cannot_act_are_disabled() -> None:
    app = MicrogradApp(EXAMPLE, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert screen.check_action("previous", ()) is None
        assert screen.check_action("first", ()) is None
        assert screen.check_action("next", ()) is True
        await pilot.press("left")
        assert screen.position == 0
        await pilot.press("end")
        assert screen.check_action("next", ()) is None
        assert screen.check_action("play", ()) is None
        await pilot.press("right")
        assert screen.position == 6


async def test_n_forward_then_n_back_restores_every_grad_and_the_end_is_backward() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "neuron.py", options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        trace = screen.view.trace
        start = list(trace.grads())
        for _ in range(7):
            await pilot.press("right")
        for _ in range(7):
            await pilot.press("left")
        assert list(trace.grads()) == start
        await pilot.press("end")
        again = load_scenario(ROOT / "scenarios" / "neuron.py").root
        again.backward()
        assert list(trace.grads()) == [n.grad for n in again.topological_order()]


async def test_marks_match_the_trace() -> None:
    app = MicrogradApp(EXAMPLE, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        view = screen.view
        records = [view.record(node) for node in range(view.size)]
        assert "·" not in "".join(records), "no forward phase: every node's data is known"
        assert all("│ 0.0  " in record for record in records), "grads start at 0.0"
        await pilot.press("right", "right", "right", "right")
        assert view.record(0) == "x │ 2.0 │ 4.0*  ", "x's grad changed and is not final yet"
        assert view.record(1) == "y │ -3.0 │ 0.0   ", "y not reached: 0.0, no mark"
        await pilot.press("right")
        assert view.record(0) == "x │ 2.0 │ 1.0*✓ "
        await pilot.press("right")
        assert view.record(0) == "x │ 2.0 │ 1.0 ✓ "


async def test_a_forward_step_marks_the_data_it_computed_not_the_grad() -> None:
    app = MicrogradApp(EXAMPLE, options=Options(watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        view = screen.view
        assert view.record(2) == "x*y │    · │ 0.0   ", "not computed yet: a dot"
        await pilot.press("right")
        assert view.record(2) == "x*y │ -6.0*│ 0.0   "
        await pilot.press("right")
        assert view.record(2) == "x*y │ -6.0 │ 0.0   "


async def test_inspector_follows_the_step_and_enter_pins_a_node() -> None:
    app = MicrogradApp(EXAMPLE, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("right")
        assert screen.pinned is None
        await pilot.press("down", "down", "enter")
        assert screen.pinned == 1 and screen.query_one(Inspector).node == 1
        await pilot.press("escape")
        assert screen.pinned is None
        assert screen.query_one(Inspector).node == screen.view.trace.current.target


async def test_autoplay_and_speed() -> None:
    app = MicrogradApp(EXAMPLE, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("plus", "plus", "plus")
        await pilot.press("space")
        assert screen.playing or screen.position > 0, (screen.position, app.focused)
        await pilot.pause(1.5)
        assert screen.position == 6, "autoplay runs to the end"
        assert not screen.playing, "and stops there"
        await pilot.press("minus")


async def test_jump_to_a_step_and_reject_a_bad_entry() -> None:
    app = MicrogradApp(EXAMPLE, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("colon")
        assert isinstance(app.screen, JumpScreen)
        await pilot.press("a", "b", "c", "enter")
        assert isinstance(app.screen, JumpScreen)
        assert "is not a step" in str(app.screen.query_one("#jump-error").render())
        for _ in range(3):
            await pilot.press("backspace")
        await pilot.press("4", "enter")
        assert app.screen is screen and screen.position == 4
        await pilot.press("colon", "escape")
        assert app.screen is screen and screen.position == 4


async def test_find_a_node_by_name() -> None:
    app = MicrogradApp(EXAMPLE, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, FindScreen)
        await pilot.press("y", "enter")
        assert app.screen is screen
        assert screen.pinned is not None and screen.view.names[screen.pinned] == "y"


async def test_notes_open_and_close() -> None:
    app = MicrogradApp(EXAMPLE, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("N")
        assert isinstance(app.screen, NotesScreen)
        assert "dz/dx = y + 2x = -3 + 4 = 1." in app.screen.notes, "reflowed into one paragraph"
        await pilot.press("escape")
        assert app.screen is screen


async def test_notes_show_what_the_scenario_printed(tmp_path: Path) -> None:
    path = tmp_path / "chatty.py"
    path.write_text(
        "from micrograd import Value\nprint('hello from the scenario')\nx = Value(1.0)\n"
    )
    app = MicrogradApp(path, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("N")
        notes = app.screen
        assert isinstance(notes, NotesScreen)
        assert notes.output == "hello from the scenario\n"


async def test_help_opens_and_closes() -> None:
    app = MicrogradApp(EXAMPLE, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.screen is screen


async def test_tab_cycles_the_panels() -> None:
    app = MicrogradApp(EXAMPLE, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        seen = set()
        for _ in range(4):
            seen.add(app.focused.id if app.focused else None)
            await pilot.press("tab")
        assert {"graph", "step-log", "inspector"} <= seen


async def test_reload_keeps_the_step(tmp_path: Path) -> None:
    path = tmp_path / "s.py"
    path.write_text("from micrograd import Value\nx = Value(2.0)\ny = x * x\n")
    app = MicrogradApp(path, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("right", "right")
        path.write_text("from micrograd import Value\nx = Value(5.0)\ny = x * x\n")
        await pilot.press("r")
        for _ in range(100):
            await pilot.pause(0.02)
            screen = app.screen
            if isinstance(screen, DebuggerScreen) and screen.view.trace.starting_data(0) == 5.0:
                break
        assert isinstance(screen, DebuggerScreen) and screen.position == 2


async def test_a_bad_file_opens_the_error_screen_and_r_retries(tmp_path: Path) -> None:
    path = tmp_path / "broken.py"
    path.write_text("from micrograd import Value\nx = Value(2.0)\ny = x * q\n")
    app = MicrogradApp(path, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert isinstance(screen, ErrorScreen)
        assert screen.error.line == 3 and "NameError" in screen.error.message
        path.write_text("from micrograd import Value\nx = Value(2.0)\ny = x * x\n")
        await pilot.press("r")
        for _ in range(100):
            await pilot.pause(0.02)
            if isinstance(app.screen, DebuggerScreen) and app.screen.is_mounted:
                break  # a test that ended mid-mount would stop the app under the screen
        assert isinstance(app.screen, DebuggerScreen)


async def test_the_picker_opens_a_bundled_scenario() -> None:
    app = MicrogradApp(None, bundled_scenarios(), BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("enter")
        screen = await loaded(pilot)
        assert screen.view.scenario.name == bundled_scenarios()[0].stem


async def test_a_big_graph_shows_the_neighbourhood_of_the_step() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "mlp.py", options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("right", "right", "right")
        graph = screen.query_one(GraphView)
        assert 0 < len(graph._drawn) < screen.view.size
        for node in screen.view.focus_nodes():
            assert node in graph._drawn


async def test_a_big_graphs_drawing_holds_still_while_the_steps_stay_in_it() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "mlp.py", options=Options(watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        graph = screen.query_one(GraphView)
        for key in ("right", "left"):
            drawings = []
            for _ in range(60):
                await pilot.press(key)
                assert set(screen.view.focus_nodes()) <= set(graph._drawn)
                drawings.append(graph._drawn)
            changes = sum(1 for a, b in zip(drawings, drawings[1:]) if a != b)
            assert changes < 20, f"{key}: a new drawing every few steps, not on each one"


def line_panels(screen: DebuggerScreen | ErrorScreen) -> list[LineView]:
    """The debugger's panels that draw their own lines: graph, step log, inspector."""
    return [screen.query_one(GraphView), screen.query_one(StepLog), screen.query_one(Inspector)]


async def test_no_panel_changes_size_on_a_step() -> None:
    """A change of size lays out the whole screen; on a step, nothing may change size."""
    app = MicrogradApp(ROOT / "scenarios" / "neuron.py", options=Options(watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        panels = line_panels(screen)
        await pilot.press("right")
        sizes = [panel.virtual_size for panel in panels]
        for _ in range(12):
            await pilot.press("right")
            assert [panel.virtual_size for panel in panels] == sizes


async def test_a_step_repaints_only_what_changed() -> None:
    """Repainting the screen (as a ``reactive`` on it does) recomposes the whole terminal."""
    app = MicrogradApp(ROOT / "scenarios" / "neuron.py", options=Options(watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        compositor = screen._compositor
        full_updates = []
        full_update = compositor.render_full_update

        def counted(*args: Any, **kwargs: Any) -> Any:
            full_updates.append(screen.position)
            return full_update(*args, **kwargs)

        compositor.render_full_update = counted  # type: ignore[method-assign]
        for key in ["right"] * 6 + ["left"] * 3 + ["end", "home"]:
            await pilot.press(key)
        await pilot.pause()
        assert full_updates == []


async def test_the_panels_colours_follow_a_change_of_theme() -> None:
    """Each line-drawn panel keeps its colours between repaints; a new theme must reach it."""
    app = MicrogradApp(EXAMPLE, options=Options(watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        panels = line_panels(screen)
        graph = screen.query_one(GraphView)
        before = [panel.base_style for panel in panels]
        assert before == [panel.rich_style for panel in panels]
        focus = graph.component_style("graph--focus")
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        after = [panel.base_style for panel in panels]
        assert after == [panel.rich_style for panel in panels]
        assert after != before
        assert graph.component_style("graph--focus") == graph.get_component_rich_style(
            "graph--focus"
        )
        assert graph.component_style("graph--focus") != focus


async def test_the_inspector_draws_each_texts_own_style() -> None:
    """A row in one style (``Text("...", style="dim")``) keeps it: Rich's ``Text.render``
    drops the style of a text with no styled spans, and the "not computed yet" row was
    drawn like a value."""
    app = MicrogradApp(EXAMPLE, options=Options(watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        inspector = screen.query_one(Inspector)
        grad_row = next(
            strip
            for strip in (inspector.render_line(y) for y in range(inspector.size.height))
            if strip.text.startswith("data ")
        )
        value = next(segment for segment in grad_row if "not computed yet" in segment.text)
        assert value.style is not None and value.style.dim


async def test_the_step_log_ends_at_the_cursor_and_cuts_long_lines() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "neuron.py", options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("end")
        log = screen.query_one(StepLog)
        lines = [
            log.render_line(y).text.rstrip() for y in range(log.scrollable_content_region.height)
        ]
        assert lines[-1].startswith(f"{len(screen.view.trace):>5}.")
        cut = [line for line in lines if "…" in line]
        assert cut and all(" → " in line.split("…")[-1] for line in cut if ".grad" in line)
        log.scroll_to(y=10**6, animate=False)
        assert log.scroll_y == log.max_scroll_y, "no scrolling past the cursor's line"


async def test_the_inspector_marks_rows_below_its_panel() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "neuron.py", options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("right", "right")
        inspector = screen.query_one(Inspector)
        height = inspector.scrollable_content_region.height
        assert len(inspector._lines) > height
        assert inspector.render_line(height - 1).text.strip() == "↓ more below"
        inspector.scroll_to(y=10**6, animate=False)
        assert inspector.scroll_y == len(inspector._lines) - height


async def test_the_outline_lists_the_whole_graph_and_inspects_a_node() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "mlp.py", options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("o")
        outline = screen.query_one(OutlineView)
        assert screen.has_class("-outline") and app.focused is outline
        assert outline.virtual_size.height == screen.view.size
        assert outline.line_text(0).startswith("loss = sum_of_squares[3]/4.0")
        await pilot.press("right")
        assert "grad 1.0*✓" in outline.line_text(0)
        await pilot.press("down", "enter")
        assert screen.pinned == screen.view.size - 2
        await pilot.press("o")
        assert not screen.has_class("-outline")


@pytest.mark.parametrize("size", [(20, 5), (40, 10), (59, 15), (120, 40), (250, 80)])
async def test_any_size_works_and_small_ones_say_so(size: tuple[int, int]) -> None:
    app = MicrogradApp(EXAMPLE, options=BACKWARD)
    async with app.run_test(size=size) as pilot:
        screen = await loaded(pilot)
        await pilot.press("right", "right")
        assert screen.has_class("-too-small") == (size[0] < 60 or size[1] < 16)


async def test_resizing_while_stepping_raises_nothing() -> None:
    app = MicrogradApp(EXAMPLE, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        for size in [(20, 5), (200, 60), (61, 16), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.press("right")
        assert screen.position == 4


async def test_q_quits_even_while_a_slow_scenario_is_loading() -> None:
    app = MicrogradApp(
        ROOT / "tests" / "bad_scenarios" / "endless.py", options=Options(timeout=600, watch=False)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("q")
    assert app.return_code == 0


async def test_q_quits() -> None:
    app = MicrogradApp(EXAMPLE, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("q")
    assert app.return_code == 0


async def test_q_in_a_scenario_from_the_picker_goes_back_to_it_and_q_there_quits() -> None:
    app = MicrogradApp(None, bundled_scenarios(), BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # the second lesson
        screen = await loaded(pilot)
        assert isinstance(screen, DebuggerScreen) and screen.view.scenario.name == "gates"
        footer = {b.binding.key: b.binding.description for b in app.active_bindings.values()}
        assert footer["q"] == "Back"
        await pilot.press("right", "q")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen) and app.is_running
        assert app._process is None  # the scenario's worker is ended with it
        await pilot.press("down", "enter")  # another lesson opens over the picker again
        screen = await loaded(pilot)
        assert isinstance(screen, DebuggerScreen) and screen.view.scenario.name == "activations"
        await pilot.press("q", "q")
        await pilot.pause()
        assert not app.is_running


async def test_q_in_a_scenario_opened_by_name_quits() -> None:
    app = MicrogradApp(EXAMPLE, options=BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        footer = {b.binding.key: b.binding.description for b in app.active_bindings.values()}
        assert footer["q"] == "Quit"
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_q_on_the_error_screen_of_a_file_from_the_picker_goes_back(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("x = 1 / 0\n")
    app = MicrogradApp(None, [broken, EXAMPLE], BACKWARD)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        screen = await loaded(pilot)
        assert isinstance(screen, ErrorScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen) and app.is_running
