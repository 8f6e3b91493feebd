"""debug(loss) from a program: the debugger opens on the terminal where the program runs,
and the program goes on when the learner quits, its graph as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from micrograd import UpdateStep, Value
from micrograd.graph import topological_order
from micrograd.losses import mse
from micrograd.nn import MLP
from micrograd.optim import SGD, Adam
from tests.app.test_teaching import debugger
from tests.e2e.test_smoke_tmux import start, terminal_state, wait_for
from tests.loading.test_own_value import neuron
from tui.app import MicrogradApp
from tui.attach import NO_TERMINAL, _one_step, _Program
from tui.loading.errors import ScenarioError
from tui.loading.protocol import Load
from tui.loading.remote import AttachedProcess
from tui.loading.scenario import Scenario, scenario_of
from tui.loading.worker import serve
from tui.options import Options
from tui.screens.debugger import DebuggerScreen

ROOT = Path(__file__).resolve().parents[2]

NEURON = """\
from micrograd import Value
from tui import debug

x1 = Value(2.0); x2 = Value(0.0)
w1 = Value(-3.0); w2 = Value(1.0)
b = Value(6.8813735870195432)
n = x1*w1 + x2*w2 + b
o = n.tanh()
debug(42)
debug(o)
print("untouched", x1.grad, w1.grad, o.grad, repr(x1.label), o.data)
debug(o, backward=True)
print("backward", x1.grad, w1.grad, o.grad)
"""


def run_in_tmux(tmp_path: Path, source: str) -> str:
    """Start ``source`` as a program in a terminal; return the tmux session's name."""
    script = tmp_path / "program.py"
    script.write_text(source)
    command = f"env PYTHONPATH={ROOT} {sys.executable} {script}; echo status $?; sleep 30"
    return start(f"sh -c '{command}'", 100, 30)


def keys(session: str, *pressed: str) -> None:
    subprocess.run(["tmux", "send-keys", "-t", session, *pressed], check=True)


tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.mark.slow
@tmux
def test_debug_opens_the_debugger_in_the_terminal_and_the_program_goes_on(tmp_path: Path) -> None:
    session = run_in_tmux(tmp_path, NEURON)
    try:
        wait_for(session, "debug(o) at program.py:10", "[x1 │ 2.0 │", "step 0/15")
        keys(session, "End")
        wait_for(session, "step 15/15")
        keys(session, "q")
        wait_for(session, "debug(o) at program.py:12")
        keys(session, "q")
        screen = wait_for(session, "status 0")
        assert "untouched 0.0 0.0 0.0 '' 0.7071067811865477" in screen, "grads, labels as found"
        assert "backward -1.4999999999999993 0.9999999999999996 1.0" in screen
        assert "Traceback" not in screen
        assert terminal_state(session) == "0 0", "the terminal is the program's again"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


@pytest.mark.slow
@tmux
def test_debug_steps_a_pytorch_graph_and_leaves_its_grads_alone(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    source = textwrap.dedent("""\
        import torch
        from tui import debug

        x = torch.tensor(2.0, dtype=torch.double, requires_grad=True)
        w = torch.tensor(-3.0, dtype=torch.double, requires_grad=True)
        debug(torch.tanh(x * w + 6.0))
        n = x * w + 6.0
        o = torch.tanh(n)
        debug(o)
        print("after", x.grad)
        """)
    session = run_in_tmux(tmp_path, source)
    try:
        wait_for(session, "debug(o) at program.py:9", seconds=40)
        keys(session, "Right", "Right")
        wait_for(session, "o.grad_fn(o.grad)", "TanhBackward0")
        keys(session, "q")
        screen = wait_for(session, "status 0")
        assert "after None" in screen, "PyTorch's own grads are not filled"
        assert "error: " in screen and "AddBackward0 computed is kept nowhere" in screen
        assert "Traceback" not in screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_without_a_terminal_debug_says_what_to_do_and_returns(tmp_path: Path) -> None:
    script = tmp_path / "program.py"
    script.write_text(NEURON)
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(NO_TERMINAL) == 2
    assert "untouched 0.0 0.0 0.0 '' 0.7071067811865477" in done.stdout
    assert "backward -1.4999999999999993 0.9999999999999996 1.0" in done.stdout
    assert done.stderr == (
        f"micrograd-tui: error: {script}:9: debug() needs a Value, not int 42. "
        "Pass the Value to step through, e.g. debug(loss)\n"
    )


def test_an_optimizer_debug_cannot_step_is_a_clear_error() -> None:
    x = Value(1.0)
    with pytest.raises(ScenarioError, match="takes micrograd's SGD or Adam, not a object"):
        _one_step(x * x, [x], object(), Path(__file__))


def test_one_optimizer_step_leaves_the_parameters_and_the_optimizer_as_they_were() -> None:
    w, b = Value(0.5, label="w"), Value(-1.0, label="b")
    optimizer = Adam([w, b], lr=0.1)
    for _ in range(3):  # some state to keep: Adam's moments and step count
        optimizer.zero_grad()
        loss = (w * 2.0 + b - 3.0) ** 2
        loss.backward()
        optimizer.step()

    def state() -> tuple[float, float, str]:
        moments = {k: v for k, v in vars(optimizer).items() if k != "parameters"}
        return w.data, b.data, repr(moments)

    before = state()
    loss = (w * 2.0 + b - 3.0) ** 2
    updates = _one_step(loss, topological_order(loss), optimizer, Path(__file__))
    assert state() == before, "debug() puts the grads back itself, with every node's"
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    assert [update[4] for update in updates] == [w.data, b.data], "the step a real one takes"


@asynccontextmanager
async def attached(scenario: Scenario) -> AsyncIterator[tuple[DebuggerScreen, Pilot[None]]]:
    """The app on a program's graph, over pipes, the program answering from a thread."""
    requests_read, requests_write = os.pipe()
    replies_read, replies_write = os.pipe()
    output_read, output_write = os.pipe()
    program = threading.Thread(
        target=serve,
        args=(requests_read, replies_write, _Program(replies_write, scenario)),
        daemon=True,
    )
    program.start()
    process = AttachedProcess(requests_write, replies_read, output_read)
    process.start(Load(__file__, 10.0, 1000, True))
    options = Options(watch=False, spare=False, attached=True)
    app = MicrogradApp(Path(__file__), [], options, process)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            yield await debugger(pilot), pilot
    finally:
        for descriptor in (requests_write, replies_read, output_read, output_write):
            os.close(descriptor)
        program.join(5)
    assert not program.is_alive(), "the program goes on once the app has ended"


async def test_the_app_steps_a_program_s_graph_over_the_pipes_and_reloads_it() -> None:
    x, y = Value(2.0), Value(-3.0)
    z = x * y + x**2
    scenario = scenario_of(z, Path(__file__), "debug(z)", "", {"x": x, "y": y, "z": z})
    async with attached(scenario) as (screen, pilot):
        assert screen.view.scenario.title == "debug(z)"
        await pilot.press("end")
        grads = [screen.view.trace.grad(i) for i in range(screen.view.trace.size)]
        assert grads[:2] == [1.0, 2.0], "x.grad = y + 2x, y.grad = x"
        await pilot.press("r")
        await pilot.pause(0.5)
        screen = await debugger(pilot)
        await pilot.press("end")
        again = [screen.view.trace.grad(i) for i in range(screen.view.trace.size)]
        assert again == grads, "recorded again from zero, not added to the last pass"


async def test_a_learner_s_own_class_is_stepped_and_checked_from_a_program() -> None:
    names = neuron()
    scenario = scenario_of(names["o"], Path(__file__), "debug(o)", "", names)
    async with attached(scenario) as (screen, pilot):
        assert screen.view.trace.own and "✓ Gradient check" in screen.view.check_text()
        await pilot.press("right", "right")
        assert "o._backward()" in screen.view.status()


async def test_an_optimizer_s_one_step_ends_the_steps() -> None:
    model = MLP(2, [2, 1], seed=3)
    optimizer = SGD(model.parameters(), lr=0.1)
    loss = mse([model([1.0, -1.0])], [0.5])  # type: ignore[list-item]
    scenario = scenario_of(loss, Path(__file__), "debug(loss)", "", {"loss": loss})
    scenario.updates = _one_step(loss, topological_order(loss), optimizer, Path(__file__))
    async with attached(scenario) as (screen, pilot):
        updates = [s for s in screen.view.trace.steps if isinstance(s, UpdateStep)]
        assert len(updates) == len(optimizer.parameters) == 9
        await pilot.press("end")
        assert "optimizer" in screen.view.status()
