"""Loss functions built from Value ops, so their backward passes can be stepped through too."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from micrograd.engine import Value
from micrograd.nn import named

Number = Value | float


def _as_value(x: Number) -> Value:
    return x if isinstance(x, Value) else Value(x)


def _constant(x: Number, label: str) -> Value:
    """A number as a leaf named for what it is (``target``); a Value keeps its own label."""
    return x if isinstance(x, Value) else Value(x, label=label)


def _check_lengths(predictions: Sequence[Number], targets: Sequence[Number]) -> None:
    if len(predictions) != len(targets):
        raise ValueError(f"{len(predictions)} predictions but {len(targets)} targets")
    if not predictions:
        raise ValueError("a loss needs at least one prediction")


def mse(predictions: Sequence[Number], targets: Sequence[Number]) -> Value:
    """Mean squared error: the average of ``(prediction - target)²``."""
    _check_lengths(predictions, targets)
    total = Value(0.0)
    for p, t in zip(predictions, targets):
        error = named(_as_value(p) - _constant(t, "target"), "error")
        total = named(total + named(error**2, "squared_error"), "sum_of_squares")
    return named(total / len(predictions), "mse")


def max_margin(
    scores: Sequence[Number],
    labels: Sequence[Number],
    parameters: Iterable[Value] = (),
    alpha: float = 1e-4,
) -> Value:
    """The SVM hinge loss of Karpathy's moons demo: mean of ``relu(1 - y·score)``
    for labels ±1, plus ``alpha`` times the sum of squared parameters (L2).

    Karpathy writes ``1 + -y·score``; ``1 - score·y`` is the same float, bit for
    bit, and reads as the margin it is.
    """
    _check_lengths(scores, labels)
    hinges = Value(0.0)
    for y, s in zip(labels, scores):
        margin = named(_as_value(s) * _constant(y, "y"), "margin")
        shortfall = named(1 - margin, "shortfall")
        hinges = named(hinges + named(shortfall.relu(), "hinge"), "sum_of_hinges")
    data_loss = named(hinges * (1.0 / len(scores)), "data_loss")
    squares = Value(0.0)
    for p in parameters:
        squares = named(
            squares + named(p * p, f"{p.label or 'parameter'}_squared"), "sum_of_squares"
        )
    return named(data_loss + named(alpha * squares, "regularization"), "max_margin")


def binary_cross_entropy(probabilities: Sequence[Number], targets: Sequence[float]) -> Value:
    """Mean of ``-(t·ln p + (1 - t)·ln(1 - p))`` for probabilities p (e.g. from ``sigmoid``).

    The textbook formula, unclamped: a probability of exactly 0 or 1 gives
    inf or nan (PyTorch's ``BCELoss`` clamps each log at -100 instead), so the
    app can show where a non-finite loss comes from.
    """
    _check_lengths(probabilities, targets)
    terms = []
    for p, t in zip(probabilities, targets):
        p = _as_value(p)
        terms.append(-(t * p.log() + (1 - t) * (1 - p).log()))
    return sum(terms, Value(0.0)) / len(terms)


def accuracy(scores: Sequence[Number], labels: Sequence[float]) -> float:
    """The fraction of scores whose sign matches the ±1 label."""
    _check_lengths(scores, labels)
    data = [s.data if isinstance(s, Value) else s for s in scores]
    return sum((y > 0) == (s > 0) for y, s in zip(labels, data)) / len(labels)
