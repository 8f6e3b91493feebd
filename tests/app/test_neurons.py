"""Neurons of micrograd.nn drawn collapsed as boxes: found by their labels, drawn packed,
and stepped through with the box held still."""

from __future__ import annotations

from typing import cast

import pytest

from micrograd import Trace, Value
from micrograd.losses import mse
from micrograd.nn import MLP
from tests.app.test_app import ROOT, graph_text
from tests.app.test_teaching import QUIET, debugger, select
from tui.app import MicrogradApp
from tui.loading.summary import Summary
from tui.view.neurons import find_neurons
from tui.view.trace_view import TraceView
from tui.widgets.graph import GraphView
from tui.widgets.inspector import Inspector

pytestmark = pytest.mark.slow

MLP_SCENARIO = ROOT / "scenarios" / "mlp.py"


def lecture_mlp() -> TraceView:
    model = MLP(3, [4, 4, 1], activation="tanh", seed=1)
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5]]
    loss = mse([cast(Value, model(x)) for x in xs], [1.0, -1.0])
    return TraceView(Summary(ROOT / "m.py", "m", "", "", False), Trace(loss, forward=True))


def test_each_application_of_each_neuron_is_found_with_its_inputs_and_weights() -> None:
    view = lecture_mlp()
    neurons = find_neurons(view.trace.labels, view.trace.ops, view.trace.operands)
    assert len(neurons) == 2 * 9  # two samples through 4 + 4 + 1 neurons
    first = neurons[0]
    assert view.names[first.out] == "L0.n0.out[0]" and first.formula == "tanh(Σwᵢxᵢ+b)"
    assert [view.names[i] for i in first.inputs] == ["x0[0]", "x1[0]", "x2[0]"]
    assert [view.names[w] for w in first.weights] == ["L0.n0.w0", "L0.n0.w1", "L0.n0.w2", "L0.n0.b"]
    assert len(first.inside) == 3 + 3 + 1  # w_i·x_i, the sums, tanh
    last = neurons[-1]
    assert last.formula == "Σwᵢxᵢ+b" and view.names[last.out] == "L2.n0.sum[1]"
    assert [view.names[i] for i in last.inputs] == [f"L1.n{j}.out[1]" for j in range(4)]


def test_collapsed_every_drawn_node_stands_for_itself_or_a_whole_neuron() -> None:
    view = lecture_mlp()
    view.collapsed.update({"L0.n0", "L1.n2"})
    display = view.display()
    assert display is not None
    for node in range(view.size):
        shown = view.drawn((node,))[0]
        neuron = view.neuron_of(node)
        if neuron is None or neuron.name not in view.collapsed or node in display.boxes:
            assert shown == node
        else:
            assert display.is_hidden(node) and display.boxes[shown].name == neuron.name
    hidden = (2 * 6 + 4) + (2 * 8 + 5)  # inside each application but its output; weights
    assert len(view.all_drawn()) == view.size - hidden


async def test_x_collapses_the_selected_neuron_and_x_again_opens_it() -> None:
    app = MicrogradApp(ROOT / "scenarios" / "neuron.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        assert not screen.view.has_neurons  # the lecture's neuron is written out by hand
        assert screen.check_action("neuron", ()) is False
    app = MicrogradApp(MLP_SCENARIO, options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        await pilot.press(*["right"] * 3)
        await select(pilot, screen, "L0.n0.w1x1[0]")
        await pilot.press("x")
        assert screen.view.collapsed == {"L0.n0"}
        assert "L0.n0[0] tanh(Σwᵢxᵢ+b)" in graph_text(screen)
        assert "L0.n0.w1x1[0]" not in graph_text(screen)
        await pilot.press("x")  # the cursor is on the box: it opens again
        assert screen.view.collapsed == set()
        await pilot.press("X")
        assert screen.view.collapsed == {
            f"L{i}.n{j}" for i, n in ((0, 4), (1, 4), (2, 1)) for j in range(n)
        }
        await pilot.press("X")
        assert screen.view.collapsed == set()


@pytest.mark.parametrize("scenario", ["mlp", "train_mlp"])
async def test_collapsed_a_layer_fits_the_panel_and_the_step_is_always_in_view(
    scenario: str,
) -> None:
    app = MicrogradApp(ROOT / "scenarios" / f"{scenario}.py", options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        graph = screen.query_one(GraphView)
        await pilot.press("X")
        length = len(screen.view.trace)
        for position in range(0, length, max(1, length // 120)):
            screen.position = position
            await pilot.pause()
            focus = graph._focus()
            assert set(focus) <= set(graph._drawn)
            assert graph._layout is not None
            assert graph._layout.height <= graph.scrollable_content_region.height
            changed = graph._box_region(focus[-1])
            window = graph.scrollable_content_region.size
            assert graph.scroll_x <= changed.x and changed.right <= graph.scroll_x + window.width


async def test_a_step_inside_a_collapsed_neuron_lights_its_box_which_stays_put() -> None:
    app = MicrogradApp(MLP_SCENARIO, options=QUIET)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await debugger(pilot)
        graph = screen.query_one(GraphView)
        await pilot.press("X", *["right"] * 2)  # inside L0.n0[0]: its first products
        box = graph._focus()[-1]
        assert screen.view.names[box] == "L0.n0.out[0]"
        where = graph._layout.boxes[box] if graph._layout else None
        steps = []
        for _ in range(4):
            await pilot.press("right")
            assert graph._focus()[-1] == box and graph._layout is not None
            assert graph._layout.boxes[box] == where
            steps.append(screen.view.describe_current())
        assert len({step.update for step in steps if step}) == 4  # the step panel moves on
        rows = dict(screen.query_one(Inspector)._rows)
        assert "L0.n0[0] tanh(Σwᵢxᵢ+b), drawn as one box" in str(rows["neuron"])
        assert str(rows["weights"]).startswith("L0.n0.w0 = ")
