"""A launch draws the debugger first and then does what it did not wait for: starting a
spare worker, watching the file, and giving the cycle collector back its work."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from rich.segment import Segment

from micrograd import heap
from tests.app.test_teaching import debugger, until
from tui.app import MicrogradApp
from tui.options import Options
from tui.screens.debugger import DebuggerScreen
from tui.widgets.steps import CurrentStep

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "example.py"


@pytest.fixture
def held_collector(collector_restored: None) -> None:
    """The collector held as the command holds it."""
    heap.hold_for_launch()


@pytest.mark.usefixtures("held_collector")
async def test_the_spare_the_watch_and_the_collector_wait_for_the_first_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = tmp_path / "example.py"
    scenario.write_text(EXAMPLE.read_text())
    when_mounted: dict[str, object] = {}
    mount = DebuggerScreen.on_mount

    def on_mount(screen: DebuggerScreen) -> None:
        mount(screen)
        app = screen.app
        assert isinstance(app, MicrogradApp)
        when_mounted.update(spare=app._spare, watched=app._watched, collecting=gc.isenabled())

    monkeypatch.setattr(DebuggerScreen, "on_mount", on_mount)
    app = MicrogradApp(scenario, options=Options())
    async with app.run_test(size=(80, 24)) as pilot:
        await debugger(pilot)
        await until(pilot, lambda: app._spare is not None and app._watched is not None)
        assert gc.isenabled(), "the collector is back once the debugger is drawn"
        assert gc.get_freeze_count() > 0, "and what the launch made is left out of it"
    assert when_mounted == {"spare": None, "watched": None, "collecting": False}


async def test_the_step_panel_wraps_its_text_only_once_it_has_a_width(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Text shown before the first layout was wrapped at one column, a few hundred lines
    for a scenario's notes, and thrown away at once: 4 ms of every launch."""
    widths: list[int] = []
    wrap = CurrentStep.wrap_lines

    def wrap_lines(panel: CurrentStep, width: int) -> list[list[Segment]]:
        widths.append(width)
        return wrap(panel, width)

    monkeypatch.setattr(CurrentStep, "wrap_lines", wrap_lines)
    app = MicrogradApp(EXAMPLE, options=Options(watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await debugger(pilot)
    assert widths, "the panel shows the start text"
    assert min(widths) > 20, widths
