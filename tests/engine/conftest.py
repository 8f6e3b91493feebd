"""Karpathy's demo notebook, started early: a minute of training in a process of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

demo_run = pytest.StashKey[subprocess.Popen[str]]()


def start_demo() -> subprocess.Popen[str]:
    """``demo_notebook.py`` training in a process of its own; its JSON on stdout."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.engine.demo_notebook"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the demo as soon as the run is known to hold its test (after ``-m`` and
    ``-k`` have chosen), so that it trains on the machine's other core while the other
    tests run."""
    config = session.config
    wanted = any(item.path.name == "test_demo_notebook.py" for item in session.items)
    if wanted and not config.getoption("collectonly"):
        config.stash[demo_run] = start_demo()


def pytest_unconfigure(config: pytest.Config) -> None:
    process = config.stash.get(demo_run, None)
    if process is not None and process.poll() is None:  # the run ended before its test
        process.kill()
        process.communicate()
