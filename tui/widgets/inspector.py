"""Inspector: everything about one node, by default the one the current step touches.

Its rows are a label column and a value column, wrapped by ``WrappedLines``
rather than shown as a Rich table, which cost more to measure than the rest
of a step.
"""

from __future__ import annotations

import bisect

from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from tui.text.naming import MAX_LABEL, full_label
from tui.text.numbers import fmt
from tui.text.rules import local_rule, total_text
from tui.view.trace_view import TraceView
from tui.widgets.wrapped import WrappedLines, text_segments

CONSUMERS_LISTED = 12
"""A weight shared by a whole data set has thousands of consumers; name this many."""
LABEL_WIDTH = 8  # "operand", "used by", and a space


class Inspector(WrappedLines):
    """A node's label, op, data, grad, operands with local derivatives, and consumers."""

    node: int | None = None
    """The node on show."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[tuple[str, Text]] = []

    def show(self, view: TraceView, node: int, pinned: bool) -> None:
        self.node = node
        self._rows = describe_node(view, node, pinned)
        self.rewrap()

    def wrap_lines(self, width: int) -> list[list[Segment]]:
        """The rows as a label column and a value column wrapped to the width."""
        console, bold = self.app.console, self.base_style + Style(bold=True)
        lines = []
        for label, value in self._rows:
            for number, line in enumerate(value.wrap(console, max(1, width - LABEL_WIDTH))):
                first = label if number == 0 else ""
                label_cell = Segment(first.ljust(LABEL_WIDTH), bold)
                lines.append([label_cell, *text_segments(line, console)])
        return lines


def describe_node(view: TraceView, node: int, pinned: bool) -> list[tuple[str, Text]]:
    """The inspector's rows for ``node`` at the trace's cursor: a label and its text."""
    trace, names = view.trace, view.names
    rows: list[tuple[str, Text]] = []
    heading = Text(names[node], style="bold")
    heading.append(
        "  (pinned; esc follows the step)" if pinned else "  (follows the step)", style="dim"
    )
    add(rows, "node", heading)
    if len(trace.labels[node]) > MAX_LABEL:  # the name is cut: here is all of it
        add(rows, "label", full_label(trace, node))
    add(rows, "op", view.ops[node] or "leaf (an input)")
    functions = view.scenario.functions
    if functions:  # a PyTorch graph: the function that computes this tensor's inputs' grads
        add(rows, "grad_fn", functions[node] or "None (a leaf: AccumulateGrad adds into its .grad)")
    if trace.is_computed(node):
        add(rows, "data", fmt(trace.data(node)))
    else:
        add(rows, "data", Text("· not computed yet (the forward pass gets here)", "dim"))
    if node == trace.root:  # no consumers: the seed sets it, once
        seeded = trace.is_reached(node)
        note = "✓ final: the seed, ∂root/∂root = 1" if seeded else "(the seed sets it to 1.0)"
    elif trace.is_final(node):
        note = "✓ final: every consumer has contributed"
    else:
        arrived, of = arrivals(view, node)
        note = f"(waiting: {arrived} of {of} contributions in)"
    grad = f"{fmt(trace.grad(node))}  {note}"
    add(rows, "grad", grad)
    if trace.is_final(node) and node != trace.root:
        total = total_text(trace, names, node)
        if total:
            add(rows, "total", total)
    operands = trace.operands(node)
    if trace.rules[node] is None:  # a learner's own class: its calculus is in its _backward()
        shown = [names[operand] for operand in operands]
    else:
        computed = trace.is_computed(node)
        locals_ = view.local_derivatives(node) if computed else (None,) * len(operands)
        shown = [local_rule(trace, names, node, p, local) for p, local in enumerate(locals_)]
    for position, text in enumerate(shown):
        add(rows, "operand" if position == 0 else "", text)
    add(rows, "used by", consumers_text(view, node))
    additions = view.additions(node)
    if len(additions) > 1:
        add(rows, "adds at", additions_text(additions))
    if view.is_breakpoint(node):
        add(rows, "break", "● c and C stop at the steps that change this node")
    rows += neuron_rows(view, node)
    return rows


def neuron_rows(view: TraceView, node: int) -> list[tuple[str, Text]]:
    """For a node inside a collapsed neuron: the box it is drawn in, and the neuron's
    weights with their data and grads, which the box keeps inside."""
    display = view.display()
    if display is None:
        return []
    box = view.drawn((node,))[0]
    neuron = display.boxes.get(box)
    if neuron is None:
        return []
    trace = view.trace
    rows: list[tuple[str, Text]] = []
    add(rows, "neuron", f"{view.drawn_name(box)}, drawn as one box (x opens it)")
    for number, weight in enumerate(neuron.weights):
        data = fmt(trace.data(weight))
        add(
            rows,
            "weights" if number == 0 else "",
            f"{view.names[weight]} = {data}, grad {fmt(trace.grad(weight))}",
        )
    return rows


def arrivals(view: TraceView, node: int) -> tuple[int, int]:
    """How many of the node's grad contributions have arrived at the cursor, of how many."""
    additions = view.additions(node)
    return bisect.bisect_right(additions, view.trace.position), len(additions)


def additions_text(additions: list[int]) -> str:
    """``steps 444, 585, 726, 867 (u and U go to them)``: where each use adds its share."""
    listed = ", ".join(map(str, additions[:CONSUMERS_LISTED]))
    if len(additions) > CONSUMERS_LISTED:
        listed += f", … ({len(additions):,} in all)"
    return f"steps {listed} (u and U go to them)"


def add(rows: list[tuple[str, Text]], label: str, text: str | Text) -> None:
    rows.append((label, Text(text) if isinstance(text, str) else text))


def consumers_text(view: TraceView, node: int) -> str:
    consumers = view.trace.consumers(node)
    if not consumers:
        return "nothing (the root)"
    listed = ", ".join(view.names[c] for c in consumers[:CONSUMERS_LISTED])
    if len(consumers) > CONSUMERS_LISTED:
        listed += f", … ({len(consumers):,} nodes in all)"
    return listed
