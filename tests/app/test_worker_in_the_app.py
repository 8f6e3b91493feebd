"""The worker process seen from the app: quitting mid-load, a reload that kills its worker,
a file that keeps changing, and a label too long to draw."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.app.test_teaching import QUIET, debugger, select, until
from tests.corpus import BAD, worker_processes
from tui.app import MicrogradApp
from tui.options import Options
from tui.screens.edit import EditScreen
from tui.widgets.inspector import Inspector, describe_node

pytestmark = pytest.mark.slow

SQUARE = "from micrograd import Value\nx = Value({})\ny = x * x\n"


async def test_q_during_a_load_that_never_ends_quits_at_once() -> None:
    before = worker_processes()
    app = MicrogradApp(BAD / "endless.py", options=Options(timeout=600, watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)
        assert worker_processes() - before, "the scenario runs in its worker"
        asked = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - asked < 2
    time.sleep(0.1)
    assert not worker_processes() - before, "and the worker is gone with the app"


async def test_a_reload_whose_worker_dies_keeps_the_graph_and_its_worker(tmp_path: Path) -> None:
    path = tmp_path / "s.py"
    path.write_text(SQUARE.format(2.0))
    app = MicrogradApp(path, options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        await pilot.press("right")
        path.write_text(SQUARE.format(3.0) + "import os\nos._exit(4)\n")
        await pilot.press("r")
        await until(pilot, lambda: screen.has_class("-problem"))
        banner = str(screen.query_one("#banner").render())
        assert "s.py:5" in banner and "called os._exit(4)" in banner
        assert app.screen is screen and screen.position == 1, "the last good graph stays"
        await select(pilot, screen, "x")
        await pilot.press("e")
        assert isinstance(app.screen, EditScreen)
        await pilot.press("ctrl+a", "ctrl+k", "5", "enter")
        await until(pilot, lambda: screen.view.trace.starting_data(0) == 5.0)
        assert screen.position == 1, "its worker still holds the graph and records it again"


async def test_a_file_that_keeps_changing_reloads_at_most_once_a_second(tmp_path: Path) -> None:
    path = tmp_path / "s.py"
    path.write_text(SQUARE.format(1.0))
    app = MicrogradApp(path, options=Options(watch=True))
    reloads: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await debugger(pilot)
        reload = app.reload

        def counted(*args: object) -> None:
            reloads.append(time.monotonic())
            reload(*args)  # type: ignore[arg-type]

        app.reload = counted  # type: ignore[method-assign,assignment]
        started = time.monotonic()
        for value in range(2, 16):
            path.write_text(SQUARE.format(float(value)))
            await pilot.pause(0.2)
        writing = time.monotonic() - started  # ~2.8 s, more on a busy machine
        await until(pilot, lambda: time.monotonic() - started > writing + 0.7)
        gaps = [b - a for a, b in zip(reloads, reloads[1:])]
        assert all(gap >= 0.95 for gap in gaps), "at most one reload a second"
        assert 2 <= len(reloads) <= writing + 2, "a reload a second, and one at the end"
        shown = [n.message for n in app._notifications]
        assert any("keeps changing" in message for message in shown)


async def test_a_very_long_label_is_cut_in_names_and_whole_in_the_inspector(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.py"
    path.write_text(
        'from micrograd import Value\nx = Value(2.0, label="L" * 2_000_000)\ny = x * 3\n'
    )
    app = MicrogradApp(path, options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        name = screen.view.names[0]
        assert name == "L" * 39 + "…"
        rows = dict(describe_node(screen.view, 0, pinned=True))
        assert str(rows["label"]).endswith("… (1,990,000 more characters)")
        screen.pinned = 0
        await pilot.pause()
        assert screen.query_one(Inspector).node == 0 and app.screen is screen
