"""Random keys and resizes against the debugger: nothing raises, the step index stays in
range, and every grad on the screen is the trace's grad at the cursor.

CI runs 2,000 keys: 200 on each of 10 generated graphs (every op, shared nodes,
constants, big enough to be drawn as a neighbourhood), plus 120 on each of
two bundled scenarios that bring the training and own-class screens. ``FUZZ_KEYS=20000``
in the environment makes a longer campaign by hand.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import cast

import pytest
from textual import events
from textual.pilot import Pilot

from tui.app import MicrogradApp
from tui.options import Options
from tui.screens.debugger import DebuggerScreen
from tui.text.numbers import fmt
from tui.widgets.graph import GraphView
from tui.widgets.inspector import Inspector

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
KEYS = [
    *["right", "left", "l", "h", "n", "p", "home", "end", "g", "G"],
    *["up", "down", "j", "k", "enter", "escape", "tab", "o", "plus", "minus"],
    *["slash", "colon", "question_mark", "N", "1", "x", "backspace", "b", "c", "C"],
    *["B", "d", "t", "e", "f", "full_stop", "w", "right_square_bracket"],
    *["left_square_bracket", "space"],
]
# Stepping keys come up more often, as they do in a lesson.
WEIGHTS = [8 if key in ("right", "left") else 1 for key in KEYS]
GRAPHS = 10
BURST = 4  # keys sent before the screen is checked
KEYS_PER_GRAPH = int(os.environ.get("FUZZ_KEYS", 2000)) // GRAPHS
OPS = ["+", "-", "*"]
UNARY = [".tanh()", ".relu()", ".sigmoid()", ".exp()", "**2", ".log()"]


def random_scenario(rng: random.Random) -> str:
    """A scenario file building a random graph: every op, shared nodes and constants."""
    lines = ["from micrograd import Value", ""]
    names = []
    for i in range(rng.randint(1, 4)):
        lines.append(f"x{i} = Value({rng.uniform(-2, 2):.3f})")
        names.append(f"x{i}")
    for i in range(rng.randint(5, 90)):
        a, b = rng.choice(names), rng.choice(names)
        kind = rng.random()
        if kind < 0.45:
            expression = f"{a} {rng.choice(OPS)} {b}"
        elif kind < 0.6:
            expression = f"{a} {rng.choice(OPS)} {rng.uniform(-3, 3):.2f}"
        elif kind < 0.7:
            expression = f"{a} / ({b} * {b} + 1)"
        else:
            unary = rng.choice(UNARY)
            expression = f"({a} * {a} + 0.5){unary}" if unary == ".log()" else f"({a}){unary}"
        lines.append(f"n{i} = {expression}")
        names.append(f"n{i}")
    lines.append(f"root = {names[-1]}")
    return "\n".join(lines) + "\n"


def assert_screen_tells_the_truth(debugger: DebuggerScreen) -> None:
    """Every grad drawn in the graph panel and in the inspector is the trace's at the cursor."""
    trace = debugger.view.trace
    assert 0 <= debugger.position <= len(trace)
    assert trace.position == debugger.position

    def expected(node: int) -> str:
        return fmt(trace.grad(node))

    graph = debugger.query_one(GraphView)
    if graph.view is debugger.view and graph._layout is not None:
        left, top = graph.scroll_offset
        for node, box in graph._layout.boxes.items():
            start = box.record_x - left
            whole = box.op_x >= left and start + box.record_width + 2 <= graph.size.width
            if top <= box.row < top + graph.size.height and whole:  # else drawn as blanks
                record = graph.render_line(box.row - top).text[start : start + box.record_width + 2]
                if len(record) == box.record_width + 2:  # wholly on screen
                    grad_and_marks = record[1:-1].split("│")[-1]
                    assert grad_and_marks[:-3].strip() == expected(node), record
    inspector = debugger.query_one(Inspector)
    # From 24 columns on, a number (12 characters at most) is never wrapped.
    if inspector.node is not None and inspector.size.width >= 24:
        shown = (inspector.render_line(y).text for y in range(inspector.size.height))
        grad_row = next((row for row in shown if row.startswith("grad ")), None)
        if grad_row is not None:
            assert grad_row[8:].split()[0] == expected(inspector.node)


async def press(pilot: Pilot[None], *keys: str) -> None:
    """Send keys as a quick typist would, then wait until the app and its screen have
    handled all they set off.

    ``Pilot.press`` also sleeps until the process looks idle, 40 ms a key at
    least, and a frame is drawn after every key; this way 2,000 keys fit in CI.
    """
    for key in keys:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
    for _ in range(3):  # the keys, the actions they run, and what those actions post
        await pilot._wait_for_screen()


async def fuzz(app: MicrogradApp, rng: random.Random, keys: int) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(500):
            await pilot.pause(0.02)
            if isinstance(app.screen, DebuggerScreen) and app.screen.is_mounted:
                break
        debugger = app.screen
        assert isinstance(debugger, DebuggerScreen)
        for _ in range(keys // BURST):
            if rng.random() < 0.05:
                await pilot.resize_terminal(rng.randint(20, 250), rng.randint(5, 80))
            await press(pilot, *rng.choices(KEYS, WEIGHTS, k=BURST))
            if app.screen is not debugger and rng.random() < 0.5:
                await press(pilot, "escape")
            if app.screen is debugger:
                assert_screen_tells_the_truth(cast(DebuggerScreen, app.screen))
        while app.screen is not debugger:
            await pilot.press("escape")


@pytest.mark.parametrize("seed", range(GRAPHS))
async def test_random_keys_on_random_graphs(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    path = tmp_path / f"graph_{seed}.py"
    path.write_text(random_scenario(rng))
    await fuzz(MicrogradApp(path, options=Options(watch=False)), rng, KEYS_PER_GRAPH)


@pytest.mark.parametrize("scenario", ["train_mlp", "buggy_value"])
async def test_random_keys_on_the_bundled_scenarios(scenario: str) -> None:
    app = MicrogradApp(ROOT / "scenarios" / f"{scenario}.py", options=Options(watch=False))
    await fuzz(app, random.Random(scenario), 120)
