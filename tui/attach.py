"""``debug(loss)``: the debugger on a graph a program has built, opened where it stands.

As ``breakpoint()`` stops a program in a debugger, ``debug(loss)`` stops it
in the step-through debugger on ``loss``'s graph, and the program goes on
when the learner quits. The app runs in a process of its own on the same
terminal (``python -m tui.attach``); the program, which holds the graph,
answers it as a scenario's worker process does (``tui.loading.worker``):
it records the pass and sends plain data. Nothing of the app runs in the
learner's process, and nothing of the learner's runs in the app's.
"""

from __future__ import annotations

import contextlib
import copy
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

from micrograd.graph import topological_order
from micrograd.trace import Update
from micrograd.training import Iteration
from tui import notebook
from tui.loading.errors import ScenarioError
from tui.loading.protocol import Load, Recorded
from tui.loading.remote import AttachedProcess
from tui.loading.scenario import (
    DEFAULT_MAX_NODES,
    DEFAULT_TIMEOUT,
    Scenario,
    is_node,
    label_by_variable,
    scenario_of,
)
from tui.loading.sites import SiteRecorder
from tui.loading.torch_graph import is_tensor
from tui.loading.worker import Worker, serve

NO_TERMINAL = (
    "debug() opens the debugger in a terminal (or a notebook's cell), and this has none.\n"
    "Save the code that builds the graph in a file, then run in a terminal:\n"
    "  micrograd-tui neuron.py   or, to open it in a browser tab:\n"
    "  micrograd-tui --serve neuron.py   and open the link it prints."
)


def debug(
    root: Any,
    *,
    backward: bool = False,
    optimizer: Any = None,
    caller: FrameType | None = None,
) -> None:
    """Step through ``root``'s graph in the debugger; return when the learner quits.

    ``root`` is a micrograd ``Value``, a node of a learner's own Value class, or a
    one-number PyTorch tensor. Unlabelled nodes take the names of the caller's
    variables that hold them, and the source panel shows the caller's file.
    With ``optimizer`` (an optimizer over the graph's parameters, micrograd's
    ``SGD`` or ``Adam``), the steps end with that optimizer's one step.

    The graph is left as it was found: every node's data, grad and label, and
    the optimizer's parameters and state. With ``backward=True`` the grads are
    then left as ``root.backward()`` leaves them from zero, as after a training
    step's ``zero_grad()`` and ``backward()``; a PyTorch root's ``.grad``s are
    filled by ``root.backward()`` itself.

    In a Jupyter notebook the debugger is shown in the cell, through the browser
    mode, on the pass as it is now (``tui.notebook``), and ``debug()`` returns at
    once. Without a terminal or a notebook, it prints how to open the graph.
    """
    frame = caller or sys._getframe(1)
    path = Path(frame.f_code.co_filename)
    try:
        nodes = _every_node(root, path)
    except ScenarioError as error:
        _say(error, frame)
        return
    terminal = sys.stdin.isatty() and sys.stdout.isatty()
    if not terminal and not notebook.in_notebook():
        print(NO_TERMINAL)
        if backward:
            _backward(root, nodes)
        return
    namespace = {**frame.f_globals, **frame.f_locals}
    name = next((n for n, v in frame.f_locals.items() if v is root), "")
    kept = [(node, node.data, node.grad, getattr(node, "label", "")) for node in nodes]
    try:
        updates = _one_step(root, nodes, optimizer, path) if optimizer is not None else []
        ours = {id(node) for node in nodes}
        label_by_variable({n: v for n, v in namespace.items() if id(v) in ours})
        scenario = scenario_of(
            root,
            path,
            f"debug({name or 'the root'}) at {path.name}:{frame.f_lineno}",
            f"Opened by debug() at line {frame.f_lineno} of {path}. Quit (q) to go back to the "
            "program, which goes on where it called debug().",
            namespace,
        )
        scenario.updates = updates
        if terminal:
            _run_app(scenario)
        else:
            notebook.show({forward: _record(scenario, forward) for forward in (True, False)}, path)
    except ScenarioError as error:
        _say(error, frame)
    finally:
        for node, data, grad, label in kept:
            node.data, node.grad = data, grad
            with contextlib.suppress(AttributeError):
                node.label = label
    if backward:
        _backward(root, nodes)


def _say(error: ScenarioError, frame: FrameType) -> None:
    """One line on standard error, at the line that called ``debug()``; the program goes
    on, as after a quit."""
    where = error.line or frame.f_lineno
    error = ScenarioError(error.title, error.path, error.message, error.hint, where)
    print(f"micrograd-tui: error: {error}", file=sys.stderr)


def _every_node(root: Any, path: Path) -> list[Any]:
    """The graph's nodes of micrograd or a learner's class, to put back as they were after
    (none for a PyTorch graph, which is never changed)."""
    if is_tensor(root):
        return []
    if not is_node(root):
        raise ScenarioError(
            "Not a graph",
            path,
            f"debug() needs a Value, not {type(root).__name__} {root!r:.40}",
            "Pass the Value to step through, e.g. debug(loss)",
        )
    try:
        return topological_order(root)
    except Exception as error:  # a cycle, or an operand that is no node
        raise ScenarioError(
            "Not a graph",
            path,
            f"its graph cannot be walked ({type(error).__name__}: {error})",
            "Build it from Values, each from ones made before it",
        ) from None


def _backward(root: Any, nodes: list[Any]) -> None:
    """``root.backward()`` from zero grads (a PyTorch root's own, into its ``.grad``s)."""
    for node in nodes:
        node.grad = 0.0
    root.backward()


def _one_step(root: Any, nodes: list[Any], optimizer: Any, path: Path) -> list[Update]:
    """The optimizer's step from the grads ``root.backward()`` gives, taken on a copy of
    the optimizer (its momentum and Adam state stay as they were), with the parameters
    then put back."""
    parameters = getattr(optimizer, "parameters", None)
    if not isinstance(parameters, list) or is_tensor(root):
        raise ScenarioError(
            "Not an optimizer here",
            path,
            f"optimizer= takes micrograd's SGD or Adam, not a {type(optimizer).__name__}",
            "Pass micrograd.optim.SGD(...) or Adam(...), or leave optimizer out",
        )
    start = tuple(float(p.data) for p in parameters)
    _backward(root, nodes)
    grads = tuple(float(p.grad) for p in parameters)
    stepper = copy.deepcopy(optimizer, memo={id(p): p for p in parameters})
    stepper.step()
    end = tuple(float(p.data) for p in parameters)
    for parameter, data in zip(parameters, start):
        parameter.data = data
    return Iteration(float(root.data), start, grads, end).updates(optimizer)


class _Program(Worker):
    """The calling program as the app's worker: a load records the graph it holds."""

    def __init__(self, replies: int, scenario: Scenario) -> None:
        super().__init__(replies)
        self.ready = scenario

    def load(self, request: Load) -> Recorded:
        self.sites = SiteRecorder(self.ready.path)  # never installed: no node has a site
        self.graphs.clear()
        for node in self.ready.nodes:  # as loaded: a leaf's grad would add up pass on pass
            node.grad = 0.0
        return self.record_first(self.ready, request.forward)


def _record(scenario: Scenario, forward: bool) -> Recorded:
    """The pass as the app would be sent it, recorded now, once: a notebook keeps the live
    graph, so the app cannot ask for an edit."""
    with open(os.devnull, "wb") as nowhere:  # no app is waiting to hear how far it got
        program = _Program(nowhere.fileno(), scenario)
        request = Load(str(scenario.path), DEFAULT_TIMEOUT, DEFAULT_MAX_NODES, forward)
        recorded = program.load(request)
    assert recorded.summary is not None
    return replace(recorded, summary=replace(recorded.summary, editable=False))


def _run_app(scenario: Scenario) -> None:
    """Start the app on this terminal and answer it until it ends."""
    requests_read, requests_write = os.pipe()
    replies_read, replies_write = os.pipe()
    output_read, output_write = os.pipe()
    given = (requests_write, replies_read, output_read)
    command = [sys.executable, "-m", "tui.attach", *map(str, given), str(scenario.path)]
    app = subprocess.Popen(command, pass_fds=given)
    for descriptor in given:
        os.close(descriptor)
    interrupt = _ignore_interrupts()  # ctrl+c is the app's, as in a scenario's worker
    try:
        with (
            open(output_write, "w", encoding="utf-8") as printed,
            contextlib.redirect_stdout(printed),
            contextlib.redirect_stderr(printed),
        ):
            serve(requests_read, replies_write, _Program(replies_write, scenario))
    finally:
        os.close(requests_read)
        os.close(replies_write)
        app.wait()
        if interrupt is not None:
            signal.signal(signal.SIGINT, interrupt)
    if app.returncode:
        raise ScenarioError(
            "The debugger failed",
            scenario.path,
            f"the debugger ended with status {app.returncode}",
            "Run it again",
        )


def _ignore_interrupts() -> Any:
    """Ignore SIGINT while the app runs (it gets its own); the handler to put back, or
    None where signals cannot be set (a thread other than the main one)."""
    try:
        return signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:
        return None


def main(argv: list[str]) -> int:
    """The app's side: ``python -m tui.attach REQUESTS REPLIES OUTPUT PATH``."""
    requests, replies, output = map(int, argv[1:4])
    return notebook.run_app(AttachedProcess(requests, replies, output), Path(argv[4]))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
