"""Names for nodes that learners can read: their label, a constant's value, or a short formula.

``x`` for a labelled node, ``2.0`` for an unlabelled constant, ``x*y`` for a
small unlabelled intermediate, and ``+#7`` (the op and node id) when a formula
would get too long. Names are made unique by appending ``#id``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from micrograd.trace import Trace
from tui.text.numbers import fmt
from tui.text.visible import visible

MAX_FORMULA = 12
MAX_LABEL = 40
"""Longest label used whole as a name; a longer one is cut with … (the inspector shows it
all): a 100,000-character label once took nine seconds to the first frame."""
MAX_LABEL_SHOWN = 10_000
"""Most of a label the inspector shows; the rest is counted, not drawn."""
_INFIX = {"+", "-", "*", "/", "**"}


_PLACEHOLDER = re.compile(r"(?<![A-Za-z_])[ab](?![A-Za-z_])")


def wrap(name: str) -> str:
    """Parenthesise a formula name so ``∂(x*y)/∂x`` reads right; plain names stay bare."""
    return name if name.replace("_", "").replace(".", "").isalnum() else f"({name})"


def substitute(text: str, operands: Sequence[str]) -> str:
    """An op-table text with the given strings in place of ``a`` and ``b``, as they are."""
    by_letter = dict(zip("ab", operands))
    return _PLACEHOLDER.sub(lambda match: by_letter.get(match.group(), match.group()), text)


def name_rule(rule: str, operand_names: Sequence[str]) -> str:
    """An op-table rule with the operands' names in place of ``a`` and ``b``:
    ``∂(a·b)/∂a = b`` for x·y reads ``∂(x·y)/∂x = y``."""
    return substitute(rule, [wrap(name) for name in operand_names])


def formula(op: str, operand_names: Sequence[str]) -> str:
    """How a node is computed from its operands, written the way it would be typed."""
    if op in _INFIX and len(operand_names) == 2:
        return f"{operand_names[0]}{op}{operand_names[1]}"
    if op.startswith("**") and len(operand_names) == 1:
        return f"{operand_names[0]}{op}"
    if op == "neg":
        return f"-{operand_names[0]}"
    return f"{op}({', '.join(operand_names)})"


def node_names(trace: Trace) -> list[str]:
    """A readable, unique name for every node of a trace's graph (in topological order);
    the operands come from the trace, which has them by id."""
    names: list[str] = []
    taken: set[str] = set()
    for i, label in enumerate(map(visible, trace.labels)):
        operands = trace.operands(i)
        if label:
            name = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
        elif not operands:
            name = fmt(trace.starting_data(i))
        else:
            op = visible(trace.ops[i])
            text = formula(op, [names[o] for o in operands])
            fits = len(text) <= MAX_FORMULA and "#" not in text
            name = text if fits else f"{op}#{i}"
        if name in taken and (label or operands):
            name = f"{name}#{i}"
        taken.add(name)
        names.append(name)
    return names


def full_label(trace: Trace, node: int) -> str:
    """The node's label as the inspector shows it: visible, and cut only past
    ``MAX_LABEL_SHOWN`` characters, saying how many more there are."""
    label = trace.labels[node]
    if len(label) <= MAX_LABEL_SHOWN:
        return visible(label)
    rest = len(label) - MAX_LABEL_SHOWN
    return f"{visible(label[:MAX_LABEL_SHOWN])}… ({rest:,} more characters)"
