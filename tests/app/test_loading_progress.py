"""The loading screen shows a slow load's progress, and the debugger says when a graph's
data changed after it was built."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Label, ProgressBar

from tests.app.test_teaching import debugger, until
from tui.app import MicrogradApp
from tui.loading.errors import ScenarioError
from tui.messages import LoadProgressed
from tui.options import Options
from tui.screens.debugger import DebuggerScreen
from tui.text.progress import SHOW_AFTER

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
QUIET = Options(watch=False)


async def test_a_slow_load_shows_its_phase_and_time_after_half_a_second(tmp_path: Path) -> None:
    slow = tmp_path / "slow.py"
    slow.write_text(
        "import time\nfrom micrograd import Value\ntime.sleep(1.2)\nx = Value(2.0) * 3\n"
    )
    app = MicrogradApp(slow, options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        loading = app.screen_stack[0]
        await pilot.pause(0.2)
        assert not loading.has_class("-slow"), "a load shows nothing for half a second"
        await until(pilot, lambda: loading.has_class("-slow"))
        phase = str(loading.query_one("#loading-phase", Label).render())
        assert phase == "Running the scenario"
        assert " s" in str(loading.query_one("#loading-label", Label).render()), "time taken"
        await debugger(pilot)


async def test_the_progress_bar_counts_the_steps_recorded(tmp_path: Path) -> None:
    slow = tmp_path / "slow.py"
    slow.write_text("import time\nfrom micrograd import Value\ntime.sleep(1.0)\nx = Value(2.0)\n")
    app = MicrogradApp(slow, options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        loading = app.screen_stack[0]
        await until(pilot, lambda: loading.has_class("-slow"))
        app.post_message(LoadProgressed("backward", 30, 120))
        await pilot.pause()
        bar = loading.query_one("#loading-bar", ProgressBar)
        assert (bar.total, bar.progress) == (120, 30)
        phase = str(loading.query_one("#loading-phase", Label).render())
        assert phase == "Recording the backward pass: 30 of 120 steps"
        app.post_message(LoadProgressed("running", 0, 0))
        await pilot.pause()
        assert bar.total is None, "a phase with no count shows a bar that only moves"
        await debugger(pilot)


async def test_a_quick_load_never_builds_the_progress_bar() -> None:
    """The bar and the phase cost the launch's first frame 18 ms: a load over within
    half a second goes without them."""
    app = MicrogradApp(ROOT / "scenarios" / "example.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        await debugger(pilot)
        assert not app.screen_stack[0].query(ProgressBar)


async def test_q_quits_while_a_big_graph_is_recorded(tmp_path: Path) -> None:
    big = tmp_path / "big.py"
    big.write_text(
        "from micrograd.nn import MLP\nfrom micrograd.losses import mse\n"
        "model = MLP(3, [16, 16, 1], seed=1)\n"
        "loss = mse([model([0.1 * i, 0.2, -0.3]) for i in range(400)], [0.0] * 400)\n"
    )
    app = MicrogradApp(big, options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        loading = app.screen_stack[0]

        def recording() -> bool:
            phases = loading.query("#loading-phase").results(Label)
            return any("Recording" in str(phase.render()) for phase in phases)

        await until(pilot, recording)
        await pilot.press("q")
    assert app.return_code == 0


def test_a_load_no_longer_wanted_stops_at_its_next_report() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "example.py", options=QUIET)
    report = app._reporter(Path("big.py"), cancelled=lambda: True)
    with pytest.raises(ScenarioError, match="stopped"):
        report("backward", 4096, 200_000)


async def test_data_changed_after_building_is_said_under_the_header() -> None:
    path = ROOT / "tests" / "odd_scenarios" / "data_changed_after_building.py"
    app = MicrogradApp(path, options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        assert isinstance(screen, DebuggerScreen) and screen.has_class("-remark")
        remark = str(screen.query_one("#check").render())
        assert remark.startswith("⚠ c holds -6.0 but its op gives -6.003")
        assert screen.view.trace.forward_length == 0
        await pilot.press("f")
        await until(pilot, lambda: screen.view.trace.forward_length > 0)
        assert not screen.has_class("-remark"), "recomputed: no longer the values it held"


async def test_what_a_load_brings_after_the_app_has_ended_is_let_go() -> None:
    """A load's thread can hand over its graph or its error, report progress, the loading
    clock can tick and the file's watch reload, after the app has begun to end and its
    screens are gone (a CI run met the progress): nothing is shown and nothing fails."""
    app = MicrogradApp(ROOT / "scenarios" / "example.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        view = (await debugger(pilot)).view
        process = app._process
        assert process is not None
        app._load_started -= SHOW_AFTER  # as if the load had been slow
    app._loaded(view, 0, process)
    app._opened(view, 0, from_file=False)
    assert not app.screen_stack, "no screen is put up after the end"
    app._failed(ScenarioError("Cancelled", "example.py", "the load was stopped", ""))
    app._progressed(LoadProgressed("backward", 30, 120))
    await app._tick()
    app.reload(ROOT / "scenarios" / "example.py", 0)
    assert not app.screen_stack
