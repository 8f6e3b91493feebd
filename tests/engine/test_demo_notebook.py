"""Karpathy's demo.ipynb on this engine trains to his printed numbers (see
``demo_notebook.py``, which runs in a process of its own)."""

from __future__ import annotations

import json

import pytest

from tests.engine.conftest import demo_run, start_demo

pytest.importorskip("numpy")
pytest.importorskip("sklearn.datasets")

pytestmark = pytest.mark.slow

PRINTED = {  # step: (loss, accuracy) as the notebook prints them
    0: (0.8958441028683222, 0.5),
    1: (1.7235905336972022, None),
    99: (0.010978370135492717, 1.0),
}


def test_the_demo_notebook_trains_to_karpathy_s_printed_numbers(
    request: pytest.FixtureRequest,
) -> None:
    process = request.config.stash.get(demo_run, None) or start_demo()
    out, err = process.communicate(timeout=900)
    assert process.returncode == 0, err
    seen = json.loads(out)
    for step, (printed_loss, printed_accuracy) in PRINTED.items():
        loss, accuracy = seen[step]
        assert loss == pytest.approx(printed_loss, rel=1e-13, abs=0), f"step {step}"
        if printed_accuracy is not None:
            assert accuracy == printed_accuracy, f"step {step}"
