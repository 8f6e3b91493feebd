"""The pass written out step by step, for ``--print`` (rich text) and the Markdown export.

Each step is one sentence from ``tui.text.sentences``, the same the app shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from micrograd import ForwardStep, Trace
from micrograd.gradcheck import BackwardCallCheck
from tui.loading.sites import Sources
from tui.loading.summary import Summary
from tui.text.naming import node_names
from tui.text.numbers import fmt
from tui.text.sentences import check_text, describe
from tui.text.sources import cited
from tui.text.visible import visible


def loss_table(losses: Sequence[float]) -> Table:
    """A training scenario's loss at each iteration."""
    table = Table(title="loss by iteration", title_justify="left")
    table.add_column("iteration", justify="right")
    table.add_column("loss", justify="right")
    for number, loss in enumerate(losses, start=1):
        table.add_row(str(number), fmt(loss))
    return table


def print_transcript(
    scenario: Summary,
    trace: Trace,
    console: Console,
    check: BackwardCallCheck | None = None,
    sources: Sources | None = None,
) -> None:
    """Every step with its numbers, then every node's data and final grad, as rich text.

    For a training scenario: the loss at every iteration, then the first
    iteration in full, its optimizer step included. The steps and the node
    table are styled here, line by line, and written at once: rich's ``Text``
    and ``Table`` took 15 s for a 20,000-node graph, twenty times the
    Markdown export.
    """
    names = node_names(trace)
    console.print(Text(visible(scenario.title), style="bold"), soft_wrap=True)
    if scenario.notes:
        console.print()
        console.print(Text(visible(scenario.notes), style="dim"), soft_wrap=True)
    if scenario.losses is not None:
        console.print()
        console.print(loss_table(scenario.losses))
        console.print(Text("Iteration 1, step by step:", style="bold"))
    paint = painter(console)
    lines = []
    width = len(str(len(trace)))
    for index in range(len(trace)):
        heading = _phase_heading(trace, index)
        if heading:
            lines += ["", paint(heading, "bold")]
        text = describe(trace, names, index, scenario.functions)
        line = paint(f"{index + 1:>{width}}. ", "dim") + text.update
        if text.rule:
            line += paint(f"    [{text.rule}]", "cyan")
        if text.remark:
            line += paint(f"  ({text.remark})", "yellow")
        code = _code(trace, index, sources, scenario)
        if code:
            line += paint(f"   ← {visible(code)}", "dim")
        lines.append(line)
        if text.total:
            lines.append(" " * (width + 2) + paint(f"total: {text.total}", "green"))
    trace.seek(len(trace))
    lines += ["", paint("nodes", "italic"), *node_table(trace, names, paint)]
    if check is not None:
        lines.append(paint(check_text(check, names, trace, scenario.functions), "bold"))
    if any(not math.isfinite(trace.data(i)) for i in range(trace.size)):
        lines.append(paint("Some values are inf or nan: look for ! in the table.", "yellow"))
    console.file.write("\n".join(lines) + "\n")


def painter(console: Console) -> Callable[[str, str], str]:
    """``paint(text, style)``: the text with the console's escape codes for the style, or
    as it is where the console has no colours (a pipe, a file, ``NO_COLOR`` keeps bold)."""
    system = _COLOR_SYSTEMS.get(console.color_system or "")
    if system is None:
        return lambda text, style: text
    styles: dict[str, Style] = {}

    def paint(text: str, style: str) -> str:
        if style not in styles:
            parsed = Style.parse(style)
            styles[style] = parsed.without_color if console.no_color else parsed
        return styles[style].render(text, color_system=system)

    return paint


_COLOR_SYSTEMS = {
    "standard": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
    "windows": ColorSystem.WINDOWS,
}


def _code(trace: Trace, index: int, sources: Sources | None, scenario: Summary) -> str:
    """For a forward step, the line of the scenario that built its node, with its code."""
    step = trace.steps[index]
    return cited(sources, step.node, scenario.path) if isinstance(step, ForwardStep) else ""


def _phase_heading(trace: Trace, index: int) -> str:
    """ "Forward pass" before the first forward step, "Backward pass" before the seed."""
    if index == 0 and trace.forward_length:
        return "Forward pass"
    if index == trace.forward_length:
        return "Backward pass"
    if index == trace.backward_end:
        return "Optimizer step"
    return ""


def _inline_code(cited: str) -> str:
    """``line 13: z = x*y`` as Markdown, the code in backticks (doubled where it has one)."""
    where, _, code = cited.partition(": ")
    fence = "``" if "`" in code else "`"
    return f"{where}: {fence} {code} {fence}" if fence == "``" else f"{where}: `{code}`"


NODE_COLUMNS = (("id", ">"), ("node", "<"), ("op", "<"), ("data", ">"), ("grad", ">"))


def node_table(
    trace: Trace, names: list[str], paint: Callable[[str, str], str] = lambda t, s: t
) -> list[str]:
    """Every node's id, name, op, data and grad at the trace's cursor, in aligned columns
    (``!`` marks an inf or a nan), a line each under a header."""
    rows = []
    for i, op in enumerate(trace.ops):
        data, grad = trace.data(i), trace.grad(i)
        marks = ["" if math.isfinite(v) else " !" for v in (data, grad)]
        rows.append(
            (str(i), names[i], visible(op) or "leaf", fmt(data) + marks[0], fmt(grad) + marks[1])
        )
    widths = [
        max(len(title), *(len(row[column]) for row in rows))
        for column, (title, _) in enumerate(NODE_COLUMNS)
    ]
    titles = [title for title, _ in NODE_COLUMNS]
    return [
        paint(_aligned(titles, widths), "bold"),
        *(_aligned(row, widths) for row in rows),
    ]


def _aligned(cells: Sequence[str], widths: list[int]) -> str:
    parts = (f"{c:{a}{w}}" for c, (_, a), w in zip(cells, NODE_COLUMNS, widths))
    return "  ".join(parts).rstrip()


def markdown_transcript(
    scenario: Summary,
    trace: Trace,
    check: BackwardCallCheck | None = None,
    sources: Sources | None = None,
) -> str:
    """The same transcript as Markdown, for lecture notes."""
    names = node_names(trace)
    lines = [f"# {scenario.title}", ""]
    if scenario.notes:
        lines += [scenario.notes, ""]
    if scenario.losses is not None:
        lines += ["## Loss by iteration", "", "| iteration | loss |", "|---:|---:|"]
        losses = scenario.losses
        lines += [f"| {number} | {fmt(loss)} |" for number, loss in enumerate(losses, 1)]
        lines += ["", "The first iteration, step by step, follows.", ""]
    for index in range(len(trace)):
        heading = _phase_heading(trace, index)
        if heading:
            lines += [""] * (index > 0) + [f"## {heading}, step by step", ""]
        text = describe(trace, names, index, scenario.functions)
        remark = f" ({text.remark})" if text.remark else ""
        rule = f"  \n   `{text.rule}`" if text.rule else ""
        total = f"  \n   total: `{text.total}`" if text.total else ""
        code = _code(trace, index, sources, scenario)
        code = f"  \n   ← {_inline_code(visible(code))}" if code else ""
        lines.append(f"{index + 1}. `{text.update}`{code}{rule}{remark}{total}")
    trace.seek(len(trace))
    if check is not None:
        lines += ["", "## Gradient check", "", check_text(check, names, trace, scenario.functions)]
    lines += [
        "",
        "## Nodes at the end of the pass",
        "",
        "| id | node | op | data | grad |",
        "|---:|:-----|:---|-----:|-----:|",
    ]
    for i, op in enumerate(trace.ops):
        name = names[i].replace("|", "\\|")
        data, grad = fmt(trace.data(i)), fmt(trace.grad(i))
        op = visible(op).replace("|", "\\|")
        lines.append(f"| {i} | `{name}` | {op or 'leaf'} | {data} | {grad} |")
    return "\n".join(lines) + "\n"
