"""The worker process: the only place a scenario's code runs.

``tui.loading.remote`` starts it as ``python -m tui.loading.worker REQUESTS
REPLIES LIFELINE MAX_MEMORY`` (three pipes and a limit) in a session of its
own, with standard input closed and its output going to a pipe the app reads.
It runs the scenario (the module, ``build()``, ``loss()``, training, a
learner's ``_backward()`` and ``__str__``, the gradient check), records the
pass and sends it back as plain data (``tui.loading.protocol``). Edits and
replays are further requests to the same worker, which keeps the live graph
for them.

Whatever the scenario does here, the app survives it: ``os._exit``, a
segfault, a signal, an endless loop in C or memory running out end this
process, and the app reports how it ended.
"""

from __future__ import annotations

import faulthandler
import io
import os
import resource
import signal
import sys
import threading
import traceback
from collections import OrderedDict
from pathlib import Path
from typing import Any, NoReturn

from micrograd import Trace, UnknownOpError, heap
from micrograd.gradcheck import check_backward_calls
from micrograd.trace import LiveGraph
from tui.loading.errors import ScenarioError
from tui.loading.protocol import (
    Exiting,
    Failed,
    Frames,
    Load,
    Progressed,
    Rebuild,
    Recorded,
    Running,
    send,
)
from tui.loading.sandbox import last_line_in, scenario_line
from tui.loading.scenario import Scenario, load_scenario, record
from tui.loading.sites import SiteRecorder
from tui.loading.summary import Summary
from tui.loading.training_scenario import Training

KEPT_GRAPHS = 8
"""Recorded iterations whose live graph is kept for a ``Rebuild``; the app keeps fewer."""

_exit = os._exit
"""The real ``os._exit``: the scenario's is replaced by one that reports the call first."""


class Worker:
    """Answers the app's requests for one scenario file, one at a time."""

    def __init__(self, replies: int) -> None:
        self.replies = replies
        self.scenario: Scenario | None = None
        self.graphs: OrderedDict[int, LiveGraph] = OrderedDict()
        """The live graphs recorded last, by training iteration (0 for any other scenario):
        their traces go to the app, and only the graph is needed to record one again."""
        self.sites: SiteRecorder | None = None

    def answer(self, request: object) -> object:
        """The reply to one request: ``Recorded``, or ``Failed`` whatever went wrong."""
        try:
            if isinstance(request, Load):
                return self.load(request)
            if isinstance(request, Rebuild):
                return self.rebuild(request)
            raise TypeError(f"unknown request {type(request).__name__}")
        except ScenarioError as error:
            return Failed(error)
        except BaseException as error:  # the scenario's code, run outside the sandbox
            return Failed(self._fault(error))

    def load(self, request: Load) -> Recorded:
        global _scenario_path
        _scenario_path = request.path
        if self.sites is None:  # a worker serves one file: a load is its first request
            self.sites = SiteRecorder(Path(request.path))
            self.sites.install()
        scenario = load_scenario(
            request.path,
            request.timeout,
            request.max_nodes,
            progress=self._progress,
            announce=lambda what: send(self.replies, Running(what)),
        )
        return self.record_first(scenario, request.forward)

    def record_first(self, scenario: Scenario, forward: bool) -> Recorded:
        """A loaded scenario's first pass, with its summary; the scenario is kept for the
        edits and replays that follow."""
        self.scenario = scenario
        own = not hasattr(scenario.root, "_rule")
        send(self.replies, Running("your _backward() calls" if own else "recording the pass"))
        trace = record(scenario, forward, self._progress)
        return self._recorded(trace, 0, scenario.summary())

    def rebuild(self, request: Rebuild) -> Recorded:
        scenario = self.scenario
        if scenario is None:
            raise TypeError("a rebuild before any load")
        kept = self.graphs.get(request.iteration)
        if request.edit is not None and kept is not None:
            node, value = request.edit
            kept.nodes[node].data = value
        if scenario.training is not None:
            training: Training = scenario.training
            trace = training.replay(request.iteration, request.forward)
        elif kept is not None:
            send(self.replies, Running("the pass"))
            try:
                trace = kept.rerun(forward=request.forward)
            except (ArithmeticError, UnknownOpError) as error:
                raise ScenarioError(
                    "Could not record the pass again",
                    scenario.path,
                    f"recording the pass again failed ({error or type(error).__name__})",
                    "Load the file again with r",
                ) from None
        else:
            raise TypeError(f"no trace of iteration {request.iteration} to record again")
        return self._recorded(trace, request.iteration)

    def _recorded(self, trace: Trace, iteration: int, summary: Summary | None = None) -> Recorded:
        self.graphs[iteration] = trace.live()
        self.graphs.move_to_end(iteration)
        while len(self.graphs) > KEPT_GRAPHS:
            self.graphs.popitem(last=False)
        check = None
        if trace.own:
            send(self.replies, Running("the gradient check"))
            check = check_backward_calls(trace.nodes[trace.root])
        sources = self.sites.sources(trace.nodes) if self.sites is not None else None
        return Recorded(trace, check, iteration, summary, sources)

    def _progress(self, what: str, done: int, total: int) -> None:
        send(self.replies, Progressed(what, done, total))

    def _fault(self, error: BaseException) -> ScenarioError:
        """A ScenarioError for anything the scenario's code raised outside the sandbox
        (its ``__str__``, ``__getattr__`` or ``_backward``), or for a fault of the worker."""
        path = _scenario_path or "(no scenario)"
        line = scenario_line(error, path)
        if isinstance(error, MemoryError):
            return ScenarioError(
                "Out of memory", path, "ran out of memory", "Build something smaller", line
            )
        name = type(error).__name__
        text = f"{name}: {error}" if str(error) else name
        return ScenarioError(
            "Scenario raised an error",
            path,
            f"its code raised {text}",
            "Fix the scenario, then load it again",
            line,
        )


_scenario_path: str | None = None
"""The file the worker runs, to find its lines in tracebacks and frames."""


def _exit_reported(replies: int) -> Any:
    """``os._exit`` that first tells the app the scenario called it, and from which line."""

    def exit_(status: int) -> NoReturn:
        line = last_line_in(traceback.extract_stack(sys._getframe(1)), _scenario_path or "")
        try:
            if not _is_copy:
                send(replies, Exiting(status, line))
        finally:
            _exit(status)

    return exit_


def _set_up(replies: int, lifeline: int, max_memory: int) -> None:
    """Make this process one the app can always end, and that ends with the app."""
    threading.Thread(target=_end_with_the_app, args=(lifeline,), daemon=True).start()
    if max_memory:
        resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c belongs to the app
    for stream in (sys.stdout, sys.stderr):  # a pipe: written as it is printed, in order
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(line_buffering=True, write_through=True)
    faulthandler.enable(file=sys.stderr, all_threads=False)
    os._exit = _exit_reported(replies)
    os.register_at_fork(after_in_child=_forked_child)


def _end_with_the_app(lifeline: int) -> None:
    """Wait on a pipe the app never writes to: it closes when the app ends, however it
    ends (killed too), and then this worker's whole process group goes with it."""
    while os.read(lifeline, 1):
        pass
    os.killpg(0, signal.SIGKILL)


def _forked_child() -> None:
    """A scenario that forks: the copy must never answer the app in the worker's place."""
    global _is_copy
    _is_copy = True


_is_copy = False


def serve(requests: int, replies: int, worker: Worker | None = None) -> None:
    """Answer requests until the app closes its end of the pipe."""
    worker = worker or Worker(replies)
    frames, pending = Frames(), list[object]()
    while True:
        while not pending:
            data = os.read(requests, 1 << 16)
            if not data:
                return
            pending += frames.feed(data)
        reply = worker.answer(pending.pop(0))
        if _is_copy:
            _exit(0)
        for stream in (sys.stdout, sys.stderr):  # all the output goes before the answer
            stream.flush()
        with heap.paused():
            send(replies, reply)
        del reply  # the app has the trace now: its memory goes back to the system
        heap.give_back()


def main(argv: list[str]) -> None:
    requests, replies, lifeline, max_memory = map(int, argv[1:5])
    _set_up(replies, lifeline, max_memory)
    serve(requests, replies)
    sys.stdout.flush()
    _exit(0)  # no atexit handler or thread of the scenario's runs after the app is done


if __name__ == "__main__":
    main(sys.argv)
