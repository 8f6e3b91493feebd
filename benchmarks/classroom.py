"""Classroom benchmark: how soon each follower hears the teacher's move.

Run ``python -m benchmarks.classroom`` (``--quick`` for a smoke run). A
teacher (``tui.classroom.Teacher``, on a Unix socket) makes a move every
100 ms; 10, 30 and 60 followers, each a process of its own running the
app's ``follow``, note when each move arrives. The figure is the time from
the teacher's move to its arrival at every follower (median and p95 over all
moves and followers); the target is p95 ≤ 150 ms at 30 followers. Drawing
the step is each follower's own key-to-frame time, which ``benchmarks.app``
measures (a few ms).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine, table
from tui.classroom import ClassState, Hello, Teacher

TARGET_P95_MS = 150.0
FOLLOWERS = (10, 30, 60)
QUICK_FOLLOWERS = (3,)
MOVES = 20
FOLLOWER = """
import asyncio, sys, time
from tui.classroom import ClassState, follow
moves = int(sys.argv[2])
def heard(message):
    if isinstance(message, ClassState) and message.position:
        print(message.position, time.time(), flush=True)
        if message.position == moves:
            raise SystemExit
asyncio.run(follow(sys.argv[1], heard, lambda link: None))
"""


async def run_class(followers: int, moves: int) -> list[float]:
    """Milliseconds from each move to its arrival, over every follower."""
    with tempfile.TemporaryDirectory() as folder:
        address = str(Path(folder) / "class.sock")
        teacher = Teacher(address, Hello("lesson.py", "0"))
        await teacher.start()
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", FOLLOWER, address, str(moves)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(followers)
        ]
        while teacher.followers < followers:
            await asyncio.sleep(0.05)
        sent = {}
        for position in range(1, moves + 1):
            sent[position] = time.time()
            teacher.publish(ClassState(position=position))
            await asyncio.sleep(0.1)
        delays = []
        for process in processes:
            output, _ = await asyncio.to_thread(process.communicate, timeout=30)
            for line in output.splitlines():
                move, arrived = line.split()
                delays.append((float(arrived) - sent[int(move)]) * 1000)
        teacher.stop()
        return delays


def report(quick: bool) -> str:
    sizes, moves = (QUICK_FOLLOWERS, 5) if quick else (FOLLOWERS, MOVES)
    rows, verdict = [], ""
    for followers in sizes:
        delays = sorted(asyncio.run(run_class(followers, moves)))
        p95 = delays[int(0.95 * (len(delays) - 1))]
        rows.append([str(followers), f"{statistics.median(delays):.1f}", f"{p95:.1f}"])
        if followers == 30:
            verdict = f"target: p95 at 30 followers {p95:.1f} ms <= {TARGET_P95_MS:g} ms: " + (
                "met" if p95 <= TARGET_P95_MS else "MISSED"
            )
    return "\n".join(
        [
            f"classroom benchmark, {moves} moves 100 ms apart, each follower a process; "
            f"{machine()}",
            table(["followers", "median ms", "p95 ms"], rows),
            *([verdict] if verdict else []),
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few followers, a few moves")
    print(report(parser.parse_args(argv).quick))


if __name__ == "__main__":
    main()
