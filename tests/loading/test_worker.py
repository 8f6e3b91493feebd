"""The worker process and what crosses its pipe: plain data, exact, and nothing that lasts."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from micrograd import CallStep, Trace, UpdateStep, Value, engine, heap, speed
from micrograd.engine import ADD, MUL, power_by
from micrograd.trace import LiveGraph, Update
from tests.corpus import worker_processes
from tui.loading import remote, worker
from tui.loading.errors import ScenarioError
from tui.loading.protocol import Frames, Load, Rebuild, Recorded, send
from tui.loading.scenario import read_source

ROOT = Path(__file__).resolve().parents[2]


def crossed(trace: Trace) -> Trace:
    """The trace as the app receives it from the worker."""
    copy: Trace = pickle.loads(pickle.dumps(trace, protocol=pickle.HIGHEST_PROTOCOL))
    return copy


def test_an_op_crosses_as_its_name_and_is_the_table_s_own_op_again() -> None:
    for op in (ADD, MUL, power_by(2.0), power_by(-0.5)):
        assert pickle.loads(pickle.dumps(op)) is op


def test_a_trace_crosses_whole_and_steps_to_the_same_bits_both_ways() -> None:
    x, y = Value(2.0, label="x"), Value(-3.0, label="y")
    z = (x * y + x**2).tanh() / (y - 0.5)
    z.label = "z"
    updates: list[Update] = [(x, 0.1, 7.0, 2.0, 1.3, "SGD")]
    trace = Trace(z, forward=True, updates=updates)
    copy = crossed(trace)
    assert copy.steps == trace.steps and any(isinstance(s, UpdateStep) for s in copy.steps)
    assert (copy.labels, copy.ops, copy.rules) == (trace.labels, trace.ops, trace.rules)
    assert not hasattr(copy, "nodes"), "no live Value crosses"
    for position in [*range(len(trace) + 1), *range(len(trace), -1, -1)]:
        trace.seek(position)
        copy.seek(position)
        for i in range(trace.size):
            assert copy.grad(i).hex() == trace.grad(i).hex()
            assert repr(copy.data(i)) == repr(trace.data(i))


def test_a_learner_s_own_class_crosses_as_calls() -> None:
    class Own:
        def __init__(self, data: float, children: tuple[Own, ...] = (), op: str = "") -> None:
            self.data, self.grad, self._prev, self._op = data, 0.0, set(children), op
            self._backward = lambda: None

        def __mul__(self, other: Own) -> Own:
            out = Own(self.data * other.data, (self, other), "*")

            def backward() -> None:
                self.grad += other.data * out.grad
                other.grad += self.data * out.grad

            out._backward = backward
            return out

    trace = Trace(Own(2.0) * Own(3.0))
    copy = crossed(trace)
    assert copy.own and isinstance(copy.steps[-1], CallStep) and copy.steps == trace.steps


def test_a_scenario_error_crosses_field_by_field() -> None:
    error = ScenarioError("Too slow", "a.py", "it ran long", "Make it smaller", 7)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.title, copy.path, copy.message, copy.hint, copy.line) == (
        "Too slow",
        "a.py",
        "it ran long",
        "Make it smaller",
        7,
    )


def test_edits_and_rebuilds_are_asked_of_the_worker_that_holds_the_graph() -> None:
    worker = remote.WorkerProcess()
    try:
        first = worker.load(Load(str(ROOT / "scenarios" / "example.py"), 10, 100, True))
        x = first.trace.labels.index("x")
        again = worker.ask(Rebuild(0, True, (x, 3.0)), 10)
        again.trace.seek(len(again.trace))
        assert again.trace.data(again.trace.root) == 3.0 * -3.0 + 3.0**2
        backward_only = worker.ask(Rebuild(0, False), 10).trace
        assert backward_only.forward_length == 0 and backward_only.starting_data(x) == 3.0
    finally:
        worker.close()
    assert worker.process.returncode is not None


def test_the_worker_keeps_only_the_live_graph_and_gives_its_trace_s_memory_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once the app has the trace, the worker needs the graph alone to record it again: at
    10^5 nodes it held 106 MB with its traces and 66 MB without, the freed memory given
    back to the system."""
    given_back: list[int] = []
    monkeypatch.setattr(heap, "give_back", lambda: given_back.append(1))
    monkeypatch.setattr(engine, "new_value", speed.new_value)  # the worker records sites
    monkeypatch.setattr(engine.Value, "__init__", engine.Value.__init__)  # by patching these
    requests_read, requests = os.pipe()
    replies, replies_write = os.pipe()
    path = str(ROOT / "scenarios" / "example.py")
    for request in (Load(path, 10, 100, True), Rebuild(0, True, (0, 3.0))):
        send(requests, request)
    os.close(requests)
    received = bytearray()

    def read_replies() -> None:  # as the app does, so the pipe never fills
        while data := os.read(replies, 1 << 16):
            received.extend(data)

    reader = threading.Thread(target=read_replies)
    reader.start()
    worker_ = worker.Worker(replies_write)
    worker.serve(requests_read, replies_write, worker_)
    for descriptor in (requests_read, replies_write):
        os.close(descriptor)
    reader.join()
    os.close(replies)
    answers = [m for m in Frames().feed(bytes(received)) if isinstance(m, Recorded)]
    assert len(answers) == 2 and len(given_back) == 2, "after each answer"
    (kept,) = worker_.graphs.values()
    assert isinstance(kept, LiveGraph) and kept.nodes[0].data == 3.0
    assert answers[1].trace.starting_data(0) == 3.0


def test_a_new_load_starts_from_a_fresh_process(tmp_path: Path) -> None:
    """Nothing a scenario patched or imported survives: a changed helper is picked up."""
    (tmp_path / "helper.py").write_text("START = 2.0\n")
    scenario = tmp_path / "uses_helper.py"
    scenario.write_text(
        "import micrograd\nfrom helper import START\nfrom micrograd import Value\n"
        "micrograd.Value.__add__ = None  # a monkeypatch that must not last\n"
        "x = Value(START)\ny = x * x\n"
    )
    first = remote.load(scenario, 10, 100, True)
    (tmp_path / "helper.py").write_text("START = 5.0\n")
    os.utime(tmp_path / "helper.py", (time.time() + 5, time.time() + 5))
    second = remote.load(scenario, 10, 100, True)
    assert first.trace.starting_data(0) == 2.0 and second.trace.starting_data(0) == 5.0
    assert Value(1.0) + 1.0 is not None, "the app's own micrograd is untouched"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: os.mkfifo(path), "is not a regular file (it is a named pipe (FIFO))"),
        (lambda path: path.symlink_to("/dev/zero"), "it is a character device"),
        (lambda path: path.symlink_to(path), "has too many levels of symbolic links"),
    ],
    ids=["fifo", "link to /dev/zero", "link loop"],
)
def test_a_file_that_is_not_a_regular_one_is_refused_at_once(
    tmp_path: Path, make: object, message: str
) -> None:
    path = tmp_path / "scenario.py"
    make(path)  # type: ignore[operator]
    started = time.monotonic()
    with pytest.raises(ScenarioError) as caught:
        read_source(path)
    assert message in caught.value.message and time.monotonic() - started < 1
    with pytest.raises(ScenarioError, match="regular file|symbolic links"):
        remote.load(path, 10, 100, True)


def test_the_worker_ends_with_the_process_that_started_it(tmp_path: Path) -> None:
    """Killed outright, the app runs no clean-up: the worker must notice by itself."""
    script = tmp_path / "starter.py"
    script.write_text(
        "import sys, time\nfrom tui.loading import remote\nfrom tui.loading.protocol import Load\n"
        f"remote.WorkerProcess().start(Load({str(ROOT / 'tests/bad_scenarios/endless.py')!r}, "
        "600, 100, True))\nprint('started', flush=True)\ntime.sleep(60)\n"
    )
    starter = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, cwd=ROOT)
    assert starter.stdout is not None and starter.stdout.readline() == b"started\n"
    time.sleep(0.5)
    workers = worker_processes(of=starter.pid)
    assert workers, "the worker is running"
    starter.kill()
    starter.wait()
    for _ in range(50):
        if not any(Path(f"/proc/{pid}").exists() for pid in workers):
            break
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
