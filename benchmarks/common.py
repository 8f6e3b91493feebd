"""Timing and table helpers shared by the benchmark scripts."""

from __future__ import annotations

import gc
import os
import platform
import statistics
import subprocess
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

SAMPLE_EVERY = 0.002
"""Seconds between two readings of a process tree's memory (``tree_peak_megabytes``)."""


def machine() -> str:
    """One line describing where the figures were taken."""
    return (
        f"{platform.python_implementation()} {platform.python_version()} on "
        f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
    )


def median_seconds(
    setup: Callable[[], object], runs: dict[str, Callable[[Any], object]], repeat: int
) -> dict[str, float]:
    """The median wall time of each ``run(setup())`` over ``repeat`` rounds; setup is not timed.

    The runs take turns within each round, so a slow spell on a shared
    machine hits all of them alike and cancels out of their ratios.
    """
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            state = setup()
            gc.collect()
            start = time.perf_counter()
            run(state)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def peak_megabytes(setup: Callable[[], object], run: Callable[[object], object]) -> float:
    """Peak memory that ``run`` allocates on top of what ``setup`` built, in MiB."""
    state = setup()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    run(state)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - base) / 2**20


def tree_peak_megabytes(process: subprocess.Popen[str]) -> tuple[float, float, str]:
    """The most memory ``process`` and the processes it started held at one moment, and
    the most those it started held, in MiB, read from outside every ``SAMPLE_EVERY`` s
    until it ends; and its output.

    The app and its worker each peak at a different moment (the worker while it
    records, the app once it has the trace), so the sum of their own peaks is
    more than they ever hold together. Read from this process, the readings are
    not held up by the app's own work. A child counts once it has started its
    own program: before that it shares its parent's memory.
    """
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.append(process.communicate()[0]))
    reader.start()
    own = _command_line(process.pid)
    peak = children_peak = 0
    while process.poll() is None:
        children = [c for c in _children(process.pid) if _command_line(c) != own]
        held = sum(map(_resident_bytes, children))
        children_peak = max(children_peak, held)
        peak = max(peak, held + _resident_bytes(process.pid))
        time.sleep(SAMPLE_EVERY)
    reader.join()
    return peak / 2**20, children_peak / 2**20, output[0]


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid``, from Linux's ``/proc``."""
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += map(int, (task / "children").read_text().split())
    except OSError:  # it has just ended
        return found
    return found + [grandchild for child in found for grandchild in _children(child)]


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _resident_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except OSError:  # it has just ended
        return 0


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with right-aligned columns after the first."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    lines = []
    for i, row in enumerate([headers, *rows]):
        cells = [
            str(c).ljust(w) if j == 0 else str(c).rjust(w)
            for j, (c, w) in enumerate(zip(row, widths))
        ]
        lines.append("  ".join(cells))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
