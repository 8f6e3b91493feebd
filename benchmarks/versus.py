"""Our engine against a classic one in Karpathy's design, on the moons demo's MLP.

``python -m benchmarks.versus`` times the forward pass (the loss of
MLP(2, [16, 16, 1]) over 100 points, hinge loss plus L2) and ``backward()``
for both engines, and draining ``backward_steps()`` for ours. Each engine is
timed in a fresh process of its own, the two taking turns: in one process
the classic engine's cyclic garbage (a closure per node) is collected while
ours is being timed, and the ratio comes out near 1.0 instead of ~0.2.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

from benchmarks.common import machine, table

TARGETS = {
    "forward+backward vs classic": 0.33,
    "backward() vs classic": 1.0,
    "steps/backward()": 2.0,
}


def _time_classic(points: int) -> dict[str, float]:
    from benchmarks import classic
    from benchmarks.engine import moons_like

    xs, ys = moons_like(points)
    model = classic.MLP(2, [16, 16, 1], seed=1337)
    start = time.perf_counter()
    loss = classic.hinge_loss(model, xs, ys)
    built = time.perf_counter()
    loss.backward()
    done = time.perf_counter()
    return {"forward": built - start, "backward": done - built}


def _time_ours(points: int) -> dict[str, float]:
    from benchmarks.engine import moons_like
    from micrograd.losses import max_margin
    from micrograd.nn import MLP

    xs, ys = moons_like(points)
    model = MLP(2, [16, 16, 1], seed=1337)

    def build() -> object:
        return max_margin([model(x) for x in xs], ys, model.parameters())  # type: ignore[misc]

    start = time.perf_counter()
    loss = build()
    built = time.perf_counter()
    loss.backward()  # type: ignore[attr-defined]
    done = time.perf_counter()
    model.zero_grad()
    loss = build()
    steps_start = time.perf_counter()
    for _ in loss.backward_steps():  # type: ignore[attr-defined]
        pass
    steps = time.perf_counter() - steps_start
    return {"forward": built - start, "backward": done - built, "steps": steps}


def _child(engine: str, points: int) -> None:
    timed = _time_ours(points) if engine == "ours" else _time_classic(points)
    print(json.dumps(timed))


def _run_child(engine: str, points: int) -> dict[str, float]:
    module = "benchmarks.versus"
    command = [sys.executable, "-m", module, "--child", engine, "--points", str(points)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(output)
    return result


def measure(points: int, runs: int) -> dict[str, dict[str, float]]:
    """Each engine's median times over ``runs`` fresh processes, the engines alternating."""
    samples: dict[str, list[dict[str, float]]] = {"classic": [], "ours": []}
    for _ in range(runs):
        for engine in samples:
            samples[engine].append(_run_child(engine, points))
    return {
        engine: {key: statistics.median(run[key] for run in runs_) for key in runs_[0]}
        for engine, runs_ in samples.items()
    }


def report(quick: bool) -> str:
    """The table and the verdict on each target, as text."""
    points, runs = (10, 1) if quick else (100, 7)
    times = measure(points, runs)
    classic, ours = times["classic"], times["ours"]
    ratios = {
        "forward+backward vs classic": (ours["forward"] + ours["backward"])
        / (classic["forward"] + classic["backward"]),
        "backward() vs classic": ours["backward"] / classic["backward"],
        "steps/backward()": ours["steps"] / ours["backward"],
    }
    rows = [
        [
            name,
            f"{engine['forward'] * 1e3:.1f}",
            f"{engine['backward'] * 1e3:.1f}",
            f"{(engine['forward'] + engine['backward']) * 1e3:.1f}",
            f"{engine['steps'] * 1e3:.1f}" if "steps" in engine else "-",
        ]
        for name, engine in (("classic (Karpathy's design)", classic), ("micrograd", ours))
    ]
    verdicts = [
        f"target: {name} <= {target}x: {'met' if ratios[name] <= target else 'MISSED'} "
        f"({ratios[name]:.2f}x)"
        for name, target in TARGETS.items()
    ]
    return "\n".join(
        [
            f"engines compared on MLP(2,[16,16,1]) hinge + L2, {points} pts, median of {runs} "
            f"fresh process(es) each, alternating; {machine()}",
            table(["engine", "forward ms", "backward() ms", "fwd+bwd ms", "steps ms"], rows),
            *verdicts,
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 points, 1 run: a smoke test")
    parser.add_argument("--child", choices=("ours", "classic"), help=argparse.SUPPRESS)
    parser.add_argument("--points", type=int, default=100, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.points)
    else:
        print(report(args.quick))


if __name__ == "__main__":
    main()
