"""Karpathy's demo.ipynb, its training code unchanged, run on this engine; prints each
step's loss and accuracy as JSON. ``test_demo_notebook.py`` runs it in a process of its
own, started as soon as the test run is collected: its minute of training then takes the
machine's other core while the other tests run.

The one change is where scikit-learn is imported: before the seeds, not after.
scikit-learn 1.9 imports ``rich`` when it is installed (and this package brings it),
and ``rich`` draws from ``random`` at import, so importing it after
``random.seed(1337)`` gives the model other starting weights.
"""

from __future__ import annotations

import json
import random
from typing import Any

import numpy as np
from sklearn.datasets import make_moons  # type: ignore[import-untyped]

from micrograd.engine import Value
from micrograd.nn import MLP


def train() -> list[tuple[float, float]]:
    """Each of the notebook's 100 steps: the loss and the accuracy it prints."""
    np.random.seed(1337)
    random.seed(1337)

    X, y = make_moons(n_samples=100, noise=0.1)
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

    seen = []
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
        seen.append((total_loss.data, float(acc)))
    return seen


if __name__ == "__main__":
    print(json.dumps(train()))
