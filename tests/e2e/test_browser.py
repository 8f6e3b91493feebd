"""``--serve`` in a real browser: Debian's chromium, driven by Playwright's Python package.

Playwright is pointed at the installed chromium (``executable_path``) and never
downloads a browser of its own. Where no chromium is installed the tests are
skipped and say so; ``.ci/run`` installs it, so CI runs them.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_serve import running, start_server

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

if CHROMIUM is None:
    pytest.skip(
        "no chromium to drive: install Debian's chromium (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")
pyte = pytest.importorskip("pyte")


class Screen:
    """The session's screen as the page draws it (on a canvas, so not in the DOM): the
    bytes the websocket brings, played into a terminal emulator of the size the page
    asked for."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.screen: Any = None  # a pyte.Screen, once the page says its size
        self.stream = pyte.ByteStream()
        page.on("websocket", self._watch)

    def _watch(self, websocket: Any) -> None:
        websocket.on("framesent", self._sent)
        websocket.on("framereceived", self._received)

    def _sent(self, payload: str | bytes) -> None:
        message = json.loads(payload)
        if message[0] == "resize" and self.screen is None:
            self.screen = pyte.Screen(message[1]["width"], message[1]["height"])
            self.stream.attach(self.screen)

    def _received(self, payload: str | bytes) -> None:
        if self.screen is not None:
            self.stream.feed(payload if isinstance(payload, bytes) else payload.encode())

    def rows(self) -> list[str]:
        return list(self.screen.display) if self.screen is not None else []

    def wait_for(self, text: str, seconds: float = 30) -> list[str]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(100)  # lets Playwright deliver the frames
            if any(text in row for row in self.rows()):
                return self.rows()
        shown = "\n".join(self.rows())
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{shown}")


@pytest.fixture
def page() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 800})
        finally:
            browser.close()


def test_the_keyboard_works_without_a_click_and_a_closed_page_ends_its_session(
    page: Any, tmp_path: Path
) -> None:
    server, port = start_server()
    try:
        screen = Screen(page)
        page.goto(f"http://127.0.0.1:{port}/")
        footer = screen.wait_for("Next")  # the footer shows its keys: the app has the focus
        assert any("step 0/15" in row for row in footer)
        page.keyboard.press("ArrowRight")  # no click first
        screen.wait_for("step 1/15")
        page.screenshot(path=str(tmp_path / "served.png"))
        sessions = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(sessions) == 1
        page.close()
        deadline = time.monotonic() + 20
        while running(sessions[0]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not running(sessions[0]), "the session outlived its page"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_click_on_a_node_inspects_it(page: Any) -> None:
    server, port = start_server()
    try:
        screen = Screen(page)
        page.goto(f"http://127.0.0.1:{port}/")
        rows = screen.wait_for("[b │")
        row = next(i for i, line in enumerate(rows) if "[b │" in line)
        column = rows[row].index("[b │") + 1
        box = page.locator(".xterm-screen").bounding_box()
        cell_width, cell_height = box["width"] / len(rows[0]), box["height"] / len(rows)
        page.mouse.click(
            box["x"] + (column + 0.5) * cell_width, box["y"] + (row + 0.5) * cell_height
        )
        screen.wait_for("node    b  (pinned")
    finally:
        server.terminate()
        server.wait(timeout=10)
