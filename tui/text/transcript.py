"""The pass written out step by step, for ``--print`` (rich text) and the Markdown export.

Each step is one sentence from ``tui.text.sentences``, the same the app shows.
"""

from __future__ import annotations

import math

from rich.console import Console
from rich.table import Table
from rich.text import Text

from micrograd import Trace
from micrograd.gradcheck import check_backward_calls
from tui.loading.scenario import Scenario
from tui.text.naming import node_names
from tui.text.numbers import fmt
from tui.text.sentences import check_text, describe


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
