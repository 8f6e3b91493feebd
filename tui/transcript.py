"""The pass written out step by step, for ``--print``, the Markdown export and the app.

Each forward step and each chain-rule application becomes one sentence with
its numbers, e.g. ``n = x1w1x2w2 + b = -6.0 + 6.8814 = 0.8814`` or
``x.grad += ∂(x*y)/∂x · (x*y).grad = (-3.0)·(1.0) = -3.0    x.grad: 4.0 → 1.0``.
The app shows the same sentences, so they are built here, once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table
from rich.text import Text

from micrograd import CallStep, ChainStep, ForwardStep, Trace, UpdateStep
from micrograd.gradcheck import BackwardCallCheck, check_backward_calls
from tui.naming import formula, name_rule, node_names, substitute, wrap
from tui.numbers import fmt
from tui.scenario import Scenario


@dataclass(frozen=True)
class StepText:
    """One step in words: the update with its numbers, the rule it used (none for a
    forward step, whose update is its own rule), and any remark."""

    update: str
    rule: str
    remark: str


NON_FINITE = "non-finite: inf or nan flows on from here"


def _numbers_in(op_formula: str, inputs: tuple[float, ...]) -> str:
    """The op's formula with numbers for ``a`` and ``b``; a negative number is put in
    parentheses unless it leads a sum, difference, product or quotient (``-6.0 + 6.8814``)."""
    texts = [fmt(value) for value in inputs]
    bare_first = op_formula.startswith(("a ", "a·"))
    wrapped = [
        f"({text})" if text.startswith("-") and not (i == 0 and bare_first) else text
        for i, text in enumerate(texts)
    ]
    return substitute(op_formula, wrapped)


def _describe_forward(step: ForwardStep, names: list[str]) -> StepText:
    """``n = x1w1x2w2 + b = -6.0 + 6.8814 = 0.8814``; an unlabelled node named by its own
    formula (``x**2``) is not written twice."""
    node = names[step.node]
    operand_names = [names[i] for i in step.operands]
    symbolic = name_rule(step.kind.formula, operand_names)
    numeric = _numbers_in(step.kind.formula, step.inputs)
    said = [node] if node == formula(step.op, operand_names) else [node, symbolic]
    return StepText(
        update=" = ".join([*said, numeric, fmt(step.after)]),
        rule="",
        remark="" if math.isfinite(step.after) else NON_FINITE,
    )


def _describe_call(step: CallStep, trace: Trace, names: list[str]) -> StepText:
    """``n._backward():  x.grad 0.0 → 0.5,  b.grad 0.0 → 0.5``."""
    changes = ",  ".join(
        f"{wrap(names[operand])}.grad {fmt(before)} → {fmt(after)}"
        for operand, before, after in zip(step.operands, step.before, step.after)
    )
    op = trace.nodes[step.node]._op
    remark = "" if all(map(math.isfinite, step.after)) else NON_FINITE
    return StepText(
        update=f"{wrap(names[step.node])}._backward():  {changes}",
        rule=f"your _backward() for op {op!r}",
        remark=remark,
    )


def _describe_update(step: UpdateStep, names: list[str]) -> StepText:
    """``w.data -= lr · w.grad = 0.4810 - 0.05·(-1.2031) = 0.5412`` for gradient descent;
    another optimizer's move is shown as before → after."""
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
        update=f"{name}.data: {fmt(step.before)} → {fmt(step.after)}    "
        f"({name}.grad = {fmt(step.grad)}, lr = {fmt(step.lr)})",
        rule=f"{step.optimizer}: its own rule, not plain lr · grad",
        remark="",
    )


def check_text(check: BackwardCallCheck, names: list[str], trace: Trace) -> str:
    """The gradient check of a learner's own Value class, in one sentence."""
    unknown = (
        f"; not checked: op {', '.join(map(repr, check.unchecked))}, unknown to micrograd"
        if check.unchecked
        else ""
    )
    if check.wrong is None:
        return (
            "✓ Gradient check: every node's _backward() agrees with finite differences "
            f"of its op{unknown}"
        )
    wrong = check.wrong
    node, operand = wrap(names[wrong.node]), wrap(names[wrong.operand])
    shape = formula(wrong.op, [names[i] for i in trace.operands(wrong.node)])
    return (
        f"✗ Gradient check: the first wrong node is {names[wrong.node]} = {shape}: "
        f"its _backward() {wrong.problem}: ∂{node}/∂{operand} should be "
        f"{fmt(wrong.expected)} (finite differences), it gives {fmt(wrong.actual)}{unknown}"
    )


def describe(trace: Trace, names: list[str], index: int) -> StepText:
    """The words for ``trace.steps[index]``."""
    step = trace.steps[index]
    if isinstance(step, ForwardStep):
        return _describe_forward(step, names)
    if isinstance(step, CallStep):
        return _describe_call(step, trace, names)
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
    operand_names = [names[i] for i in trace.operands(step.output)]
    nth, of = trace.arrival(index)
    remarks = []
    if of > 1:
        remarks.append(f"contribution {nth} of {of} into {operand}.grad")
    if step.accumulates:
        remarks.append("+= adds to what is already there")
    if not math.isfinite(step.after):
        remarks.append(NON_FINITE)
    return StepText(
        update=(
            f"{operand}.grad += ∂{out}/∂{operand} · {out}.grad"
            f" = ({fmt(step.local)})·({fmt(step.upstream)}) = {fmt(step.contribution)}"
            f"    {operand}.grad: {fmt(step.before)} → {fmt(step.after)}"
        ),
        rule=name_rule(step.rule, operand_names),
        remark="; ".join(remarks),
    )


def loss_table(losses: list[float]) -> Table:
    """A training scenario's loss at each iteration."""
    table = Table(title="loss by iteration", title_justify="left")
    table.add_column("iteration", justify="right")
    table.add_column("loss", justify="right")
    for number, loss in enumerate(losses, start=1):
        table.add_row(str(number), fmt(loss))
    return table


def print_transcript(scenario: Scenario, trace: Trace, console: Console) -> None:
    """Every step with its numbers, then every node's data and final grad, as rich text.

    For a training scenario: the loss at every iteration, then the first
    iteration in full, its optimizer step included."""
    names = node_names(trace)
    console.print(Text(scenario.title, style="bold"), soft_wrap=True)
    if scenario.notes:
        console.print()
        console.print(Text(scenario.notes, style="dim"), soft_wrap=True)
    if scenario.training is not None:
        console.print()
        console.print(loss_table(scenario.training.losses))
        console.print(Text("Iteration 1, step by step:", style="bold"))
    width = len(str(len(trace)))
    for index in range(len(trace)):
        heading = _phase_heading(trace, index)
        if heading:
            console.print()
            console.print(Text(heading, style="bold"))
        text = describe(trace, names, index)
        line = Text(f"{index + 1:>{width}}. ", style="dim")
        line.append(text.update)
        if text.rule:
            line.append(f"    [{text.rule}]", style="cyan")
        if text.remark:
            line.append(f"  ({text.remark})", style="yellow")
        console.print(line, soft_wrap=True)
    console.print()
    trace.seek(len(trace))
    console.print(node_table(trace, names))
    if trace.own:
        verdict = check_text(check_backward_calls(trace.nodes[trace.root]), names, trace)
        console.print(Text(verdict, style="bold"), soft_wrap=True)
    if any(not math.isfinite(trace.data(i)) for i in range(len(trace.nodes))):
        console.print(Text("Some values are inf or nan: look for ! in the table.", style="yellow"))


def _phase_heading(trace: Trace, index: int) -> str:
    """ "Forward pass" before the first forward step, "Backward pass" before the seed."""
    if index == 0 and trace.forward_length:
        return "Forward pass"
    if index == trace.forward_length:
        return "Backward pass"
    if index == trace.backward_end:
        return "Optimizer step"
    return ""


def node_table(trace: Trace, names: list[str]) -> Table:
    """Every node's id, name, op, data and grad at the trace's cursor."""
    table = Table(title="nodes", title_justify="left")
    for column, justify in [
        ("id", "right"),
        ("node", "left"),
        ("op", "left"),
        ("data", "right"),
        ("grad", "right"),
    ]:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for i, node in enumerate(trace.nodes):
        data, grad = trace.data(i), trace.grad(i)
        marks = ["" if math.isfinite(v) else " !" for v in (data, grad)]
        table.add_row(
            str(i), names[i], str(node._op) or "leaf", fmt(data) + marks[0], fmt(grad) + marks[1]
        )
    return table


def markdown_transcript(scenario: Scenario, trace: Trace) -> str:
    """The same transcript as Markdown, for lecture notes."""
    names = node_names(trace)
    lines = [f"# {scenario.title}", ""]
    if scenario.notes:
        lines += [scenario.notes, ""]
    if scenario.training is not None:
        lines += ["## Loss by iteration", "", "| iteration | loss |", "|---:|---:|"]
        losses = scenario.training.losses
        lines += [f"| {number} | {fmt(loss)} |" for number, loss in enumerate(losses, 1)]
        lines += ["", "The first iteration, step by step, follows.", ""]
    for index in range(len(trace)):
        heading = _phase_heading(trace, index)
        if heading:
            lines += [""] * (index > 0) + [f"## {heading}, step by step", ""]
        text = describe(trace, names, index)
        remark = f" ({text.remark})" if text.remark else ""
        rule = f"  \n   `{text.rule}`" if text.rule else ""
        lines.append(f"{index + 1}. `{text.update}`{rule}{remark}")
    trace.seek(len(trace))
    if trace.own:
        check = check_backward_calls(trace.nodes[trace.root])
        lines += ["", "## Gradient check", "", check_text(check, names, trace)]
    lines += [
        "",
        "## Nodes at the end of the pass",
        "",
        "| id | node | op | data | grad |",
        "|---:|:-----|:---|-----:|-----:|",
    ]
    for i, node in enumerate(trace.nodes):
        name = names[i].replace("|", "\\|")
        data, grad = fmt(trace.data(i)), fmt(trace.grad(i))
        lines.append(f"| {i} | `{name}` | {node._op or 'leaf'} | {data} | {grad} |")
    return "\n".join(lines) + "\n"
