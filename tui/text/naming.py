"""Names for nodes that learners can read: their label, a constant's value, or a short formula.

``x`` for a labelled node, ``2.0`` for an unlabelled constant, ``x*y`` for a
small unlabelled intermediate, and ``+#7`` (the op and node id) when a formula
would get too long. A label given to several nodes (one model applied to
several samples) is numbered in topological order: ``L0.n0.out[0]``,
``L0.n0.out[1]``. Names are made unique by appending ``#id``.
"""

from __future__ import annotations

import re
from collections import Counter
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


_NUMBERED = re.compile(r"\[\d+\]$")

_NUMBER = r"-?(?:\d+(?:\.\d*)?(?:e[+-]?\d+)?|inf|nan)"
_NUMBER_AFTER = re.compile(rf"(\*\*|[-+*/])({_NUMBER})")
_NUMBER_BEFORE = re.compile(rf"({_NUMBER})(\*\*|[-+*/])")
"""An op with its number in it, as a PyTorch function that took one keeps it: ``-1.0``
is ``a - 1.0``, ``2.0-`` is ``2.0 - a``, ``2.0**`` is ``2.0 ** a`` (micrograd keeps its
numbers as leaves, but for a power's exponent, ``**2``)."""


def sample_of(name: str) -> str:
    """The ``[3]`` that numbers a name repeated for each sample (``L0.n0.out[3]``), or ""."""
    found = _NUMBERED.search(name)
    return found.group() if found else ""


def wrap(name: str) -> str:
    """Parenthesise a formula name so ``∂(x*y)/∂x`` reads right; plain names stay bare,
    numbered ones too (``L0.n0.out[2]``), and so does a call (``log(p0).grad``)."""
    if isinstance(name, Name) and name.precedence == ATOM and name.endswith(")"):
        return name
    word = _NUMBERED.sub("", name).replace("_", "").replace(".", "")
    return name if word.isalnum() else f"({name})"


def substitute(text: str, operands: Sequence[str]) -> str:
    """An op-table text with the given strings in place of ``a`` and ``b``, as they are."""
    by_letter = dict(zip("ab", operands))
    return _PLACEHOLDER.sub(lambda match: by_letter.get(match.group(), match.group()), text)


class Name(str):
    """A node's name, and how tightly it binds as part of a formula: a formula name is
    an expression, and another formula must put it in parentheses where Python would
    read it otherwise (``(a+b)*c``, not ``a+b*c``)."""

    precedence: int

    def __new__(cls, text: str, precedence: int) -> Name:
        name = super().__new__(cls, text)
        name.precedence = precedence
        return name


# Python's operator precedence, loosest first; a name that is one token is an atom.
LOOSEST, SUM, PRODUCT, UNARY, POWER, ATOM = range(6)
_BINDING = {"+": SUM, "-": SUM, "*": PRODUCT, "/": PRODUCT, "**": POWER}
_SPACED = {"+": " + ", "-": " - ", "*": "·", "/": " / "}


def precedence_of(name: str) -> int:
    """How tightly a name binds: its own if it is a ``Name``; a bare word or number is an
    atom, a negative number a unary minus, and any other text the loosest."""
    if isinstance(name, Name):
        return name.precedence
    if wrap(name) == name:
        return ATOM
    return UNARY if name.startswith("-") and wrap(name[1:]) == name[1:] else LOOSEST


def _operand(name: str, binds_at_least: int, right: bool = False) -> str:
    """The operand as it stands in a formula; a negative one on the right of an infix op
    is put in parentheses too, as it is written by hand (``x*(-3.0)``, not ``x*-3.0``)."""
    precedence = precedence_of(name)
    if precedence >= binds_at_least and not (right and precedence == UNARY):
        return name
    return f"({name})"


def formula(op: str, operand_names: Sequence[str], spaced: bool = False) -> Name:
    """How a node is computed from its operands, written the way it would be typed: with
    parentheses exactly where Python needs them to compute it in the same order.

    An operand on the right of ``+``, ``-``, ``*`` or ``/`` that binds as loosely
    as the op keeps its parentheses: ``a+(b+c)`` is not ``a+b+c`` in floating point.
    ``spaced`` writes it as the op table and a step's numbers do (``x1·w1 + b``);
    names are compact (``x1*w1+b``).
    """
    if op in _INFIX and len(operand_names) == 2:
        binding = _BINDING[op]
        left, right = operand_names
        if op == "**":  # right-associative: a**b**c is a**(b**c)
            text = f"{_operand(left, binding + 1)}**{_operand(right, binding, right=True)}"
        else:
            symbol = _SPACED[op] if spaced else op
            text = f"{_operand(left, binding)}{symbol}{_operand(right, binding + 1, right=True)}"
        return Name(text, binding)
    if len(operand_names) == 1 and (after := _NUMBER_AFTER.fullmatch(op)):
        return formula(after[1], [operand_names[0], after[2]], spaced)
    if len(operand_names) == 1 and (before := _NUMBER_BEFORE.fullmatch(op)):
        return formula(before[2], [before[1], operand_names[0]], spaced)
    if op.startswith("**") and len(operand_names) == 1:
        return Name(f"{_operand(operand_names[0], POWER + 1)}{op}", POWER)
    if op == "neg" and len(operand_names) == 1:
        return Name(f"-{_operand(operand_names[0], POWER)}", UNARY)
    return Name(f"{op}({', '.join(operand_names)})", ATOM)


def node_names(trace: Trace) -> list[str]:
    """A readable, unique name for every node of a trace's graph (in topological order);
    the operands come from the trace, which has them by id."""
    names: list[str] = []
    taken: set[str] = set()
    labels = [
        label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
        for label in map(visible, trace.labels)
    ]
    repeats = {label: 0 for label, count in Counter(labels).items() if count > 1 and label}
    for i, label in enumerate(labels):
        operands = trace.operands(i)
        if label in repeats:  # one model applied to several samples: L0.n0.out[0], [1], …
            name = f"{label}[{repeats[label]}]"
            repeats[label] += 1
        elif label:
            name = label
        elif not operands:
            name = fmt(trace.starting_data(i))
        else:
            op = visible(trace.ops[i])
            text = formula(op, [names[o] for o in operands])
            fits = len(text) <= MAX_FORMULA and "#" not in text
            # A reference, not a formula; in a formula, one that starts with an operator
            # is put in parentheses, so that (-#391)**2 is not read as -(#391**2).
            name = text if fits else Name(f"{op}#{i}", ATOM if op[:1].isalpha() else LOOSEST)
        if name in taken and (label or operands):
            name = Name(f"{name}#{i}", precedence_of(name))
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
