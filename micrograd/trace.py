"""``Trace``: a recorded backward pass with a cursor that moves both ways.

Undo works from the record, never by arithmetic: stepping back writes the
step's recorded ``before`` value, so every grad comes back bit for bit, and
each move costs O(1) whatever the size of the graph.

The timeline holds steps of any kind that say which ``quantity`` of which
``target`` node they change (``grad`` today; a forward phase adds ``data``),
so new kinds of step need no change here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from micrograd.graph import topological_index
from micrograd.steps import Step, backward_steps


class Trace:
    """The steps of one backward pass from ``root``, and where the learner is in them.

    ``position`` counts the steps applied: 0 is before the seed, ``len(trace)``
    is the end of the pass. Node ids are indices into ``nodes``.

    Recording runs the pass, so afterwards the live Values hold the grads
    ``root.backward()`` would leave; the trace itself never reads them again.
    """

    def __init__(self, root: Any) -> None:
        self.nodes, self._index = topological_index(root)
        self.root = len(self.nodes) - 1
        self.steps: tuple[Step, ...] = tuple(backward_steps(root, self.nodes, self._index))
        self._state: dict[str, list[float]] = {
            "grad": self._rewind([node.grad for node in self.nodes]),
            "data": [node.data for node in self.nodes],
        }
        self._first_touch, self._last_touch, self._nth, self._arrivals = self._touches()
        self._operands = [tuple(self._index[id(o)] for o in node._prev) for node in self.nodes]
        self._consumers: list[list[int]] = [[] for _ in self.nodes]
        for output, operands in enumerate(self._operands):
            for operand in dict.fromkeys(operands):
                self._consumers[operand].append(output)
        self._position = 0

    def _rewind(self, grads: list[float]) -> list[float]:
        """Undo every recorded step, newest first, to get the grads before the pass."""
        for step in reversed(self.steps):
            grads[step.target] = step.before
        return grads

    def _touches(self) -> tuple[list[int], list[int], list[int], list[int]]:
        """For each node, the positions after its first and last change (0 if never) and
        how many changes it gets; for each step, which of its target's changes it is."""
        first = [0] * len(self.nodes)
        last = [0] * len(self.nodes)
        count = [0] * len(self.nodes)
        nth = []
        for position, step in enumerate(self.steps, start=1):
            target = step.target
            if not first[target]:
                first[target] = position
            last[target] = position
            count[target] += 1
            nth.append(count[target])
        return first, last, nth, count

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def position(self) -> int:
        """How many steps have been applied (0 to ``len(self)``)."""
        return self._position

    @property
    def current(self) -> Step | None:
        """The step applied last, the one the learner is looking at; None at position 0."""
        return self.steps[self._position - 1] if self._position else None

    def step_forward(self) -> Step | None:
        """Apply the next step and return it, or return None at the end."""
        if self._position == len(self.steps):
            return None
        step = self.steps[self._position]
        self._state[step.quantity][step.target] = step.after
        self._position += 1
        return step

    def step_back(self) -> Step | None:
        """Undo the current step by restoring its recorded value; None at position 0."""
        if self._position == 0:
            return None
        self._position -= 1
        step = self.steps[self._position]
        self._state[step.quantity][step.target] = step.before
        return step

    def seek(self, position: int) -> None:
        """Move to ``position`` (clamped to the timeline), one recorded step at a time."""
        position = max(0, min(position, len(self.steps)))
        while self._position < position:
            self.step_forward()
        while self._position > position:
            self.step_back()

    def grad(self, node: int) -> float:
        """The grad of node ``node`` at the cursor."""
        return self._state["grad"][node]

    def data(self, node: int) -> float:
        """The data of node ``node`` at the cursor."""
        return self._state["data"][node]

    def grads(self) -> Sequence[float]:
        """Every node's grad at the cursor, by node id (a read-only view)."""
        return tuple(self._state["grad"])

    def is_reached(self, node: int) -> bool:
        """Whether this pass has written the node's grad yet, at the cursor."""
        return 0 < self._first_touch[node] <= self._position

    def is_final(self, node: int) -> bool:
        """Whether every contribution to the node's grad has arrived, at the cursor."""
        return 0 < self._last_touch[node] <= self._position

    def arrival(self, index: int) -> tuple[int, int]:
        """For ``steps[index]``: it is change k of n to its target (``contribution 2 of 2``)."""
        return self._nth[index], self._arrivals[self.steps[index].target]

    def operands(self, node: int) -> tuple[int, ...]:
        """The node's operands, in order, with repeats (``a + a`` gives ``a`` twice)."""
        return self._operands[node]

    def consumers(self, node: int) -> list[int]:
        """The nodes that use this node as an operand, each once."""
        return self._consumers[node]

    def id_of(self, value: Any) -> int:
        """The node id of a live Value of this graph."""
        return self._index[id(value)]
