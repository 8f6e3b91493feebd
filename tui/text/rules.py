"""A chain step's local derivative as the lecture writes it, and which use of a node it is.

The rule, then the rule with the step's numbers, then its value
(``∂tanh(n)/∂n = 1 - tanh(n)² = 1 - 0.7071² = 0.5``), so a learner can see
where every number came from. A node used twice by one op is two variables
(``∂(b₁*b₂)/∂b₁ = b₂``): as mathematics ∂(b·b)/∂b is 2b, and a step carries
one use's share. At a node's last contribution the grad is shown as the sum
of them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from micrograd import ChainStep, Trace
from micrograd.engine import Op
from tui.text.naming import ATOM, Name, formula, precedence_of, wrap
from tui.text.numbers import fmt

SUBSCRIPTS = "₁₂"
OUTPUT = "o"
"""The placeholder for the node's own value in a rule: ``1 - tanh(a)²`` is ``1 - o²``,
as the lecture writes it, with o = tanh(a) already computed."""
_PLACEHOLDER = re.compile(r"(?<![A-Za-z_])[abo](?![A-Za-z_])")
_ROLES = {
    "+": ("left term", "right term"),
    "-": ("first term", "subtracted term"),
    "*": ("left factor", "right factor"),
    "/": ("numerator", "denominator"),
    "**": ("base", "exponent"),
}
TERMS_LISTED = 4
"""A weight shared by a whole data set has hundreds of uses; its total lists this many."""


def variables(trace: Trace, names: Sequence[str], node: int) -> list[str]:
    """The node's operands as its rule names them: an operand used twice by the node
    (``b*b``) is two variables, ``b₁`` and ``b₂``, each one token in a formula."""
    operands = trace.operands(node)
    shown = [names[operand] for operand in operands]
    if len(set(operands)) == len(operands):
        return shown
    return [Name(f"{wrap(name)}{SUBSCRIPTS[i]}", ATOM) for i, name in enumerate(shown)]


def fill(template: str, values: dict[str, str]) -> str:
    """A rule's text with names or numbers for ``a``, ``b`` and ``o``, each in parentheses
    where it would otherwise be misread (``1 - (-0.5)²``, ``1/(x*y)``), and bare where it
    stands alone or as a function's argument (``tanh(x*y)``)."""

    def put(match: re.Match[str]) -> str:
        value = values[match.group()]
        start, end = match.span()
        alone = template == match.group()
        argument = template[start - 1 : start] == "(" and template[end : end + 1] == ")"
        return value if alone or argument else standalone(value)

    return _PLACEHOLDER.sub(put, template)


def standalone(value: str) -> str:
    """A name or number as one token of a formula: in parentheses unless it is one."""
    return value if precedence_of(value) == ATOM else f"({value})"


def local_rule(
    trace: Trace,
    names: Sequence[str],
    node: int,
    position: int,
    local: float | None,
    number: Callable[[float], str] = fmt,
) -> str:
    """``∂tanh(n)/∂n = 1 - tanh(n)² = 1 - 0.7071² = 0.5``: ∂node/∂operand at ``position``
    as a rule, with the pass's numbers in it, and its value; a constant rule
    (``∂(x+y)/∂x = 1``) is not repeated, and without a ``local`` (the forward pass has
    not computed the node yet) there are no numbers. ``number`` writes the numbers (the
    property test passes ``repr`` to evaluate the text exactly)."""
    op: Op | None = trace.rules[node]
    assert op is not None, "a learner's own op has no rule to show"
    named = variables(trace, names, node)
    rule = op.rules[position].split(" = ", 1)[1]
    said = [
        f"∂{standalone(formula(trace.ops[node], named))}/∂{standalone(named[position])}",
        fill(rule, dict(zip("ab", named))),
    ]
    in_numbers = rule.replace(op.formula, OUTPUT)
    if local is not None and _PLACEHOLDER.search(in_numbers):
        numbers = [number(trace.pass_data(operand)) for operand in trace.operands(node)]
        with_numbers = fill(in_numbers, dict(zip("ab", numbers), o=number(trace.pass_data(node))))
        value = number(local)
        for text in (with_numbers, value):
            if text not in said[1:]:
                said.append(text)
    return " = ".join(said)


def use_text(trace: Trace, names: Sequence[str], index: int) -> str:
    """Which use of its operand a chain step is, when the operand has several:
    ``use 1 of 2 of b: the left factor of c``."""
    step = trace.steps[index]
    assert isinstance(step, ChainStep)
    nth, of = trace.arrival(index)
    if of == 1:
        return ""
    op = trace.ops[step.output]
    roles = _ROLES.get(op, ("base",) if op.startswith("**") else ("argument",))
    role = roles[step.position] if step.position < len(roles) else "argument"
    return f"use {nth} of {of} of {wrap(names[step.operand])}: the {role} of {names[step.output]}"


def contributions(trace: Trace, node: int) -> list[ChainStep]:
    """The chain steps that add to the node's grad, in order: one per use."""
    steps = (trace.steps[index] for index in trace.steps_changing(node))
    return [step for step in steps if isinstance(step, ChainStep)]


def total_text(trace: Trace, names: Sequence[str], node: int) -> str:
    """A node's grad as the sum of its uses' shares, once there are several:
    ``b.grad = 3.0 + 3.0 = 6.0 = ∂c/∂b``. A leaf whose grad was not 0 before the pass
    (grads accumulate, as in PyTorch) adds what it had, and is then not ∂root/∂node."""
    shares = contributions(trace, node)
    if len(shares) < 2:
        return ""
    terms = [_term(share.contribution) for share in shares]
    if len(terms) > TERMS_LISTED:
        terms = [*terms[: TERMS_LISTED - 1], "…", terms[-1]]
    before = shares[0].before
    if before != 0.0:
        terms.insert(0, f"{_term(before)} (from before this pass)")
    name = wrap(names[node])
    text = f"{name}.grad = {' + '.join(terms)} = {fmt(shares[-1].after)}"
    if before == 0.0:
        text += f" = ∂{wrap(names[trace.root])}/∂{name}"
    return f"{text}, the sum over its {len(shares):,} uses"


def _term(value: float) -> str:
    text = fmt(value)
    return f"({text})" if text.startswith("-") else text


def flow_text(step: ChainStep, number: Callable[[float], str] = fmt) -> str:
    """What a chain step adds to its operand's grad, for the graph's edge: the local
    derivative times the upstream grad, as the step panel writes them, and the product
    (``+= -3.0·1.0 = -3.0``)."""
    local, upstream = standalone(number(step.local)), standalone(number(step.upstream))
    return f"+= {local}·{upstream} = {number(step.contribution)}"
