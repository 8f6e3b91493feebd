"""A long load says what it is doing: the loader's phases, and the line a terminal shows
for --print and --export. A graph whose data changed after it was built is stepped
through with the values it holds."""

from __future__ import annotations

import io
from pathlib import Path

from tui.loading.scenario import load_scenario, record
from tui.text.progress import SHOW_AFTER, TerminalProgress, bar, progress_text

ROOT = Path(__file__).resolve().parents[2]
STALE = ROOT / "tests" / "odd_scenarios" / "data_changed_after_building.py"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_loader_tells_each_phase() -> None:
    phases: list[str] = []

    def told(what: str, done: int, total: int) -> None:
        if what not in phases:
            phases.append(what)

    scenario = load_scenario(ROOT / "scenarios" / "mlp.py", progress=told)
    record(scenario, forward=True, progress=told)
    assert phases == ["running", "checking", "forward", "backward"]


def test_progress_reads_as_a_phase_with_its_count() -> None:
    assert progress_text("backward", 12288, 68818) == (
        "Recording the backward pass: 12,288 of 68,818 steps"
    )
    assert progress_text("forward", 5, 9) == "Recording the forward pass: 5 of 9 nodes"
    assert progress_text("running", 0, 0) == "Running the scenario"
    assert bar(1, 4, 8) == "██░░░░░░" and bar(3, 0, 4) == "░░░░"


def test_a_terminal_sees_one_line_redrawn_in_place_only_for_a_slow_load() -> None:
    now = [0.0]
    stream = FakeTerminal()
    progress = TerminalProgress(stream, clock=lambda: now[0])
    progress("running", 0, 0)
    assert stream.getvalue() == "", "a quick load shows nothing"
    now[0] = SHOW_AFTER + 0.1
    progress("backward", 50, 100)
    assert stream.getvalue().startswith("\r\x1b[K████████████░░░░░░░░░░░░ Recording the backward")
    assert stream.getvalue().endswith("(0.6 s)") and "\n" not in stream.getvalue()
    progress("backward", 60, 100)
    assert stream.getvalue().count("\r") == 1, "redrawn at most every 0.1 s"
    progress("writing", 0, 0)
    assert stream.getvalue().endswith("Writing the export … (at 0.6 s)"), "a new phase at once"
    progress.finish()
    assert stream.getvalue().endswith("\r\x1b[K"), "the line is cleared at the end"


def test_a_stream_that_is_not_a_terminal_gets_nothing() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream, clock=lambda: 10.0)
    progress("backward", 5, 10)
    progress.finish()
    assert stream.getvalue() == ""


def test_data_changed_after_building_is_stepped_through_as_the_graph_holds_it() -> None:
    scenario = load_scenario(STALE)
    trace = record(scenario, forward=True)
    assert trace.forward_length == 0, "no forward phase: it would show other values"
    assert scenario.stale is not None
    names = {node.label: i for i, node in enumerate(scenario.nodes)}
    assert scenario.stale.node == names["c"]
    assert (scenario.stale.held, scenario.stale.computed) == (-6.0, 2.001 * -3.0)
    trace.seek(len(trace))
    assert trace.data(names["a"]) == 2.001 and trace.data(names["c"]) == -6.0
    assert trace.grad(names["b"]) == 2.001, "the grads a learner's backward() gives"
    assert [n.grad for n in scenario.nodes] == [trace.grad(i) for i in range(len(trace.nodes))]


def test_a_graph_whose_data_agrees_keeps_its_forward_phase() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "example.py")
    assert record(scenario, forward=True).forward_length > 0 and scenario.stale is None
