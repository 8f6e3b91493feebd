"""DebuggerScreen: the graph, the inspector and the step panel, driven by the keyboard."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from tui.screens.find import FindScreen
from tui.screens.jump import JumpScreen
from tui.screens.notes import NotesScreen
from tui.view import TraceView
from tui.widgets.graph import GraphView
from tui.widgets.inspector import Inspector
from tui.widgets.node_list import NodeList
from tui.widgets.outline import OutlineView
from tui.widgets.steps import StepPanel

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)  # steps per second
MIN_WIDTH, MIN_HEIGHT = 60, 16


class DebuggerScreen(Screen[None]):
    """Step forward and back through one scenario's backward pass."""

    BINDINGS = [
        Binding("right,l,n", "next", "Next", priority=True),
        Binding("left,h,p", "previous", "Prev", priority=True),
        Binding("home,g", "first", "First", show=False, priority=True),
        Binding("end,G", "last", "Last", show=False, priority=True),
        Binding("space", "play", "Play/Pause", priority=True),
        Binding("plus,equals_sign", "faster", "Faster", show=False),
        Binding("minus", "slower", "Slower", show=False),
        Binding("colon", "jump", "Jump", show=False),
        Binding("slash", "find", "Find"),
        Binding("escape", "unpin", "Follow step", show=False),
        Binding("o", "outline", "Outline"),
        Binding("N", "notes", "Notes"),
        Binding("r", "reload", "Reload"),
    ]

    position: reactive[int] = reactive(0)
    """Steps applied so far; mirrors the trace's cursor and refreshes every panel.

    Not ``bindings=True``: refreshing the bindings rebuilds the footer, which
    cost more than the step itself, so ``watch_position`` refreshes them only
    when a key's availability changes (leaving or reaching either end)."""

    playing: reactive[bool] = reactive(False, bindings=True)
    """Whether autoplay is stepping forward on a timer."""

    outline: reactive[bool] = reactive(False)
    """Whether the whole-graph outline replaces the drawing."""

    pinned: reactive[int | None] = reactive(None)
    """A node the learner chose to inspect; None means the inspector follows the step."""

    def __init__(self, view: TraceView, position: int = 0) -> None:
        super().__init__()
        self.view = view
        self._start = position
        self._speed = 2
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with Vertical(id="main"):
            yield GraphView(id="graph")
            yield OutlineView(id="outline")
            with Horizontal(id="lower"):
                yield StepPanel(id="steps")
                yield Inspector(id="inspector")
        yield Static(
            f"The terminal is too small: make it at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            id="too-small",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(GraphView).show(self.view)
        self.query_one(OutlineView).show(self.view)
        self.view.trace.seek(self._start)
        self.position = self.view.trace.position
        self.sync()
        self.query_one(GraphView).focus()

    def on_resize(self) -> None:
        small = self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT
        self.set_class(small, "-too-small")

    def sync(self) -> None:
        """Redraw every panel for the trace's cursor."""
        self.query_one("#status", Static).update(self.view.status(), layout=False)
        self.query_one(GraphView).sync()
        self.query_one(OutlineView).sync()
        self.query_one(StepPanel).sync(self.view)
        self._show_inspector()

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim the keys that cannot act: no previous step at 0, no next step at the end."""
        at_start, at_end = self.position == 0, self.position == len(self.view.trace)
        if action in ("previous", "first") and at_start:
            return None
        if action in ("next", "last") and at_end:
            return None
        if action == "play" and at_end and not self.playing:
            return None
        if action == "unpin" and self.pinned is None:
            return None
        return True

    def action_next(self) -> None:
        self.position = min(self.position + 1, len(self.view.trace))

    def action_previous(self) -> None:
        self.position = max(self.position - 1, 0)

    def action_first(self) -> None:
        self.position = 0

    def action_last(self) -> None:
        self.position = len(self.view.trace)

    def action_play(self) -> None:
        self.playing = not self.playing

    def watch_playing(self, playing: bool) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if playing:
            self._timer = self.set_interval(1 / SPEEDS[self._speed], self.action_next)
        if self.is_mounted:
            state = "on" if playing else "off"
            self.notify(f"Autoplay {state} at {SPEEDS[self._speed]:g} steps/s", timeout=1.5)

    def _set_speed(self, speed: int) -> None:
        self._speed = max(0, min(speed, len(SPEEDS) - 1))
        if self.playing:
            self.watch_playing(True)
        else:
            self.notify(f"Autoplay speed {SPEEDS[self._speed]:g} steps/s", timeout=1.5)

    def action_faster(self) -> None:
        self._set_speed(self._speed + 1)

    def action_slower(self) -> None:
        self._set_speed(self._speed - 1)

    def action_jump(self) -> None:
        def jump(step: int | None) -> None:
            if step is not None:
                self.position = step

        self.app.push_screen(JumpScreen(len(self.view.trace)), jump)

    def action_find(self) -> None:
        def found(node: int | None) -> None:
            if node is not None:
                self.pinned = node
                self.query_one(GraphView).select(node)

        self.app.push_screen(FindScreen(self.view.names), found)

    def action_outline(self) -> None:
        self.outline = not self.outline

    def watch_outline(self, outline: bool) -> None:
        self.set_class(outline, "-outline")
        if self.is_mounted:
            self.query_one(OutlineView if outline else GraphView).focus()
            self.query_one(OutlineView).sync()

    def action_unpin(self) -> None:
        self.pinned = None

    def action_notes(self) -> None:
        scenario = self.view.scenario
        self.app.push_screen(NotesScreen(scenario.title, scenario.notes, scenario.output))

    def action_reload(self) -> None:
        self.app.reload(self.view.scenario.path, self.position)  # type: ignore[attr-defined]

    @on(NodeList.NodeSelected)
    def inspect(self, event: NodeList.NodeSelected) -> None:
        self.pinned = event.node
