"""``--serve`` in a real browser: Debian's chromium, driven by Playwright's Python package.

Playwright is pointed at the installed chromium (``executable_path``) and never
downloads a browser of its own. Where no chromium is installed the tests are
skipped and say so; ``.ci/run`` installs it, so CI runs them.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_serve import running, start_server

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

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


NOTEBOOK_KERNEL = """\
import sys, time, types

sys.modules["ipykernel"] = types.ModuleType("ipykernel")  # as in a Jupyter kernel
display = types.ModuleType("IPython.display")


class IFrame:
    def __init__(self, src, width, height):
        self.src = src


display.IFrame = IFrame
display.display = lambda frame: print("shown in the cell:", frame.src, flush=True)
sys.modules["IPython"] = types.ModuleType("IPython")
sys.modules["IPython.display"] = display

from micrograd.engine import Value
from tui import debug

x1 = Value(2.0); x2 = Value(0.0); w1 = Value(-3.0); w2 = Value(1.0)
b = Value(6.8813735870195432)
o = (x1*w1 + x2*w2 + b).tanh()
debug(o)
print("the kernel goes on", x1.grad, flush=True)
time.sleep(120)
"""


def test_debug_in_a_notebook_shows_the_debugger_in_the_cell_and_ends_with_the_kernel(
    page: Any, tmp_path: Path
) -> None:
    script = tmp_path / "kernel.py"
    script.write_text(NOTEBOOK_KERNEL)
    kernel = subprocess.Popen(
        [sys.executable, "-u", str(script)],
        stdout=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
    )
    try:
        assert kernel.stdout is not None
        lines = [kernel.stdout.readline() for _ in range(3)]
        shown = next(line for line in lines if line.startswith("shown in the cell:"))
        url = shown.split()[-1]
        assert "the kernel goes on 0.0\n" in lines, "debug() returns at once, grads as found"
        screen = Screen(page)
        page.goto(url)
        screen.wait_for("step 0/15")
        page.keyboard.press("End")
        rows = screen.wait_for("step 15/15")
        assert any("[w1 │ -3.0 │ 1.0*✓" in row for row in rows)
        assert not any("e Edit" in row for row in rows), "no live graph to edit"
    finally:
        kernel.kill()
        kernel.wait()
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and listening(port):
        time.sleep(0.1)
    assert not listening(port), "the page's server ended with the kernel"


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
    except OSError:
        return False
    return True
