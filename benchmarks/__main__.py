"""``python -m benchmarks [--quick]``: every benchmark, one table each.

``--quick`` runs small sizes once, only to keep the scripts working (CI does
this); the figures worth keeping come from a full run, recorded in
``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse

from benchmarks import app, classroom, engine, launch, sites, transcript, versus


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, one run: a smoke test")
    quick = parser.parse_args(argv).quick
    print(versus.report(quick))
    print()
    print(engine.report(quick))
    print()
    print(app.report(quick))
    print()
    print(launch.report(quick))
    print()
    print(transcript.report(quick))
    print()
    print(sites.report(quick))
    print()
    print(classroom.report(quick))


if __name__ == "__main__":
    main()
