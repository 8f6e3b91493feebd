"""The scenario loader: the contract, every way a scenario can be wrong, and the curriculum."""

from __future__ import annotations

import gc
import math
import os
import sys
import time
from pathlib import Path

import pytest

from micrograd import Trace, Value
from micrograd.gradcheck import check_backward_calls, gradient_check
from micrograd.heap import YOUNG_COLLECTION_EVERY
from tests.corpus import BAD, BAD_CASES, ODD, ODD_CASES, bad_path, limits, worker_processes
from tui.cli import bundled_scenarios
from tui.loading import remote
from tui.loading.errors import ScenarioError
from tui.loading.protocol import Load
from tui.loading.scenario import DEFAULT_MAX_NODES, load_scenario
from tui.text.naming import node_names


def write(tmp_path: Path, source: str, name: str = "scenario.py") -> Path:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return path


def test_root_variable_wins(tmp_path: Path) -> None:
    path = write(
        tmp_path, "from micrograd import Value\nx = Value(1.0)\na = x * 2\nb = x + 1\nroot = b\n"
    )
    scenario = load_scenario(path)
    assert scenario.root.label == "b"


def test_build_function_gives_the_root(tmp_path: Path) -> None:
    source = (
        "from micrograd import Value\n"
        "def build():\n"
        "    x = Value(3.0, label='x')\n"
        "    return x * x\n"
    )
    scenario = load_scenario(write(tmp_path, source))
    assert scenario.root.data == 9.0


def test_the_one_unused_value_is_the_root(tmp_path: Path) -> None:
    scenario = load_scenario(
        write(tmp_path, "from micrograd import Value\nx = Value(2.0)\ny = x * 3\nz = y + x\n")
    )
    assert scenario.root.label == "z"


def test_labels_come_from_variable_names_but_never_overwrite(tmp_path: Path) -> None:
    source = (
        "from micrograd import Value\nx = Value(2.0)\nw = Value(3.0, label='weight')\nout = x * w\n"
    )
    scenario = load_scenario(write(tmp_path, source))
    x, w = scenario.root._prev
    assert (x.label, w.label, scenario.root.label) == ("x", "weight", "out")


def test_docstring_gives_title_and_notes(tmp_path: Path) -> None:
    source = (
        '"""A title\n\nSome notes\non two lines."""\nfrom micrograd import Value\nx = Value(1.0)\n'
    )
    scenario = load_scenario(write(tmp_path, source))
    assert scenario.title == "A title"
    assert scenario.notes == "Some notes\non two lines."
    assert (
        load_scenario(
            write(tmp_path, "from micrograd import Value\nx = Value(1.0)\n", "plain.py")
        ).title
        == "plain"
    )


def test_grads_from_an_earlier_backward_are_reset(tmp_path: Path) -> None:
    source = "from micrograd import Value\nx = Value(2.0)\ny = x * x\ny.backward()\n"
    scenario = load_scenario(write(tmp_path, source))
    assert scenario.grads_were_reset
    assert all(node.grad == 0.0 for node in scenario.root.topological_order())


def test_output_is_captured_not_printed(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    source = (
        "import sys\n"
        "from micrograd import Value\n"
        "print('hello')\n"
        "print('oops', file=sys.stderr)\n"
        "x = Value(1.0)\n"
    )
    scenario = load_scenario(write(tmp_path, source))
    assert scenario.output == "hello\noops\n"
    assert capfd.readouterr() == ("", "")


def test_huge_output_is_capped(tmp_path: Path) -> None:
    source = (
        "from micrograd import Value\n"
        "for _ in range(3000):\n"
        "    print('x' * 1000)\n"
        "x = Value(1.0)\n"
    )
    scenario = load_scenario(write(tmp_path, source))
    assert len(scenario.output) < 1_100_000
    assert "more characters of output not kept" in scenario.output


def test_the_files_folder_is_importable_and_process_state_is_restored(tmp_path: Path) -> None:
    (tmp_path / "helper.py").write_text("SCALE = 4.0\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    source = (
        "import os\n"
        "from helper import SCALE\n"
        "from micrograd import Value\n"
        f"os.chdir({str(elsewhere)!r})\n"
        "x = Value(SCALE)\n"
    )
    cwd, path, argv = os.getcwd(), list(sys.path), list(sys.argv)
    scenario = load_scenario(write(tmp_path, source))
    assert scenario.root.data == 4.0
    assert (os.getcwd(), sys.path, sys.argv) == (cwd, path, argv)
    sys.modules.pop("helper", None)


def test_the_collector_runs_less_often_while_a_scenario_loads_but_still_runs(
    tmp_path: Path,
) -> None:
    source = (
        "import gc\n"
        "from micrograd import Value\n"
        "collections = gc.get_stats()[0]['collections']\n"
        "for _ in range(100_000):\n"
        "    cycle = []\n"
        "    cycle.append(cycle)\n"
        "print(gc.get_threshold()[0], gc.get_stats()[0]['collections'] - collections)\n"
        "x = Value(1.0)\n"
    )
    before = gc.get_threshold()
    threshold, collections = map(int, load_scenario(write(tmp_path, source)).output.split())
    assert threshold == YOUNG_COLLECTION_EVERY > before[0]
    assert collections > 0, "cycles left behind by the scenario are still collected"
    assert gc.get_threshold() == before


def test_non_finite_values_load(tmp_path: Path) -> None:
    source = "from micrograd import Value\nx = Value(0.0)\ny = x.log() * 2\n"
    scenario = load_scenario(write(tmp_path, source))
    assert math.isinf(scenario.root.data)


# Two million nodes take ten seconds to build; the command-line and app tests load it.
LOADER_CASES = [case for case in BAD_CASES if case[0] != "two_million_nodes.py"]


@pytest.mark.parametrize(
    ("name", "line", "message"), LOADER_CASES, ids=[c[0] for c in LOADER_CASES]
)
def test_every_bad_scenario_is_a_clear_error(name: str, line: int | None, message: str) -> None:
    timeout, max_nodes = limits(name)
    before = worker_processes()
    with pytest.raises(ScenarioError) as caught:
        remote.load(bad_path(name), timeout, max_nodes, forward=True)
    error = caught.value
    assert message in error.message
    assert error.line == line
    assert error.path == str(bad_path(name))
    assert error.hint and "\n" not in error.one_line()
    assert worker_processes() <= before, "no process of the worker's group is left"


def test_running_out_of_memory_while_walking_the_graph_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr("tui.loading.scenario.topological_index", exhausted)
    path = write(tmp_path, "from micrograd import Value\nroot = Value(2.0) * 3\n")
    with pytest.raises(ScenarioError, match="ran out of memory while walking its graph"):
        load_scenario(path)


def test_the_worker_s_memory_limit_is_a_clear_error(tmp_path: Path) -> None:
    source = "from micrograd import Value\nx = Value(1.0)\nblock = bytearray(400 * 1024**2)\n"
    with pytest.raises(ScenarioError, match="ran out of memory") as caught:
        remote.load(write(tmp_path, source), 5, 100, True, max_memory=300 * 1024**2)
    assert caught.value.line == 3


def test_the_corpus_has_thirty_kinds_of_bad_file() -> None:
    assert len({name for name, _, _ in BAD_CASES}) >= 30
    on_disk = {path.name for path in BAD.glob("*.py")} | {"missing.py", ".", "too_large.py"}
    assert on_disk == {name for name, _, _ in BAD_CASES}, "every file in the corpus is tested"


@pytest.mark.parametrize("name", ODD_CASES)
def test_odd_but_valid_files_load_and_leave_the_process_as_it_was(name: str) -> None:
    state = (os.getcwd(), list(sys.path), sys.getrecursionlimit(), sys.breakpointhook)
    scenario = load_scenario(ODD / name) if name not in RUN_ONLY_IN_A_WORKER else None
    assert scenario is None or scenario.size >= 2
    assert (os.getcwd(), sys.path, sys.getrecursionlimit(), sys.breakpointhook) == state
    assert remote.load(ODD / name, 10, DEFAULT_MAX_NODES, True).trace.size >= 2


RUN_ONLY_IN_A_WORKER = {"writes_to_descriptors.py"}
"""Odd files that write to this process's own descriptors, over pytest's output."""


def test_what_a_scenario_writes_anywhere_is_its_output_and_nothing_reaches_ours(
    capfd: pytest.CaptureFixture[str],
) -> None:
    recorded = remote.load(ODD / "writes_to_descriptors.py", 10, 100, True)
    assert recorded.summary is not None
    output = recorded.summary.output
    for line in ("straight to descriptor 1", "from a shell", "to sys.__stdout__"):
        assert line in output
    printed = remote.load(ODD / "backward_prints.py", 10, 100, True).summary
    assert printed is not None and printed.output.count("backward of *") == 3
    assert capfd.readouterr() == ("", "")


def test_a_load_can_be_cancelled_while_the_scenario_runs() -> None:
    """An app that quits mid-load must not wait out the time limit."""
    asked_at = time.monotonic() + 0.2

    def cancelled() -> bool:
        return time.monotonic() > asked_at

    worker = remote.WorkerProcess()
    request = Load(str(BAD / "endless.py"), 600, 100, True)
    with pytest.raises(ScenarioError, match="was stopped before it finished"):
        worker.load(request, cancelled)
    assert time.monotonic() - asked_at < 1 and worker.process.returncode is not None


def test_an_error_inside_micrograd_points_at_the_scenarios_line(tmp_path: Path) -> None:
    source = "from micrograd import Value\n\nx = Value(2.0)\ny = x + 'text'\n"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path, source))
    assert caught.value.line == 4
    assert "TypeError: Value needs a real number, got str" in caught.value.message


EXPECTED_GRADS = {
    "example": {"x": 1.0, "y": 2.0},
    "neuron": {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0},
    "shared_node": {"a": 24.0},
}


def test_the_curriculum_is_all_there() -> None:
    names = {path.stem for path in bundled_scenarios()}
    assert names == {
        "example",
        "neuron",
        "shared_node",
        "gates",
        "activations",
        "softmax",
        "deep_chain",
        "mlp",
        "train_mlp",
        "moons",
        "own_value",
        "buggy_value",
        "torch_neuron",
    }


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.stem)
def test_each_bundled_scenario_loads_teaches_and_matches_finite_differences(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.title and scenario.notes, "every bundled scenario teaches through its docstring"
    assert not scenario.output
    if isinstance(scenario.root, Value):
        assert gradient_check(scenario.root, limit=40).worst < 1e-6
    else:  # a learner's own class: checked node by node; buggy_value is wrong on purpose
        wrong = check_backward_calls(scenario.root).wrong
        assert (wrong is None) == (path.stem != "buggy_value")
    trace = Trace(scenario.root)
    trace.seek(len(trace))
    leaves = {node.label: trace.grad(i) for i, node in enumerate(trace.nodes) if not node._prev}
    for label, grad in EXPECTED_GRADS.get(path.stem, {}).items():
        assert leaves[label] == pytest.approx(grad, abs=1e-9)
    opaque = [name for name in node_names(trace) if "#" in name]
    assert not opaque, "the curriculum names every node it shows (no +#9)"


def test_neuron_output_is_the_lectures() -> None:
    scenario = load_scenario(next(p for p in bundled_scenarios() if p.stem == "neuron"))
    assert scenario.root.data == pytest.approx(0.7071, abs=1e-4)


def test_mlp_has_a_few_hundred_nodes() -> None:
    scenario = load_scenario(next(p for p in bundled_scenarios() if p.stem == "mlp"))
    assert 200 <= len(scenario.root.topological_order()) <= 1000
    assert isinstance(scenario.root, Value)


def test_reflow_joins_hard_wrapped_lines_but_keeps_paragraphs_and_items() -> None:
    from tui.text.prose import reflow

    text = "One line\nwrapped here.\n\n- item one\n  continues\n- item two"
    assert reflow(text) == "One line wrapped here.\n\n- item one continues\n- item two"
