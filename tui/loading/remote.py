"""The app's side of the worker process: start it, ask it, and end it whatever it does.

A scenario is a learner's code, and the app must outlive anything it does,
so it runs in a process of its own (``tui.loading.worker``), as a debugger's
debuggee or a notebook's kernel does. Here the app waits for its answers
with a deadline, collects what it writes to its standard output and error,
and kills its whole process group (any process the scenario forked too) when
the time is up, when the load is no longer wanted, and when the app is done.
How the worker ended, if it ended early, comes back as one ``ScenarioError``.
"""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from micrograd import heap
from micrograd.trace import Progress
from tui.loading.errors import ScenarioError
from tui.loading.protocol import Exiting, Failed, Frames, Load, Progressed, Recorded, Running, send
from tui.loading.sandbox import MAX_CAPTURED_CHARS

DEFAULT_MAX_MEMORY = 2 * 1024**3
"""Bytes of address space the worker may use: a runaway graph fails with a clear error
long before it makes the machine swap."""

GRACE = 1.0
"""Seconds the worker gets beyond the time limit to say itself that it ran out of time
(a thread left running), before it is killed."""

POLL = 0.05
"""Seconds between two looks at whether the load is still wanted."""


def _report_nothing(what: str, done: int, total: int) -> None:
    """A ``Progress`` that no one watches."""


class WorkerProcess:
    """One worker process, running one scenario file; ``close()`` ends it and its children."""

    def __init__(self, max_memory: int = DEFAULT_MAX_MEMORY) -> None:
        requests_read, requests = os.pipe()
        replies, replies_write = os.pipe()
        output, output_write = os.pipe()
        lifeline_read, self._lifeline = os.pipe()  # never written: closes when the app ends
        passed = (requests_read, replies_write, lifeline_read)
        command = [sys.executable, "-m", "tui.loading.worker", *map(str, passed), str(max_memory)]
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=output_write,
                stderr=output_write,
                pass_fds=passed,
                start_new_session=True,  # its own process group, and no controlling terminal
            )
        finally:
            for descriptor in (*passed, output_write):
                os.close(descriptor)
        self._talk_over(requests, replies, output)

    def _talk_over(self, requests: int, replies: int, output: int) -> None:
        """Ask on ``requests``, hear answers on ``replies``, collect ``output``."""
        self._requests, self._replies, self._output = requests, replies, output
        self._frames = Frames()
        self._printed = bytearray()
        self.path = ""
        self.closed = False
        self._sent: object = None
        """A request sent ahead by ``start``, whose answer ``load`` or ``ask`` then awaits."""
        self._lock = threading.Lock()
        self._asking = False
        self._one_at_a_time = threading.Lock()
        """Held while a request waits for its answer: the next waits its turn."""

    def start(self, request: Load) -> WorkerProcess:
        """Send the load request now, so the scenario runs while the app is still starting."""
        self.path = request.path
        self._send(request)
        self._sent = request
        return self

    def _send(self, request: object) -> None:
        with contextlib.suppress(OSError):  # the worker is gone: its pipes say how it ended
            send(self._requests, request)

    @property
    def output(self) -> str:
        """What the worker's process wrote to its standard output and error (capped): output
        from C code, ``os.system`` or ``os.write(1, ...)``, which Python's own capture misses."""
        return self._printed.decode("utf-8", errors="replace")

    def load(
        self,
        request: Load,
        cancelled: Callable[[], bool] = lambda: False,
        progress: Progress = _report_nothing,
    ) -> Recorded:
        """Run the scenario and record its pass: the ``Recorded`` with its summary, or a
        ScenarioError naming what went wrong."""
        self.path = request.path
        recorded = self.ask(request, request.timeout, cancelled, progress)
        assert recorded.summary is not None
        printed = self.output
        if printed:
            summary = recorded.summary
            recorded = replace(recorded, summary=replace(summary, output=summary.output + printed))
        return recorded

    def ask(
        self,
        request: object,
        timeout: float,
        cancelled: Callable[[], bool] = lambda: False,
        progress: Progress = _report_nothing,
    ) -> Recorded:
        """Send a request and wait for its answer, at most ``timeout`` seconds without news
        from the worker; it is killed if the time runs out or the answer is not wanted."""
        if self.closed:
            raise ScenarioError(
                "No scenario process",
                self.path,
                "the process that ran the scenario has ended",
                "Load the file again with r",
            )
        with self._one_at_a_time:
            with self._lock:
                self._asking = True
            try:
                if request != self._sent:
                    self._send(request)
                self._sent = None
                answer = self._wait(timeout, cancelled, progress)
            except BaseException:
                self.kill()
                raise
            finally:
                with self._lock:
                    self._asking = False
                    if self.closed:
                        self._release()
        if isinstance(answer, Failed):  # the worker is well, and can take the next request
            raise answer.error
        return answer

    def _wait(
        self, timeout: float, cancelled: Callable[[], bool], progress: Progress
    ) -> Recorded | Failed:
        what, deadline = "the scenario", time.monotonic() + timeout + GRACE
        with selectors.DefaultSelector() as selector:
            selector.register(self._replies, selectors.EVENT_READ)
            selector.register(self._output, selectors.EVENT_READ)
            while True:
                for key, _ in selector.select(min(POLL, max(0.0, deadline - time.monotonic()))):
                    data = os.read(key.fd, 1 << 20)
                    if key.fd == self._output:
                        self._keep_output(data, selector)
                        continue
                    if not data:
                        raise self._ended(what, None)
                    with heap.paused():
                        messages = self._frames.feed(data)
                    for message in messages:
                        if isinstance(message, (Running, Progressed)):
                            deadline = time.monotonic() + timeout + GRACE
                        if isinstance(message, Running):
                            what = message.what
                        elif isinstance(message, Progressed):
                            progress(message.what, message.done, message.total)
                        elif isinstance(message, Exiting):
                            raise self._ended(what, message)
                        elif isinstance(message, (Recorded, Failed)):
                            self._drain_output(wait=0.0)  # written before the answer
                            return message
                if cancelled():
                    raise ScenarioError(
                        "Cancelled",
                        self.path,
                        f"{what} was stopped before it finished",
                        "Load it again when you want it",
                    )
                if time.monotonic() > deadline:
                    raise ScenarioError(
                        "Too slow",
                        self.path,
                        f"{what} ran longer than the {timeout:g} s limit",
                        "Make it smaller, or allow more time with --timeout",
                    )

    def _keep_output(self, data: bytes, selector: selectors.BaseSelector) -> None:
        if not data:
            selector.unregister(self._output)
        room = MAX_CAPTURED_CHARS - len(self._printed)
        self._printed += data[: max(room, 0)]

    def _ended(self, what: str, exiting: Exiting | None) -> ScenarioError:
        """How the worker ended before answering, as one error."""
        self.kill()
        self._drain_output()
        self.close()
        status = self.process.returncode
        line = None
        if exiting is not None:
            message, line = f"{what} called os._exit({exiting.code})", exiting.line
        elif status is not None and status < 0:
            message, line = _signal_text(what, -status), self._fault_line()
        else:
            message = f"{what} ended its process (exit status {status})"
        return ScenarioError(
            "Scenario ended", self.path, message, "Fix the scenario, then load it again", line
        )

    def _drain_output(self, wait: float = POLL) -> None:
        """Read what the worker has written and not been read yet: all it printed before
        an answer, or the traceback of a crash before it ended."""
        with selectors.DefaultSelector() as selector:
            selector.register(self._output, selectors.EVENT_READ)
            while selector.get_map() and selector.select(wait):
                self._keep_output(os.read(self._output, 1 << 20), selector)

    def _fault_line(self) -> int | None:
        """The scenario's line in the traceback Python writes on a crash (``faulthandler``)."""
        pattern = rf'File "{re.escape(self.path)}", line (\d+)'
        lines = re.findall(pattern, self.output)
        return int(lines[0]) if lines else None

    def close(self) -> None:
        """End the worker and every process in its group, at once, from any thread; its
        pipes are closed now, or by the thread waiting on them once it stops."""
        self.kill()
        with self._lock:
            if not self.closed:
                self.closed = True
                if not self._asking:
                    self._release()

    def kill(self) -> None:
        """Kill the worker's process group and reap the worker."""
        with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def _release(self) -> None:
        for descriptor in (self._requests, self._replies, self._output, self._lifeline):
            os.close(descriptor)


class AttachedProcess(WorkerProcess):
    """The program that called ``debug()``, answering as a worker does over pipes it gave
    the app: its graph is already built, so it runs nothing new of the learner's, and it is
    the learner's own process, which the app never kills. It learns that the app is done
    when the app ends and the pipes close."""

    def __init__(self, requests: int, replies: int, output: int) -> None:
        self._talk_over(requests, replies, output)

    def kill(self) -> None:
        """Nothing to kill: the program waits for the app, and goes on when it ends."""

    def close(self) -> None:
        """Kept open while the app runs: a reload asks the program to record again."""

    def _ended(self, what: str, exiting: Exiting | None) -> ScenarioError:
        return ScenarioError(
            "Program ended",
            self.path,
            "the program that called debug() has ended",
            "Run it again",
        )


def _signal_text(what: str, number: int) -> str:
    if number == signal.SIGKILL:
        return f"{what} was killed (SIGKILL), perhaps because the machine ran out of memory"
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    description = signal.strsignal(number) or name
    return f"{what} ended its process with {name} ({description.lower()})"


def load(
    path: Path | str,
    timeout: float,
    max_nodes: int,
    forward: bool,
    max_memory: int = DEFAULT_MAX_MEMORY,
    progress: Progress = _report_nothing,
) -> Recorded:
    """Load a scenario in a worker of its own, ended once it has answered: for the command
    line, which needs one recording and no edits."""
    worker = WorkerProcess(max_memory)
    try:
        return worker.load(Load(str(path), timeout, max_nodes, forward), progress=progress)
    finally:
        worker.close()
