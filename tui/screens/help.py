"""HelpScreen: what every key does and what every panel shows."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.text.prose import reflow

SPELLED_OUT = {"enter": "enter", "home": "Home", "end": "End", "space": "space"}
"""Keys whose name is easier to find on a keyboard than their symbol (⏎, ␣)."""


def key_names(binding: Binding) -> list[str]:
    """The keys of a binding as a learner types them: ``right,l,n`` is ``→``, ``l``, ``n``."""
    return [SPELLED_OUT.get(key, format_key(key)) for key in binding.key.split(",")]


def key_rows(bindings: list[Binding]) -> list[tuple[list[str], str]]:
    """One row per binding: its keys and what they do (the binding's tooltip), with
    neighbours that do the same thing (``q``, ``ctrl+c``) on one row."""
    rows: list[tuple[list[str], str]] = []
    for binding in bindings:
        keys = key_names(binding)
        if rows and rows[-1][1] == binding.tooltip:
            rows[-1][0].extend(keys)
        else:
            rows.append((keys, binding.tooltip))
    return rows


PANELS = """\
Graph: each node is a record  name │ data │ grad  with its op in brackets
before it, and arrows run from operands to the node they feed, as in the
lecture's draw_dot. The two nodes of the current step are highlighted; the
one passing its grad back is marked with >.

Timeline: the forward phase computes each node's data from its operands,
in topological order; then the seed sets the root's grad to 1; then the
backward pass applies the chain rule along one edge per step.

Marks: · is data the forward pass has not computed yet; grads are numbers from
the start, 0.0 until the backward pass adds to them, as in the lecture. * marks
the data or grad the current step just changed; ✓ marks a final grad, one that
every consumer has contributed to; ● marks a breakpoint. None of these rely on
colour.

Quiz: with t on, → asks for the value the next step writes (the node's data,
or the operand's new grad), marks it within 0.1%, shows the working either
way, and keeps the score in the header. Enter on an empty answer skips;
esc backs out and the step stays hidden.

Step panel: the current chain-rule application with its numbers,

    operand.grad += ∂out/∂operand · out.grad = (local)·(upstream) = contribution

then the local derivative's rule, with the step's numbers, then its value
(∂tanh(n)/∂n = 1 - tanh(n)² = 1 - 0.7071² = 0.5). For a node used more than
once it says which use this is (use 1 of 2 of b: the left factor of c), and
at the last use the grad as the sum of them all. A node used twice by one op
is two variables: c = b*b gives ∂(b₁*b₂)/∂b₁ = b₂. Tab to the panel and use
the arrow keys to read what does not fit. Below it, the log of every step so
far.

Inspector: the selected node's op, data and grad, each operand with its local
derivative, the nodes that use it, and whether its grad is final.

Training: an iteration is the forward pass, the backward pass, then the
optimizer's update of each parameter (w.data -= lr · w.grad). The line above
the keys plots the loss over all iterations and marks the one on show.

Your own Value class: each step is one node's _backward() call with the grads
it changed; the line under the header says whether every node's _backward()
agrees with finite differences of its op, or names the first that does not.

PyTorch: a scenario whose root is a one-number tensor steps through PyTorch's
own graph, one grad_fn call per step (o.grad_fn(o.grad)), in the order
loss.backward() calls them; the inspector names each tensor's grad_fn.

Big graphs (more than 60 nodes) show the neighbourhood of the current step,
the 60 nodes nearest to it; o switches to the outline: every node on one
line, root first, in the order the backward pass reaches them, with the
current step's nodes highlighted.
"""


class HelpScreen(ModalScreen[None]):
    """Keys and panels, on one scrollable page."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        keys = Table(title="Keys", title_justify="left", show_header=False, box=None)
        keys.add_column(style="bold", no_wrap=True)
        keys.add_column()
        for names, meaning in key_rows(self.bindings):
            keys.add_row("  ".join(names), meaning)
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(keys)
            yield Static(Text("\n" + reflow(PANELS)))
            yield Static(Text("esc or ? closes this help", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
