"""Every screen of the app at terminal sizes from 20×5 to 250×80: nothing raises, and the
screen asked for is still the one on show."""

from __future__ import annotations

from typing import Any

import pytest
from textual.screen import Screen

from tests.app.test_app import EXAMPLE, ROOT, loaded
from tests.corpus import BAD
from tui.app import MicrogradApp
from tui.cli import bundled_scenarios
from tui.options import Options
from tui.screens.breakpoints import BreakpointsScreen
from tui.screens.debugger import DebuggerScreen
from tui.screens.edit import EditScreen
from tui.screens.error import ErrorScreen
from tui.screens.find import FindScreen
from tui.screens.help import HelpScreen
from tui.screens.jump import JumpScreen
from tui.screens.notes import NotesScreen
from tui.screens.picker import PickerScreen
from tui.screens.quiz import QuizScreen

pytestmark = pytest.mark.slow

SIZES = [(20, 5), (59, 15), (60, 16), (120, 40), (250, 80), (20, 80), (250, 5)]
QUIET = Options(watch=False)

# How to reach each screen: the file to open and the keys to press once it is loaded.
SCREENS: dict[type[Screen[Any]], tuple[object, tuple[str, ...]]] = {
    DebuggerScreen: (EXAMPLE, ()),
    HelpScreen: (EXAMPLE, ("question_mark",)),
    JumpScreen: (EXAMPLE, ("colon",)),
    FindScreen: (EXAMPLE, ("slash",)),
    NotesScreen: (ROOT / "scenarios" / "neuron.py", ("N",)),
    BreakpointsScreen: (EXAMPLE, ("b", "B")),
    QuizScreen: (EXAMPLE, ("t", "right")),
    EditScreen: (EXAMPLE, ("down", "e")),
    ErrorScreen: (BAD / "raises.py", ()),
    PickerScreen: (None, ()),
}


@pytest.mark.parametrize("kind", SCREENS, ids=[kind.__name__ for kind in SCREENS])
async def test_every_screen_at_every_size(kind: type[Screen[None]]) -> None:
    path, keys = SCREENS[kind]
    app = MicrogradApp(path, bundled_scenarios(), QUIET)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        if path is not None:
            await loaded(pilot)
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.screen, kind)
        for size in SIZES:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert isinstance(app.screen, kind)
            assert app.screen.size == size
