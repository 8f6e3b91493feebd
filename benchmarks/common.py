"""Timing and table helpers shared by the benchmark scripts."""

from __future__ import annotations

import gc
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any


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
