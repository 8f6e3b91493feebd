"""Inspector: everything about one node, by default the one the current step touches."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.naming import name_rule, wrap
from tui.numbers import fmt
from tui.view import TraceView


class Inspector(VerticalScroll, can_focus=True):
    """A node's label, op, data, grad, operands with local derivatives, and consumers."""

    node: int | None = None
    """The node on show."""

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="inspector-body")

    def show(self, view: TraceView, node: int, pinned: bool) -> None:
        self.node = node
        trace, names = view.trace, view.names
        value = trace.nodes[node]
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        heading = Text(names[node], style="bold")
        heading.append(
            "  (pinned; esc follows the step)" if pinned else "  (follows the step)", style="dim"
        )
        table.add_row("node", heading)
        table.add_row("op", value._op or "leaf (an input)")
        if trace.is_computed(node):
            table.add_row("data", fmt(trace.data(node)))
        else:
            table.add_row("data", Text("· not computed yet (the forward pass gets here)", "dim"))
        if not trace.is_reached(node):
            grad = Text("· not computed yet", style="dim")
        elif trace.is_final(node):
            grad = Text(f"{fmt(trace.grad(node))}  ✓ final: every consumer has contributed")
        else:
            grad = Text(f"{fmt(trace.grad(node))}  (still waiting for contributions)")
        table.add_row("grad", grad)
        operands = trace.operands(node)
        locals_ = view.local_derivatives(node) if trace.is_computed(node) else ()
        op = getattr(value, "_rule", None)
        for position, operand in enumerate(operands):
            if op is None:  # a learner's own class: its calculus is in its _backward()
                table.add_row("operand" if position == 0 else "", names[operand])
                continue
            rule = name_rule(op.rules[position], [names[o] for o in operands])
            derivative = f"∂{wrap(names[node])}/∂{wrap(names[operand])}"
            local = fmt(locals_[position]) if locals_ else "·"
            table.add_row(
                "operand" if position == 0 else "",
                f"{names[operand]}: {derivative} = {local}   [{rule}]",
            )
        consumers = trace.consumers(node)
        table.add_row("used by", ", ".join(names[c] for c in consumers) or "nothing (the root)")
        if view.is_breakpoint(node):
            table.add_row("break", "● c and C stop at the steps that change this node")
        self.query_one("#inspector-body", Static).update(table)
