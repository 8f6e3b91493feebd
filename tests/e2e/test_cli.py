"""The micrograd-tui command line: every flag, the exports, and bad input as one line and exit 2."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.corpus import BAD, BAD_CASES, ODD, ODD_CASES, bad_path, limits, worker_processes
from tui.cli import bundled_scenarios, options_from, parser
from tui.options import Options

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the command as a user would, in a separate process, with no terminal attached."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "COLUMNS": "200"},
    )


def test_help_documents_every_flag() -> None:
    out = cli("--help")
    assert out.returncode == 0
    for flag in (
        "--print",
        "--export",
        "--output",
        "--list",
        "--timeout",
        "--max-nodes",
        "--max-memory",
        "--debug",
        "--version",
    ):
        assert flag in out.stdout


def test_version() -> None:
    out = cli("--version")
    assert out.returncode == 0 and out.stdout.startswith("micrograd-tui 0.")


def test_list_names_the_bundled_scenarios_with_titles() -> None:
    out = cli("--list")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert len(lines) == len(bundled_scenarios()) >= 12
    assert any(line.split()[1] == "neuron" and "tanh" in line for line in lines)


def test_print_writes_out_every_step_with_its_numbers() -> None:
    out = cli("--print", "scenarios/example.py")
    assert out.returncode == 0, out.stderr
    assert (
        "x.grad += ∂(x*y)/∂x · (x*y).grad = (-3.0)·(1.0) = -3.0    x.grad: 4.0 → 1.0" in out.stdout
    )
    assert "use 2 of 2 of x: the left factor of x*y" in out.stdout
    assert "total: x.grad = 4.0 + (-3.0) = 1.0 = ∂z/∂x, the sum over its 2 uses" in out.stdout
    assert "[∂(x*y)/∂x = y = -3.0]" in out.stdout, "the rule is written with the operands' names"
    assert "z.grad = 1.0" in out.stdout
    assert "\n 0  x     leaf   2.0   1.0\n" in out.stdout
    assert "\x1b[" not in out.stdout, "no colour codes when output is not a terminal"


def test_without_a_terminal_the_transcript_is_printed() -> None:
    assert cli("scenarios/example.py").stdout == cli("--print", "scenarios/example.py").stdout


def test_a_bundled_scenario_opens_by_name_from_any_folder(tmp_path: Path) -> None:
    out = cli("neuron", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "The lecture's neuron" in out.stdout


def test_export_json_follows_the_schema(tmp_path: Path) -> None:
    out = cli("--export", "json", "scenarios/example.py")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["schema"], data["version"]) == ("micrograd-tui/trace", 4)
    assert data["forward_steps"] == 3
    assert [n["name"] for n in data["nodes"]] == ["x", "y", "x*y", "x**2", "z"]
    assert data["nodes"][0] == {
        "id": 0,
        "name": "x",
        "label": "x",
        "op": "",
        "operands": [],
        "data": 2.0,
        "grad": 1.0,
        "source": {"file": str((ROOT / "scenarios" / "example.py").resolve()), "line": 11},
    }
    assert data["steps"][0] == {
        "step": 1,
        "kind": "forward",
        "node": 2,
        "op": "*",
        "operands": [0, 1],
        "inputs": [2.0, -3.0],
        "after": -6.0,
    }
    assert data["steps"][3] == {
        "step": 4,
        "kind": "seed",
        "target": 4,
        "before": 0.0,
        "after": 1.0,
    }
    last_into_x = [s for s in data["steps"] if s.get("operand") == 0][-1]
    assert last_into_x["contribution_of"] == [2, 2] and last_into_x["accumulates"] is True
    assert last_into_x["rule"] == "∂(a·b)/∂a = b"


def test_the_transcript_begins_with_the_forward_phase() -> None:
    out = cli("--print", "scenarios/neuron.py")
    assert out.returncode == 0, out.stderr
    forward, backward = out.stdout.index("Forward pass"), out.stdout.index("Backward pass")
    assert forward < backward
    assert " 4. n = x1w1x2w2 + b = -6.0 + 6.8814 = 0.8814" in out.stdout
    assert " 5. o = tanh(n) = tanh(0.8814) = 0.7071" in out.stdout
    assert " 6. o.grad = 1.0" in out.stdout


def test_backward_only_leaves_the_forward_phase_out() -> None:
    out = cli("--print", "--backward-only", "scenarios/neuron.py")
    assert "Forward pass" not in out.stdout
    assert " 1. o.grad = 1.0" in out.stdout
    data = json.loads(cli("--export", "json", "--backward-only", "scenarios/example.py").stdout)
    assert data["forward_steps"] == 0 and data["steps"][0]["kind"] == "seed"
    markdown = cli("--export", "md", "scenarios/example.py").stdout
    assert "## Forward pass, step by step\n\n1. `x*y = 2.0·(-3.0) = -6.0`" in markdown
    assert "## Backward pass, step by step\n\n4. `z.grad = 1.0" in markdown


def test_app_flags_become_options() -> None:
    assert options_from(parser().parse_args(["x.py"])) == Options()
    chosen = options_from(parser().parse_args(["--quiz", "--no-watch", "--backward-only", "x.py"]))
    assert (chosen.quiz, chosen.watch, chosen.forward) == (True, False, False)


def test_quiz_backward_asks_only_the_backward_pass_and_quiz_name_still_opens_name() -> None:
    from tui.cli import parse

    backward = parse(["--quiz", "backward", "neuron"])
    assert (backward.scenario, options_from(backward).quiz_forward) == ("neuron", False)
    assert options_from(backward).quiz
    every = parse(["--quiz", "neuron"])
    assert (every.scenario, every.quiz, options_from(every).quiz_forward) == ("neuron", "all", True)
    assert parse(["neuron", "--quiz"]).quiz == "all"
    out = cli("--quiz", "sideways", "neuron")
    assert out.returncode == 2 and "--quiz takes 'backward' or nothing" in out.stderr


def test_export_json_writes_non_finite_numbers_as_strings(tmp_path: Path) -> None:
    path = tmp_path / "inf.py"
    path.write_text("from micrograd import Value\nx = Value(0.0)\ny = x.log()\n")
    data = json.loads(cli("--export", "json", str(path)).stdout)
    assert data["nodes"][1]["data"] == "-inf"
    assert data["nodes"][0]["grad"] == "inf"


def test_export_markdown_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    out = cli("--export", "md", "-o", str(target), "scenarios/example.py")
    assert out.returncode == 0 and out.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# z = x·y + x²")
    assert "| 0 | `x` | leaf | 2.0 | 1.0 |" in text


def test_export_dot() -> None:
    out = cli("--export", "dot", "scenarios/example.py")
    assert out.stdout.startswith("digraph micrograd {")
    assert "x | data 2.0000 | grad 1.0000" in out.stdout
    assert "{ x*y | data -6.0000 | grad 1.0000 }" in out.stdout, "the app's name, not a blank"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "name a scenario file"),
        (("-o", "x.md", "scenarios/example.py"), "-o/--output goes with --export"),
        (("--timeout", "0", "scenarios/example.py"), "must be more than 0"),
        (("--max-nodes", "many", "scenarios/example.py"), "is not a number"),
        (("--export", "pdf", "scenarios/example.py"), "invalid choice"),
        (
            ("--export", "md", "-o", "/nonexistent/dir/x.md", "scenarios/example.py"),
            "/nonexistent/dir/x.md: cannot be written",
        ),
    ],
)
def test_bad_arguments_exit_2(args: tuple[str, ...], message: str) -> None:
    out = cli(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(("name", "line", "message"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_scenarios_give_one_line_and_exit_2(name: str, line: int | None, message: str) -> None:
    timeout, max_nodes = limits(name)
    path = bad_path(name)
    out = cli("--timeout", str(timeout), "--max-nodes", str(max_nodes), str(path))
    assert out.returncode == 2
    assert out.stdout == ""
    (only_line,) = out.stderr.splitlines()
    location = f"{path}:{line}" if line else str(path)
    assert only_line.startswith(f"micrograd-tui: error: {location}: ")
    assert message in only_line


@pytest.mark.parametrize("name", ODD_CASES)
def test_odd_but_valid_files_print_their_table(name: str) -> None:
    out = cli("--print", str(ODD / name))
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stdout + out.stderr
    assert "still here" not in out.stdout and "xxxxxxxx" not in out.stdout


def test_debug_shows_the_traceback_too() -> None:
    out = cli("--debug", str(BAD / "raises.py"))
    assert out.returncode == 2
    assert "Traceback" in out.stderr
    assert out.stderr.strip().splitlines()[-1].startswith("micrograd-tui: error:")


def test_an_unknown_name_suggests_the_list() -> None:
    out = cli("no_such_scenario")
    assert out.returncode == 2
    assert "no such file. Check the path, or run --list for bundled names" in out.stderr


def test_data_changed_after_building_is_one_note_on_stderr_and_the_held_values() -> None:
    out = cli("--export", "json", str(ODD / "data_changed_after_building.py"))
    assert out.returncode == 0
    (note,) = out.stderr.splitlines()
    assert (
        note.startswith("micrograd-tui: note: ") and "c holds -6.0 but its op gives -6.003" in note
    )
    data = json.loads(out.stdout)
    assert not any(step["kind"] == "forward" for step in data["steps"])
    assert {n["label"]: n["data"] for n in data["nodes"]}["c"] == -6.0


def test_a_pipe_gets_no_progress_line() -> None:
    out = cli("--print", "mlp")
    assert out.returncode == 0 and out.stderr == ""


def test_ctrl_c_while_a_scenario_runs_is_one_line_and_status_130_and_ends_its_worker() -> None:
    command = [sys.executable, "-m", "tui", "--print", str(BAD / "endless.py"), "--timeout", "60"]
    before = worker_processes()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 130
    assert err == b"micrograd-tui: interrupted\n" and out == b""
    time.sleep(0.2)
    assert not worker_processes() - before, "the scenario's worker ended with the command"


def test_an_export_on_stdout_holds_only_the_export_and_the_output_goes_to_stderr() -> None:
    out = cli("--export", "json", str(ODD / "writes_to_descriptors.py"))
    assert out.returncode == 0
    assert json.loads(out.stdout)["schema"] == "micrograd-tui/trace"
    for line in ("straight to descriptor 1", "from a shell", "to sys.__stdout__"):
        assert line in out.stderr


def test_dash_as_the_output_file_is_standard_output(tmp_path: Path) -> None:
    out = cli("--export", "dot", "scenarios/example.py", "-o", "-", cwd=ROOT)
    assert out.returncode == 0 and out.stdout.startswith("digraph micrograd {")
    assert not (ROOT / "-").exists()


def test_an_export_never_overwrites_the_scenario_itself(tmp_path: Path) -> None:
    scenario = tmp_path / "s.py"
    source = (ROOT / "scenarios" / "example.py").read_text()
    scenario.write_text(source)
    for target in (str(scenario), f"{tmp_path}/./s.py"):
        out = cli("--export", "json", str(scenario), "-o", target)
        assert out.returncode == 2 and out.stdout == ""
        assert "is the scenario itself" in out.stderr and out.stderr.count("\n") == 1
    assert scenario.read_text() == source


def test_the_print_of_a_big_graph_matches_the_markdown_export(tmp_path: Path) -> None:
    """--print builds its lines and its node table itself, as the Markdown does."""
    scenario = tmp_path / "chain.py"
    scenario.write_text(
        "from micrograd import Value\nx = Value(0.5, label='x')\ny = x\n"
        "for i in range(300):\n    y = y * 1.0001 + 0.001\n"
    )
    printed, markdown = cli("--print", str(scenario)), cli("--export", "md", str(scenario))
    assert printed.returncode == markdown.returncode == 0
    steps = re.findall(r"(?m)^ *\d+\. ", printed.stdout)
    numbered = re.findall(r"(?m)^\d+\. `", markdown.stdout)
    assert len(steps) == len(numbered) == 600 + 1 + 1200, "forward, seed, two edges an op"
    rows = re.findall(r"(?m)^\| (\d+) \| `([^`]*)` \| (\S+) \| (\S+) \| (\S+) \|$", markdown.stdout)
    table = printed.stdout[printed.stdout.index("\nnodes\n") :].splitlines()[3:]
    assert len(rows) == 1 + 600 + 600, "x, a constant and an op for each * and +"
    assert [line.split() for line in table] == [list(row) for row in rows]


def test_list_numbers_the_bundled_scenarios_in_lesson_order() -> None:
    out = cli("--list")
    names = [line.split()[1] for line in out.stdout.splitlines()]
    assert names[:4] == ["example", "gates", "activations", "neuron"]
    assert names[-3:] == ["own_value", "buggy_value", "torch_neuron"], "then on to PyTorch"
    assert out.stdout.splitlines()[0].startswith(" 1. example")


def test_opening_the_app_imports_nothing_it_only_needs_for_serving_or_trimming() -> None:
    """aiohttp and its kin, imported by every launch for --serve, took a sixth of a second
    of the 0.49 s a launch took; ctypes, for a worker's memory, another 10 ms."""
    probe = "import sys, tui.cli, tui.app; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert {"aiohttp", "jinja2", "textual_serve", "ctypes", "torch"}.isdisjoint(loaded)


def test_opening_the_app_imports_no_dialog_and_no_file_watcher() -> None:
    """What a launch does not show waits until it is wanted: the dialogs, the picker, the
    error and help screens, and watchfiles (which starts watching after the first frame)."""
    probe = "import sys, tui.cli, tui.app; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    later = {"watchfiles", "anyio"} | {
        f"tui.screens.{name}"
        for name in (
            "breakpoints",
            "edit",
            "error",
            "find",
            "help",
            "jump",
            "notes",
            "picker",
            "quiz",
        )
    }
    assert later.isdisjoint(loaded), later & set(loaded)
