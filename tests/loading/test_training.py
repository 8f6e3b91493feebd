"""Training scenarios: recorded iterations, exact replays with optimizer steps, the app's keys."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from micrograd import Trace, UpdateStep, Value
from micrograd.losses import mse
from micrograd.nn import MLP
from micrograd.optim import SGD, Adam
from micrograd.training import optimizer_name, train
from tests.app.test_teaching import debugger, until
from tests.engine.test_steps import bits
from tui.app import KEPT_ITERATIONS, MicrogradApp
from tui.loading.errors import ScenarioError
from tui.loading.scenario import load_scenario, record
from tui.options import Options
from tui.widgets.loss import LossCurve, bars

ROOT = Path(__file__).resolve().parents[2]
TRAIN_MLP = ROOT / "scenarios" / "train_mlp.py"
XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def lecture_setup(optimizer_class: type = SGD) -> tuple[MLP, object, object]:
    model = MLP(3, [4, 4, 1], activation="tanh", seed=1337)
    optimizer = optimizer_class(model.parameters(), lr=0.05)

    def loss() -> Value:
        return mse([model(x) for x in XS], YS)  # type: ignore[misc]

    return model, optimizer, loss


def test_training_records_every_iteration_and_the_loss_falls() -> None:
    _, optimizer, loss = lecture_setup()
    history = train(loss, optimizer, 20)  # type: ignore[arg-type]
    assert len(history) == 20
    assert history[-1].loss < history[0].loss / 100
    for earlier, later in zip(history, history[1:]):
        assert later.start == earlier.end, "each iteration starts where the last one ended"


@pytest.mark.parametrize("optimizer_class", [SGD, Adam])
def test_a_replay_is_bit_for_bit_the_iteration_that_ran(optimizer_class: type) -> None:
    _, optimizer, loss = lecture_setup(optimizer_class)
    history = train(loss, optimizer, 6)  # type: ignore[arg-type]
    state = optimizer.__dict__.copy()
    iteration = history[3]
    trace = iteration.replay(loss, optimizer)  # type: ignore[arg-type]
    assert optimizer.__dict__ == state, "replaying never steps the optimizer"
    parameters = optimizer.parameters  # type: ignore[attr-defined]
    ids = [trace.id_of(p) for p in parameters]
    trace.seek(trace.backward_end)
    assert trace.phase() == "backward"
    assert trace.data(trace.root) == iteration.loss
    assert bits([trace.grad(i) for i in ids]) == bits(list(iteration.grads))
    updates = trace.steps[trace.backward_end :]
    assert len(updates) == len(parameters)
    assert all(isinstance(step, UpdateStep) for step in updates)
    assert all(step.plain for step in updates) == (optimizer_class is SGD)
    trace.seek(len(trace))
    assert trace.phase() == "update"
    assert bits([trace.data(i) for i in ids]) == bits(list(iteration.end))
    trace.seek(trace.backward_end)
    assert bits([trace.data(i) for i in ids]) == bits(list(iteration.start)), "undo is exact"


def test_an_update_step_is_gradient_descent_with_its_numbers() -> None:
    x = Value(0.481, label="w")
    trace = Trace(x * 2.0, updates=[(x, 0.05, -1.2031, 0.481, 0.481 - 0.05 * -1.2031, "SGD")])
    step = trace.steps[-1]
    assert isinstance(step, UpdateStep) and step.plain and step.target == trace.id_of(x)
    trace.seek(len(trace))
    assert trace.data(trace.id_of(x)) == 0.481 - 0.05 * -1.2031


def test_the_optimizer_is_named_so_a_zero_grad_is_not_taken_for_plain_descent() -> None:
    parameters = [Value(1.0)]
    assert optimizer_name(SGD(parameters, lr=0.1)) == "SGD"
    assert optimizer_name(SGD(parameters, lr=0.1, momentum=0.9)) == "SGD with momentum 0.9"
    assert optimizer_name(Adam(parameters)) == "Adam"
    assert not UpdateStep(0, 0.05, 0.0, 1.0, 1.0, "Adam").plain


def test_the_scenario_contract_is_checked(tmp_path: Path) -> None:
    head = "from micrograd import Value\nw = Value(1.0)\n"
    cases = {
        "no_optimizer.py": (head + "def loss():\n    return w * w\n", "no optimizer"),
        "bad_iterations.py": (
            head
            + "from micrograd.optim import SGD\noptimizer = SGD([w], lr=0.1)\niterations = 0\n"
            + "def loss():\n    return w * w\n",
            "`iterations` must be a whole number from 1 to 10,000, not 0",
        ),
        "other_functions_are_fine.py": (
            head
            + "from micrograd.optim import SGD\noptimizer = SGD([w], lr=0.1)\n"
            + "def loss():\n    return w * w\n"
            + "def broken():\n    return 3\n",
            None,
        ),
    }
    for name, (source, message) in cases.items():
        path = tmp_path / name
        path.write_text(source)
        if message is None:
            assert load_scenario(path).training is not None
            continue
        with pytest.raises(ScenarioError) as caught:
            load_scenario(path)
        assert message in caught.value.message, name
    path = tmp_path / "returns_number.py"
    path.write_text(
        head + "from micrograd.optim import SGD\noptimizer = SGD([w], lr=0.1)\n"
        "def loss():\n    return 3.0\n"
    )
    with pytest.raises(ScenarioError, match="loss\\(\\) returned a float, not a Value"):
        load_scenario(path)


def test_the_bundled_training_scenarios() -> None:
    lecture = load_scenario(TRAIN_MLP)
    assert lecture.training is not None and len(lecture.training.iterations) == 20
    assert len(lecture.training.optimizer.parameters) == 41
    trace = record(lecture, forward=True)
    assert trace.phase() == "forward" and len(trace) - trace.backward_end == 41
    moons = load_scenario(ROOT / "scenarios" / "moons.py")
    assert moons.training is not None
    assert moons.training.losses[-1] < moons.training.losses[0] / 2


def test_print_and_export_show_the_losses_and_the_updates() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "tui", "--print", "train_mlp"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    assert "loss by iteration" in out.stdout and "│        20 │" in out.stdout
    assert "Optimizer step" in out.stdout
    assert "L2.n0.b.data -= lr · L2.n0.b.grad = 0.0 - 0.05·0.5106 = -0.0255" in out.stdout
    exported = subprocess.run(
        [sys.executable, "-m", "tui", "--export", "json", "train_mlp"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    data = json.loads(exported.stdout)
    assert len(data["losses"]) == 20 and data["losses"][0] == pytest.approx(0.7732, abs=1e-4)
    assert data["steps"][-1]["kind"] == "update" and data["steps"][-1]["plain"] is True


def test_loss_bars_scale_between_the_lowest_and_highest_loss() -> None:
    assert bars([4.0, 2.0, 1.0, 1.0], 4) == ["█", "▃", "▁", "▁"]
    assert bars([1.0, 1.0], 2) == ["▁", "▁"]
    assert len(bars([float(i) for i in range(100)], 10)) == 10
    assert bars([1.0, float("nan")], 2)[1] == "!"


QUIET = Options(watch=False)


@pytest.mark.slow
async def test_keys_move_a_whole_iteration_and_cross_its_ends() -> None:
    app = MicrogradApp(TRAIN_MLP, options=QUIET)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await debugger(pilot)
        assert "iteration 1/20" in screen.view.status()
        assert screen.check_action("iteration", (-1,)) is None
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: screen.view.iteration == 1)
        assert screen.position == 0
        assert "iteration 2/20" in str(screen.query_one(LossCurve).render())
        await pilot.press("end", "right")
        await until(pilot, lambda: screen.view.iteration == 2)
        assert screen.position == 0, "→ at the end of an iteration starts the next"
        await pilot.press("left")
        await until(pilot, lambda: screen.view.iteration == 1)
        assert screen.position == len(screen.view.trace), "← at the start goes back to the end"
        await pilot.press("left_square_bracket")
        await until(pilot, lambda: screen.view.iteration == 0)
        assert screen.check_action("edit", ()) is False


@pytest.mark.slow
async def test_only_a_few_iterations_are_kept_in_memory() -> None:
    app = MicrogradApp(TRAIN_MLP, options=QUIET)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await debugger(pilot)
        for target in range(1, 7):
            await pilot.press("right_square_bracket")
            await until(pilot, lambda t=target: screen.view.iteration == t)  # type: ignore[misc]
            assert len(app._iterations) <= KEPT_ITERATIONS
        assert sorted(app._iterations) == [4, 5, 6]
        await pilot.press("left_square_bracket")
        await until(pilot, lambda: screen.view.iteration == 5)
        assert screen.view is app._iterations[5], "a kept iteration is shown again, not replayed"


@pytest.mark.slow
async def test_the_forward_phase_toggle_keeps_the_iteration_and_step() -> None:
    app = MicrogradApp(TRAIN_MLP, options=QUIET)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await debugger(pilot)
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: screen.view.iteration == 1)
        forward = screen.view.trace.forward_length
        await pilot.press("colon", *str(forward + 3), "enter")
        seen = screen.view.trace.current
        await pilot.press("f")
        await until(pilot, lambda: screen.view.trace.forward_length == 0)
        assert screen.view.iteration == 1 and screen.position == 3
        assert screen.view.trace.current == seen


@pytest.mark.slow
async def test_a_reload_comes_back_to_the_iteration_on_show(tmp_path: Path) -> None:
    path = tmp_path / "lesson.py"
    path.write_text(TRAIN_MLP.read_text())
    app = MicrogradApp(path, options=QUIET)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await debugger(pilot)
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: screen.view.iteration == 1)
        await pilot.press("right", "right")
        old = screen.view
        path.write_text(TRAIN_MLP.read_text().replace("lr=0.05", "lr=0.1"))
        await pilot.press("r")
        await until(pilot, lambda: screen.view is not old and screen.view.iteration == 1)
        assert screen.position == 2
        updates = [s for s in screen.view.trace.steps if isinstance(s, UpdateStep)]
        assert updates and all(update.lr == 0.1 for update in updates)


def test_the_quiz_asks_for_an_updated_parameter() -> None:
    from tui.text.naming import node_names
    from tui.text.quiz import is_right, question

    x = Value(0.481, label="w")
    trace = Trace(x * 2.0, updates=[(x, 0.05, -1.2031, 0.481, 0.481 - 0.05 * -1.2031, "SGD")])
    asked = question(trace, node_names(trace), len(trace) - 1)
    assert asked.asks_for == "w.data" and "w.grad = -1.2031, lr = 0.05" in asked.prompt
    assert is_right(0.5412, asked.expected) and not is_right(0.4208, asked.expected)
