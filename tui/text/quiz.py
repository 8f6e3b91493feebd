"""Quiz mode's questions and marking, apart from any screen so they can be tested directly.

Before a step is shown, the learner is asked for the value it writes: the
node's data in the forward phase, the operand's new grad in the backward pass.
The question gives every number needed to work it out and nothing more.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from micrograd import CallStep, ChainStep, ForwardStep, Trace, UpdateStep
from tui.text.naming import formula, wrap
from tui.text.numbers import fmt
from tui.text.rules import use_text
from tui.text.sentences import call_of

RELATIVE_TOLERANCE = 1e-3
"""Answers worked out from the four decimals on screen are a little off; 0.1% is forgiven."""
ABSOLUTE_TOLERANCE = 5e-5
"""Half the last decimal shown, so an expected 0.0 accepts what rounds to 0.0000."""


@dataclass(frozen=True)
class Question:
    """What to ask before ``trace.steps[index]``: the prompt, what is asked for, the answer."""

    prompt: str
    asks_for: str
    expected: float


BY_HAND = {"+", "-", "*", "/", "neg", "ReLU"}
"""Forward ops a learner works out by hand; ``tanh``, ``exp``, ``log`` and ``sigmoid`` of
0.8814 need a calculator, so the quiz shows those values rather than ask them."""


def is_asked(trace: Trace, index: int, forward: bool) -> bool:
    """Whether the quiz asks for ``trace.steps[index]``'s value before showing it: every
    backward and update step, and a forward step only if ``forward`` (not a backward-only
    quiz) and its op can be done by hand (a whole power like ``**2`` can)."""
    step = trace.steps[index]
    if not isinstance(step, ForwardStep):
        return True
    whole_power = step.op.startswith("**") and step.op[2:].lstrip("-").isdigit()
    return forward and (step.op in BY_HAND or whole_power)


def question(trace: Trace, names: list[str], index: int, functions: Sequence[str] = ()) -> Question:
    """The question for ``trace.steps[index]``, with the numbers the learner needs."""
    step = trace.steps[index]
    if isinstance(step, ForwardStep):
        node = names[step.node]
        operands = [names[i] for i in step.operands]
        given = dict(zip(operands, step.inputs))  # b*b gives b once
        known = ", ".join(f"{name} = {fmt(value)}" for name, value in given.items())
        return Question(
            prompt=f"Forward pass: {node} = {formula(step.op, operands, spaced=True)}, "
            f"where {known}.",
            asks_for=f"{wrap(node)}.data",
            expected=step.after,
        )
    if isinstance(step, UpdateStep):
        name = wrap(names[step.node])
        return Question(
            prompt=f"The optimizer moves {name}: {name}.data = {fmt(step.before)}, "
            f"{name}.grad = {fmt(step.grad)}, lr = {fmt(step.lr)}.",
            asks_for=f"{name}.data",
            expected=step.after,
        )
    if isinstance(step, CallStep):
        node, first = wrap(names[step.node]), wrap(names[step.operands[0]])
        call = call_of(names[step.node], functions)
        return Question(
            prompt=(
                f"{call} runs with {node}.data = {fmt(trace.data(step.node))}, "
                f"{node}.grad = {fmt(trace.grad(step.node))}; {first}.data = "
                f"{fmt(trace.data(step.operands[0]))} and {first}.grad is "
                f"{fmt(step.before[0])} so far."
            ),
            asks_for=f"{first}.grad",
            expected=step.after[0],
        )
    if not isinstance(step, ChainStep):
        root = wrap(names[step.target])
        return Question(
            prompt=f"The backward pass starts at the root {root}: what is ∂{root}/∂{root}?",
            asks_for=f"{root}.grad",
            expected=step.after,
        )
    out, operand = names[step.output], names[step.operand]
    operand_names = [names[i] for i in trace.operands(step.output)]
    operand_data = ", ".join(
        f"{name} = {fmt(trace.pass_data(i))}"
        for name, i in dict(zip(operand_names, trace.operands(step.output))).items()
    )
    use = use_text(trace, names, index)
    return Question(
        prompt=(
            f"Chain rule into {wrap(operand)} from {wrap(out)} = "
            f"{formula(step.op, operand_names, spaced=True)}{f' ({use})' if use else ''}, "
            f"where {operand_data}; "
            f"{wrap(out)}.data = {fmt(trace.pass_data(step.output))}, "
            f"{wrap(out)}.grad = {fmt(step.upstream)}, and {wrap(operand)}.grad "
            f"is {fmt(step.before)} so far."
        ),
        asks_for=f"{wrap(operand)}.grad",
        expected=step.after,
    )


def is_right(answer: float, expected: float) -> bool:
    """Whether ``answer`` matches ``expected`` within the quiz's tolerance (nan matches nan)."""
    if math.isnan(expected):
        return math.isnan(answer)
    return math.isclose(answer, expected, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE)
