"""``Trace``: a recorded pass (forward, then backward) with a cursor that moves both ways.

Undo works from the record, never by arithmetic: stepping back writes the
step's recorded ``before`` value, so every grad comes back bit for bit, and
each move costs O(1) whatever the size of the graph.

The timeline holds steps of any kind that say which ``quantity`` of which
``target`` node they change: ``data`` in the forward phase, ``grad`` in the
backward pass. They are kept packed in columns (``micrograd.packing``), each
built as a step object when it is read, and the indexes the cursor needs are
typed arrays: a 10^5-node trace takes half the memory it took as objects.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, cast

from micrograd import heap
from micrograd.engine import Op
from micrograd.graph import operands_of, topological_index
from micrograd.packing import Packed, PackedSteps, merge, pack
from micrograd.steps import (
    CallStep,
    ChainStep,
    ForwardStep,
    Step,
    UpdateStep,
    backward_steps,
    call_steps,
    forward_steps,
)

Progress = Callable[[str, int, int], None]
"""Told how far recording has come: the pass (``forward`` or ``backward``), the steps
recorded so far, and the steps it has in all."""

REPORT_EVERY = 4096
"""Steps recorded between two calls of a ``Progress``: often enough for a bar to move
smoothly, rarely enough to cost nothing measurable."""

Update = tuple[Any, float, float, float, float, str]
"""An optimizer's move of one parameter: (the parameter, lr, its grad, data before, after,
the optimizer's name)."""


def _recorded(
    steps: Iterator[Any], what: str, progress: Progress | None, count: Callable[[], int]
) -> PackedSteps:
    """Every step of ``steps``, packed a few thousand at a time (a 10^5-node pass held as
    objects took most of the recording's memory), telling ``progress`` how many of
    ``count()`` so far."""
    total = count() if progress is not None else 0
    packed: Packed = []
    recorded = 0
    while chunk := tuple(islice(steps, REPORT_EVERY)):
        merge(packed, pack(chunk))
        recorded += len(chunk)
        if progress is not None:
            progress(what, recorded, total)
    return PackedSteps(packed)


class Rows:
    """A list of lists of ints kept as two arrays, every row end to end and where each
    ends: a 10^5-node trace held a list per node and an int object per entry, most of
    the app's memory; row ``i`` is a slice of one array."""

    def __init__(self, rows: Iterable[Sequence[int]]) -> None:
        self._values: array[int] = array("q")
        self._ends: array[int] = array("q", [0])
        for row in rows:
            self._values.extend(row)
            self._ends.append(len(self._values))

    def __getitem__(self, i: int) -> array[int]:
        return self._values[self._ends[i] : self._ends[i + 1]]

    def __len__(self) -> int:
        return len(self._ends) - 1


def _differ(a: float, b: float) -> bool:
    """Whether two floats differ, counting two NaNs as the same."""
    return a != b and not (math.isnan(a) and math.isnan(b))


class Trace:
    """The steps of one pass from ``root``, and where the learner is in them.

    With ``forward=True`` the timeline starts with the forward pass, one step
    per computed node, then the seed and the backward pass; otherwise it is
    the backward pass alone and every node's data is known from the start.
    ``position`` counts the steps applied: 0 is before the first step,
    ``len(trace)`` is the end of the pass. Node ids are indices into ``nodes``.

    Recording runs the pass, so afterwards the live Values hold the data and
    grads ``root.backward()`` would leave; the trace never reads them again.
    What it shows of each node (``labels``, ``ops``, ``rules``) is copied as
    plain data, and a pickled trace leaves the live graph behind: the app
    receives it so from the process that ran the scenario, and only that
    process can ``rerun`` it.

    A graph built with a learner's own Value class (any object with ``data``,
    ``grad``, ``_prev``, ``_op`` and ``_backward``, as in the lecture) is
    recorded one ``_backward()`` call per step (``CallStep``), and has no
    forward phase: its ops are the learner's, not micrograd's. ``own`` says so.

    ``updates`` (a training iteration's optimizer step, recorded when it ran)
    are appended after the backward pass as one ``UpdateStep`` per parameter
    of this graph. ``progress``, if given, is told how far recording has come
    every ``REPORT_EVERY`` steps; an exception it raises stops the recording.
    """

    def __init__(
        self,
        root: Any,
        forward: bool = False,
        updates: Iterable[Update] = (),
        order: list[Any] | None = None,
        index: dict[int, int] | None = None,
        progress: Progress | None = None,
    ) -> None:
        if order is None or index is None:
            order, index = topological_index(root)
        self.nodes, self._index = order, index
        self.root = len(self.nodes) - 1
        self._starting_grads = [node.grad for node in self.nodes]
        self.own = not hasattr(root, "_rule")
        """Whether the graph was built with a learner's own Value class, not micrograd's."""
        texts = (str(getattr(node, "label", "") or "") for node in order)
        once: dict[str, str] = {}
        self.labels = [once.setdefault(text, text) for text in texts]
        """Each node's label, as text ("" for none): one string for the nodes that share a
        label (a model applied to 10^3 samples labels each sample's nodes alike; a string
        apiece took 5 MB of a 10^5-node trace)."""
        self.ops = [str(node._op) for node in order]
        """Each node's op as its ``_op`` names it ("" for a leaf)."""
        self.rules: list[Op | None] = [getattr(node, "_rule", None) for node in order]
        """Each node's op in micrograd's op table; None for a leaf or a learner's own class."""
        with heap.paused():
            forward_part = PackedSteps([])
            self.stale: int | None = None
            """The first node whose data, as the graph held it, is not what its op computes
            from its operands (a leaf's data was changed after the graph was built, as in
            ``a.data += h``); None when all agree, and without a forward phase."""
            if forward and not self.own:
                held = [node.data for node in self.nodes]
                computing = forward_steps(self.nodes, self._index)
                forward_part = _recorded(computing, "forward", progress, self._computed_count)
                computed = cast(Sequence[ForwardStep], forward_part)
                self.stale = next(
                    (s.node for s in computed if _differ(s.after, held[s.node])), None
                )
            record: Callable[..., Iterator[Step]] = call_steps if self.own else backward_steps
            passing = record(root, self.nodes, self._index)
            backward_part = _recorded(passing, "backward", progress, self._backward_count)
            index = self._index
            update_part = [
                UpdateStep(index[id(parameter)], lr, grad, before, after, optimizer)
                for parameter, lr, grad, before, after, optimizer in updates
                if id(parameter) in index
            ]
            self.steps = PackedSteps(
                [*forward_part.packed, *backward_part.packed, *pack(tuple(update_part))]
            )
            self.forward_length = len(forward_part)
            """How many steps the forward phase has (0 without one); the seed comes next."""
            self.backward_end = len(self.steps) - len(update_part)
            """Where the backward pass ends and the optimizer's updates (if any) begin."""
            self._state: dict[str, array[float]] = {
                "grad": array("d", [node.grad for node in self.nodes]),
                "data": array("d", [node.data for node in self.nodes]),
            }
            self._computed_at = array("q", bytes(8 * len(self.nodes)))
            self._first_touch = array("q", self._computed_at)
            self._last_touch = array("q", self._computed_at)
            self._arrivals = array("q", self._computed_at)
            self._passes_at = array("q", self._computed_at)
            self._nth: array[int] = array("q")
            self._read_steps()
            self._starting_data = array("d", self._state["data"])
            self._consumers: dict[int, list[int]] = {}
            self._pass_data: array[float] | None = None
        self._position = 0

    def _computed_count(self) -> int:
        """How many steps the forward phase has: one per node computed from operands."""
        return sum(1 for node in self.nodes if node._prev)

    def _backward_count(self) -> int:
        """How many steps the backward pass has: the seed, then one per edge (one per
        ``_backward()`` call, for a learner's class)."""
        uses = [len(operands_of(node)) for node in self.nodes]
        return 1 + (sum(map(bool, uses)) if self.own else sum(uses))

    def _read_steps(self) -> None:
        """Read the recorded steps once for all the cursor needs, building each step object
        once (a pass apiece over a 10^5-node trace's packed steps took a third of a second):

        - each value before the pass: the ``before`` of the first step that changes it,
          as if every step were undone;
        - the steps that change each node, and the position its data is computed at;
        - when each node's grad is first and last written, how many times, and which of
          those each step is, and when the node begins to pass its own grad back;
        - each node's operands, read off its chain steps, which sit side by side in
          operand order (faster at 10^5 nodes than looking each up in the graph again);
          a learner's class has one step per call, so its graph is looked up.
        """
        nodes = len(self.nodes)
        untouched = {"grad": bytearray(b"\x01") * nodes, "data": bytearray(b"\x01") * nodes}
        changing: list[list[int]] = [[] for _ in range(nodes)]
        operands: list[list[int]] = [[] for _ in range(nodes)]
        first, last, count = self._first_touch, self._last_touch, self._arrivals
        for index, step in enumerate(self.steps):
            targets: Sequence[int]
            befores: Sequence[float]
            if isinstance(step, ChainStep):
                targets, befores = (step.operand,), (step.before,)
                operands[step.output].append(step.operand)
            elif isinstance(step, CallStep):
                targets, befores = step.operands, step.before
            else:
                targets, befores = step.targets, (step.before,)
            state, fresh = self._state[step.quantity], untouched[step.quantity]
            for target, before in zip(targets, befores):
                if fresh[target]:
                    fresh[target] = 0
                    state[target] = before
                changing[target].append(index)
            if isinstance(step, ForwardStep):
                self._computed_at[step.node] = index + 1
            if isinstance(step, (ChainStep, CallStep)):
                sender = step.output if isinstance(step, ChainStep) else step.node
                self._passes_at[sender] = self._passes_at[sender] or index + 1
            if self.forward_length <= index < self.backward_end:
                for target in targets:
                    first[target] = first[target] or index + 1
                    last[target] = index + 1
                    count[target] += 1
                self._nth.append(count[targets[0]] if len(targets) == 1 else 1)
            else:
                self._nth.append(1)
        if self.own:
            graph = self._index
            operands = [[graph[id(o)] for o in operands_of(node)] for node in self.nodes]
        self._changing = Rows(changing)
        self._operands = Rows(operands)

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def size(self) -> int:
        """How many nodes the graph has."""
        return len(self.labels)

    def __getstate__(self) -> dict[str, Any]:
        """The trace as plain data, for another process: the numbers, names and steps,
        without the live graph (``rerun`` and ``id_of`` stay with the process that has it)."""
        state = self.__dict__.copy()
        for live in ("nodes", "_index", "_starting_grads"):
            del state[live]
        state["steps"] = self.steps.packed
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["steps"] = PackedSteps(state["steps"])
        self.__dict__.update(state)

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
        self._write(step, "after")
        self._position += 1
        return step

    def step_back(self) -> Step | None:
        """Undo the current step by restoring its recorded value; None at position 0."""
        if self._position == 0:
            return None
        self._position -= 1
        step = self.steps[self._position]
        self._write(step, "before")
        return step

    def _write(self, step: Step, value: str) -> None:
        """Write the step's recorded ``after`` (applying it) or ``before`` (undoing it)."""
        if isinstance(step, CallStep):
            for target, written in zip(step.operands, getattr(step, value)):
                self._state["grad"][target] = written
        else:
            self._state[step.quantity][step.target] = getattr(step, value)

    def seek(self, position: int) -> None:
        """Move to ``position`` (clamped to the timeline), applying or undoing each recorded
        step on the way, in order."""
        position = max(0, min(position, len(self.steps)))
        if position > self._position:
            for step in self.steps.between(self._position, position):
                self._write(step, "after")
        else:
            for step in self.steps.between(position, self._position, backward=True):
                self._write(step, "before")
        self._position = position

    def grad(self, node: int) -> float:
        """The grad of node ``node`` at the cursor."""
        return self._state["grad"][node]

    def data(self, node: int) -> float:
        """The data of node ``node`` at the cursor."""
        return self._state["data"][node]

    def starting_data(self, node: int) -> float:
        """The data of node ``node`` at position 0: a leaf's value as the graph was built
        (NaN for a node the forward phase computes)."""
        return self._starting_data[node]

    def pass_data(self, node: int) -> float:
        """The node's data while the grads are computed, wherever the cursor is: a rule's
        numbers are these, though an optimizer's update moves the data after the pass."""
        if self._pass_data is None:
            data = array("d", self._starting_data)
            for step in self.steps.between(0, self.forward_length):
                assert isinstance(step, ForwardStep)
                data[step.node] = step.after
            self._pass_data = data
        return self._pass_data[node]

    def grads(self) -> Sequence[float]:
        """Every node's grad at the cursor, by node id (a read-only view)."""
        return tuple(self._state["grad"])

    def is_computed(self, node: int) -> bool:
        """Whether the node's data is known at the cursor (always, without a forward phase)."""
        return self._computed_at[node] <= self._position

    def in_forward_phase(self) -> bool:
        """Whether the cursor is still in the forward phase (the seed has not been applied)."""
        return 0 < self.forward_length >= self._position

    def phase(self) -> str:
        """Which part of the timeline the cursor is in: ``forward``, ``backward`` or ``update``
        (the optimizer moving the parameters, in a training iteration)."""
        if self.in_forward_phase():
            return "forward"
        return "update" if self._position > self.backward_end else "backward"

    def is_reached(self, node: int) -> bool:
        """Whether this pass has written the node's grad yet, at the cursor."""
        return 0 < self._first_touch[node] <= self._position

    def is_final(self, node: int) -> bool:
        """Whether every contribution to the node's grad has arrived, at the cursor."""
        return 0 < self._last_touch[node] <= self._position

    def touches(self, node: int) -> tuple[int, int]:
        """The positions at which the pass first and last writes the node's grad (0, 0 if it
        never does): from the first it waits for more, from the last it is final."""
        return self._first_touch[node], self._last_touch[node]

    def passes_at(self, node: int) -> int:
        """The position of the first step that passes the node's grad on to its operands
        (0 for a leaf): in the backward pass a node's turn comes once its grad is final."""
        return self._passes_at[node]

    def contributions(self, node: int) -> int:
        """How many writes of the node's grad the pass makes: one per use (the seed, for
        the root)."""
        return self._arrivals[node]

    def arrived(self, node: int) -> int:
        """How many contributions to the node's grad the pass has applied, at the cursor."""
        start, end = self.forward_length, min(self._position, self.backward_end)
        return sum(1 for i in self._changing[node] if start <= i < end)

    def arrival(self, index: int) -> tuple[int, int]:
        """For ``steps[index]``: it is grad change k of n to its target (``contribution 2 of 2``);
        a forward step is the one and only change to its node's data, (1, 1)."""
        step = self.steps[index]
        if isinstance(step, (ForwardStep, CallStep, UpdateStep)):
            return 1, 1
        return self._nth[index], self._arrivals[step.target]

    def operands(self, node: int) -> tuple[int, ...]:
        """The node's operands, in order, with repeats (``a + a`` gives ``a`` twice)."""
        return tuple(self._operands[node])

    def consumers(self, node: int) -> list[int]:
        """The nodes that use this node as an operand, each once, in topological order.

        Read off the steps that change the node's grad (each comes from a
        consumer), when first asked for: a weight shared by every data point
        has thousands, and most nodes are never asked about.
        """
        consumers = self._consumers.get(node)
        if consumers is None:
            outputs = {
                step.node if isinstance(step, CallStep) else step.output
                for step in map(self.steps.__getitem__, self._changing[node])
                if isinstance(step, (ChainStep, CallStep))
            }
            consumers = self._consumers[node] = sorted(outputs)
        return consumers

    def steps_changing(self, node: int) -> list[int]:
        """The indices of the steps that change the node (its data or grad), in order."""
        return self._changing[node].tolist()

    def id_of(self, value: Any) -> int:
        """The node id of a live Value of this graph."""
        return self._index[id(value)]

    def rerun(self, forward: bool | None = None) -> Trace:
        """Record the pass again on the same graph (see ``LiveGraph.rerun``); ``forward``
        defaults to this trace's choice."""
        return self.live().rerun(forward)

    def live(self) -> LiveGraph:
        """The live graph this trace was recorded from, without its steps."""
        return LiveGraph(self.nodes, self._index, self._starting_grads, self.forward_length > 0)


@dataclass(frozen=True)
class LiveGraph:
    """A recorded pass's live graph, without its steps: all that recording it again takes.

    A process that keeps a graph only to record it again after an edit keeps
    this, not the whole ``Trace``: at 10^5 nodes the steps and the cursor's
    indexes are 40 MB it would never read.
    """

    nodes: list[Any]
    """Every node, in topological order, the root last."""
    index: dict[int, int]
    """Each node's place in ``nodes``, by ``id``."""
    starting_grads: list[float]
    """Each node's grad before the pass was first recorded."""
    forward: bool
    """Whether the pass was recorded with its forward phase."""

    def rerun(self, forward: bool | None = None) -> Trace:
        """Record the pass again on the same graph, e.g. after a leaf's data was edited.

        Every grad is put back to what it was before the first pass, so leaf
        grads do not accumulate twice; the forward pass runs again (as steps or
        not) so an edited leaf flows through the whole graph. ``forward``
        defaults to the first pass's choice.
        """
        for node, grad in zip(self.nodes, self.starting_grads):
            node.grad = grad
        if forward is None:
            forward = self.forward
        if not forward:
            for _ in forward_steps(self.nodes, self.index):
                pass
        return Trace(self.nodes[-1], forward, order=self.nodes, index=self.index)
