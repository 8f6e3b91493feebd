"""MicrogradApp: loads a scenario in a worker process, watches its file, and shows it on
the right screen.

The App stays small: screens do the work. It owns loading, because the
debugger, the error screen and the picker all end in "load this file", and
it owns the learner's ``Lesson`` (breakpoints, quiz score), which outlives
any one load of the file. The scenario's code runs only in the worker
process (``tui.loading.remote``); the app receives its recorded pass as
plain data, and asks the same process again for edits and replays.

A launch waits for nothing it does not show: the picker, the error and help
screens and the file watcher are imported when first wanted, and the spare
worker and the watch start once the first screen is drawn (``_drawn``).
``benchmarks/launch.py`` times a launch against a bare Textual app.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Label, ProgressBar
from textual.worker import get_current_worker

from micrograd import Trace, heap
from micrograd.trace import Progress
from tui.classroom import (
    ClassError,
    ClassState,
    Hello,
    Teacher,
    default_address,
    digest_of,
    follow,
)
from tui.loading.errors import ScenarioError
from tui.loading.protocol import Load, Rebuild, Recorded
from tui.loading.remote import WorkerProcess
from tui.loading.scenario import read_capped
from tui.loading.summary import Summary
from tui.messages import (
    BackRequested,
    IterationRequested,
    LoadProgressed,
    LoadRequested,
    RebuildRequested,
    StateChanged,
)
from tui.options import Options
from tui.screens.debugger import DebuggerScreen
from tui.text.progress import SHOW_AFTER, elapsed_text, progress_text
from tui.text.sentences import stale_text
from tui.text.visible import visible
from tui.view.lesson import Lesson
from tui.view.trace_view import TraceView
from tui.widgets.node_list import NodeList

if TYPE_CHECKING:
    from tui.screens.picker import PickerScreen

PROGRESS_EVERY = 0.05
"""Seconds between two reports of a load's progress from the worker: smooth enough for a
bar, and no load on the UI."""

ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
"""Signals that end the app the way q does (exit status 128 + the signal's number)."""

HARD_EXIT_AFTER = 2.0
"""Seconds a signal gives the app to quit cleanly before it ends at once."""

RELOAD_EVERY = 1.0
"""Seconds at least between two reloads of a watched file: one that rewrites itself must
not keep the app reloading."""

BUSY_NOTICE_AFTER = 3
"""Changes in a row, each too soon after the last reload, before the app says so."""

KEPT_ITERATIONS = 3
"""Training iterations whose full trace is kept for going back to; older ones are replayed."""


def same_step(old: Trace, new: Trace, position: int) -> int:
    """The position in ``new`` that shows the step ``position`` shows in ``old``, when one
    of them has a forward phase and the other not; the start when there is none."""
    if old.forward_length == new.forward_length:
        return position
    if position <= old.forward_length:
        return 0
    return position - old.forward_length + new.forward_length


class MicrogradApp(App[None]):
    """Step forward and back through backpropagation."""

    CSS_PATH = "app.tcss"
    TITLE = "micrograd-tui"
    # Every action has a key and the help screen lists them; a palette would
    # only duplicate that, so it is off on purpose.
    ENABLE_COMMAND_PALETTE = False
    SUSPENDED_SCREEN_CLASS = "-suspended"
    """Marks a screen under a dialog, whose notifications the stylesheet hides."""
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit", tooltip="quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="interrupt",
                tooltip="quit"),
        Binding("question_mark", "help", "Help", id="help",
                tooltip="help: every key and every panel"),
    ]  # fmt: skip

    def __init__(
        self,
        path: Path | None = None,
        bundled: list[Path] | None = None,
        options: Options | None = None,
        started: WorkerProcess | None = None,
    ) -> None:
        super().__init__()
        self.path = path
        self.bundled = bundled or []
        self.options = options or Options()
        self._started = started
        """A worker the command line started on ``path`` before Textual was imported."""
        self._process: WorkerProcess | None = None
        """The worker holding the graph on show, asked again for edits and replays."""
        self._spare: WorkerProcess | None = None
        """A fresh worker started ahead, idle until the next load: it has run nothing yet."""
        self._processes = {started} if started is not None else set()
        """Every worker this app started that may still run: all end with the app."""
        self._processes_lock = threading.Lock()
        self._ended = False
        self.lesson = Lesson(
            forward=self.options.forward,
            quiz=self.options.quiz,
            quiz_forward=self.options.quiz_forward,
        )
        self._watched: Path | None = None
        self._source: bytes | None = None
        self._iterations: OrderedDict[int, TraceView] = OrderedDict()
        self._clock: Timer | None = None
        self._teacher: Teacher | None = None
        """With ``--teach``: the server followers connect to."""
        self._teacher_state: ClassState | None = None
        """With ``--follow``: where the teacher was last heard to be."""
        self._link = ""
        self._load_started = 0.0
        self._progress: LoadProgressed | None = None
        """How far the load on its way has come, as the worker last said."""
        self._picker_screen: PickerScreen | None = None
        """The picker, when the app opened without a file: it stays under the scenarios
        opened from it, and q goes back to it."""

    def compose(self) -> ComposeResult:
        """The loading screen: one line, until a load has taken ``SHOW_AFTER`` seconds and
        its progress is worth showing (``_show_progress``). A bar and a spinner from the
        start cost the launch 18 ms, for a load that is usually over before they show."""
        with Middle(id="loading"), Center():
            yield Label("Loading…", id="loading-label")

    def on_mount(self) -> None:
        self._catch_signals(self._signalled)
        if self.options.teach is not None and self.path is not None:
            self._teach(self.options.teach, self.path)
        if self.options.follow is not None:
            label = self.screen_stack[0].query_one("#loading-label", Label)
            label.update(Content(visible(f"Waiting for the teacher at {self.options.follow} …")))
            self._follow(self.options.follow)
            self.call_after_refresh(self._drawn)
        elif self.path is None:
            from tui.screens.picker import PickerScreen

            self._picker_screen = PickerScreen(self.bundled)
            self.push_screen(self._picker_screen)
            self.call_after_refresh(self._drawn)
        elif self._started is not None:  # already running: no need to draw "Loading…" first
            self.reload(self.path, 0)
        else:
            self.call_after_refresh(self.reload, self.path, 0)

    def _catch_signals(self, handler: Callable[[int], None] | None) -> None:
        """Turn SIGTERM, SIGHUP (an SSH connection dropping) and SIGINT into a quit, so
        the terminal is put back as it was; ``None`` gives them back their default."""
        loop = asyncio.get_running_loop()
        for number in ENDING_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                if handler is None:
                    loop.remove_signal_handler(number)
                else:
                    loop.add_signal_handler(number, handler, number)

    def _signalled(self, number: int) -> None:
        # Quit as q does; but with the terminal gone (SIGHUP) Textual's teardown can wait
        # forever on it, so the process ends regardless a little later. Its workers
        # notice (their lifeline pipe closes) and end with it.
        backstop = threading.Timer(HARD_EXIT_AFTER, os._exit, args=(128 + number,))
        backstop.daemon = True
        backstop.start()
        self.exit(return_code=128 + number)

    def on_unmount(self) -> None:
        self._catch_signals(None)
        if self._teacher is not None:
            self._teacher.stop()
        with self._processes_lock:
            self._ended = True
            processes = list(self._processes)
        for process in processes:
            process.close()
        heap.take_back(collect=False)

    def _new_process(self) -> WorkerProcess:
        """A worker process that ends with the app, even if a load thread starts it while
        the app is closing."""
        process = WorkerProcess(self.options.max_memory)
        with self._processes_lock:
            self._processes = {p for p in self._processes if not p.closed} | {process}
            ended = self._ended
        if ended:
            process.close()
        return process

    def debugger(self) -> DebuggerScreen | None:
        """The debugger, if one is open (perhaps under a dialog)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, DebuggerScreen):
                return screen
        return None

    def reload(self, path: Path | str, position: int) -> None:
        """Load (or load again) a scenario, then show it at ``position``.

        A reload of the file on show keeps the graph on screen until the new
        one is ready, and keeps it if the file is now broken.
        """
        if self._ending():  # a change to the file, or the teacher's, as the app ends
            return
        path = Path(path)
        if path != self.path:
            self.lesson.breakpoints.clear()
            self.lesson.collapsed.clear()
        self.path = path
        label = self.screen_stack[0].query_one("#loading-label", Label)
        label.update(Content(visible(f"Loading {path} …")))
        if len(self.screen_stack) > 1:
            self.notify(f"Loading {path} …", timeout=2)
        self._start_clock()
        if len(self.screen_stack) > 1:  # at launch, watching waits for the first frame
            self._keep_watching()
        self._load(path, position)

    def _keep_watching(self) -> None:
        """Reload the file on show whenever it changes, if the options say so."""
        if self.options.watch and self.path is not None and self.path != self._watched:
            self._watched = self.path
            self._watch(self.path)

    def _drawn(self) -> None:
        """A load's screen is on the terminal: now do what the launch did not wait for.

        Each of these cost the first frame: the collector walking Textual's
        objects (``heap.hold_for_launch``), starting a spare worker (a fork of
        the app, 13 ms) and importing watchfiles and starting its thread.
        """
        heap.launched()
        self._keep_watching()
        if self.options.spare and self._spare is None:  # the next reload starts at once
            self._start_spare()

    @work(thread=True, group="spare")
    def _start_spare(self) -> None:
        """Start a worker ahead of the next load, off the UI thread."""
        process = self._new_process()
        with self._processes_lock:
            kept = self._spare is None
            if kept:
                self._spare = process
        if not kept:  # another was started meanwhile
            process.close()

    def _load_request(self, path: Path) -> Load:
        options = self.options
        return Load(str(path), options.timeout, options.max_nodes, self.lesson.forward)

    @work(thread=True, exclusive=True, group="load")
    def _load(self, path: Path, position: int) -> None:
        """Load the scenario in a fresh worker process and wait for its recorded pass off the
        UI thread; never touch widgets here."""
        worker = get_current_worker()
        heap.take_back()
        request = self._load_request(path)
        process = self._started
        if not self.options.attached:  # the program that called debug() answers every load
            self._started = None
        if process is None or process.path != request.path:
            if process is not None:
                process.close()
            with self._processes_lock:
                spare, self._spare = self._spare, None
            process = spare or self._new_process()
        progress = self._reporter(path, lambda: worker.is_cancelled)
        try:
            recorded = process.load(request, lambda: worker.is_cancelled, progress)
            assert recorded.summary is not None
            progress("naming", 0, 0)
            view = self._view(recorded)
            if recorded.summary.stale is not None:
                view.notice = "⚠ " + stale_text(recorded.summary.stale, view.names)
        except ScenarioError as error:
            process.close()
            if not worker.is_cancelled:
                self.call_from_thread(self._failed, error)
            return
        if worker.is_cancelled:
            process.close()
            return
        heap.set_aside()
        self.call_from_thread(self._loaded, view, position, process)

    def _view(self, recorded: Recorded, summary: Summary | None = None) -> TraceView:
        """What the panels show of a recorded pass."""
        scenario = summary or recorded.summary
        assert scenario is not None
        return TraceView(
            scenario,
            recorded.trace,
            self.lesson.breakpoints,
            recorded.iteration,
            recorded.check,
            recorded.sources,
            self.lesson.collapsed,
        )

    def _ending(self) -> bool:
        """Whether the app has begun to end: its screens are going or gone, while a load's
        thread, its progress reports, the loading clock and the file's watch can still call
        in. What they bring is let go; the workers are ended by ``on_unmount``."""
        return not self.is_running

    def _loaded(self, view: TraceView, position: int, process: WorkerProcess) -> None:
        self._stop_clock()
        if self._process is not None and self._process is not process:
            self._process.close()
        self._process = process
        self._iterations.clear()
        self._keep(view)
        self._opened(view, position, True)
        self.call_after_refresh(self._drawn)

    def _keep(self, view: TraceView) -> None:
        """Remember a training iteration's trace, forgetting the least recently shown one
        beyond ``KEPT_ITERATIONS``: memory stays bounded over any number of iterations."""
        if not view.scenario.is_training:
            return
        self._iterations[view.iteration] = view
        self._iterations.move_to_end(view.iteration)
        while len(self._iterations) > KEPT_ITERATIONS:
            self._iterations.popitem(last=False)

    @on(LoadRequested)
    def _load_requested(self, request: LoadRequested) -> None:
        self.reload(request.path, request.position)

    @on(RebuildRequested)
    def rebuild(self, request: RebuildRequested) -> None:
        """Record the pass again on the same graph: after a leaf was edited, or to add or
        leave out the forward phase (``lesson.forward``); the file is not read again."""
        view = request.view
        if view.scenario.is_training:
            self._iterations.clear()
        self._record_again(view, view.iteration, request.position, request.edit)

    @on(IterationRequested)
    def open_iteration(self, request: IterationRequested) -> None:
        """Show another iteration of a training scenario, at its first or last step."""
        kept = self._iterations.get(request.iteration)
        if kept is not None:
            self._keep(kept)
            self._opened(kept, len(kept.trace) if request.at_end else 0, False)
        else:
            position = -1 if request.at_end else 0
            self._record_again(request.view, request.iteration, position)

    @work(thread=True, exclusive=True, group="load")
    def _record_again(
        self,
        view: TraceView,
        iteration: int,
        position: int,
        edit: tuple[int, float] | None = None,
    ) -> None:
        """Ask the worker for the pass of ``iteration`` again (a training iteration's code
        runs again there, under the loader's limits); ``position`` -1 means its last step."""
        process = self._process
        if process is None:
            return
        heap.take_back()
        try:
            # Not cancelled when a newer request comes: that one waits its turn, and
            # the worker and its graph stay for it.
            recorded = process.ask(
                Rebuild(iteration, self.lesson.forward, edit), self.options.timeout
            )
        except ScenarioError as error:
            if not get_current_worker().is_cancelled:
                self.call_from_thread(self.notify, error.one_line(), severity="error", timeout=6)
            return
        trace = recorded.trace
        if position == -1:
            position = len(trace)
        elif iteration == view.iteration:
            position = same_step(view.trace, trace, position)
        new = self._view(recorded, view.scenario)
        if not get_current_worker().is_cancelled:
            heap.set_aside()
            self.call_from_thread(self._keep, new)
            self.call_from_thread(self._opened, new, position, False)

    def _opened(self, view: TraceView, position: int, from_file: bool) -> None:
        if self._ending():
            return
        debugger = self.debugger()
        if debugger is None:
            debugger = DebuggerScreen(
                view, position, self.lesson, self._picker_screen is not None, self._role()
            )
            debugger.teacher, debugger.link = self._teacher_state, self._link
            self._show(debugger)
            return
        if from_file and view.shape != debugger.view.shape:
            if position:
                self.notify("The graph changed shape, so the cursor starts again", timeout=3)
            position = 0
        debugger.problem = ""
        iteration = debugger.view.iteration
        if from_file and position and 0 < iteration < view.iterations:
            self._record_again(view, iteration, position)  # back to the iteration on show
            return
        debugger.show(view, position, reloaded=from_file)

    def _failed(self, error: ScenarioError) -> None:
        if self._ending():
            return
        self._stop_clock()
        self.call_after_refresh(self._drawn)
        debugger = self.debugger()
        if debugger is not None and debugger.view.scenario.path == Path(error.path):
            then = "save a fix and it reloads" if self.options.watch else "fix it and press r"
            debugger.problem = (
                f"{error.location}: {error.message} (showing the last good version; {then})"
            )
            self.notify(error.one_line(), title=error.title, severity="error", timeout=6)
        else:
            from tui.screens.error import ErrorScreen

            self._show(ErrorScreen(error, self._picker_screen is not None))

    @work(exclusive=True, group="watch")
    async def _watch(self, path: Path) -> None:
        """Reload whenever the scenario file's contents change on disk, at most once every
        ``RELOAD_EVERY`` seconds.

        watchfiles waits on the operating system's change notifications, so
        an idle app does no work; the folder is watched rather than the file
        because editors often save by writing a new file and renaming it. The
        file is read off the event loop, capped as a load reads it: a FIFO or
        a link to ``/dev/zero`` put in its place must not stall the screen.
        """
        from watchfiles import awatch

        target = path.resolve()
        self._source = await asyncio.to_thread(_read_bytes, target)
        last, busy = 0.0, 0
        try:
            async for _changes in awatch(
                target.parent,
                watch_filter=lambda _change, changed: Path(changed) == target,
                recursive=False,
            ):
                wait = last + RELOAD_EVERY - time.monotonic()
                busy = busy + 1 if wait > 0 else 0
                if busy == BUSY_NOTICE_AFTER:
                    self.notify(
                        f"{path} keeps changing: reloading it at most once a second",
                        severity="warning",
                        timeout=4,
                    )
                await asyncio.sleep(max(wait, 0.0))
                source = await asyncio.to_thread(_read_bytes, target)
                if source == self._source:
                    continue
                self._source, last = source, time.monotonic()
                debugger = self.debugger()
                self.reload(path, debugger.position if debugger is not None else 0)
        except (OSError, RuntimeError) as error:
            # e.g. the system's limit on watched folders is reached, or the folder is gone
            self._watched = None
            self.notify(
                f"Stopped watching {path} ({error}); press r to reload by hand",
                severity="warning",
                timeout=6,
            )

    def _reporter(self, path: Path, cancelled: Callable[[], bool]) -> Progress:
        """A ``Progress`` for the loading worker: it posts how far the load has come, a
        few times a second at most, and stops the load once it is no longer wanted."""
        last_what, last_at = "", 0.0

        def report(what: str, done: int, total: int) -> None:
            nonlocal last_what, last_at
            if cancelled():
                raise ScenarioError(
                    "Cancelled", path, "the load was stopped", "Load it again when you want it"
                )
            now = time.monotonic()
            if what != last_what or now - last_at >= PROGRESS_EVERY:
                last_what, last_at = what, now
                self.post_message(LoadProgressed(what, done, total))

        return report

    @on(LoadProgressed)
    def _progressed(self, event: LoadProgressed) -> None:
        self._progress = event
        if self._ending():
            return
        loading = self.screen_stack[0]  # the loading screen, even under the debugger
        if not loading.query("#loading-bar"):
            return  # not shown yet: the load is young
        text = progress_text(event.what, event.done, event.total)
        loading.query_one("#loading-phase", Label).update(text)
        bar = loading.query_one("#loading-bar", ProgressBar)
        bar.update(total=event.total or None, progress=event.done)

    async def _show_progress(self) -> None:
        """Add a bar and the phase under the loading line, at the last progress heard."""
        await (
            self.screen_stack[0]
            .query_one("#loading", Middle)
            .mount(
                Center(ProgressBar(show_eta=False, id="loading-bar"), id="loading-progress"),
                Center(Label(id="loading-phase"), id="loading-progress-text"),
            )
        )
        if self._progress is not None:
            self._progressed(self._progress)

    def _start_clock(self) -> None:
        """Time the load; past ``SHOW_AFTER`` seconds the loading screen shows its progress."""
        self._load_started = time.monotonic()
        self._progress = None
        self.screen_stack[0].remove_class("-slow")
        if self._clock is None:
            self._clock = self.set_interval(0.1, self._tick)

    async def _tick(self) -> None:
        if self._ending():
            return
        elapsed = time.monotonic() - self._load_started
        if elapsed >= SHOW_AFTER:
            loading = self.screen_stack[0]
            if not loading.query("#loading-bar"):
                await self._show_progress()
            loading.add_class("-slow")
            label = loading.query_one("#loading-label", Label)
            label.update(Content(visible(f"Loading {self.path} … {elapsed_text(elapsed)}")))

    def _stop_clock(self) -> None:
        if self._clock is not None:
            self._clock.stop()
            self._clock = None

    # Teaching a class (--teach), and following its teacher (--follow)

    def _role(self) -> str:
        return "teach" if self._teacher is not None else "follow" if self.options.follow else ""

    @work(exclusive=True, group="class")
    async def _teach(self, address: str, path: Path) -> None:
        """Let followers connect, and tell them how (the teacher's screen shows the command
        students run)."""
        teacher = Teacher(address or default_address(), Hello(str(path.resolve()), digest_of(path)))
        try:
            await teacher.start()
        except ClassError as error:
            self.notify(str(error), severity="error", timeout=8)
            return
        self._teacher = teacher

        def counted(followers: int) -> None:
            command = f"micrograd-tui --follow {teacher.address}"
            self._set_link(f"Teaching: students run  {command}  ({followers} following)")

        teacher.on_followers = counted
        counted(0)
        debugger = self.debugger()
        if debugger is not None:
            debugger.role = "teach"
            debugger.post_message(StateChanged(debugger.class_state()))

    def _set_link(self, link: str) -> None:
        self._link = link
        debugger = self.debugger()
        if debugger is not None:
            debugger.link = link

    @on(StateChanged)
    def _tell_followers(self, changed: StateChanged) -> None:
        if self._teacher is not None:
            self._teacher.publish(changed.state)

    @work(exclusive=True, group="class")
    async def _follow(self, address: str) -> None:
        """Follow the teacher at ``address`` until the app ends; a teacher who cannot be
        followed (another version, a file that differs) ends the app with why."""
        try:
            await follow(address, self._heard, self._set_link)
        except ClassError as error:
            self.exit(return_code=2, message=f"micrograd-tui: error: {error}")

    def _heard(self, message: Hello | ClassState) -> None:
        if isinstance(message, ClassState):
            self._teacher_state = message
            debugger = self.debugger()
            if debugger is not None:
                debugger.follow(message)
            return
        path = Path(message.scenario)
        if not path.is_file():
            raise ClassError(f"the teacher is on {path}, which this machine does not have")
        if digest_of(path) != message.digest:
            raise ClassError(f"{path} here is not the teacher's version of it")
        if path != self.path or self.debugger() is None:
            self.reload(path, 0)

    def _show(self, screen: Screen[None]) -> None:
        """Put ``screen`` in place of the debugger or error screen, over the picker if the
        scenario was chosen there (so that q goes back to it)."""
        kept = 2 if self._picker_screen is not None else 1
        while len(self.screen_stack) > kept + 1:
            self.pop_screen()
        if len(self.screen_stack) > kept:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    @on(BackRequested)
    def back_to_picker(self) -> None:
        """Close the scenario (its worker, its load, the watch on its file) and show the
        picker again, where q quits."""
        if self._picker_screen is None:
            return
        self.workers.cancel_group(self, "load")
        self.workers.cancel_group(self, "watch")
        self._watched = None
        self._stop_clock()
        if self._process is not None:
            self._process.close()
            self._process = None
        self._iterations.clear()
        while self.screen is not self._picker_screen:
            self.pop_screen()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification as plain text, whatever the caller asked: they carry labels,
        paths and error messages from scenarios, which must never be read as markup."""
        super().notify(
            visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False
        )

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(key_bindings()))


def key_bindings() -> list[Binding]:
    """Every key of the debugger, in the order the help screen and the README list them:
    the bindings themselves are the one place a key and what it does are written."""
    every = [*DebuggerScreen.BINDINGS, *NodeList.BINDINGS, *MicrogradApp.BINDINGS]
    return [binding for binding in every if isinstance(binding, Binding)]


def _read_bytes(path: Path) -> bytes | None:
    """The file's contents as a load would read them, or None while they cannot be read
    (being replaced, deleted, or no longer a regular file: the reload says why)."""
    try:
        return read_capped(path)
    except ScenarioError:
        return None
