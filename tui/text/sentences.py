"""What each step says: one sentence with its numbers, the rule it used, and any remark.

E.g. ``n = x1w1x2w2 + b = -6.0 + 6.8814 = 0.8814`` for a forward step, or
``x.grad += ∂(x*y)/∂x · (x*y).grad = (-3.0)·(1.0) = -3.0    x.grad: 4.0 → 1.0``
for a chain-rule application. The app's panels, the quiz, ``--print`` and the
Markdown export all show these, so they are built here, once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from micrograd import CallStep, ChainStep, ForwardStep, Trace, UpdateStep
from micrograd.gradcheck import BackwardCallCheck
from tui.loading.summary import StaleData
from tui.text.naming import formula, substitute, wrap
from tui.text.numbers import fmt
from tui.text.rules import local_rule, standalone, total_text, use_text, variables
from tui.text.visible import visible


@dataclass(frozen=True)
class StepText:
    """One step in words: the update with its numbers, the rule it used (none for a
    forward step, whose update is its own rule), and any remark."""

    update: str
    rule: str
    remark: str
    total: str = ""
    """At the last of several contributions to a grad: the grad as their sum."""


NON_FINITE = "non-finite: inf or nan flows on from here"


def _numbers_in(op_formula: str, inputs: tuple[float, ...]) -> str:
    """The op's formula with numbers for ``a`` and ``b``; a negative number is put in
    parentheses unless it leads a sum, difference, product or quotient (``-6.0 + 6.8814``)
    or is a function's argument (``tanh(-1.75)``)."""
    texts = [fmt(value) for value in inputs]
    bare_first = op_formula.startswith(("a ", "a·"))
    argument = op_formula.endswith("(a)")
    wrapped = [
        f"({text})" if text.startswith("-") and not (i == 0 and bare_first or argument) else text
        for i, text in enumerate(texts)
    ]
    return substitute(op_formula, wrapped)


def _describe_forward(step: ForwardStep, names: list[str]) -> StepText:
    """``n = x1w1x2w2 + b = -6.0 + 6.8814 = 0.8814``; an unlabelled node named by its own
    formula (``x**2``) is not written twice."""
    node = names[step.node]
    operand_names = [names[i] for i in step.operands]
    symbolic = formula(step.op, operand_names, spaced=True)
    numeric = _numbers_in(step.kind.formula, step.inputs)
    said = [node] if node == formula(step.op, operand_names) else [node, symbolic]
    return StepText(
        update=" = ".join([*said, numeric, fmt(step.after)]),
        rule="",
        remark="" if math.isfinite(step.after) else NON_FINITE,
    )


def call_of(name: str, functions: Sequence[str]) -> str:
    """What one step of a graph without micrograd's rules calls: a learner's
    ``n._backward()``, or, in a PyTorch graph, ``n.grad_fn(n.grad)`` as its engine does."""
    name = wrap(name)
    return f"{name}.grad_fn({name}.grad)" if functions else f"{name}._backward()"


def _describe_call(
    step: CallStep, trace: Trace, names: list[str], functions: Sequence[str]
) -> StepText:
    """``n._backward():  x.grad 0.0 → 0.5,  b.grad 0.0 → 0.5``."""
    changes = ",  ".join(
        f"{wrap(names[operand])}.grad {fmt(before)} → {fmt(after)}"
        for operand, before, after in zip(step.operands, step.before, step.after)
    )
    op = visible(trace.ops[step.node])
    remark = "" if all(map(math.isfinite, step.after)) else NON_FINITE
    return StepText(
        update=f"{call_of(names[step.node], functions)}:  {changes}",
        rule=(
            f"{wrap(names[step.node])}.grad_fn is PyTorch's {functions[step.node]}, "
            f"called as {wrap(names[trace.root])}.backward() calls it"
            if functions
            else f"your _backward() for op {op!r}"
        ),
        remark=remark,
    )


def _describe_update(step: UpdateStep, names: list[str]) -> StepText:
    """``w.data -= lr · w.grad = 0.4810 - 0.05·(-1.2031) = 0.5412`` for gradient descent;
    another optimizer's move is shown as before → after, last, where the step log keeps
    a cut line's end in view."""
    name = wrap(names[step.node])
    if step.plain:
        grad = fmt(step.grad)
        grad = f"({grad})" if grad.startswith("-") else grad
        return StepText(
            update=f"{name}.data -= lr · {name}.grad = {fmt(step.before)} - "
            f"{fmt(step.lr)}·{grad} = {fmt(step.after)}",
            rule="gradient descent: a small step against the gradient",
            remark="",
        )
    return StepText(
        update=f"{name}.grad = {fmt(step.grad)}, lr = {fmt(step.lr)}    "
        f"{name}.data: {fmt(step.before)} → {fmt(step.after)}",
        rule=f"{step.optimizer}: its own rule, not plain lr · grad",
        remark="",
    )


def check_text(
    check: BackwardCallCheck, names: list[str], trace: Trace, functions: Sequence[str] = ()
) -> str:
    """The gradient check of a learner's own Value class, or of PyTorch's functions, in one
    sentence."""
    called = "grad_fn" if functions else "_backward()"
    unknown = (
        f"; not checked: op {', '.join(map(repr, check.unchecked))}, unknown to micrograd"
        if check.unchecked
        else ""
    )
    if check.wrong is None:
        return f"✓ Gradient check: every {called} agrees with its op's finite differences{unknown}"
    wrong = check.wrong
    node, operand = wrap(names[wrong.node]), wrap(names[wrong.operand])
    shape = formula(wrong.op, [names[i] for i in trace.operands(wrong.node)])
    return (
        f"✗ Gradient check: the first wrong node is {names[wrong.node]} = {shape}: "
        f"its {called} {wrong.problem}: ∂{node}/∂{operand} should be "
        f"{fmt(wrong.expected)} (finite differences), it gives {fmt(wrong.actual)}{unknown}"
    )


def describe(trace: Trace, names: list[str], index: int, functions: Sequence[str] = ()) -> StepText:
    """The words for ``trace.steps[index]``; ``functions`` names a PyTorch graph's
    ``grad_fn``s (``Summary.functions``)."""
    step = trace.steps[index]
    if isinstance(step, ForwardStep):
        return _describe_forward(step, names)
    if isinstance(step, CallStep):
        return _describe_call(step, trace, names, functions)
    if isinstance(step, UpdateStep):
        return _describe_update(step, names)
    if not isinstance(step, ChainStep):
        root = wrap(names[step.target])
        return StepText(
            update=f"{root}.grad = 1.0    {root}.grad: {fmt(step.before)} → 1.0",
            rule=f"∂{root}/∂{root} = 1",
            remark="the seed: the root's gradient with respect to itself",
        )
    out, operand = wrap(names[step.output]), wrap(names[step.operand])
    variable = standalone(variables(trace, names, step.output)[step.position])
    nth, of = trace.arrival(index)
    remarks = [use_text(trace, names, index)]
    if step.accumulates:
        remarks.append("+= adds to what is already there")
    if not math.isfinite(step.after):
        remarks.append(NON_FINITE)
    return StepText(
        update=(
            f"{operand}.grad += ∂{out}/∂{variable} · {out}.grad"
            f" = ({fmt(step.local)})·({fmt(step.upstream)}) = {fmt(step.contribution)}"
            f"    {operand}.grad: {fmt(step.before)} → {fmt(step.after)}"
        ),
        rule=local_rule(trace, names, step.output, step.position, step.local),
        remark="; ".join(filter(None, remarks)),
        total=total_text(trace, names, step.operand) if nth == of else "",
    )


def stale_text(stale: StaleData, names: list[str]) -> str:
    """One line for a graph whose data changed after it was built (``a.data += h``)."""
    return (
        f"{names[stale.node]} holds {fmt(stale.held)} but its op gives {fmt(stale.computed)}: "
        "data changed after the graph was built (like a.data += h), so the steps use the "
        "values the graph holds, with no forward phase"
    )


def start_text(forward: bool) -> str:
    """What step 0 says: with a forward phase only the inputs are known; without one every
    node's data is already there and only the grads are still to come."""
    if forward:
        return "Step 0: nothing computed yet. Press → (or n) to compute the first node's data."
    return (
        "Step 0: every node's data is known (no forward phase); no grad is computed yet. "
        "Press → (or n) to seed the root's grad."
    )
