"""Random keys and resizes against the debugger: nothing raises, and the screen tells the truth.

A bounded run for CI; the full fuzzing campaign belongs to the robustness issue.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tui.app import MicrogradApp
from tui.screens.debugger import DebuggerScreen
from tui.widgets.graph import GraphView

ROOT = Path(__file__).resolve().parent.parent
KEYS = [
    "right",
    "left",
    "l",
    "h",
    "n",
    "p",
    "home",
    "end",
    "g",
    "G",
    "up",
    "down",
    "j",
    "k",
    "enter",
    "escape",
    "tab",
    "o",
    "plus",
    "minus",
    "slash",
    "colon",
    "question_mark",
    "N",
    "1",
    "x",
    "backspace",
    "b",
    "c",
    "C",
    "B",
    "d",
    "t",
    "e",
    "f",
    "full_stop",
    "w",
    "right_square_bracket",
    "left_square_bracket",
]


@pytest.mark.parametrize("scenario", ["example", "mlp", "train_mlp", "buggy_value"])
async def test_random_keys_and_resizes(scenario: str) -> None:
    rng = random.Random(scenario)
    app = MicrogradApp(ROOT / "scenarios" / f"{scenario}.py")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(200):
            await pilot.pause(0.02)
            if isinstance(app.screen, DebuggerScreen):
                break
        debugger = app.screen
        assert isinstance(debugger, DebuggerScreen)
        for _ in range(120):
            if rng.random() < 0.05:
                await pilot.resize_terminal(rng.randint(20, 200), rng.randint(5, 60))
            await pilot.press(rng.choice(KEYS))
            if app.screen is not debugger and rng.random() < 0.5:
                await pilot.press("escape")
            trace = debugger.view.trace  # f and e record the pass again
            assert 0 <= debugger.position <= len(trace)
            assert trace.position == debugger.position
        while app.screen is not debugger:
            await pilot.press("escape")
        await pilot.pause(0.5)  # a rebuild started by the last keys may still be running
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        graph = debugger.query_one(GraphView)
        for node in graph._drawn:
            text = "\n".join(graph.render_line(y).text for y in range(graph.size.height))
            record = debugger.view.record(node)
            box = graph._layout.boxes[node]
            if graph.scroll_offset.y <= box.row < graph.scroll_offset.y + graph.size.height:
                assert record.split(" │ ")[2].strip() in text
