"""Transcript benchmark: ``--print`` against ``--export md`` on the same big graph.

Run ``python -m benchmarks.transcript`` (``--quick`` for a smoke run). Both
write every step and every node; each is timed as a whole command in a fresh
process, taking turns, with its output thrown away. The target is ``--print``
at most twice the Markdown export, at every size (so linear, as it is).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine, table

TARGET = 2.0
SIZES = (20_000, 200_000)
QUICK_SIZES = (2_000,)
CHAIN = """from micrograd import Value
x = Value(0.5, label="x")
y = x
for _ in range({links}):
    y = y * 1.0001 + 0.001
"""
"""Four nodes a link: a constant and an op for each of * and +."""


def seconds(arguments: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tui", *arguments], stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def report(quick: bool) -> str:
    sizes, repeat = (QUICK_SIZES, 1) if quick else (SIZES, 3)
    rows, worst = [], 0.0
    with tempfile.TemporaryDirectory() as folder:
        for nodes in sizes:
            path = Path(folder) / f"chain_{nodes}.py"
            path.write_text(CHAIN.format(links=nodes // 4))
            commands = {
                "print": ["--print", str(path), "--timeout", "600"],
                "md": ["--export", "md", str(path), "--timeout", "600"],
            }
            times: dict[str, list[float]] = {name: [] for name in commands}
            for _ in range(repeat):
                for name, arguments in commands.items():
                    times[name].append(seconds(arguments))
            medians = {name: statistics.median(values) for name, values in times.items()}
            ratio = medians["print"] / medians["md"]
            worst = max(worst, ratio)
            rows.append(
                [f"{nodes:,}", f"{medians['print']:.2f}", f"{medians['md']:.2f}", f"{ratio:.2f}x"]
            )
    verdict = "met" if worst <= TARGET else "MISSED"
    return "\n".join(
        [
            f"transcript benchmark, whole commands, median of {repeat} alternating run(s); "
            f"{machine()}",
            table(["nodes", "--print s", "--export md s", "print/md"], rows),
            f"target: --print <= {TARGET:g}x --export md: {verdict} (worst {worst:.2f}x)",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one small size, once")
    print(report(parser.parse_args(argv).quick))


if __name__ == "__main__":
    main()
