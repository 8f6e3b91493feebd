"""The backward pass's queue and the numbers on a step's edge, against the steps themselves."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd import ChainStep, Trace, Value
from tests.text.test_rules import evaluate, graphs
from tui.loading.summary import Summary
from tui.text.rules import flow_text
from tui.text.waiting import Queue, queue_text
from tui.view.trace_view import NAMED, TraceView


def counted(trace: Trace) -> tuple[list[int], list[int], int]:
    """The queue at the cursor the slow way, from the steps applied so far: the nodes with
    a final grad that have not passed it on (in the order they will), the nodes with some
    contributions in but not all, and how many no contribution has reached."""
    applied = range(trace.forward_length, min(trace.position, trace.backward_end))
    arrived = [0] * trace.size
    passed = set()
    for index in applied:
        step = trace.steps[index]
        for target in step.targets:
            arrived[target] += 1
        if isinstance(step, ChainStep):
            passed.add(step.output)
    total = [trace.contributions(node) for node in range(trace.size)]
    final = [node for node in range(trace.size) if total[node] and arrived[node] == total[node]]
    ready = [node for node in final if trace.operands(node) and node not in passed]
    ready.sort(key=trace.passes_at)
    waiting = [node for node in range(trace.size) if 0 < arrived[node] < total[node]]
    unreached = sum(1 for node in range(trace.size) if total[node] and not arrived[node])
    return ready, waiting, unreached


@settings(max_examples=200, deadline=None)
@given(graphs(), st.booleans())
def test_the_queue_counts_and_names_what_the_steps_say(root: Value, forward: bool) -> None:
    trace = Trace(root, forward=forward)
    view = TraceView(Summary(Path("q.py"), "q", "", "", False), trace)
    for position in range(len(trace) + 1):
        trace.seek(position)
        queue = view.queue()
        if position <= trace.forward_length:
            assert queue is None
            continue
        assert queue is not None
        ready, waiting, unreached = counted(trace)
        assert queue.ready_count == len(ready)
        assert list(queue.ready) == [view.names[n] for n in ready[:NAMED]]
        assert queue.waiting_count == len(waiting)
        assert queue.unreached == unreached
        for name, got, total in queue.waiting:  # constants share names: any of the name
            assert any(
                view.names[n] == name and trace.arrived(n) == got < total == trace.contributions(n)
                for n in waiting
            )


def test_the_queue_in_words_counts_what_it_does_not_name() -> None:
    queue = Queue(("n", "x*y", "b"), 5, (("x", 1, 2),), 1, 4)
    text = queue_text(queue)
    assert text == "ready: n, (x*y), b +2 │ waiting: x (1 of 2 in) │ not reached: 4"
    assert queue_text(Queue((), 0, (), 0, 0)) == "ready: none"


@settings(max_examples=200, deadline=None)
@given(graphs())
def test_the_numbers_on_a_step_s_edge_multiply_to_what_it_adds(root: Value) -> None:
    trace = Trace(root)
    for step in trace.steps:
        if isinstance(step, ChainStep):
            product, _, result = flow_text(step, repr).removeprefix("+= ").rpartition(" = ")
            assert evaluate(product) == evaluate(result) == step.contribution or (
                step.contribution != step.contribution  # nan is not itself
            )
