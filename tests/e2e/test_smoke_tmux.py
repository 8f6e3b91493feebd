"""The real micrograd-tui command in a real terminal (tmux), driven by keys."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.corpus import worker_processes

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def pane(session: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=True
    ).stdout


def start(command: str, width: int, height: int) -> str:
    """Run ``command`` in a new detached tmux session in the project folder; return its name."""
    session = f"mgt-{uuid.uuid4().hex[:8]}"
    subprocess.run(
        [
            "tmux",
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            str(width),
            "-y",
            str(height),
            "-c",
            str(ROOT),
            command,
        ],
        check=True,
    )
    return session


def wait_for(session: str, *texts: str, seconds: float = 20.0) -> str:
    """The pane once it shows every one of ``texts`` at the same time.

    One frame reaches tmux in more than one write, so a capture can hold half of it:
    whatever a test asserts of one frame, it waits for all together."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        screen = pane(session)
        if all(text in screen for text in texts):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{texts!r} never appeared together; the pane shows:\n{pane(session)}")


@pytest.mark.parametrize("env", [{"TERM": "xterm-256color"}, {"TERM": "linux", "NO_COLOR": "1"}])
def test_the_command_steps_through_example_in_tmux(env: dict[str, str]) -> None:
    settings = " ".join(f"{k}={v}" for k, v in env.items())
    command = f"env {settings} {sys.executable} -m tui scenarios/example.py"
    session = start(command, 80, 24)
    try:
        wait_for(session, "step 0/9")
        subprocess.run(["tmux", "send-keys", "-t", session, *["Right"] * 8], check=True)
        wait_for(session, "step 8/9", "x.grad: 4.0 → 1.0", "[x │ 2.0 │ 1.0*✓ ]")
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            alive = subprocess.run(["tmux", "has-session", "-t", session], capture_output=True)
            if alive.returncode != 0:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("q did not quit the app")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_a_missing_file_in_a_terminal_is_one_line_and_status_2() -> None:
    command = f"sh -c '{sys.executable} -m tui no_such_file.py; echo status $?; sleep 30'"
    session = start(command, 100, 10)
    try:
        screen = wait_for(session, "status ")
        assert "micrograd-tui: error: no_such_file.py: no such file." in screen
        assert "status 2" in screen
        assert "Traceback" not in screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_saving_the_scenario_reloads_it_in_a_real_terminal(tmp_path: Path) -> None:
    path = tmp_path / "lesson.py"
    path.write_text("from micrograd import Value\nx = Value(2.0, label='x')\ny = x * x\n")
    session = start(f"{sys.executable} -m tui {path}", 80, 24)
    try:
        wait_for(session, "step 0/4")
        subprocess.run(["tmux", "send-keys", "-t", session, "Right"], check=True)
        wait_for(session, "step 1/4")
        time.sleep(0.5)
        path.write_text("from micrograd import Value\nx = Value(7.0, label='x')\ny = x * x\n")
        wait_for(session, "[x │ 7.0 │", "step 1/4", "y = x·x = 7.0·7.0 = 49.0")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def terminal_state(session: str) -> str:
    """Whether the pane is in the alternate screen and reports the mouse: ``0 0`` when
    the terminal is back as the shell left it."""
    return subprocess.run(
        ["tmux", "display", "-p", "-t", session, "#{alternate_on} #{mouse_any_flag}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def app_pid(session: str) -> int:
    """The app's process: the child of the pane's shell."""
    shell = subprocess.run(
        ["tmux", "display", "-p", "-t", session, "#{pane_pid}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout
    return int(children.split()[0])


@pytest.mark.parametrize(
    ("name", "status"), [("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130), ("SIGKILL", 137)]
)
def test_every_way_the_app_is_ended_puts_the_terminal_back(name: str, status: int) -> None:
    before = worker_processes()
    command = f"sh -c '{sys.executable} -m tui scenarios/example.py; echo status $?; sleep 30'"
    session = start(command, 80, 24)
    try:
        wait_for(session, "step 0/9")
        assert terminal_state(session) == "1 1"
        os.kill(app_pid(session), getattr(signal, name))
        screen = wait_for(session, "status ")
        assert f"status {status}" in screen and "Traceback" not in screen
        if name != "SIGKILL":  # nothing can put the terminal back after SIGKILL
            assert terminal_state(session) == "0 0"
        time.sleep(0.3)
        assert not worker_processes() - before, "the worker goes with the app"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


@pytest.mark.parametrize("name", ["segfault.py", "calls_os_exit.py", "alarm.py"])
def test_a_scenario_that_kills_its_process_leaves_the_app_and_the_terminal_whole(
    name: str,
) -> None:
    command = (
        f"sh -c '{sys.executable} -m tui tests/bad_scenarios/{name}; echo status $?; sleep 30'"
    )
    session = start(command, 100, 24)
    try:
        screen = wait_for(session, "Fix the scenario")
        assert "ended its process" in screen or "os._exit" in screen
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        screen = wait_for(session, "status ")
        assert "status 0" in screen and terminal_state(session) == "0 0"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_a_crash_of_the_app_exits_non_zero_with_the_terminal_back(tmp_path: Path) -> None:
    crashing = tmp_path / "crashing.py"
    crashing.write_text(
        "import sys\nfrom tui.app import MicrogradApp\nfrom tui.cli import main\n\n"
        "def broken(self):\n    raise RuntimeError('a bug in the app')\n\n"
        "MicrogradApp.action_help = broken\nsys.exit(main(['scenarios/example.py']))\n"
    )
    session = start(f"sh -c '{sys.executable} {crashing}; echo status $?; sleep 30'", 100, 40)
    try:
        wait_for(session, "step 0/9")
        subprocess.run(["tmux", "send-keys", "-t", session, "?"], check=True)
        screen = wait_for(session, "status ")
        assert "status 1" in screen and terminal_state(session) == "0 0"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
