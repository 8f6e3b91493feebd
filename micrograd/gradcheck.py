"""A finite-difference gradient check: what the chain rule says against what nudging says.

For each leaf, ``(f(x + h) - f(x - h)) / 2h`` in float64 is compared with the
grad ``backward()`` gives. The live graph is left exactly as it was found.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from micrograd.forward import evaluate
from micrograd.graph import topological_order


@dataclass(frozen=True, slots=True)
class LeafCheck:
    """One leaf's analytic and numeric gradient and how far apart they are."""

    node: int
    label: str
    analytic: float
    numeric: float
    error: float


@dataclass(frozen=True, slots=True)
class GradCheck:
    """Every leaf's check; ``worst`` is the largest error (0.0 for a graph with no leaf)."""

    leaves: tuple[LeafCheck, ...]

    @property
    def worst(self) -> float:
        return max((leaf.error for leaf in self.leaves), default=0.0)

    def passed(self, tolerance: float = 1e-6) -> bool:
        return self.worst <= tolerance


def relative_error(analytic: float, numeric: float) -> float:
    """``|a - n| / max(1, |a|, |n|)``: absolute near zero, relative for large grads.

    Equal values (including two equal infinities) have error 0; anything else
    that is not finite has error inf, so a nan never hides as "no error".
    """
    if analytic == numeric:
        return 0.0
    error = abs(analytic - numeric) / max(1.0, abs(analytic), abs(numeric))
    return error if math.isfinite(error) else math.inf


def gradient_check(root: Any, h: float = 1e-6) -> GradCheck:
    """Compare ``backward()``'s grad with central differences for every leaf of ``root``."""
    order = topological_order(root)
    saved = [node.grad for node in order]
    for node in order:
        node.grad = 0.0
    root.backward()
    analytic = [node.grad for node in order]
    for node, grad in zip(order, saved):
        node.grad = grad

    checks = []
    for position, node in enumerate(order):
        if node._prev:
            continue
        up = evaluate(order, {position: node.data + h})[-1]
        down = evaluate(order, {position: node.data - h})[-1]
        numeric = (up - down) / (2 * h)
        checks.append(
            LeafCheck(
                node=position,
                label=node.label,
                analytic=analytic[position],
                numeric=numeric,
                error=relative_error(analytic[position], numeric),
            )
        )
    return GradCheck(tuple(checks))
