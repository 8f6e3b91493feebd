"""Engine benchmark: backward() against draining backward_steps() and building a Trace.

Run ``python -m benchmarks.engine`` (``--quick`` for a fast smoke run), or
``python -m benchmarks`` for every benchmark. Graphs from 10^3 to 10^6 nodes
show how time and peak memory grow. The target is that draining
``backward_steps()`` costs at most 2x ``backward()``, measured in the same
process so machine noise cancels out of the ratio.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable

from benchmarks.common import machine, median_seconds, peak_megabytes, table
from micrograd import Trace, Value
from micrograd.losses import max_margin
from micrograd.nn import MLP

TARGET_RATIO = 2.0


def moons_like(points: int, seed: int = 0) -> tuple[list[list[float]], list[float]]:
    """Two interleaved half circles, as in Karpathy's demo, made here with no download."""
    import math

    rng = random.Random(seed)
    xs, ys = [], []
    for i in range(points):
        angle = math.pi * rng.random()
        if i % 2:
            xs.append(
                [1 - math.cos(angle) + rng.gauss(0, 0.1), 0.5 - math.sin(angle) + rng.gauss(0, 0.1)]
            )
            ys.append(1.0)
        else:
            xs.append([math.cos(angle) + rng.gauss(0, 0.1), math.sin(angle) + rng.gauss(0, 0.1)])
            ys.append(-1.0)
    return xs, ys


def mlp_hinge(points: int) -> Callable[[], Value]:
    """The moons demo's loss: MLP(2, [16, 16, 1]) over ``points`` points with the hinge loss."""
    xs, ys = moons_like(points)

    def build() -> Value:
        model = MLP(2, [16, 16, 1], seed=1337)
        scores = [model(x) for x in xs]
        return max_margin(scores, ys, model.parameters())  # type: ignore[arg-type]

    return build


def chain(length: int) -> Callable[[], Value]:
    """A chain ``y = y * 1.0 + 0.0`` of ``length`` links: deep, narrow, and long."""

    def build() -> Value:
        y = Value(1.0)
        for _ in range(length):
            y = y * 1.0 + 0.0
        return y

    return build


def drain(root: Value) -> None:
    for _ in root.backward_steps():
        pass


def cases(quick: bool) -> list[tuple[str, Callable[[], Value]]]:
    """Chains from 10^3 to 10^6 nodes (10^4 when quick), so the growth shows, and the
    moons demo's MLP, a graph of the shape learners build."""
    sizes = (1_000, 10_000) if quick else (1_000, 10_000, 100_000, 1_000_000)
    points = 10 if quick else 100
    return [
        *((f"chain of {size // 4:,} links", chain(size // 4)) for size in sizes),
        (f"MLP(2,[16,16,1]) hinge, {points} pts", mlp_hinge(points)),
    ]


def _build_time(build: Callable[[], Value], runs: int) -> float:
    """The median time ``build`` takes to make its graph: the forward pass."""
    return median_seconds(lambda: build, {"build": lambda make: make()}, runs)["build"]


def report(quick: bool) -> str:
    """The table and the verdict on the target, as text."""
    repeat = 1 if quick else 5
    rows = []
    worst = 0.0
    for name, build in cases(quick):
        nodes = len(build().topological_order())
        runs = 1 if nodes > 500_000 else repeat  # the largest graph is slow enough to be steady
        forward = _build_time(build, runs)
        times = median_seconds(
            build,
            {"backward": lambda root: root.backward(), "steps": drain, "trace": Trace},
            runs,
        )
        plain, stepped, traced = times["backward"], times["steps"], times["trace"]
        memory = peak_megabytes(build, Trace)
        worst = max(worst, stepped / plain)
        rows.append(
            [
                name,
                f"{nodes:,}",
                f"{forward * 1e3:.1f}",
                f"{plain * 1e3:.1f}",
                f"{stepped * 1e3:.1f}",
                f"{stepped / plain:.2f}x",
                f"{traced * 1e3:.1f}",
                f"{traced / plain:.2f}x",
                f"{memory:.1f}",
            ]
        )
    headers = [
        "graph",
        "nodes",
        "forward ms",
        "backward() ms",
        "steps ms",
        "steps/bwd",
        "Trace ms",
        "Trace/bwd",
        "Trace peak MiB",
    ]
    verdict = "met" if worst <= TARGET_RATIO else "MISSED"
    return "\n".join(
        [
            f"engine benchmark, median of {repeat} run(s) (1 at 10^6 nodes); {machine()}",
            table(headers, rows),
            f"target: draining backward_steps() <= {TARGET_RATIO}x backward(): "
            f"{verdict} (worst {worst:.2f}x)",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and 1 run, to check it works"
    )
    print(report(parser.parse_args(argv).quick))


if __name__ == "__main__":
    main()
