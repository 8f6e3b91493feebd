"""The bad- and odd-input corpus opened in the app: an error screen for every bad file,
a working debugger for every odd one, and never a crash."""

from __future__ import annotations

import asyncio
import time

import pytest
from textual.screen import Screen

from tests.corpus import BAD_CASES, ODD, ODD_CASES, bad_path, limits
from tui.app import MicrogradApp
from tui.options import Options
from tui.screens.debugger import DebuggerScreen
from tui.screens.error import ErrorScreen

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
]


async def opened(app: MicrogradApp, seconds: float) -> Screen[None]:
    """The screen the app shows once the file has loaded or failed to."""
    deadline = time.monotonic() + seconds
    while not isinstance(app.screen, (DebuggerScreen, ErrorScreen)):
        assert time.monotonic() < deadline, "the file never finished loading"
        await asyncio.sleep(0.05)
    return app.screen


@pytest.mark.parametrize(("name", "line", "message"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
async def test_every_bad_file_opens_an_error_screen(
    name: str, line: int | None, message: str
) -> None:
    timeout, max_nodes = limits(name)
    path = bad_path(name)
    app = MicrogradApp(path, options=Options(timeout=timeout, max_nodes=max_nodes, watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, timeout + 30)
        assert isinstance(screen, ErrorScreen)
        assert message in screen.error.message and screen.error.line == line
        await pilot.press("right", "tab", "question_mark")
        await pilot.pause()
        shown = app.export_screenshot()
        assert "still here" not in shown
    assert app.return_code in (None, 0)


@pytest.mark.parametrize("name", ODD_CASES)
async def test_every_odd_file_can_be_stepped_to_the_end(name: str) -> None:
    app = MicrogradApp(ODD / name, options=Options(watch=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, 30)
        assert isinstance(screen, DebuggerScreen)
        await pilot.press("right", "right", "end")
        assert screen.position == len(screen.view.trace)
        await pilot.resize_terminal(20, 5)
        await pilot.resize_terminal(250, 80)
        await pilot.press("left", "home")
        assert screen.position == 0
        assert "xxxxxxxxxx" not in app.export_screenshot()
