"""The teaching features through Pilot: forward phase, breakpoints, quiz, edit, hot reload."""

from __future__ import annotations

import gc
import math
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from micrograd import ChainStep, ForwardStep, SeedStep, Value
from tests.app.test_app import EXAMPLE, ROOT, graph_text, loaded
from tui.app import MicrogradApp
from tui.options import Options
from tui.screens.breakpoints import BreakpointsScreen
from tui.screens.debugger import DebuggerScreen
from tui.screens.edit import EditScreen
from tui.screens.quiz import QuizScreen
from tui.text.rules import flow_text
from tui.widgets.graph import GraphView
from tui.widgets.inspector import Inspector, describe_node
from tui.widgets.source import SourceView
from tui.widgets.steps import CurrentStep, StepLog

pytestmark = pytest.mark.slow

NEURON = ROOT / "scenarios" / "neuron.py"
QUIET = Options(watch=False)


async def debugger(pilot: Pilot[None]) -> DebuggerScreen:
    screen = await loaded(pilot)
    assert isinstance(screen, DebuggerScreen)
    return screen


async def until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 20) -> None:
    """Let the app run until ``condition`` holds (a worker finished, a file was noticed).

    The wait ends as soon as it holds; the limit only decides how long a broken
    app takes to fail. Replaying a training iteration took over 5 s once in CI
    on a busy two-core machine (1.5 s for the whole test when idle)."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out waiting for the app")


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*["minus" if c == "-" else "full_stop" if c == "." else c for c in text])


async def select(pilot: Pilot[None], screen: DebuggerScreen, name: str) -> int:
    """Put the graph's node cursor on the node called ``name``."""
    node = screen.view.names.index(name)
    screen.query_one(GraphView).select(node)
    await pilot.pause()
    return node


# Forward phase


async def test_the_timeline_starts_with_the_forward_phase() -> None:
    app = MicrogradApp(NEURON, options=QUIET)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await debugger(pilot)
        trace = screen.view.trace
        assert trace.forward_length == 5 and isinstance(trace.steps[0], ForwardStep)
        assert "forward pass" in screen.view.status()
        assert screen.view.record(trace.root) == "o │      · │ 0.0   ", "o's data: not yet"
        for _ in range(4):
            await pilot.press("right")
        assert "[n │ 0.8814*│" in graph_text(screen), "the data it just computed"
        step_text = screen.query_one(CurrentStep).text.plain
        assert "n = x1w1x2w2 + b = -6.0 + 6.8814 = 0.8814" in step_text
        assert "the grads wait for the backward pass" in step_text, "the forward phase says so"
        await pilot.press("right", "right")
        assert "backward pass" in screen.view.status() and trace.grad(trace.root) == 1.0
        for _ in range(6):
            await pilot.press("left")
        assert screen.view.record(trace.root).startswith("o │      · │"), "un-computed again"


async def test_f_and_backward_only_leave_the_forward_phase_out() -> None:
    app = MicrogradApp(NEURON, options=Options(forward=False, watch=False))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await debugger(pilot)
        assert screen.view.trace.forward_length == 0
        assert isinstance(screen.view.trace.steps[0], SeedStep)
        await pilot.press("right", "right", "right")
        seen = screen.view.trace.current
        await pilot.press("f")
        await until(pilot, lambda: screen.view.trace.forward_length == 5)
        assert screen.position == 8 and screen.view.trace.current == seen, "same backward step"
        await pilot.press("f")
        await until(pilot, lambda: screen.view.trace.forward_length == 0)
        assert screen.position == 3 and app.lesson.forward is False


# Breakpoints


async def test_breakpoints_stop_continue_both_ways_and_list() -> None:
    app = MicrogradApp(NEURON, options=QUIET)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await debugger(pilot)
        await pilot.press("c")
        assert screen.position == 0, "no breakpoints yet: c does nothing"
        x1 = await select(pilot, screen, "x1w1")
        await pilot.press("b")
        assert "●" in screen.view.record(x1) and app.lesson.breakpoints == {("x1w1", 0)}
        steps = screen.view.trace.steps
        hits = [i + 1 for i, step in enumerate(steps) if step.target == x1]
        assert len(hits) == 2, "x1w1 has its data computed, then its grad"
        await pilot.press("c")
        assert screen.position == hits[0]
        await pilot.press("c")
        assert screen.position == hits[1]
        await pilot.press("c")
        assert screen.position == hits[1], "no later step changes x1w1"
        await pilot.press("C")
        assert screen.position == hits[0]
        await pilot.press("C")
        assert screen.position == hits[0]
        await pilot.press("B")
        assert isinstance(app.screen, BreakpointsScreen)
        await pilot.press("d")
        assert app.lesson.breakpoints == set()
        await pilot.press("escape")
        assert app.screen is screen and "●" not in screen.view.record(x1)


async def test_a_breakpoint_is_on_one_node_even_where_constants_share_a_value(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.py"
    path.write_text(
        "from micrograd import Value\nx = Value(2.0, label='x')\ny = x * 3.0 + x * 3.0\n"
    )
    app = MicrogradApp(path, options=QUIET)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await debugger(pilot)
        constants = [i for i, name in enumerate(screen.view.names) if name == "3.0"]
        assert len(constants) == 2
        screen.view.toggle_breakpoint(constants[1])
        assert screen.view.breakpoint_nodes() == [constants[1]], "one node, not every 3.0"
        await pilot.press("B")
        options = app.screen.query_one(OptionList)
        assert options.option_count == 1
        assert str(options.get_option_at_index(0).prompt).startswith(
            f"● 3.0  (node {constants[1]})"
        )
        await pilot.press("escape")
        path.write_text(
            "from micrograd import Value\nx = Value(5.0, label='x')\ny = x * 3.0 + x * 3.0\n"
        )
        await pilot.press("r")
        await until(pilot, lambda: screen.view.trace.starting_data(0) == 5.0)
        assert screen.view.breakpoint_nodes() == [constants[1]], "the same node after a reload"


async def test_a_breakpoint_on_the_inspected_node_and_survives_a_reload(tmp_path: Path) -> None:
    path = tmp_path / "s.py"
    path.write_text("from micrograd import Value\nx = Value(2.0, label='x')\ny = x * x\n")
    app = MicrogradApp(path, options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        await pilot.press("right")
        await pilot.press("b")
        assert app.lesson.breakpoints == {("y", 0)}, "no cursor: the node the step changed"
        path.write_text("from micrograd import Value\nx = Value(3.0, label='x')\ny = x * x\n")
        await pilot.press("r")
        await until(pilot, lambda: screen.view.trace.starting_data(0) == 3.0)
        assert screen.view.breakpoint_nodes() == [1]
        await pilot.press("home", "c")
        assert screen.position == 1


# Quiz


async def test_quiz_asks_marks_and_keeps_the_score() -> None:
    app = MicrogradApp(EXAMPLE, options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        await pilot.press("t")
        assert app.lesson.quiz
        assert "quiz 0✓ 0✗ 0 skipped" in str(screen.query_one("#status").render())
        await pilot.press("right")
        assert isinstance(app.screen, QuizScreen) and screen.position == 0, "not revealed yet"
        assert "x*y" in app.screen.question.asks_for
        await type_text(pilot, "-6")
        await pilot.press("enter")
        feedback = str(app.screen.query_one("#quiz-feedback").render())
        assert "Right" in feedback and "2.0·(-3.0) = -6.0" in feedback
        await pilot.press("enter")
        assert app.screen is screen and screen.position == 1
        await pilot.press("right")
        await type_text(pilot, "5")
        await pilot.press("enter")
        assert "the answer is 4.0" in str(app.screen.query_one("#quiz-feedback").render())
        await pilot.press("enter")
        await pilot.press("right", "enter", "enter")  # an empty answer skips
        assert screen.position == 3
        assert (app.lesson.score.right, app.lesson.score.wrong, app.lesson.score.skipped) == (
            1,
            1,
            1,
        )
        assert "quiz 1✓ 1✗ 1 skipped" in str(screen.query_one("#status").render())


async def test_quiz_rejects_a_bad_entry_and_esc_keeps_the_step_hidden() -> None:
    app = MicrogradApp(EXAMPLE, options=Options(quiz=True, watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        await pilot.press("right")
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        await pilot.press("a", "b", "c", "enter")
        assert quiz.verdict is None
        assert app.screen is quiz
        assert "'abc' is not a number" in str(quiz.query_one("#quiz-feedback").render())
        await pilot.press("escape")
        assert app.screen is screen and screen.position == 0
        assert str(app.lesson.score) == "0 right, 0 wrong, 0 skipped"


async def test_quiz_keeps_unanswered_steps_hidden_but_revisits_answered_ones() -> None:
    app = MicrogradApp(EXAMPLE, options=Options(quiz=True, watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        await pilot.press("end")
        assert screen.position == 0, "End cannot jump over unanswered steps"
        assert screen.check_action("play", ()) is None, "no autoplay in quiz mode"
        await pilot.press("right", "enter", "enter", "right", "enter", "enter")
        assert screen.position == 2
        await pilot.press("left", "left", "right", "right")
        assert screen.position == 2 and app.screen is screen, "already answered: no question"
        await pilot.press("t", "t", "end")  # every step, backward only, then off
        assert screen.position == len(screen.view.trace), "quiz off: End goes to the end"


async def test_quiz_answers_for_the_backward_pass_are_the_new_grads() -> None:
    app = MicrogradApp(EXAMPLE, options=Options(forward=False, quiz=True, watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        await pilot.press("right", "1", "enter", "enter")
        for expected in ("1", "1", "4", "1", "2"):
            await pilot.press("right")
            quiz = app.screen
            assert isinstance(quiz, QuizScreen)
            await type_text(pilot, expected)
            await pilot.press("enter")
            assert quiz.verdict == "right", (quiz.question, expected)
            await pilot.press("enter")
        assert screen.position == 6 and app.lesson.score.right == 6


# Edit and recompute


async def test_editing_a_leaf_recomputes_and_keeps_the_step(tmp_path: Path) -> None:
    source = EXAMPLE.read_text()
    path = tmp_path / "example.py"
    path.write_text(source)
    app = MicrogradApp(path, options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        for _ in range(6):
            await pilot.press("right")
        old_trace = screen.view.trace
        await select(pilot, screen, "x")
        await pilot.press("e")
        assert isinstance(app.screen, EditScreen)
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "3")
        await pilot.press("enter")
        await until(pilot, lambda: screen.view.trace is not old_trace)
        trace = screen.view.trace
        assert screen.position == 6 and trace.position == 6
        x, y = Value(3.0), Value(-3.0)
        z = x * y + x**2
        z.backward()
        trace.seek(len(trace))
        assert trace.data(trace.root) == z.data == 0.0
        assert trace.grad(0) == x.grad and trace.grad(1) == y.grad, "leaf grads not doubled"
        assert path.read_text() == source, "the file is never written"


async def test_editing_rejects_a_non_leaf_and_a_bad_number() -> None:
    app = MicrogradApp(EXAMPLE, options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        await select(pilot, screen, "x*y")
        await pilot.press("e")
        assert app.screen is screen, "x*y is computed: no editor"
        await select(pilot, screen, "y")
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, EditScreen)
        editor.query_one(Input).value = "abc"
        await pilot.press("enter")
        assert app.screen is editor
        assert "'abc' is not a number" in str(editor.query_one("#edit-error").render())
        await pilot.press("escape")
        assert app.screen is screen and screen.view.trace.data(1) == -3.0


# Hot reload


SQUARE = "from micrograd import Value\nx = Value({}, label='x')\ny = x * x\n"


async def test_saving_the_file_reloads_it_and_keeps_the_step(tmp_path: Path) -> None:
    path = tmp_path / "s.py"
    path.write_text(SQUARE.format(2.0))
    app = MicrogradApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        await pilot.press("right", "right")
        await pilot.pause(0.3)  # let the watcher start
        path.write_text(SQUARE.format(5.0))
        await until(pilot, lambda: screen.view.trace.starting_data(0) == 5.0)
        assert screen.position == 2 and app.screen is screen


async def test_a_broken_save_keeps_the_last_good_graph_with_a_banner(tmp_path: Path) -> None:
    path = tmp_path / "s.py"
    path.write_text(SQUARE.format(2.0))
    app = MicrogradApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        await pilot.press("right")
        await pilot.pause(0.3)
        path.write_text("from micrograd import Value\nx = Value(2.0\n")
        await until(pilot, lambda: screen.has_class("-problem"))
        banner = str(screen.query_one("#banner").render())
        assert "s.py:2" in banner and "SyntaxError" in banner
        assert app.screen is screen and screen.position == 1, "the last good graph stays"
        await pilot.press("right")
        assert screen.position == 2, "and can still be stepped"
        path.write_text(SQUARE.format(7.0))
        await until(pilot, lambda: not screen.has_class("-problem"))
        assert screen.view.trace.starting_data(0) == 7.0 and screen.position == 2


async def test_a_reload_into_another_shape_starts_again(tmp_path: Path) -> None:
    path = tmp_path / "s.py"
    path.write_text(SQUARE.format(2.0))
    app = MicrogradApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        await pilot.press("right", "right")
        await pilot.pause(0.3)
        path.write_text(SQUARE.format(2.0) + "z = y.tanh()\n")
        await until(pilot, lambda: screen.view.size == 3)
        assert screen.position == 0


async def test_no_watch_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "s.py"
    path.write_text(SQUARE.format(2.0))
    app = MicrogradApp(path, options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        path.write_text(SQUARE.format(5.0))
        await pilot.pause(1.0)
        assert screen.view.trace.starting_data(0) == 2.0
        assert not math.isnan(screen.view.trace.data(0))


async def test_when_watching_fails_the_app_says_so_and_r_still_reloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_watching(*args: object, **kwargs: object) -> object:
        raise OSError("inotify watch limit reached")

    monkeypatch.setattr("watchfiles.awatch", no_watching)
    path = tmp_path / "s.py"
    path.write_text(SQUARE.format(2.0))
    app = MicrogradApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        await until(pilot, lambda: any("Stopped watching" in n.message for n in app._notifications))
        path.write_text(SQUARE.format(5.0))
        await pilot.press("r")
        await until(pilot, lambda: screen.view.trace.starting_data(0) == 5.0)


@pytest.mark.parametrize("size", [(20, 5), (60, 16), (250, 80)])
async def test_the_teaching_dialogs_draw_at_any_size(size: tuple[int, int]) -> None:
    app = MicrogradApp(NEURON, options=QUIET)
    async with app.run_test(size=size) as pilot:
        screen = await debugger(pilot)
        for opens, closes in [("t right", "escape t"), ("down e", "escape"), ("b B", "escape")]:
            await pilot.press(*opens.split())
            assert app.screen is not screen, opens
            await pilot.resize_terminal(size[0] + 1, size[1] + 1)
            await pilot.resize_terminal(*size)
            await pilot.press(*closes.split())
            assert app.screen is screen


async def test_a_trace_on_show_is_left_out_of_collections_and_freed_after_two_reloads() -> None:
    """Full collections walked a big trace and hung a key, so a load sets what is alive
    aside; the next load takes it back and collects, so a trace no longer on show is
    freed.
    """
    app = MicrogradApp(ROOT / "scenarios" / "own_value.py", options=Options(watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        first = weakref.ref(screen.view.trace)
        assert gc.get_freeze_count() > len(screen.view.trace.steps)
        for _ in range(2):  # the trace on show while a load ends is set aside with it

            def replaced(shown: int = id(screen.view)) -> bool:
                return id(screen.view) != shown

            await pilot.press("r")
            await until(pilot, replaced)
        assert first() is None
    assert gc.get_freeze_count() == 0, "everything is given back when the app closes"


async def test_u_goes_through_every_step_that_adds_to_a_shared_weight_s_grad() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "mlp.py", options=QUIET)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await debugger(pilot)
        weight = screen.view.names.index("L0.n0.w0")
        additions = screen.view.additions(weight)
        assert len(additions) == 4, "one use per sample"
        screen.pinned = weight
        rows = dict(describe_node(screen.view, weight, pinned=True))
        assert str(rows["adds at"]) == (
            f"steps {', '.join(map(str, additions))} (u and U go to them)"
        )
        for position in additions:
            await pilot.press("u")
            assert screen.position == position and screen.pinned == weight
        await pilot.press("u")
        assert screen.position == additions[-1], "no later use: it stays"
        await pilot.press("U")
        assert screen.position == additions[-2]


async def test_t_cycles_the_quiz_through_every_step_backward_only_and_off() -> None:
    app = MicrogradApp(NEURON, options=QUIET)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await debugger(pilot)
        await pilot.press("t", "t")
        assert app.lesson.quiz and not app.lesson.quiz_forward
        forward = screen.view.trace.forward_length
        for _ in range(forward):
            await pilot.press("right")
            assert not isinstance(app.screen, QuizScreen), "forward steps are shown, not asked"
        assert screen.position == forward
        await pilot.press("right")
        assert isinstance(app.screen, QuizScreen), "the seed is asked"
        await pilot.press("escape")
        await pilot.press("t")
        assert not app.lesson.quiz and app.lesson.quiz_forward


async def test_a_forward_quiz_shows_a_tanh_rather_than_ask_it() -> None:
    app = MicrogradApp(NEURON, options=Options(watch=False, quiz=True))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await debugger(pilot)
        tanh = next(
            i for i, s in enumerate(screen.view.trace.steps) if getattr(s, "op", "") == "tanh"
        )
        screen.gate.reveal(tanh)
        screen.position = tanh
        await pilot.pause()
        await pilot.press("right")
        assert not isinstance(app.screen, QuizScreen) and screen.position == tanh + 1


async def test_in_a_quiz_the_gradient_check_keeps_the_buggy_node_to_itself_until_reached() -> None:
    app = MicrogradApp(
        ROOT / "scenarios" / "buggy_value.py", options=Options(watch=False, quiz=True)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await debugger(pilot)
        check = str(screen.query_one("#check").render())
        assert "one node's _backward() is wrong. Which?" in check
        assert "the first wrong node is" not in check
        wrong = screen.view.wrong_step()
        assert wrong is not None
        await pilot.press("w")
        assert "the first wrong node is" in str(screen.query_one("#check").render())
        assert screen.position == 0, "the quiz still holds the steps not answered"
        screen.check_asked = False
        screen.gate.reveal(wrong)
        screen.position = wrong - 1
        await pilot.pause()
        assert "Which?" in str(screen.query_one("#check").render()), "not there yet"
        screen.position = wrong
        await pilot.pause()
        assert "the first wrong node is" in str(screen.query_one("#check").render())
        screen.check_asked = False
        screen.position = 0
        await pilot.pause()
        assert "Which?" in str(screen.query_one("#check").render())
        await pilot.press("t", "t")  # backward only, then off
        assert "the first wrong node is" in str(screen.query_one("#check").render())


def source_rows(screen: DebuggerScreen) -> list[str]:
    source = screen.query_one(SourceView)
    return [source.render_line(y).text for y in range(source.scrollable_content_region.height)]


async def test_s_shows_the_code_with_the_line_that_built_the_step_s_node_marked() -> None:
    app = MicrogradApp(NEURON, options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        source, inspector = screen.query_one(SourceView), screen.query_one(Inspector)
        assert not source.display and inspector.display  # at 80 columns: off, and s swaps
        await pilot.press("s", *["right"] * 3)  # step 3: x1w1x2w2 = x1w1 + x2w2
        assert source.display and not inspector.display
        marked = [row for row in source_rows(screen) if "▶" in row]
        assert marked == [row for row in marked if "x1w1x2w2 = x1w1 + x2w2" in row] != []
        assert str(source.border_title) == "neuron.py: line 22"
        await pilot.press("G")  # the last step: x1w1 = x1 * w1 passes its grad back to w1
        assert screen.view.names[screen.view.sender() or 0] == "x1w1"
        assert any("▶ x1w1 = x1 * w1" in row for row in source_rows(screen))
        assert str(source.border_title) == "neuron.py: line 20"
        await pilot.press("s")
        assert not source.display and inspector.display


async def test_a_wide_terminal_shows_the_code_beside_the_inspector_from_the_start() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "mlp.py", options=QUIET)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await debugger(pilot)
        await pilot.press(*["right"] * 5)
        source = screen.query_one(SourceView)
        assert source.display and screen.query_one(Inspector).display
        assert any("▶ predictions = [model(x) for x in xs]" in row for row in source_rows(screen))
        name = screen.view.names[screen.view.source_node()]
        assert str(source.border_subtitle) == f"{name}, inside micrograd.nn"


async def test_the_step_s_edge_is_drawn_heavy_with_its_direction_and_numbers() -> None:
    app = MicrogradApp(NEURON, options=QUIET)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await debugger(pilot)
        await pilot.press(*["right"] * 3)  # forward: x1w1x2w2 = x1w1 + x2w2
        drawing = graph_text(screen)
        assert "▶(+)" in drawing and "◀" not in drawing and "┃" in drawing
        await pilot.press("end", *["left"] * 6)  # backward: b.grad += ∂n/∂b · n.grad
        step = screen.view.trace.current
        assert isinstance(step, ChainStep) and screen.view.names[step.operand] == "b"
        rows = graph_text(screen).splitlines()
        b_row = next(i for i, row in enumerate(rows) if "[b │" in row)
        assert "]◀━" in rows[b_row]
        assert flow_text(step) == "+= 1.0·0.5 = 0.5" and flow_text(step) in rows[b_row + 1]
        await pilot.press("g")  # before any step: no edge is the step's
        assert not any(glyph in graph_text(screen) for glyph in "◀▶┃━")


async def test_the_backward_pass_shows_which_nodes_are_ready_and_which_wait() -> None:
    app = MicrogradApp(EXAMPLE, options=Options(forward=False, watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        log = screen.query_one(StepLog)
        assert log.border_title is None  # step 0: nothing is in the queue yet
        await pilot.press(*["right"] * 4)  # x.grad has 1 of its 2 contributions
        assert str(log.border_title).startswith("ready: (x*y) │ waiting: x (1 of 2 in)")
