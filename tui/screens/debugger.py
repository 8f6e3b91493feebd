"""DebuggerScreen: the graph, the inspector and the step panel, driven by the keyboard.

The screen reads as a table of contents: the panels it composes, how it shows
a trace, then its actions, each a few lines that hand the work to a helper.
Every move of the cursor goes through ``_go``, so quiz mode's ``QuizGate``
(new steps stay hidden until answered) and ``Autoplay`` see them all; which
keys can act is ``availability``'s answer; loads and rebuilds are asked of
the app by message. Its dialogs are imported when first opened: a launch does
not wait for them.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.classroom import ClassState
from tui.messages import (
    BackRequested,
    IterationRequested,
    LoadRequested,
    RebuildRequested,
    StateChanged,
)
from tui.screens.autoplay import Autoplay
from tui.text.quiz import is_asked, question
from tui.text.visible import visible
from tui.view.availability import Moment, availability
from tui.view.lesson import Lesson
from tui.view.quiz_gate import QuizGate
from tui.view.trace_view import TraceView
from tui.widgets.graph import GraphView
from tui.widgets.inspector import Inspector
from tui.widgets.loss import LossCurve
from tui.widgets.node_list import NodeList
from tui.widgets.outline import OutlineView
from tui.widgets.source import SourceView
from tui.widgets.steps import StepPanel

MIN_WIDTH, MIN_HEIGHT = 60, 16
WIDE = 120
"""From this width the source panel fits beside the inspector, and starts shown."""


CHECK_HIDDEN = (
    "✗ Gradient check: one node's _backward() is wrong. Which? Step through and answer; "
    "it shows when you reach it (w goes there)"
)


class DebuggerScreen(Screen[None]):
    """Step forward and back through one scenario's forward and backward passes."""

    # Priority keys are handled as they arrive, ahead of keys queued for the
    # focused widget; the keys that change what → does (t, f, e) are priority
    # too, so a quick "t →" can never step before quiz mode is on.
    BINDINGS = [
        Binding("right,l,n", "next", "Next", priority=True, id="next",
                tooltip="next step: compute one node's data, or apply one chain-rule step"),
        Binding("left,h,p", "previous", "Prev", priority=True, id="previous",
                tooltip="previous step: restore the value exactly as it was"),
        Binding("home,g", "first", "First", show=False, priority=True, id="first",
                tooltip="first step (nothing computed yet)"),
        Binding("end,G", "last", "Last", show=False, priority=True, id="last",
                tooltip="last step (the grads backward() gives)"),
        Binding("space", "play", "Play", key_display="␣", priority=True, id="play",
                tooltip="autoplay or pause"),
        Binding("plus,equals_sign", "faster", "Faster", show=False, id="faster",
                tooltip="autoplay faster"),
        Binding("minus", "slower", "Slower", show=False, id="slower",
                tooltip="autoplay slower"),
        Binding("colon", "jump", "Jump", show=False, id="jump",
                tooltip="jump to a step number"),
        Binding("b", "breakpoint", "Break", priority=True, id="breakpoint",
                tooltip="breakpoint on the selected node, or clear it"),
        Binding("c", "continue", "Continue", priority=True, id="continue",
                tooltip="run forward to the next step that changes a node with a breakpoint"),
        Binding("C", "continue_back", "Back to break", show=False, priority=True,
                id="continue-back",
                tooltip="run back to the last step that changed a node with a breakpoint"),
        Binding("B", "breakpoints", "Breakpoints", show=False, priority=True, id="breakpoints",
                tooltip="list the breakpoints: enter inspects one, d clears it"),
        Binding("u", "addition(1)", "Next use", show=False, priority=True, id="next-use",
                tooltip="the next step that adds to the selected node's grad (one per use)"),
        Binding("U", "addition(-1)", "Previous use", show=False, priority=True,
                id="previous-use",
                tooltip="the last step before this one that added to the selected node's grad"),
        Binding("t", "quiz", "Quiz", priority=True, id="quiz",
                tooltip="quiz mode: answer each new step's value before it is shown; again for "
                "the backward pass only, again for off (also --quiz, --quiz backward)"),
        Binding("e", "edit", "Edit", priority=True, id="edit",
                tooltip="edit the selected leaf's value and recompute, in memory only"),
        Binding("f", "forward", "Forward", priority=True, id="forward",
                tooltip="add or leave out the forward phase (also --backward-only)"),
        Binding("w", "wrong", "Wrong step", priority=True, id="wrong",
                tooltip="your own Value class: go to the step the gradient check found wrong"),
        Binding("right_square_bracket", "iteration(1)", "Iter", key_display="]", priority=True,
                id="next-iteration",
                tooltip="training scenarios: next iteration (→ at the end crosses too)"),
        Binding("left_square_bracket", "iteration(-1)", "Iter back", show=False,
                priority=True, id="previous-iteration",
                tooltip="training scenarios: previous iteration (← at the start crosses too)"),
        Binding("tab", "app.focus_next", "Next panel", show=False, id="next-panel",
                tooltip="move between the graph, the step log and the inspector"),
        Binding("slash", "find", "Find", show=False, id="find",
                tooltip="find a node by name"),
        Binding("escape", "unpin", "Follow step", show=False, id="unpin",
                tooltip="let the inspector follow the current step again"),
        Binding("o", "outline", "Outline", show=False, id="outline",
                tooltip="switch between the drawing and an outline of the whole graph"),
        Binding("s", "source", "Source", show=False, id="source",
                tooltip="show or hide the scenario's code, with the line that built the "
                "step's node marked"),
        Binding("x", "neuron", "Neuron", show=False, id="neuron",
                tooltip="draw the micrograd.nn neuron of the selected node as one box, or "
                "open it again"),
        Binding("X", "neurons", "All neurons", show=False, id="neurons",
                tooltip="collapse every neuron into a box, or open them all"),
        Binding("z", "zoom", "Zoom", show=False, id="zoom",
                tooltip="give the graph (or the outline) the whole screen, and back"),
        Binding("N", "notes", "Notes", show=False, id="notes",
                tooltip="the scenario's teaching notes, and anything it printed"),
        Binding("F", "follow", "Follow", priority=True, id="follow",
                tooltip="following a class (--follow): go back to the teacher's step"),
        Binding("q", "back", "Back", id="back",
                tooltip="a scenario opened from the picker: back to the picker (q there quits)"),
        Binding("r", "reload", "Reload", show=False, id="reload",
                tooltip="reload the scenario file, keeping the step (saving the file does it "
                "too)"),
    ]  # fmt: skip

    # The screen's state is held in ``var``s, not ``reactive``s: a reactive
    # repaints its owner when it changes, and repainting the screen made every
    # step recompose the whole terminal (a third of a step's cost at 10^4
    # nodes); the watchers update just the panels that change.

    position: var[int] = var(0)
    """Steps applied so far; mirrors the trace's cursor and refreshes every panel.

    Not ``bindings=True``: refreshing the bindings rebuilds the footer, which
    cost more than the step itself, so ``watch_position`` refreshes them only
    when a key's availability changes (leaving or reaching either end)."""

    playing: var[bool] = var(False, bindings=True)
    """Whether autoplay is stepping forward on a timer."""

    outline: var[bool] = var(False)
    """Whether the whole-graph outline replaces the drawing."""

    following: var[bool] = var(True)
    """For a follower (``--follow``): whether the screen goes where the teacher is, or the
    student left to explore (any move does; F follows again)."""

    link: var[str] = var("")
    """For a follower, the link to the teacher: "connected", "waiting" or "gone"; for a
    teacher, the line that says how students follow."""

    source: var[bool] = var(False)
    """Whether the source panel is shown: beside the inspector on a wide terminal, in its
    place on a narrow one. It starts shown where there is room (``WIDE``)."""

    zoomed: var[bool] = var(False)
    """Whether the graph panel has the whole screen, the step and inspector panels hidden."""

    pinned: var[int | None] = var(None)
    """A node the learner chose to inspect; None means the inspector follows the step."""

    problem: var[str] = var("")
    """What went wrong loading the file again, shown in a banner over the last good graph
    (empty when nothing did); the app sets it."""

    check_asked: var[bool] = var(False)
    """Whether the learner asked (w) for the gradient check's wrong step, which a quiz
    keeps to itself until then."""

    # Showing a trace

    def __init__(
        self,
        view: TraceView,
        position: int = 0,
        lesson: Lesson | None = None,
        from_picker: bool = False,
        role: str = "",
    ) -> None:
        super().__init__()
        self.view = view
        self.from_picker = from_picker
        """Whether the scenario was chosen in the picker: then q goes back to it."""
        self.role = role
        """"teach" when followers follow this screen, "follow" when it follows a teacher."""
        self.teacher: ClassState | None = None
        """Where the teacher was last heard to be (a follower's)."""
        self._announced: ClassState | None = None
        self._applying = False
        self._asking = False
        self.edits: list[tuple[str, int, float]] = []
        """The leaves set by hand (e) since the file was loaded: identity and data."""
        self.lesson = lesson or Lesson(forward=view.trace.forward_length > 0)
        self._start = position
        self.gate = QuizGate(position)
        self.autoplay = Autoplay(self, self._play_step)

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield Static(id="class")
        yield Static(id="banner")
        yield Static(id="check")
        with Vertical(id="main"):
            yield GraphView(id="graph")
            yield OutlineView(id="outline")
            with Horizontal(id="lower"):
                yield StepPanel(id="steps")
                yield Inspector(id="inspector")
                yield SourceView(id="source")
        yield LossCurve(id="loss")
        yield Static(
            f"The terminal is too small: make it at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            id="too-small",
        )
        yield Footer(compact=True)

    def _show_check(self) -> None:
        """The line under the header: what the load noticed about the graph's data, and for
        a learner's own Value class the gradient check's verdict."""
        verdict = self.view.check_text()
        wrong = self.view.wrong_step()
        if wrong is not None and self._check_hidden(wrong):
            verdict = CHECK_HIDDEN
        elif wrong is not None:
            verdict += "  (w goes to that step)"
        remark = "\n".join(text for text in (self.view.notice, verdict) if text)
        self.set_class(bool(remark), "-remark")
        self.query_one("#check", Static).update(Content(visible(remark)))

    def _check_hidden(self, wrong: int) -> bool:
        """In quiz mode the check's verdict would give the puzzle away: it waits until the
        learner reaches the wrong step, or asks with w."""
        return self.lesson.quiz and self.position < wrong and not self.check_asked

    def _show_training(self) -> None:
        """For a training scenario: the loss curve with this iteration marked."""
        losses = self.view.scenario.losses
        self.set_class(losses is not None, "-training")
        if losses is not None:
            self.query_one(LossCurve).show(losses, self.view.iteration)

    def on_mount(self) -> None:
        self.source = self.size.width >= WIDE
        self._show_training()
        self._show_check()
        self.query_one(GraphView).show(self.view)
        self.query_one(OutlineView).show(self.view)
        self.view.trace.seek(self._start)
        self.position = self.view.trace.position
        self.sync()
        self.query_one(GraphView).focus()
        self.call_after_refresh(self._join_the_class)

    def _join_the_class(self) -> None:
        """Once mounted: a teacher's screen shows how to follow it, a follower's goes where
        the teacher was last heard to be."""
        self.watch_link(self.link)
        self._announce()
        self.follow()

    def show(self, view: TraceView, position: int, reloaded: bool = False) -> None:
        """Replace the trace on show (after a reload, an edit or a change of phase),
        keeping the panels, the pinned node (by name) and the focus; a file ``reloaded``
        has none of the leaves set by hand before."""
        if reloaded:
            self.edits.clear()
        pinned = self.view.names[self.pinned] if self.pinned is not None else None
        self.view = view
        self.playing = False
        view.trace.seek(position)
        self.query_one(GraphView).show(view)
        self.query_one(OutlineView).show(view)
        self.pinned = view.names.index(pinned) if pinned in view.names else None
        self.gate.restart(view.trace.position)
        self.position = view.trace.position
        self._show_check()
        self._show_training()
        self.refresh_bindings()
        self.sync()
        self.follow()  # a change of iteration or phase asked for the teacher's is done

    def watch_problem(self, problem: str) -> None:
        if problem:
            self.query_one("#banner", Static).update(Content(visible(f"⚠ {problem}")))
        self.set_class(bool(problem), "-problem")

    def on_screen_suspend(self) -> None:
        """A dialog opens over the debugger: what was announced is done with (the
        stylesheet hides it meanwhile), so it does not come back when the dialog closes."""
        self.app.clear_notifications()

    def on_resize(self) -> None:
        small = self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT
        self.set_class(small, "-too-small")
        self.set_class(self.size.width < WIDE, "-narrow")

    def sync(self) -> None:
        """Redraw every panel for the trace's cursor."""
        status = self.view.status()
        if self.lesson.quiz:
            status = f"quiz {self.lesson.score.short()} │ {status}"
        if self.role == "follow":
            status = f"{self._following_text()} │ {status}"
        self.query_one("#status", Static).update(Content(visible(status)), layout=False)
        self.query_one(GraphView).sync()
        self.query_one(OutlineView).sync()
        self.query_one(StepPanel).sync(self.view)
        self._show_inspector()
        if self.source:
            self.query_one(SourceView).sync(self.view)
        if self.view.check is not None and self.lesson.quiz:  # shown once the step is reached
            self._show_check()
        self._announce()

    def _show_inspector(self) -> None:
        node = self.pinned if self.pinned is not None else self.view.focus_nodes()[-1]
        self.query_one(Inspector).show(self.view, node, pinned=self.pinned is not None)

    def watch_position(self, old: int, position: int) -> None:
        end = len(self.view.trace)
        if (old == 0) != (position == 0) or (old == end) != (position == end):
            self.refresh_bindings()
        if self.view.trace.position != position:
            self.view.trace.seek(position)
        if self.is_mounted:
            self.sync()
        if self.playing and position == len(self.view.trace):
            self.playing = False

    def watch_pinned(self) -> None:
        if self.is_mounted:
            self._show_inspector()
            self._announce()

    # Moving through the steps

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim the keys that cannot act (no previous step at 0) and hide those that mean
        nothing for this scenario; q is the app's quit unless there is a picker to go back
        to."""
        if action == "back":
            return self.from_picker
        if action in ("neuron", "neurons"):
            return self.view.has_neurons
        if action == "follow":
            return self.role == "follow" and not self.following
        now = Moment(
            self.view, self.position, self.playing, self.lesson.quiz, self.pinned is not None
        )
        return availability(action, parameters, now)

    def _go(self, position: int, leave: bool = True) -> None:
        """Move the cursor; in quiz mode, never past the steps already shown. A follower
        who moves leaves the teacher to explore (``leave``), unless the move is the
        teacher's."""
        if leave:
            self._explore()
        wanted = max(0, min(position, len(self.view.trace)))
        position = self.gate.clamp(self.position, wanted, self.lesson.quiz)
        if position < wanted:
            self.notify(
                "Quiz mode: answer or skip each new step with → (t leaves quiz mode)",
                severity="warning",
                timeout=3,
            )
        self.position = position
        self.gate.reveal(position)

    def action_next(self) -> None:
        if self.position == len(self.view.trace) and self.view.scenario.is_training:
            self.action_iteration(1)
        elif self.gate.asks(self.position, self.lesson.quiz) and not self.playing:
            self._ask()
        else:
            self._go(self.position + 1)

    def action_previous(self) -> None:
        if self.position == 0 and self.view.iteration > 0:
            self._open_iteration(self.view.iteration - 1, at_end=True)
        else:
            self._go(self.position - 1)

    def action_iteration(self, step: int) -> None:
        """Move a whole training iteration forward or back, to its first step."""
        target = self.view.iteration + step
        if 0 <= target < self.view.iterations:
            self._open_iteration(target, at_end=False)

    def _open_iteration(self, iteration: int, at_end: bool) -> None:
        self._explore()
        self.playing = False
        self.post_message(IterationRequested(self.view, iteration, at_end))

    def action_first(self) -> None:
        self._go(0)

    def action_last(self) -> None:
        self._go(len(self.view.trace))

    def action_jump(self) -> None:
        from tui.screens.jump import JumpScreen

        def jump(step: int | None) -> None:
            if step is not None:
                self._go(step)

        self.app.push_screen(JumpScreen(len(self.view.trace)), jump)

    # Quiz mode

    def _ask(self, leave: bool = True) -> None:
        """Quiz the learner on the next step; it is shown once answered or skipped. A step
        the quiz leaves out (a forward step in a backward-only quiz, or one that needs a
        calculator) is shown at once. A follower is asked the teacher's next step
        (``leave`` False: answering keeps following, and the teacher's next is asked)."""
        from tui.screens.quiz import QuizScreen

        view, index = self.view, self.position
        if index >= len(view.trace):
            return
        if not is_asked(view.trace, index, self.lesson.quiz_forward):
            self.gate.reveal(index + 1)
            self._go(index + 1, leave)
            self.sync()
            return

        def answered(verdict: str | None) -> None:
            self._asking = False
            if verdict is None or self.view is not view:
                self.following = self.following and leave  # a follower who escapes explores
                return
            self.lesson.score.record(verdict)
            self.gate.reveal(index + 1)
            self._go(index + 1, leave)
            self.sync()
            if not leave:
                self.follow()

        self._asking = True
        self.app.push_screen(
            QuizScreen(
                index + 1,
                len(view.trace),
                question(view.trace, view.names, index, view.scenario.functions),
                view.describe(index),
            ),
            answered,
        )

    def action_quiz(self) -> None:
        """Off, then every step, then the backward pass only, then off again."""
        lesson = self.lesson
        if not lesson.quiz:
            lesson.quiz, lesson.quiz_forward = True, True
        elif lesson.quiz_forward:
            lesson.quiz_forward = False
        else:
            lesson.quiz, lesson.quiz_forward = False, True
        self.playing = False
        self.gate.restart(self.position)
        self._show_check()  # a quiz keeps the gradient check's answer back
        if lesson.quiz:
            which = "each new value" if lesson.quiz_forward else "the backward pass's values"
            self.notify(
                f"Quiz on: → asks for {which} before showing it (enter on an empty answer "
                "skips; t again: "
                + ("backward pass only)" if lesson.quiz_forward else "quiz off)"),
                timeout=4,
            )
        else:
            self.notify(f"Quiz off. Score: {self.lesson.score}", timeout=4)
        self.refresh_bindings()
        self.sync()

    # Autoplay

    def action_play(self) -> None:
        self.playing = not self.playing

    def watch_playing(self, playing: bool) -> None:
        self.autoplay.run(playing)
        if self.is_mounted:
            state = "on" if playing else "off"
            self.notify(f"Autoplay {state} at {self.autoplay.rate:g} steps/s", timeout=1.5)

    def _play_step(self) -> None:
        self._go(self.position + 1)

    def _change_speed(self, by: int) -> None:
        self.autoplay.change_speed(by)
        said = "Autoplay on at" if self.playing else "Autoplay speed"
        self.notify(f"{said} {self.autoplay.rate:g} steps/s", timeout=1.5)

    def action_faster(self) -> None:
        self._change_speed(1)

    def action_slower(self) -> None:
        self._change_speed(-1)

    # Finding and inspecting nodes

    @on(NodeList.NodeSelected)
    def inspect(self, event: NodeList.NodeSelected) -> None:
        self.pinned = event.node

    def action_find(self) -> None:
        from tui.screens.find import FindScreen

        def found(node: int | None) -> None:
            if node is not None:
                self.pinned = node
                self.query_one(GraphView).select(node)

        self.app.push_screen(FindScreen(self.view.names), found)

    def action_outline(self) -> None:
        self.outline = not self.outline

    def action_source(self) -> None:
        self.source = not self.source

    def watch_source(self, source: bool) -> None:
        self.set_class(source, "-source")
        if source and self.is_mounted:
            self.query_one(SourceView).sync(self.view)
        self._announce()

    def action_neuron(self) -> None:
        """Collapse the selected node's neuron into a box, or open its box again."""
        node = self.selected_node()
        neuron = self.view.neuron_of(node)
        if neuron is None:
            name = self.view.names[node]
            self.notify(f"{name} is not inside a neuron of micrograd.nn", severity="warning")
            return
        self.view.collapsed.symmetric_difference_update({neuron.name})
        self._redraw(neuron.out if neuron.name in self.view.collapsed else node)

    def action_neurons(self) -> None:
        """Collapse every neuron, or open them all if they all are."""
        names = {neuron.name for neuron in self.view.neurons()}
        closing = not names <= self.view.collapsed
        self.view.collapsed.clear()
        if closing:
            self.view.collapsed.update(names)
        shown = "collapsed into boxes" if closing else "opened"
        self.notify(f"{len(names)} neurons {shown} (x opens or closes one)", timeout=3)
        self._redraw(self.selected_node())

    def _redraw(self, cursor: int) -> None:
        """Draw the graph again for the neurons now collapsed, the cursor on ``cursor``."""
        graph = self.query_one(GraphView)
        graph.show(self.view)
        graph.select(cursor)
        self.sync()

    def action_zoom(self) -> None:
        self.zoomed = not self.zoomed

    def watch_zoomed(self, zoomed: bool) -> None:
        self.set_class(zoomed, "-zoomed")
        if self.is_mounted:
            self.query_one(OutlineView if self.outline else GraphView).focus()
        self._announce()

    def watch_outline(self, outline: bool) -> None:
        self.set_class(outline, "-outline")
        if self.is_mounted:
            self.query_one(OutlineView if outline else GraphView).focus()
            self.query_one(OutlineView).sync()
        self._announce()

    def action_unpin(self) -> None:
        self.pinned = None

    def action_notes(self) -> None:
        from tui.screens.notes import NotesScreen

        scenario = self.view.scenario
        self.app.push_screen(NotesScreen(scenario.title, scenario.notes, scenario.output))

    def action_back(self) -> None:
        self.playing = False
        self.post_message(BackRequested())

    def action_reload(self) -> None:
        self.post_message(LoadRequested(self.view.scenario.path, self.position))

    def selected_node(self) -> int:
        """The node a key like b or e acts on: the one under the node cursor if there is
        one, else the pinned node, else the node the current step changes."""
        node_list = self.query_one(OutlineView if self.outline else GraphView)
        cursor = node_list.cursor_node()
        if cursor is not None:
            return cursor
        return self.pinned if self.pinned is not None else self.view.focus_nodes()[-1]

    # Breakpoints

    def action_breakpoint(self) -> None:
        node = self.selected_node()
        name = self.view.names[node]
        if self.view.toggle_breakpoint(node):
            self.notify(f"● Breakpoint on {name}: c runs to the next step that changes it")
        else:
            self.notify(f"Breakpoint on {name} cleared")
        self.sync()

    def _continue(self, target: int | None, direction: str) -> None:
        if not self.view.breakpoint_nodes():
            self.notify("No breakpoints yet: select a node and press b", severity="warning")
        elif target is None:
            self.notify(f"No step {direction} changes a node with a breakpoint", timeout=3)
        else:
            self._go(target)

    def action_continue(self) -> None:
        self._continue(self.view.next_hit(self.position), "ahead")

    def action_continue_back(self) -> None:
        self._continue(self.view.previous_hit(self.position), "before this one")

    def action_addition(self, direction: int) -> None:
        """Go to the next (or previous) step that adds to the selected node's grad, and keep
        the inspector on that node while going from one to the next."""
        node = self.selected_node()
        additions = self.view.additions(node)
        if direction > 0:
            found = next((p for p in additions if p > self.position), None)
        else:
            found = next((p for p in reversed(additions) if p < self.position), None)
        if found is None:
            where = "after" if direction > 0 else "before"
            name = self.view.names[node]
            self.notify(f"No step {where} this one adds to {name}.grad", timeout=3)
            return
        self.pinned = node
        self._go(found)

    def action_breakpoints(self) -> None:
        from tui.screens.breakpoints import BreakpointsScreen

        def chosen(node: int | None) -> None:
            if node is not None:
                self.pinned = node
                self.query_one(GraphView).select(node)
            self.sync()

        self.app.push_screen(BreakpointsScreen(self.view), chosen)

    # Teaching a class, and following its teacher

    def class_state(self) -> ClassState:
        """Where this screen is, as a teacher's followers are told it."""
        view = self.view
        return ClassState(
            position=self.position,
            iteration=view.iteration,
            forward=self.lesson.forward,
            pinned=view.identities[self.pinned] if self.pinned is not None else None,
            outline=self.outline,
            zoomed=self.zoomed,
            source=self.source,
            collapsed=tuple(sorted(view.collapsed)),
            edits=tuple(self.edits),
        )

    def _announce(self) -> None:
        """A teacher's screen tells the app each new place, for the followers."""
        if self.role == "teach" and self.is_mounted:
            state = self.class_state()
            if state != self._announced:
                self._announced = state
                self.post_message(StateChanged(state))

    def follow(self, state: ClassState | None = None) -> None:
        """Go where the teacher is (``state``, or the last heard), unless the student left
        to explore. A change of phase or iteration is asked of the app first; ``show``
        comes back here once it is done."""
        if state is not None:
            self.teacher = state
        state = self.teacher
        if state is None or not self.following or self.role != "follow" or not self.is_mounted:
            return
        self._applying = True
        try:
            view = self.view
            self.outline, self.zoomed, self.source = state.outline, state.zoomed, state.source
            if set(state.collapsed) != view.collapsed:
                view.collapsed.clear()
                view.collapsed.update(state.collapsed)
                self._redraw(self.selected_node())
            if state.edits != tuple(self.edits):
                self._edit_as_the_teacher(state)
            elif state.forward != self.lesson.forward:
                self.lesson.forward = state.forward
                self.post_message(RebuildRequested(view, state.position))
            elif state.iteration != view.iteration:
                self.post_message(IterationRequested(view, state.iteration, at_end=False))
            else:
                target = max(0, min(state.position, len(view.trace)))
                position = self.gate.clamp(self.position, target, self.lesson.quiz)
                quiz_forward = self.lesson.quiz_forward
                while position < target and not is_asked(view.trace, position, quiz_forward):
                    position += 1  # a step the quiz leaves out is shown at once
                    self.gate.reveal(position)
                self.position = position
                if position < target and not self._asking:
                    self._ask(leave=False)  # the teacher's step waits for the answer
                pinned = state.pinned
                self.pinned = view.identities.index(pinned) if pinned in view.identities else None
        finally:
            self._applying = False

    def _edit_as_the_teacher(self, state: ClassState) -> None:
        """Set the next leaf the teacher set by hand (``show`` brings us back for the one
        after); a follower whose edits are not the start of the teacher's (the teacher
        loaded the file again, or the student edited) loads the file afresh first."""
        done = len(self.edits)
        if tuple(self.edits) != state.edits[:done]:
            self.post_message(LoadRequested(self.view.scenario.path, state.position))
            return
        name, nth, value = state.edits[done]
        self.edits.append((name, nth, value))
        if (name, nth) in self.view.identities:
            node = self.view.identities.index((name, nth))
            self.post_message(RebuildRequested(self.view, state.position, (node, value)))
        else:
            self.follow()

    def _explore(self) -> None:
        """A follower who moves (or edits) on their own leaves the teacher to explore; the
        moves ``follow`` makes for the teacher do not count."""
        if self.role == "follow" and not self._applying:
            self.following = False

    def _following_text(self) -> str:
        if self.link == "gone":
            return "the teacher has gone (reconnecting; your step stays)"
        if self.link == "waiting":
            return "waiting for the teacher"
        return "following the teacher" if self.following else "exploring (F to follow again)"

    def watch_following(self, following: bool) -> None:
        self.refresh_bindings()
        if self.is_mounted:
            self.sync()
            if following:
                self.follow()

    def watch_link(self, link: str) -> None:
        if not self.is_mounted:
            return
        if self.role == "teach":
            self.query_one("#class", Static).update(Content(visible(link)))
            self.set_class(bool(link), "-teaching")
        else:
            self.sync()

    def action_follow(self) -> None:
        self.following = True

    # Changing what is on show

    def action_wrong(self) -> None:
        """Go to the _backward() call the gradient check found wrong, and inspect its node."""
        position = self.view.wrong_step()
        if position is not None and self.view.check and self.view.check.wrong:
            self.check_asked = True  # in a quiz, asking shows the answer, not the steps before
            self._show_check()
            self._go(position)
            self.pinned = self.view.check.wrong.node

    def action_edit(self) -> None:
        from tui.screens.edit import EditScreen

        node = self.selected_node()
        name = self.view.names[node]
        if self.view.trace.operands(node):
            self.notify(
                f"{name} is computed from other nodes: only a leaf (an input) can be edited",
                severity="warning",
            )
            return

        def edited(value: float | None) -> None:
            if value is None:
                return
            self._explore()  # a follower's own graph now
            self.edits.append((*self.view.identities[node], value))
            self.post_message(RebuildRequested(self.view, self.position, (node, value)))
            self.notify(f"{name} = {value!r} (in memory only: the file is unchanged)")

        self.app.push_screen(EditScreen(name, self.view.trace.data(node)), edited)

    def action_forward(self) -> None:
        """Add or leave out the forward phase, staying on the same backward step."""
        self.lesson.forward = self.view.trace.forward_length == 0
        self.post_message(RebuildRequested(self.view, self.position))
        phase = "with" if self.lesson.forward else "without"
        self.notify(f"Timeline {phase} the forward phase", timeout=2)
