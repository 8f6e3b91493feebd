"""HelpScreen: what every key does and what every panel shows."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("→  l  n", "next step: compute one node's data, or apply one chain-rule step"),
    ("←  h  p", "previous step: restore the value exactly as it was"),
    ("Home  g", "first step (nothing computed yet)"),
    ("End  G", "last step (the grads backward() gives)"),
    ("space", "autoplay / pause"),
    ("+  -", "autoplay faster / slower"),
    (":", "jump to a step number"),
    ("f", "add or leave out the forward phase (also --backward-only)"),
    ("b", "breakpoint on the selected node (the cursor's, else the inspected one)"),
    ("c  C", "run forward / back to the next step that changes a breakpointed node"),
    ("B", "list the breakpoints: enter inspects one, d clears it"),
    ("t", "quiz mode: answer each new step's value before it is shown (also --quiz)"),
    ("e", "edit a leaf's value: the graph is recomputed, in memory only"),
    ("]  [", "training scenarios: next / previous iteration (→ and ← cross them too)"),
    ("w", "your own Value class: go to the step the gradient check found wrong"),
    ("tab", "move between the graph, the step log and the inspector"),
    ("↑ ↓  j k", "in the graph: move the node cursor"),
    ("enter", "inspect the node under the cursor (click works too)"),
    ("esc", "let the inspector follow the current step again"),
    ("/", "find a node by name"),
    ("o", "switch between the drawing and an outline of the whole graph"),
    ("N", "the scenario's teaching notes, and anything it printed"),
    ("r", "reload the scenario file (keeps the step); saving the file reloads too"),
    ("?", "this help"),
    ("q  ctrl+c", "quit"),
]

PANELS = """\
Graph: each node is a record  name │ data │ grad  with its op in brackets
before it, and arrows run from operands to the node they feed, as in the
lecture's draw_dot. The two nodes of the current step are highlighted; the
one passing its grad back is marked with >.

Timeline: the forward phase computes each node's data from its operands,
in topological order; then the seed sets the root's grad to 1; then the
backward pass applies the chain rule along one edge per step.

Marks: · means not computed yet (different from 0.0); * marks the value the
current step just changed; ✓ marks a final grad, one that every consumer has
contributed to; ● marks a breakpoint. None of these rely on colour.

Quiz: with t on, → asks for the value the next step writes (the node's data,
or the operand's new grad), marks it within 0.1%, shows the working either
way, and keeps the score in the header. Enter on an empty answer skips;
esc backs out and the step stays hidden.

Step panel: the current chain-rule application with its numbers,
  operand.grad += ∂out/∂operand · out.grad = (local)·(upstream) = contribution
the rule it used, and whether it adds to a shared node's grad (contribution
k of n). Below it, the log of every step so far.

Inspector: the selected node's op, data and grad, each operand with its local
derivative, the nodes that use it, and whether its grad is final.

Training: an iteration is the forward pass, the backward pass, then the
optimizer's update of each parameter (w.data -= lr · w.grad). The line above
the keys plots the loss over all iterations and marks the one on show.

Your own Value class: each step is one node's _backward() call with the grads
it changed; the line under the header says whether every node's _backward()
agrees with finite differences of its op, or names the first that does not.

Big graphs (more than 60 nodes) show the neighbourhood of the current step,
the 60 nodes nearest to it; o switches to the outline: every node on one
line, root first, in the order the backward pass reaches them, with the
current step's nodes highlighted.
"""


class HelpScreen(ModalScreen[None]):
    """Keys and panels, on one scrollable page."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        keys = Table(title="Keys", title_justify="left", show_header=False, box=None)
        keys.add_column(style="bold", no_wrap=True)
        keys.add_column()
        for key, meaning in KEYS:
            keys.add_row(key, meaning)
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(keys)
            yield Static(Text("\n" + PANELS))
            yield Static(Text("esc or ? closes this help", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
