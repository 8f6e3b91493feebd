"""``--serve``: the app served to browsers with textual-serve, on loopback by default."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tui.cli import main
from tui.serve import app_command, public_url

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served() -> Iterator[int]:
    """A ``micrograd-tui --serve`` process on a free loopback port."""
    port = free_port()
    command = [sys.executable, "-m", "tui", "--serve", "neuron", "--port", str(port), "--quiz"]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server never started listening")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_page_answers_and_loads_nothing_from_the_internet(served: int) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{served}/", timeout=10) as response:
        assert response.status == 200
        page = response.read().decode()
    assert "<title>micrograd-tui · neuron.py</title>" in page
    assert f"http://127.0.0.1:{served}/static/js/textual.js" in page
    assert "googleapis" not in page and "https://" not in page
    script = f"http://127.0.0.1:{served}/static/js/textual.js"
    with urllib.request.urlopen(script, timeout=10) as response:
        assert response.status == 200


async def first_screen(port: int) -> bytes:
    """What a browser session receives in its first seconds."""
    received = b""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"http://127.0.0.1:{port}/ws") as websocket,
    ):
        await websocket.send_str(json.dumps(["resize", {"width": 80, "height": 24}]))
        deadline = time.monotonic() + 20
        while b"step 0/15" not in received and time.monotonic() < deadline:
            try:
                message = await asyncio.wait_for(websocket.receive(), 2)
            except asyncio.TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
            elif message.type == aiohttp.WSMsgType.TEXT:
                received += message.data.encode()
            else:
                break
    return received


async def test_a_browser_session_runs_the_app_with_the_options_given(served: int) -> None:
    screen = await first_screen(served)
    assert b"step 0/15" in screen and b"forward pass" in screen
    assert "quiz 0✓".encode() in screen, "--quiz reaches each session"


def test_a_busy_port_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["--serve", "neuron", "--port", str(port)]) == 2
    error = capsys.readouterr().err
    assert f"cannot serve on 127.0.0.1:{port}" in error and "choose another --port" in error
    assert len(error.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--serve"], "--serve needs a scenario file"),
        (["--serve", "--print", "neuron"], "--serve does not go with --print"),
        (["--serve", "no_such_file.py"], "no_such_file.py: no such file"),
        (["--port", "8000", "neuron"], "--host, --port and --public-url go with --serve"),
    ],
)
def test_serve_arguments_are_checked(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_bad_port_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--serve", "neuron", "--port", "99999"])
    assert exit_.value.code == 2
    assert "'99999' is not a port" in capsys.readouterr().err


def test_loopback_by_default_and_a_reachable_url_on_every_interface() -> None:
    assert public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert public_url("0.0.0.0", 8000) == f"http://{socket.getfqdn()}:8000"
    assert public_url("::1", 9000) == "http://[::1]:9000"
    command = app_command(ROOT / "scenarios" / "neuron.py", ["--quiz"])
    assert command.endswith("-m tui " + str(ROOT / "scenarios" / "neuron.py") + " --quiz")


def test_it_binds_to_loopback_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[dict[str, object]] = []

    class Recorder:
        def __init__(self, command: str, **settings: object) -> None:
            started.append({"command": command, **settings})

        def serve(self) -> None:
            pass

    monkeypatch.setattr("textual_serve.server.Server", Recorder)
    assert main(["--serve", "neuron"]) == 0
    assert main(["--serve", "neuron", "--host", "0.0.0.0", "--port", "9001", "--no-watch"]) == 0
    assert (started[0]["host"], started[0]["port"]) == ("127.0.0.1", 8000)
    assert started[0]["public_url"] == "http://127.0.0.1:8000"
    assert (started[1]["host"], started[1]["port"]) == ("0.0.0.0", 9001)
    assert str(started[1]["command"]).endswith("--no-watch")
