"""Names for nodes that learners can read: their label, a constant's value, or a short formula.

``x`` for a labelled node, ``2.0`` for an unlabelled constant, ``x*y`` for a
small unlabelled intermediate, and ``+#7`` (the op and node id) when a formula
would get too long. Names are made unique by appending ``#id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tui.numbers import fmt

MAX_FORMULA = 12
_INFIX = {"+", "-", "*", "/", "**"}


def _formula(node: Any, operand_names: list[str]) -> str:
    op = node._op
    if op in _INFIX and len(operand_names) == 2:
        return f"{operand_names[0]}{op}{operand_names[1]}"
    if op.startswith("**") and len(operand_names) == 1:
        return f"{operand_names[0]}{op}"
    if op == "neg":
        return f"-{operand_names[0]}"
    return f"{op}({', '.join(operand_names)})"


def node_names(order: Sequence[Any]) -> list[str]:
    """A readable, unique name for every node of a topologically ordered graph."""
    index = {id(node): i for i, node in enumerate(order)}
    names: list[str] = []
    taken: set[str] = set()
    for i, node in enumerate(order):
        if node.label:
            name = node.label
        elif not node._prev:
            name = fmt(node.data)
        else:
            formula = _formula(node, [names[index[id(o)]] for o in node._prev])
            fits = len(formula) <= MAX_FORMULA and "#" not in formula
            name = formula if fits else f"{node._op}#{i}"
        if name in taken and (node.label or node._prev):
            name = f"{name}#{i}"
        taken.add(name)
        names.append(name)
    return names
