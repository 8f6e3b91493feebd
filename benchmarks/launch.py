"""Launch benchmark: the whole command, in a real terminal, until the graph is on screen.

Run ``python -m benchmarks.launch`` (``--quick`` for a smoke run). Each run
starts a fresh tmux session whose shell runs the command, and times it from
the shell's exec (a learner's Enter) to the terminal receiving the frame
that shows the graph; a bare Textual app (one Static) is started the same
way, taking turns with ours, and the ratio of the two medians is the
figure: Python's start, Textual's import and the terminal's set-up are in
both, as a learner feels them. The project's bytecode is compiled first, as
an install leaves it: a checkout run with ``PYTHONDONTWRITEBYTECODE`` set
would otherwise compile every module it imports, at every launch.
"""

from __future__ import annotations

import argparse
import compileall
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine, table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "example.py"
TARGET = 1.3
BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bare app ready")

Bare().run()
"""
SHOWN = {"bare": "bare app ready", "micrograd-tui": "press → to start"}
"""Text on the screen once each has drawn what a user waits for."""
POLL = 0.01
WATCH = """
import os, sys, time
text, found = sys.argv[1].encode(), sys.argv[2]
tail = b""
while chunk := os.read(0, 1 << 16):
    tail = tail[-len(text):] + chunk
    if text in tail:
        with open(found, "w") as out:
            out.write(str(time.time_ns()))
        break
while os.read(0, 1 << 16):
    pass
"""
"""Reads a pane's output as tmux passes it on, and writes the time (ns) it first holds the
text looked for. A program, not ``grep ... && date +%s%N``: tmux reads a pipe's command
as a format, and turns ``%s`` into the time it started the pipe."""
SETTLE = 0.2
"""Seconds the pane's shell waits before running the command: time to attach the pipe
that watches the pane's output (not counted)."""


def commands() -> dict[str, list[str]]:
    return {
        "bare": [sys.executable, "-c", BARE_APP],
        "micrograd-tui": [sys.executable, "-m", "tui", str(EXAMPLE), "--no-watch"],
    }


TMUX = ["tmux", "-L", "micrograd-tui-launch"]
"""A tmux server of the benchmark's own, apart from any the user or the tests run."""


def new_session(session: str, command: list[str], stamp: Path) -> None:
    """Start ``command`` in a new 80×24 session, its shell writing the time (ns) to
    ``stamp`` as it hands over to the command, a moment after the session is made, so
    that the pane's output is watched from its first byte. Killing a server's last
    session ends the server, and a session asked for meanwhile can meet it on its way
    out ("server exited unexpectedly"): then ask again."""
    script = f'sleep {SETTLE}; date +%s%N > "$0"; exec "$@"'
    stamped = ["sh", "-c", script, str(stamp), *command]
    for attempt in range(3):
        started = subprocess.run(
            [*TMUX, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", *stamped]
        )
        if started.returncode == 0:
            return
        time.sleep(0.2 * (attempt + 1))
    raise RuntimeError(f"tmux could not start a session for {session}")


def launch_seconds(name: str, command: list[str], session: str) -> float:
    """Seconds from the pane's shell running the command, as a learner's shell does on
    Enter, to the terminal receiving the frame with ``SHOWN[name]`` in it. The pane's
    output goes to ``WATCH`` as tmux gets it, and the time it finds the text is the end:
    reading the screen with ``capture-pane`` every few milliseconds added 15-25 ms to
    both commands, and brought their ratio nearer to 1."""
    with tempfile.TemporaryDirectory() as folder:
        stamp, seen = Path(folder) / "exec", Path(folder) / "shown"
        new_session(session, command, stamp)
        watch = shlex.join([sys.executable, "-c", WATCH, SHOWN[name], str(seen)])
        subprocess.run([*TMUX, "pipe-pane", "-t", session, watch], check=True)
        try:
            deadline = time.monotonic() + 30
            while not (seen.exists() and seen.read_text().strip()):
                if time.monotonic() > deadline:
                    pane = subprocess.run(
                        [*TMUX, "capture-pane", "-p", "-t", session],
                        capture_output=True,
                        text=True,
                    ).stdout
                    raise RuntimeError(f"{name} showed nothing in 30 s:\n{pane}")
                time.sleep(POLL)
            return (int(seen.read_text()) - int(stamp.read_text())) / 1e9
        finally:
            subprocess.run([*TMUX, "kill-session", "-t", session], capture_output=True)


def worker_seconds(repeat: int) -> dict[str, float]:
    """Median seconds from asking for example.py to its recorded pass: in a worker spawned
    for the request (Python's start and the imports included), and in one started ahead,
    as the app keeps a spare for the next reload."""
    from tui.loading.protocol import Load
    from tui.loading.remote import WorkerProcess

    request = Load(str(EXAMPLE), 10, 1000, True)
    times: dict[str, list[float]] = {"spawned for the load": [], "started ahead (spare)": []}
    for _ in range(repeat):
        started = time.perf_counter()
        fresh = WorkerProcess()
        fresh.load(request)
        times["spawned for the load"].append(time.perf_counter() - started)
        fresh.close()
        spare = WorkerProcess()
        time.sleep(0.5)  # the time a learner spends before the next reload, at the least
        started = time.perf_counter()
        spare.load(request)
        times["started ahead (spare)"].append(time.perf_counter() - started)
        spare.close()
    return {name: statistics.median(values) for name, values in times.items()}


def report(quick: bool) -> str:
    if shutil.which("tmux") is None:
        return "launch benchmark: skipped, tmux is not installed"
    for package in ("micrograd", "tui"):
        compileall.compile_dir(ROOT / package, quiet=1)
    repeat = 3 if quick else 15
    times: dict[str, list[float]] = {name: [] for name in SHOWN}
    for run in range(repeat):
        for name, command in commands().items():  # taking turns: a slow spell hits both
            times[name].append(launch_seconds(name, command, f"launch-{name}-{run}"))
    medians = {name: statistics.median(values) for name, values in times.items()}
    bare = medians["bare"]
    rows = [
        [name, f"{medians[name]:.3f}", f"{min(times[name]):.3f}", f"{medians[name] / bare:.2f}x"]
        for name in SHOWN
    ]
    ratio = medians["micrograd-tui"] / bare
    verdict = "met" if ratio <= TARGET else "MISSED"
    workers = worker_seconds(repeat)
    return "\n".join(
        [
            f"launch in tmux (80×24), from exec to the frame with the graph, median of "
            f"{repeat} alternating runs; {machine()}",
            table(["command", "median s", "best s", "vs bare"], rows),
            f"target: launch of example.py vs a bare Textual app <= {TARGET}x: "
            f"{verdict} ({ratio:.2f}x)",
            "",
            f"a load of example.py in a worker process, median of {repeat}:",
            table(
                ["worker", "request to pass s"],
                [[name, f"{seconds:.3f}"] for name, seconds in workers.items()],
            ),
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="three runs: a smoke test")
    print(report(parser.parse_args(argv).quick))


if __name__ == "__main__":
    main()
