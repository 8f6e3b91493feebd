"""What the app shows of a trace at its cursor: names, marks and graph neighbourhoods.

The widgets read everything through a ``TraceView``, so none of them touches
the engine's math: grads, finality and steps come from ``Trace``, local
derivatives from ``micrograd.steps.local_gradients``.
"""

from __future__ import annotations

from collections import deque

from micrograd import ChainStep, Trace
from micrograd.steps import local_gradients
from tui.naming import node_names, wrap
from tui.numbers import fmt
from tui.scenario import Scenario
from tui.transcript import StepText, describe

NOT_COMPUTED = "·"
FINAL = "✓"
CHANGED = "*"
BIG_GRAPH = 60  # above this many nodes the graph panel shows a neighbourhood


class TraceView:
    """A scenario's trace with the names and marks the panels need."""

    def __init__(self, scenario: Scenario, trace: Trace) -> None:
        self.scenario = scenario
        self.trace = trace
        self.names = node_names(trace.nodes)
        self.ops = [node._op for node in trace.nodes]
        self._grad_width = self._widest_grads()
        self._neighbourhoods: dict[tuple[tuple[int, ...], int], tuple[int, ...]] = {}

    @property
    def size(self) -> int:
        return len(self.trace.nodes)

    @property
    def is_big(self) -> bool:
        return self.size > BIG_GRAPH

    def _widest_grads(self) -> list[int]:
        """The widest text each node's grad will ever need, so records never change width."""
        width = [len(NOT_COMPUTED)] * self.size
        for i in range(self.size):
            width[i] = max(width[i], len(fmt(self.trace.grad(i))))
        for step in self.trace.steps:
            width[step.target] = max(width[step.target], len(fmt(step.after)))
        return width

    def grad_text(self, node: int) -> str:
        """The node's grad at the cursor, or ``·`` if this pass has not reached it yet."""
        if not self.trace.is_reached(node):
            return NOT_COMPUTED
        return fmt(self.trace.grad(node))

    def marks(self, node: int) -> str:
        """Two characters: ``*`` if the current step changed this grad, ``✓`` if it is final."""
        step = self.trace.current
        changed = CHANGED if step is not None and step.target == node else " "
        final = FINAL if self.trace.is_final(node) else " "
        return changed + final

    def record(self, node: int) -> str:
        """The node's record, ``name │ data │ grad``, always the same width."""
        grad = self.grad_text(node).rjust(self._grad_width[node])
        return f"{self.names[node]} │ {fmt(self.trace.data(node))} │ {grad}{self.marks(node)}"

    def record_width(self, node: int) -> int:
        """The record's width, the same at every step (``record`` pads the grad to fit)."""
        return len(self.record(node))

    def focus_nodes(self) -> tuple[int, ...]:
        """The nodes the current step is about: its output and operand (or the root at the seed)."""
        step = self.trace.current
        if step is None:
            return (self.trace.root,)
        if isinstance(step, ChainStep):
            return (step.output, step.operand)
        return (step.target,)

    def describe_current(self) -> StepText | None:
        if self.trace.position == 0:
            return None
        return describe(self.trace, self.names, self.trace.position - 1)

    def describe(self, index: int) -> StepText:
        return describe(self.trace, self.names, index)

    def local_derivatives(self, node: int) -> tuple[float, ...]:
        """∂node/∂operand for each operand, from the engine's op table."""
        if not self.trace.nodes[node]._prev:
            return ()
        return local_gradients(self.trace.nodes[node])

    def neighbourhood(self, centre: tuple[int, ...], hops: int = 2) -> tuple[int, ...]:
        """Nodes within ``hops`` edges of the centre (either direction), in topological order.

        Remembered per centre, so stepping back and forth over a big graph
        finds the same drawing again without searching.
        """
        key = (centre, hops)
        if key not in self._neighbourhoods:
            self._neighbourhoods[key] = self._search(centre, hops)
        return self._neighbourhoods[key]

    def _search(self, centre: tuple[int, ...], hops: int) -> tuple[int, ...]:
        seen = set(centre)
        frontier = deque((node, 0) for node in centre)
        while frontier:
            node, distance = frontier.popleft()
            if distance == hops:
                continue
            for other in (*self.trace.operands(node), *self.trace.consumers(node)):
                if other not in seen:
                    seen.add(other)
                    frontier.append((other, distance + 1))
        return tuple(sorted(seen))

    def status(self) -> str:
        """The header line: title, phase, step k of N, and the node the step is about."""
        trace = self.trace
        step = trace.current
        if step is None:
            about = "press → to start"
        elif isinstance(step, ChainStep):
            about = f"{wrap(self.names[step.operand])}.grad ← {wrap(self.names[step.output])}"
        else:
            about = f"seed {wrap(self.names[step.target])}.grad"
        return (
            f"step {trace.position}/{len(trace)} │ {about} │ backward pass │ {self.scenario.title}"
        )
