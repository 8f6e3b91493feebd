"""Snapshots of every screen (pytest-textual-snapshot), grouped by screen.

Review ``snapshot_report.html`` before accepting a change with
``--snapshot-update``: these pictures are what a class sees.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tui.app import MicrogradApp
from tui.cli import bundled_scenarios
from tui.options import Options
from tui.screens.debugger import DebuggerScreen
from tui.screens.error import ErrorScreen

pytestmark = pytest.mark.slow

SnapCompare = Callable[..., bool]
"""pytest-textual-snapshot's fixture: compares the app's screen with the stored SVG."""

ROOT = Path(__file__).resolve().parents[2]
QUIET = Options(watch=False)


@pytest.fixture(autouse=True)
def _from_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths on screen are relative to the project, so snapshots match on any checkout."""
    monkeypatch.chdir(ROOT)


def after_loading(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        for _ in range(300):
            await pilot.pause(0.02)
            screen = pilot.app.screen
            if isinstance(screen, (DebuggerScreen, ErrorScreen)) and screen.is_mounted:
                break
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


POSITIONS = {"start": (), "middle": ("right",) * 3, "end": ("end",)}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("position", sorted(POSITIONS))
@pytest.mark.parametrize("scenario", ["example", "neuron"])
def test_debugger(
    snap_compare: SnapCompare, scenario: str, position: str, size: tuple[int, int]
) -> None:
    app = MicrogradApp(Path("scenarios") / f"{scenario}.py")
    assert snap_compare(app, terminal_size=size, run_before=after_loading(*POSITIONS[position]))


def test_error_screen(snap_compare: SnapCompare) -> None:
    app = MicrogradApp(Path("tests/bad_scenarios/raises.py"))
    assert snap_compare(app, run_before=after_loading())


def test_help_screen(snap_compare: SnapCompare) -> None:
    app = MicrogradApp(Path("scenarios/example.py"))
    assert snap_compare(app, run_before=after_loading("question_mark"))


def test_picker(snap_compare: SnapCompare) -> None:
    app = MicrogradApp(None, bundled_scenarios())
    assert snap_compare(app, run_before=after_loading())


def test_quiz_screen(snap_compare: SnapCompare) -> None:
    app = MicrogradApp(Path("scenarios/example.py"), options=QUIET)
    keys = ("t", "right", "minus", "6", "enter")
    assert snap_compare(app, run_before=after_loading(*keys))


def test_breakpoints_screen(snap_compare: SnapCompare) -> None:
    app = MicrogradApp(Path("scenarios/neuron.py"), options=QUIET)
    keys = ("right", "right", "right", "right", "b", "c", "B")
    assert snap_compare(app, run_before=after_loading(*keys))


def test_edit_screen(snap_compare: SnapCompare) -> None:
    app = MicrogradApp(Path("scenarios/example.py"), options=QUIET)
    assert snap_compare(app, run_before=after_loading("down", "e"))


def test_banner_over_the_last_good_graph(
    snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = Path("lesson.py")
    path.write_text("from micrograd import Value\nx = Value(2.0)\ny = x * x\n")

    async def break_the_file(pilot: Pilot[None]) -> None:
        await after_loading("right")(pilot)
        path.write_text("from micrograd import Value\nx = Value(2.0\n")
        await pilot.press("r")
        for _ in range(300):
            await pilot.pause(0.02)
            if pilot.app.screen.has_class("-problem"):
                break
        await pilot.pause()

    assert snap_compare(MicrogradApp(path, options=QUIET), run_before=break_the_file)


def test_training_iteration_with_its_loss_curve(snap_compare: SnapCompare) -> None:
    app = MicrogradApp(Path("scenarios/train_mlp.py"), options=QUIET)

    async def second_iteration_update(pilot: Pilot[None]) -> None:
        await after_loading("right_square_bracket")(pilot)
        for _ in range(300):
            await pilot.pause(0.02)
            screen = pilot.app.screen
            if isinstance(screen, DebuggerScreen) and screen.view.iteration == 1:
                break
        await pilot.press("end")
        await pilot.pause()

    assert snap_compare(app, run_before=second_iteration_update)


def test_own_value_class_with_the_gradient_check(snap_compare: SnapCompare) -> None:
    app = MicrogradApp(Path("scenarios/buggy_value.py"), options=QUIET)
    assert snap_compare(app, run_before=after_loading("w"))


def test_source_panel_in_place_of_the_inspector(snap_compare: SnapCompare) -> None:
    app = MicrogradApp(Path("scenarios/neuron.py"), options=QUIET)
    assert snap_compare(app, run_before=after_loading("s", "right", "right", "right"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_mlp_with_its_neurons_collapsed(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    app = MicrogradApp(Path("scenarios/mlp.py"), options=QUIET)
    keys = ("X", "colon", "3", "6", "0", "enter")  # a chain step between two layers
    assert snap_compare(app, terminal_size=size, run_before=after_loading(*keys))
