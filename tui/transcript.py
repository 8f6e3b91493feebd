"""The backward pass written out step by step, for ``--print`` and the Markdown export.

Each chain-rule application becomes one sentence with its numbers, e.g.
``x.grad += ∂(x*y)/∂x · (x*y).grad = (-3.0)·(1.0) = -3.0    x.grad: 4.0 → 1.0``.
The app will show the same sentences, so they are built here, once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table
from rich.text import Text

from micrograd import ChainStep, Trace
from tui.naming import name_rule, node_names, wrap
from tui.numbers import fmt
from tui.scenario import Scenario


@dataclass(frozen=True)
class StepText:
    """One step in words: the update with its numbers, the rule it used, and any remark."""

    update: str
    rule: str
    remark: str


def describe(trace: Trace, names: list[str], index: int) -> StepText:
    """The words for ``trace.steps[index]``."""
    step = trace.steps[index]
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
        remarks.append("non-finite: inf or nan flows on from here")
    return StepText(
        update=(
            f"{operand}.grad += ∂{out}/∂{operand} · {out}.grad"
            f" = ({fmt(step.local)})·({fmt(step.upstream)}) = {fmt(step.contribution)}"
            f"    {operand}.grad: {fmt(step.before)} → {fmt(step.after)}"
        ),
        rule=name_rule(step.rule, operand_names),
        remark="; ".join(remarks),
    )


def print_transcript(scenario: Scenario, trace: Trace, console: Console) -> None:
    """Every step with its numbers, then every node's data and final grad, as rich text."""
    names = node_names(trace.nodes)
    console.print(Text(scenario.title, style="bold"), soft_wrap=True)
    if scenario.notes:
        console.print()
        console.print(Text(scenario.notes, style="dim"), soft_wrap=True)
    console.print()
    width = len(str(len(trace)))
    for index in range(len(trace)):
        text = describe(trace, names, index)
        line = Text(f"{index + 1:>{width}}. ", style="dim")
        line.append(text.update)
        line.append(f"    [{text.rule}]", style="cyan")
        if text.remark:
            line.append(f"  ({text.remark})", style="yellow")
        console.print(line, soft_wrap=True)
    console.print()
    trace.seek(len(trace))
    console.print(node_table(trace, names))
    if any(not math.isfinite(trace.data(i)) for i in range(len(trace.nodes))):
        console.print(Text("Some values are inf or nan: look for ! in the table.", style="yellow"))


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
            str(i), names[i], node._op or "leaf", fmt(data) + marks[0], fmt(grad) + marks[1]
        )
    return table


def markdown_transcript(scenario: Scenario, trace: Trace) -> str:
    """The same transcript as Markdown, for lecture notes."""
    names = node_names(trace.nodes)
    lines = [f"# {scenario.title}", ""]
    if scenario.notes:
        lines += [scenario.notes, ""]
    lines += ["## Backward pass, step by step", ""]
    for index in range(len(trace)):
        text = describe(trace, names, index)
        remark = f" ({text.remark})" if text.remark else ""
        lines.append(f"{index + 1}. `{text.update}`  \n   `{text.rule}`{remark}")
    trace.seek(len(trace))
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
