"""App benchmark: launch to first frame, key to frame, End, and peak memory, headless.

Run ``python -m benchmarks.app`` (``--quick`` for a smoke run). Each graph
size runs in its own process, so peak RSS is that size's alone: the app's own
peak ("RSS"), its worker processes' (the one that ran the scenario and the spare
started for the next reload, read together), and the most all of them held at
one moment ("at once"), which is what the machine must have and what the memory
target is judged by: the worker peaks while it records, the app once it has the
trace, never both at once. Frames are
timed where Textual hands a finished screen update to the terminal driver
(``App._display``), so "key to frame" is the time from a key event to the
frame that shows its step, the app's own refresh timer included. Keys are
pressed ``KEY_GAP`` apart, as a person (or a key held down) presses them:
Textual paints at most 60 frames a second, and a key sent the instant the last
frame went out waits most of a frame period for the next one, in any Textual
app. The baseline is a bare Textual app (one Static that counts the keys)
launched and driven the same way, in the same run: its key to frame is the
floor that any Textual app stands on. A second floor is the debugger's layout
built from Textual's own widgets with none of this project's code: its launch
is what mounting the debugger costs Textual, whatever the scenario.

"Launch" is judged by the first frame that shows the graph (the debugger);
the app's very first frame, its loading screen, is reported beside it.

The graphs are what learners build: an ``MLP(2, [8, 1])`` with the hinge loss
over enough points to reach the size (about 70 nodes a point), every weight
shared by all the points.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import machine, table, tree_peak_megabytes

SIZES = (100, 1_000, 10_000, 100_000)
QUICK_SIZES = (100, 1_000)
TARGETS = {
    "key_10k_ms": 16.0,
    "key_100k_ms": 50.0,
    "launch_100k_s": 2.0,
    "end_100k_s": 1.0,
    "rss_100k_mb": 200.0,
}
SCENARIO = '''"""A generated graph of about {nodes} nodes"""
import random
from micrograd.losses import max_margin
from micrograd.nn import MLP

rng = random.Random(0)
points = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range({points})]
labels = [1.0 if i % 2 else -1.0 for i in range({points})]
model = MLP(2, [8, 1], seed=1)
root = max_margin([model(p) for p in points], labels, model.parameters())
'''
NODES_PER_POINT = 70
KEY_GAP = 0.05  # seconds between a frame and the next key
EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "example.py"


def write_scenario(folder: Path, nodes: int) -> Path:
    path = folder / f"graph_{nodes}.py"
    points = max(1, round(nodes / NODES_PER_POINT))
    path.write_text(SCENARIO.format(nodes=nodes, points=points))
    return path


class FrameClock:
    """Records each frame of ``app`` as it is handed to the driver: when, on which screen,
    and at which step (by default the debugger's position, if it is on show)."""

    def __init__(self, app: Any, position_of: Any = None) -> None:
        self.frames: list[tuple[float, str, int | None]] = []
        display = app._display
        position_of = position_of or (lambda screen: getattr(screen, "position", None))

        def timed(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                position = position_of(screen)
                self.frames.append((time.perf_counter(), type(screen).__name__, position))
            display(screen, renderable)

        app._display = timed

    async def first(
        self, after: float, screen: str | None = None, position: int | None = None
    ) -> float:
        """The time of the first frame after ``after`` on ``screen`` showing ``position``."""
        seen = 0
        while True:
            for at, name, shown in self.frames[seen:]:
                if at >= after and screen in (None, name) and position in (None, shown):
                    return at
            seen = len(self.frames)
            await asyncio.sleep(0.0002)


async def bare_app(keys: int) -> dict[str, float]:
    """A bare Textual app's launch to first frame, and its key to frame for a Static
    that shows how many keys it has had."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        BINDINGS = [("right", "count")]
        position = 0

        def compose(self) -> ComposeResult:
            yield Static("0")

        def action_count(self) -> None:
            self.position += 1
            self.query_one(Static).update(str(self.position))

    start = time.perf_counter()
    app = Bare()
    clock = FrameClock(app, lambda screen: app.position)
    async with app.run_test(size=(120, 40)):
        first = await clock.first(start)
        latencies = await press(app, clock, "right", keys, lambda: app.position + 1)
    return {"launch_s": first - start, "key_median_ms": statistics.median(latencies) * 1000}


async def press(app: Any, clock: FrameClock, key: str, times: int, expected: Any) -> list[float]:
    """Seconds from each key to the frame that shows its effect, ``KEY_GAP`` apart."""
    latencies = []
    for _ in range(times):
        await asyncio.sleep(KEY_GAP)
        position = expected()
        pressed = time.perf_counter()
        app.simulate_key(key)
        latencies.append(await clock.first(pressed, position=position) - pressed)
    return latencies


async def measure_app(path: Path, keys: int) -> dict[str, Any]:
    """Launch, key to frame for → and ←, and End, for the app opened on ``path``."""
    from tui.app import MicrogradApp
    from tui.options import Options
    from tui.screens.debugger import DebuggerScreen

    start = time.perf_counter()
    app = MicrogradApp(path, options=Options(watch=False))
    clock = FrameClock(app)
    async with app.run_test(size=(120, 40)):
        launch = await clock.first(start, "DebuggerScreen") - start
        first = clock.frames[0][0] - start
        screen = app.screen
        assert isinstance(screen, DebuggerScreen)
        await asyncio.sleep(0.2)
        latencies = await press(app, clock, "right", keys, lambda: screen.position + 1)
        latencies += await press(app, clock, "left", keys, lambda: screen.position - 1)
        await asyncio.sleep(KEY_GAP)
        pressed = time.perf_counter()
        app.simulate_key("end")
        end = await clock.first(pressed, position=len(screen.view.trace)) - pressed
        nodes = screen.view.size
    latencies.sort()
    return {
        "nodes": nodes,
        "launch_s": launch,
        "first_s": first,
        "key_median_ms": statistics.median(latencies) * 1000,
        "key_p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "end_s": end,
        "rss_mb": peak_rss_megabytes(),
    }


def peak_rss_megabytes() -> float:
    """This process's peak resident memory. Linux's ``VmHWM`` belongs to the process
    alone; ``ru_maxrss`` there carries the parent's peak over into the child."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def run_child(arguments: list[str]) -> dict[str, Any]:
    """One measurement in a fresh process, so that peak memory is its own; with the most
    it and its workers held at one moment."""
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.app", *arguments],
        stdout=subprocess.PIPE,
        text=True,
    )
    together, workers, out = tree_peak_megabytes(process)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args, out)
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return {**result, "workers_mb": workers, "together_mb": together}


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def targets(results: dict[int, dict[str, Any]]) -> list[str]:
    """One line per target: the figure, the target, met or missed."""
    checks: list[tuple[str, float, str, str]] = []  # launch vs bare: benchmarks.launch
    if 10_000 in results:
        median = results[10_000]["key_median_ms"]
        checks.append(("key to frame, median, 10^4", median, " ms", "key_10k_ms"))
    if 100_000 in results:
        big = results[100_000]
        checks += [
            ("key to frame, median, 10^5", big["key_median_ms"], " ms", "key_100k_ms"),
            ("launch to first frame, 10^5", big["launch_s"], " s", "launch_100k_s"),
            ("End, 10^5", big["end_s"], " s", "end_100k_s"),
            ("peak RSS, 10^5, app + workers at once", big["together_mb"], " MB", "rss_100k_mb"),
        ]
    return [
        f"target: {name} {value:.2f}{unit} <= {TARGETS[key]:g}{unit}: "
        + ("met" if value <= TARGETS[key] else "MISSED")
        for name, value, unit, key in checks
    ]


async def skeleton_app() -> dict[str, float]:
    """Launch to first frame of a Textual app laid out like the debugger (its panels,
    its CSS, a footer of ten keys) from Textual's own widgets, with none of this
    project's code: what mounting the debugger costs Textual, whatever it shows."""
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal, Vertical
    from textual.scroll_view import ScrollView
    from textual.widgets import Footer, Static

    import tui.app

    class Skeleton(App[None]):
        CSS_PATH = Path(tui.app.__file__).parent / "app.tcss"
        BINDINGS = [(key, "bell", key) for key in "abcdefghij"]

        def compose(self) -> ComposeResult:
            yield Static("status", id="status")
            yield Static(id="banner")
            yield Static(id="check")
            with Vertical(id="main"):
                yield ScrollView(id="graph")
                yield ScrollView(id="outline")
                with Horizontal(id="lower"):
                    with Vertical(id="steps"):
                        yield Static("step", id="step-current")
                        yield ScrollView(id="step-log")
                    yield ScrollView(id="inspector")
            yield Static(id="loss")
            yield Static(id="too-small")
            yield Footer(compact=True)

    start = time.perf_counter()
    app = Skeleton()
    clock = FrameClock(app, lambda screen: None)
    async with app.run_test(size=(120, 40)):
        first = await clock.first(start)
    return {"launch_s": first - start}


def report(quick: bool) -> str:
    sizes = QUICK_SIZES if quick else SIZES
    repeat = 1 if quick else 3
    keys = "10" if quick else "40"
    bare_runs = [run_child(["--bare", "--keys", keys]) for _ in range(repeat)]
    bare = statistics.median(run["launch_s"] for run in bare_runs)
    bare_key = statistics.median(run["key_median_ms"] for run in bare_runs)
    skeleton = statistics.median(run_child(["--skeleton"])["launch_s"] for _ in range(repeat))
    example = median_of([run_child(["--path", str(EXAMPLE), "--keys", "4"]) for _ in range(repeat)])
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = str(write_scenario(Path(folder), size))
            runs = [run_child(["--path", path, "--keys", keys]) for _ in range(repeat)]
            results[size] = median_of(runs)
    rows = [
        [
            name,
            f"{int(result['nodes']):,}",
            f"{result['first_s']:.2f}",
            f"{result['launch_s']:.2f}",
            f"{result['launch_s'] / bare:.2f}x",
            f"{result['key_median_ms']:.1f}",
            f"{result['key_p95_ms']:.1f}",
            f"{result['end_s']:.3f}",
            f"{result['rss_mb']:.0f}",
            f"{result['workers_mb']:.0f}",
            f"{result['together_mb']:.0f}",
        ]
        for name, result in [("example.py", example), *((f"~{s:,}", results[s]) for s in sizes)]
    ]
    headers = [
        "graph",
        "nodes",
        "1st frame s",
        "graph shown s",
        "vs bare",
        "key ms",
        "key p95 ms",
        "End s",
        "RSS MB",
        "workers MB",
        "at once MB",
    ]
    return "\n".join(
        [
            f"app benchmark, median of {repeat} run(s), {keys} → then {keys} ← each; {machine()}",
            f"baseline, a bare Textual app: launch to first frame {bare:.3f} s, key to frame "
            f"{bare_key:.1f} ms (keys {KEY_GAP * 1000:.0f} ms apart); the app's first frame is "
            "its loading screen, and launch is judged by the frame that shows the graph",
            f"floor, Textual's widgets laid out like the debugger with none of its code: launch "
            f"to first frame {skeleton:.3f} s ({skeleton / bare:.2f}x bare)",
            table(headers, rows),
            *targets(results),
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run: a smoke test")
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skeleton", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--keys", type=int, default=40, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare:
        print(json.dumps(asyncio.run(bare_app(args.keys))))
    elif args.skeleton:
        print(json.dumps(asyncio.run(skeleton_app())))
    elif args.path:
        print(json.dumps(asyncio.run(measure_app(Path(args.path), args.keys))))
    else:
        print(report(args.quick))


if __name__ == "__main__":
    main()
