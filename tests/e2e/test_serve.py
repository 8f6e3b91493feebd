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
from tui.options import DEFAULT_MAX_SESSIONS
from tui.serve import app_command, clamp_size, public_url

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(*options: str) -> tuple[subprocess.Popen[bytes], int]:
    """A ``micrograd-tui --serve neuron`` process on a free loopback port, listening."""
    port = free_port()
    command = [sys.executable, "-m", "tui", "--serve", "neuron", "--port", str(port), *options]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the server never started listening")


@pytest.fixture
def served() -> Iterator[int]:
    """A ``micrograd-tui --serve`` process on a free loopback port."""
    server, port = start_server("--quiz")
    try:
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


async def first_screen(port: int, query: str = "") -> bytes:
    """What a browser session receives in its first seconds."""
    received = b""
    origin = f"http://127.0.0.1:{port}"
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{origin}/ws{query}", origin=origin) as websocket,
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
        (["--port", "8000", "neuron"], "--public-url, --max-sessions and --token go with --serve"),
        (["--token", "t", "neuron"], "--max-sessions and --token go with --serve"),
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
    assert command.startswith("exec ")  # the session's process is the app, not a shell
    following = app_command(None, ["--follow", "127.0.0.1:7000"])
    assert following.endswith("-m tui --follow 127.0.0.1:7000")


def test_it_binds_to_loopback_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[dict[str, object]] = []

    class Recorder:
        def __init__(self, command: str, **settings: object) -> None:
            started.append({"command": command, **settings})

        def serve(self) -> None:
            pass

    monkeypatch.setattr("tui.serve.ClassServer", Recorder)
    assert main(["--serve", "neuron"]) == 0
    assert "Warning" not in capsys.readouterr().out
    assert main(["--serve", "neuron", "--host", "0.0.0.0", "--port", "9001", "--no-watch"]) == 0
    assert "Warning: serving on 0.0.0.0" in capsys.readouterr().out
    assert (started[0]["host"], started[0]["port"]) == ("127.0.0.1", 8000)
    assert started[0]["public_url"] == "http://127.0.0.1:8000"
    assert started[0]["token"] is None and started[0]["max_sessions"] == DEFAULT_MAX_SESSIONS
    assert (started[1]["host"], started[1]["port"]) == ("0.0.0.0", 9001)
    assert str(started[1]["command"]).endswith("--no-watch")
    assert isinstance(started[1]["token"], str) and len(str(started[1]["token"])) >= 12


def test_a_size_a_browser_asks_for_is_clamped() -> None:
    assert clamp_size(30000, 30000) == (500, 200)
    assert clamp_size("-5", "x") == (1, 24)
    assert clamp_size(120, 40) == (120, 40)


async def handshake_status(url: str, **headers: str) -> int:
    """The status a websocket handshake gets (101 when the session starts)."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, headers=headers) as websocket:
                await websocket.close()
                return 101
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status


async def test_only_the_served_page_may_start_a_session(served: int) -> None:
    url = f"http://127.0.0.1:{served}/ws"
    assert await handshake_status(url, Origin="http://evil.example") == 403
    assert await handshake_status(url) == 403  # no Origin: not a page of ours
    rebound = {"Origin": f"http://evil.example:{served}", "Host": f"evil.example:{served}"}
    assert await handshake_status(url, **rebound) == 421  # a name made to point here
    assert await handshake_status(url, Origin=f"http://127.0.0.1:{served}") == 101
    assert await handshake_status(url, Origin=f"http://localhost:{served}",
                                  Host=f"localhost:{served}") == 101  # fmt: skip


async def test_a_full_class_is_told_so_and_a_token_is_asked_for() -> None:
    server, port = start_server("--max-sessions", "1", "--token", "s3cret")
    origin = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{origin}/") as page:
                assert page.status == 403 and "token" in await page.text()
            async with session.get(f"{origin}/?token=s3cret") as page:
                assert page.status == 200
                assert f"ws://127.0.0.1:{port}/ws?token=s3cret" in await page.text()
            assert await handshake_status(f"{origin}/ws?token=wrong", Origin=origin) == 403
            url = f"{origin}/ws?token=s3cret&width=30000&height=30000"
            async with session.ws_connect(url, origin=origin) as first:
                await first.receive(timeout=20)  # the session is running
                async with session.get(f"{origin}/?token=s3cret") as page:
                    assert page.status == 503 and "The class is full" in await page.text()
                assert await handshake_status(url, Origin=origin) == 503
                assert f"COLUMNS={500}" in session_environment(server.pid)
                app = children(server.pid)[0]
                await asyncio.sleep(0.5)  # a spare worker would be started by now
                assert len(children(app)) == 1  # its one worker: no spare kept idle
    finally:
        server.terminate()
        server.wait(timeout=10)


def children(pid: str | int) -> list[str]:
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


def session_environment(server: int) -> str:
    """The environment of the server's session process (its child)."""
    session = children(server)[0]
    return Path(f"/proc/{session}/environ").read_bytes().replace(b"\0", b"\n").decode()


async def test_stopping_the_server_ends_every_session_at_once() -> None:
    server, port = start_server()
    origin = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        pages = [await session.ws_connect(f"{origin}/ws", origin=origin) for _ in range(2)]
        for page in pages:
            await page.receive(timeout=20)
        sessions = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(sessions) == 2 and all(
            b"-m\0tui" in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in sessions
        )  # the app itself, not a shell around it
        started = time.monotonic()
        server.terminate()
        output, _ = await asyncio.to_thread(server.communicate, timeout=20)
        took = time.monotonic() - started
        for page in pages:
            await page.close()
    assert server.returncode == 0 and took < 10, took
    assert b"Traceback" not in output and b"Event loop is closed" not in output
    assert not any(map(running, sessions))


def running(pid: str) -> bool:
    """Whether the process is there and not a zombie (this container's init may be slow to
    reap what the server's end left behind)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status
