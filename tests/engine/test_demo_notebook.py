"""Karpathy's demo.ipynb, its training code unchanged, on this engine: his printed numbers.

The one change is where scikit-learn is imported: before the seeds, not after.
scikit-learn 1.9 imports ``rich`` when it is installed (and this package brings
it), and ``rich`` draws from ``random`` at import, so importing it after
``random.seed(1337)`` gives the model other starting weights.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

np = pytest.importorskip("numpy")
datasets = pytest.importorskip("sklearn.datasets")  # before any seed, as the README says

from micrograd.engine import Value  # noqa: E402
from micrograd.nn import MLP  # noqa: E402

pytestmark = pytest.mark.slow

PRINTED = {  # step: (loss, accuracy) as the notebook prints them
    0: (0.8958441028683222, 0.5),
    1: (1.7235905336972022, None),
    99: (0.010978370135492717, 1.0),
}


@pytest.fixture
def seeded() -> Iterator[None]:
    """The notebook's seeds, and the random state of the other tests put back after."""
    state, np_state = random.getstate(), np.random.get_state()
    np.random.seed(1337)
    random.seed(1337)
    yield
    random.setstate(state)
    np.random.set_state(np_state)


def test_the_demo_notebook_trains_to_karpathy_s_printed_numbers(seeded: None) -> None:
    X, y = datasets.make_moons(n_samples=100, noise=0.1)
    y = y * 2 - 1  # make y be -1 or 1
    model = MLP(2, [16, 16, 1])  # 2-layer neural network

    def loss(batch_size: int | None = None) -> tuple[Any, float]:
        # inline DataLoader :)
        if batch_size is None:
            Xb, yb = X, y
        else:
            ri = np.random.permutation(X.shape[0])[:batch_size]
            Xb, yb = X[ri], y[ri]
        inputs = [list(map(Value, xrow)) for xrow in Xb]
        # forward the model to get scores
        scores = list(map(model, inputs))
        # svm "max-margin" loss
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        # L2 regularization
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        # also get accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    seen = {}
    for k in range(100):
        # forward
        total_loss, acc = loss()
        # backward
        model.zero_grad()
        total_loss.backward()
        # update (sgd)
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        seen[k] = (total_loss.data, acc)

    for step, (printed_loss, printed_accuracy) in PRINTED.items():
        ours, accuracy = seen[step]
        assert ours == pytest.approx(printed_loss, rel=1e-13, abs=0), f"step {step}"
        if printed_accuracy is not None:
            assert accuracy == printed_accuracy, f"step {step}"
