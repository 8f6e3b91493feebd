"""Creation-site benchmark: a scenario's load with and without its nodes' sites recorded.

Run ``python -m benchmarks.sites`` (``--quick`` for a smoke run). Each load
runs the scenario file and records its pass as the worker does, in a fresh
process of its own, the two kinds taking turns; "with" also installs the
``SiteRecorder`` first and gathers the sites for the app. The engine itself
never records, so a graph built outside the app costs nothing more; the
figure here is what a learner waits for at launch.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import machine, table
from benchmarks.transcript import CHAIN

SIZES = (10_000, 100_000)
QUICK_SIZES = (2_000,)
LOAD = """
import sys, time
from pathlib import Path
from tui.loading.scenario import load_scenario, record
from tui.loading.sites import SiteRecorder
path, recording = Path(sys.argv[1]), sys.argv[2] == "with"
started = time.perf_counter()
if recording:
    recorder = SiteRecorder(path)
    recorder.install()
scenario = load_scenario(path, 600.0, 10**7)
trace = record(scenario, True)
if recording:
    recorder.sources(trace.nodes)
print(time.perf_counter() - started)
"""


def seconds(path: Path, kind: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", LOAD, str(path), kind], capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def report(quick: bool) -> str:
    sizes, repeat = (QUICK_SIZES, 1) if quick else (SIZES, 5)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for nodes in sizes:
            path = Path(folder) / f"chain_{nodes}.py"
            path.write_text(CHAIN.format(links=nodes // 4))
            times: dict[str, list[float]] = {"without": [], "with": []}
            for _ in range(repeat):
                for kind in times:
                    times[kind].append(seconds(path, kind))
            plain, recorded = (statistics.median(times[kind]) for kind in ("without", "with"))
            rows.append(
                [f"{nodes:,}", f"{plain:.3f}", f"{recorded:.3f}", f"{recorded / plain:.2f}x"]
            )
    return "\n".join(
        [
            f"creation sites, load and record in a fresh process, median of {repeat} "
            f"alternating run(s); {machine()}",
            table(["nodes", "without s", "with s", "with/without"], rows),
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one small size, once")
    print(report(parser.parse_args(argv).quick))


if __name__ == "__main__":
    main()
