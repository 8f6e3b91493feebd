"""PyTorch's autograd stepped like micrograd: every step calls PyTorch's own grad_fn, in
the order its engine does, and the last leaves each leaf's grad as loss.backward() does,
bit for bit."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd import CallStep, Trace
from micrograd.graph import topological_order
from tests.app.test_teaching import debugger
from tests.engine.test_steps import bits
from tui.app import MicrogradApp
from tui.loading.errors import ScenarioError
from tui.loading.scenario import load_scenario, record
from tui.loading.torch_graph import (
    TensorNode,
    UnknownData,
    engine_order,
    graph_of,
    recorder,
)
from tui.options import Options
from tui.text.naming import node_names

torch = pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parents[2]

UNARY = {
    "neg": lambda a: -a,
    "exp": lambda a: a.exp(),
    "log": lambda a: a.abs().log(),
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "relu": lambda a: a.relu(),
    "square": lambda a: a**2,
    "cube": lambda a: a**3,
}
BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a.abs() ** b,
}
WITH_A_NUMBER = {
    "x+c": lambda a, c: a + c,
    "c-x": lambda a, c: c - a,
    "x*c": lambda a, c: a * c,
    "x/c": lambda a, c: a / c,
    "c/x": lambda a, c: c / a,
    "x-c": lambda a, c: a - c,
    "c**x": lambda a, c: abs(c) ** a,
}


def stepped(root: Any, namespace: dict[str, Any], recorded: Any) -> tuple[Trace, list[TensorNode]]:
    """The graph as the loader records it: the engine's order, grads from 0, every step."""
    node = graph_of(root, namespace, recorded)
    order = engine_order(topological_order(node))
    for each in order:
        each.grad = 0.0
    index = {id(each): position for position, each in enumerate(order)}
    trace = Trace(node, False, order=order, index=index)
    trace.seek(len(trace))
    return trace, order


@st.composite
def expressions(draw: st.DrawFn) -> tuple[list[Any], Any, Any]:
    """Random scalar expressions over three leaves, every op both engines have, numbers on
    either side, and nodes used again (so that grads meet and their order matters)."""
    values = draw(st.lists(st.floats(0.25, 3.0), min_size=3, max_size=3))
    leaves = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]
    with recorder() as recording:
        pool = list(leaves)
        for _ in range(draw(st.integers(2, 12))):
            kind = draw(st.sampled_from(["unary", "binary", "number"]))
            a = draw(st.sampled_from(pool))
            if kind == "unary":
                made = UNARY[draw(st.sampled_from(sorted(UNARY)))](a)
            elif kind == "binary":
                made = BINARY[draw(st.sampled_from(sorted(BINARY)))](a, draw(st.sampled_from(pool)))
            else:
                number = draw(st.sampled_from([0.5, 2.0, -3.0]))
                made = WITH_A_NUMBER[draw(st.sampled_from(sorted(WITH_A_NUMBER)))](a, number)
            pool.append(made.tanh() if made.abs().item() > 1e6 else made)
        loss = pool[-1] + pool[-2] * pool[len(pool) // 2]
    return leaves, loss, recording


@settings(max_examples=150, deadline=None)
@given(expressions())
def test_the_last_step_leaves_every_leaf_grad_as_backward_does_bit_for_bit(
    case: tuple[list[Any], Any, Any],
) -> None:
    leaves, loss, recording = case
    trace, order = stepped(loss, {f"x{i}": leaf for i, leaf in enumerate(leaves)}, recording)
    called: list[Any] = []
    functions = {id(node.grad_fn): node.grad_fn for node in order if node.grad_fn is not None}
    for fn in functions.values():
        fn.register_prehook(lambda grads, fn=fn: called.append(fn))
    loss.backward()
    for i, leaf in enumerate(leaves):
        node = next((n for n in order if n.label == f"x{i}"), None)
        if leaf.grad is None:
            assert node is None, "a leaf the loss does not use is not in its graph"
            continue
        assert node is not None
        assert bits([trace.grad(order.index(node))]) == bits([leaf.grad.item()])
    steps = [step for step in trace.steps if isinstance(step, CallStep)]
    assert [order[step.node].grad_fn for step in steps] == called, "PyTorch's own order"
    trace.seek(0)
    assert all(trace.grad(i) == 0.0 for i in range(trace.size)), "stepping back undoes it all"


def test_each_step_calls_the_grad_fn_and_nodes_are_named_as_written() -> None:
    x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    with recorder() as recording:
        o = (x * 2.0).tanh()
        loss = (o - 1.0) ** 2 + 3.0 / o
    trace, order = stepped(loss, {"x": x, "o": o, "loss": loss}, recording)
    names = node_names(trace)
    assert names == ["x", "x*2.0", "o", "o-1.0", "(o-1.0)**2", "reciprocal#5", "*3.0#6", "loss"]
    assert trace.ops == ["", "*2.0", "tanh", "-1.0", "**2", "reciprocal", "*3.0", "+"]
    values = {"x": 0.5, "o": o.item()}
    for node in (1, 3, 4):  # a formula name computes its node, as micrograd's names do
        assert eval(names[node], {}, values) == trace.data(node), names[node]


def test_a_value_kept_nowhere_is_a_clear_error_without_the_recorder() -> None:
    x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    loss = (x + 1.0).exp() + x
    with pytest.raises(UnknownData, match="AddBackward0"):
        graph_of(loss, {"x": x})
    kept = (x * 2.0 + 1.0) ** 2  # the power keeps its base: no recorder needed
    assert graph_of(kept, {"x": x}).data == pytest.approx(4.0)
    named = x + 1.0  # a variable holds it: its value is known
    assert graph_of(named.exp() + x, {"x": x, "named": named}).data == math.exp(1.5) + 0.5


def test_torch_neuron_steps_to_the_numbers_of_micrograd_s_neuron() -> None:
    ours = load_scenario(ROOT / "scenarios" / "neuron.py")
    theirs = load_scenario(ROOT / "scenarios" / "torch_neuron.py")
    assert isinstance(theirs.root, TensorNode) and theirs.functions[-1] == "TanhBackward0"
    grads = {}
    for scenario in (ours, theirs):
        trace = record(scenario, False)
        trace.seek(len(trace))
        grads[scenario.path.stem] = {
            trace.labels[i]: (trace.data(i), trace.grad(i)) for i in range(trace.size)
        }
    for label in ("x1", "w1", "x2", "w2", "b", "n", "o"):
        assert grads["torch_neuron"][label] == pytest.approx(grads["neuron"][label], abs=1e-15)


def test_a_tensor_of_several_numbers_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "batch.py"
    path.write_text("import torch\nx = torch.ones(3, requires_grad=True)\nloss = (x * 2).sum()\n")
    with pytest.raises(ScenarioError, match="x is a tensor of 3 numbers") as raised:
        load_scenario(path)
    assert "scalar" in raised.value.message


def test_without_pytorch_a_torch_scenario_names_the_extra(tmp_path: Path) -> None:
    fake = tmp_path / "site" / "torch"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'torch'\", name='torch')\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--print", str(ROOT / "scenarios" / "torch_neuron.py")],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{tmp_path / 'site'}:{ROOT}"},
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "pip install 'micrograd-tui[torch]'" in done.stderr


async def test_the_app_steps_pytorch_s_graph_and_names_each_grad_fn() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "torch_neuron.py", options=Options(watch=False))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await debugger(pilot)
        await pilot.press("right", "right")
        assert "o.grad_fn(o.grad)" in screen.view.status()
        text = screen.view.describe_current()
        assert (
            text is not None
            and text.rule == "o.grad_fn is PyTorch's TanhBackward0, called as o.backward() calls it"
        )
        assert screen.check_action("edit", ()) is False, "an edit would need PyTorch's forward"
        await pilot.press("end")
        assert "every grad_fn agrees" in screen.view.check_text()
