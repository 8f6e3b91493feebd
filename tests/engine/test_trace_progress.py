"""Recording tells how far it has come, can be stopped by what it tells, and finds data
that changed after the graph was built."""

from __future__ import annotations

from typing import cast

import pytest

from micrograd import Trace, Value
from micrograd.nn import MLP
from micrograd.trace import REPORT_EVERY


def big_loss() -> Value:
    model = MLP(3, [8, 8, 1], seed=2)
    scores = [model([0.1 * i, -0.2, 0.3]) for i in range(40)]
    return sum((cast(Value, s) ** 2 for s in scores), Value(0.0))


def test_recording_reports_each_pass_up_to_its_total() -> None:
    reports: list[tuple[str, int, int]] = []
    trace = Trace(big_loss(), forward=True, progress=lambda *r: reports.append(r))
    forward = [r for r in reports if r[0] == "forward"]
    backward = [r for r in reports if r[0] == "backward"]
    assert forward[-1] == ("forward", trace.forward_length, trace.forward_length)
    assert backward[-1][1:] == (len(trace) - trace.forward_length,) * 2
    assert len(backward) > 1, "reported as it goes, not only at the end"
    dones = [done for _, done, _ in backward]
    assert dones == sorted(dones) and dones[0] == REPORT_EVERY


def test_recording_without_progress_gives_the_same_steps() -> None:
    root = big_loss()
    told = Trace(root, forward=True, progress=lambda *_: None)
    root.grad = 0.0
    for node in told.nodes:
        node.grad = 0.0
    assert Trace(root, forward=True).steps == told.steps


def test_a_progress_that_raises_stops_the_recording() -> None:
    class Stop(Exception):
        pass

    def stop(what: str, done: int, total: int) -> None:
        if what == "backward":
            raise Stop

    with pytest.raises(Stop):
        Trace(big_loss(), forward=True, progress=stop)


def test_the_forward_phase_finds_a_leaf_changed_after_the_graph_was_built() -> None:
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    d = c + 1.0
    assert Trace(d, forward=True).stale is None
    a.data += 0.001
    trace = Trace(d, forward=True)
    assert trace.stale == trace.id_of(c), "the first node whose held data its op contradicts"
    assert Trace(d).stale is None, "without a forward phase nothing is recomputed"


def test_nan_held_and_nan_computed_agree() -> None:
    x = Value(float("nan"))
    assert Trace(x * 2.0, forward=True).stale is None
