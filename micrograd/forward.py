"""Recomputing the forward pass from the op table, without touching the live graph.

A finite-difference check nudges one leaf at a time and needs the root's new
value each time; doing that on scratch lists keeps the learner's Values as
they were.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from micrograd.engine import UnknownOpError


def evaluate(order: Sequence[Any], leaves: Mapping[int, float] | None = None) -> list[float]:
    """The data of every node of ``order`` (a topological order), recomputed from its leaves.

    ``leaves`` maps node ids (indices into ``order``) to replacement values;
    other leaves keep their current ``data``.
    """
    leaves = leaves or {}
    index = {id(node): position for position, node in enumerate(order)}
    data: list[float] = []
    for position, node in enumerate(order):
        if not node._prev:
            data.append(leaves.get(position, node.data))
            continue
        if node._rule is None:
            raise UnknownOpError(f"no forward rule is known for op {node._op!r}")
        data.append(node._rule.forward(*[data[index[id(o)]] for o in node._prev]))
    return data
