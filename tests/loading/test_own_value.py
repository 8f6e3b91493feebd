"""Bring your own Value: a learner's lecture-style class, stepped one ``_backward()`` call at a
time, and a gradient check that points at the first node whose calculus is wrong."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from micrograd import CallStep, SeedStep, Trace
from micrograd.gradcheck import check_backward_calls
from micrograd.graph import operands_of, topological_order
from micrograd.steps import BackwardCallError
from tests.app.test_teaching import debugger
from tests.engine.test_steps import bits
from tui.app import MicrogradApp
from tui.loading.errors import ScenarioError
from tui.loading.scenario import load_scenario, record
from tui.options import Options

ROOT = Path(__file__).resolve().parents[2]
BUGS = ("none", "tanh", "assign", "upstream", "raises")


def lecture_class(bug: str = "none") -> type:
    """A Value class as a learner writes it in the lecture, with one optional bug."""

    class Value:
        def __init__(self, data: float, _children: tuple[Any, ...] = (), _op: str = "") -> None:
            self.data = data
            self.grad = 0.0
            self._backward: Callable[[], None] = lambda: None
            self._prev = set(_children)
            self._op = _op
            self.label = ""

        def __add__(self, other: Any) -> Value:
            other = other if isinstance(other, Value) else Value(other)
            out = Value(self.data + other.data, (self, other), "+")

            def _backward() -> None:
                upstream = 1.0 if bug == "upstream" else out.grad
                self.grad += upstream
                other.grad += upstream

            out._backward = _backward
            return out

        def __mul__(self, other: Any) -> Value:
            other = other if isinstance(other, Value) else Value(other)
            out = Value(self.data * other.data, (self, other), "*")

            def _backward() -> None:
                if bug == "assign":
                    self.grad = other.data * out.grad
                    other.grad = self.data * out.grad
                else:
                    self.grad += other.data * out.grad
                    other.grad += self.data * out.grad

            out._backward = _backward
            return out

        __radd__ = __add__
        __rmul__ = __mul__

        def tanh(self) -> Value:
            t = math.tanh(self.data)
            out = Value(t, (self,), "tanh")

            def _backward() -> None:
                if bug == "raises":
                    raise ZeroDivisionError("division by zero")
                local = 1 - t if bug == "tanh" else 1 - t**2
                self.grad += local * out.grad

            out._backward = _backward
            return out

        def backward(self) -> None:
            topo: list[Value] = []
            seen: set[int] = set()

            def build(v: Value) -> None:
                if id(v) not in seen:
                    seen.add(id(v))
                    for child in v._prev:
                        build(child)
                    topo.append(v)

            build(self)
            self.grad = 1.0
            for v in reversed(topo):
                v._backward()

    return Value


def neuron(bug: str = "none") -> dict[str, Any]:
    """The lecture's neuron with the learner's class; every node labelled."""
    value = lecture_class(bug)
    nodes = {name: value(x) for name, x in [("x1", 2.0), ("x2", 0.0), ("w1", -3.0), ("w2", 1.0)]}
    nodes["b"] = value(6.8813735870195432)
    nodes["x1w1"] = nodes["x1"] * nodes["w1"]
    nodes["x2w2"] = nodes["x2"] * nodes["w2"]
    nodes["x1w1x2w2"] = nodes["x1w1"] + nodes["x2w2"]
    nodes["n"] = nodes["x1w1x2w2"] + nodes["b"]
    nodes["o"] = nodes["n"].tanh()
    for name, node in nodes.items():
        node.label = name
    return nodes


def test_each_step_is_one_backward_call_and_the_end_is_the_learners_backward() -> None:
    nodes = neuron()
    trace = Trace(nodes["o"], forward=True)
    assert trace.own and trace.forward_length == 0, "no forward phase for a learner's ops"
    assert isinstance(trace.steps[0], SeedStep)
    calls = trace.steps[1:]
    assert all(isinstance(step, CallStep) for step in calls) and len(calls) == 5
    first = calls[0]
    assert isinstance(first, CallStep)
    assert trace.nodes[first.node] is nodes["o"] and first.operands == (trace.id_of(nodes["n"]),)
    assert first.before == (0.0,) and first.after == pytest.approx((0.5,))
    trace.seek(len(trace))
    reference = neuron()
    reference["o"].backward()
    assert bits(list(trace.grads())) == bits([reference[n.label].grad for n in trace.nodes])


def test_stepping_back_through_calls_is_bit_exact() -> None:
    trace = Trace(neuron()["o"])
    snapshots = []
    for position in range(len(trace) + 1):
        trace.seek(position)
        snapshots.append(bits(list(trace.grads())))
    for position in [3, 0, 6, 1, 5, 2, 0]:
        trace.seek(position)
        assert bits(list(trace.grads())) == snapshots[position]


def test_a_set_prev_is_walked_in_the_same_order_every_run() -> None:
    nodes = neuron()
    assert [o.label for o in operands_of(nodes["n"])] == ["b", "x1w1x2w2"]
    assert [o.label for o in operands_of(nodes["x1w1"])] == ["w1", "x1"]


def test_a_correct_class_passes_the_check_and_the_graph_is_left_as_it_was() -> None:
    nodes = neuron()
    for node in nodes.values():
        node.grad = 0.25
    check = check_backward_calls(nodes["o"])
    assert check.wrong is None and check.unchecked == ()
    assert all(node.grad == 0.25 for node in nodes.values())


@pytest.mark.parametrize(
    ("bug", "node", "operand", "problem", "expected", "actual"),
    [
        ("tanh", "o", "n", "computes the wrong local derivative", 0.5, 1 - math.sqrt(0.5)),
        ("assign", "x2w2", "w2", "overwrites the grad with = instead of adding", 0.0, -0.5),
        ("upstream", "n", "b", "does not multiply by out.grad", 1.0, 0.5),
    ],
)
def test_the_check_points_at_the_first_wrong_node(
    bug: str, node: str, operand: str, problem: str, expected: float, actual: float
) -> None:
    nodes = neuron(bug)
    wrong = check_backward_calls(nodes["o"]).wrong
    assert wrong is not None
    order = topological_order(nodes["o"])
    assert (order[wrong.node].label, order[wrong.operand].label) == (node, operand)
    assert problem in wrong.problem
    assert wrong.expected == pytest.approx(expected, abs=1e-6)
    assert wrong.actual == pytest.approx(actual, abs=1e-6)


def test_a_node_used_twice_in_a_set_is_checked_as_a_plus_a() -> None:
    value = lecture_class()
    a = value(3.0)
    doubled = a + a
    assert len(doubled._prev) == 1
    assert check_backward_calls(doubled).wrong is None
    trace = Trace(doubled)
    trace.seek(len(trace))
    assert trace.grad(trace.id_of(a)) == 2.0


def test_an_op_micrograd_does_not_know_is_listed_as_unchecked() -> None:
    value = lecture_class()
    x = value(0.5)
    out = value(math.sin(0.5), (x,), "sin")

    def _backward() -> None:
        x.grad += math.cos(0.5) * out.grad

    out._backward = _backward
    check = check_backward_calls(out)
    assert check.wrong is None and check.unchecked == ("sin",)
    trace = Trace(out)
    trace.seek(len(trace))
    assert trace.grad(0) == math.cos(0.5)


def test_a_backward_that_raises_names_its_node() -> None:
    nodes = neuron("raises")
    with pytest.raises(BackwardCallError) as caught:
        Trace(nodes["o"])
    assert topological_order(nodes["o"])[caught.value.node] is nodes["o"]
    wrong = check_backward_calls(neuron("raises")["o"]).wrong
    assert wrong is not None and "raised ZeroDivisionError" in wrong.problem


def test_the_bundled_scenarios_load_and_the_buggy_one_is_caught_at_o() -> None:
    own = load_scenario(ROOT / "scenarios" / "own_value.py")
    assert type(own.root).__name__ == "Value" and not hasattr(own.root, "_rule")
    assert check_backward_calls(own.root).wrong is None
    buggy = load_scenario(ROOT / "scenarios" / "buggy_value.py")
    wrong = check_backward_calls(buggy.root).wrong
    assert wrong is not None
    nodes = Trace(buggy.root).nodes
    assert nodes[wrong.node].label == "o" and nodes[wrong.operand].label == "n"
    assert wrong.op == "tanh" and wrong.expected == pytest.approx(0.5)


def test_a_raising_backward_is_a_scenario_error(tmp_path: Path) -> None:
    source = (ROOT / "scenarios" / "own_value.py").read_text()
    path = tmp_path / "raising.py"
    path.write_text(source.replace("self.grad += (1 - t**2) * out.grad", "1 / 0"))
    with pytest.raises(ScenarioError) as caught:
        record(load_scenario(path), forward=True)
    assert "the _backward() of node o raised ZeroDivisionError" in caught.value.message
    assert caught.value.line is not None


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_print_and_export_of_a_learners_class() -> None:
    out = cli("--print", "buggy_value")
    assert out.returncode == 0, out.stderr
    assert "2. o._backward():  n.grad 0.0 → 0.2929" in out.stdout
    assert "✗ Gradient check: the first wrong node is o = tanh(n)" in out.stdout
    assert "∂o/∂n should be 0.5 (finite differences), it gives 0.2929" in out.stdout
    assert "✓ Gradient check" in cli("--print", "own_value").stdout
    data = json.loads(cli("--export", "json", "own_value").stdout)
    call = data["steps"][1]
    assert call["kind"] == "call" and call["before"] == [0.0]
    assert call["after"][0] == pytest.approx(0.5)


def test_a_forgotten_rmul_gets_a_hint(tmp_path: Path) -> None:
    source = (ROOT / "scenarios" / "own_value.py").read_text()
    path = tmp_path / "no_rmul.py"
    path.write_text(
        source.replace("    def __rmul__(self, other):\n        return self * other\n", "")
        + "y = 2 * o\n"
    )
    out = cli("--print", str(path))
    assert out.returncode == 2
    assert "TypeError: unsupported operand type(s) for *: 'int' and 'Value'" in out.stderr
    assert "Give your Value class __rmul__ so a number can come first, e.g. 2 * x" in out.stderr


async def test_the_app_shows_the_check_and_w_goes_to_the_wrong_step() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "buggy_value.py", options=Options(watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        assert screen.has_class("-remark")
        verdict = str(screen.query_one("#check").render())
        assert "first wrong node is o = tanh(n)" in verdict
        assert screen.check_action("edit", ()) is False, "no recomputing a learner's ops"
        assert screen.check_action("forward", ()) is False
        await pilot.press("w")
        assert screen.position == 2
        assert screen.pinned is not None and screen.view.names[screen.pinned] == "o"
        assert "✗ computes the wrong local derivative" in screen.view.describe_current().remark
        await pilot.press("end", "home", "right", "right", "left")
        assert screen.position == 1


async def test_the_app_on_a_correct_class_has_no_wrong_step() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "own_value.py", options=Options(watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        check = screen.query_one("#check")
        assert "✓ Gradient check" in str(check.render())
        assert check.size.height == 1, "one line at 80 columns, leaving the graph its rows"
        assert screen.check_action("wrong", ()) is None
        await pilot.press("w", "end")
        assert screen.position == len(screen.view.trace)


def test_the_quiz_asks_what_a_backward_call_writes() -> None:
    from tui.text.naming import node_names
    from tui.text.quiz import question

    trace = Trace(neuron()["o"])
    trace.seek(1)
    asked = question(trace, node_names(trace), 1)
    assert asked.asks_for == "n.grad" and "o._backward() runs with o.data = 0.7071" in asked.prompt
    assert asked.expected == pytest.approx(0.5)
