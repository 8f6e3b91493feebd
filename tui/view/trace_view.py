"""What the app shows of a trace at its cursor: names, marks, breakpoints and neighbourhoods.

The widgets read everything through a ``TraceView``, so none of them touches
the engine's math: data, grads, finality and steps come from ``Trace``, local
derivatives from the op table.
"""

from __future__ import annotations

import bisect
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, overload

from micrograd import CallStep, ChainStep, ForwardStep, Step, Trace, UpdateStep
from micrograd.engine import Op
from micrograd.gradcheck import BackwardCallCheck
from tui.loading.sites import Site, Sources
from tui.loading.summary import Summary
from tui.text.naming import node_names, wrap
from tui.text.numbers import fmt
from tui.text.sentences import StepText, call_of, check_text, describe
from tui.text.visible import visible
from tui.text.waiting import Queue
from tui.view.neurons import Collapsed, Neuron, box_name, find_neurons, is_inside_a_neuron

NOT_COMPUTED = "·"
FINAL = "✓"
CHANGED = "*"
BREAKPOINT = "●"
BIG_GRAPH = 60  # above this many nodes the graph panel shows a neighbourhood
CONSUMERS_NEAR = 2  # how many of a node's consumers a neighbourhood reaches out to
PHASES = {"forward": "forward pass", "backward": "backward pass", "update": "optimizer step"}


Identity = tuple[str, int]


class Identities(Sequence[Identity]):
    """Each node's identity across reloads: its name, and which node of that name it is
    (only constants share a name: ``1.0`` is the value of many nodes). Made from the
    names when read: kept as pairs, a 10^5-node graph's took 6 MB."""

    def __init__(self, names: list[str]) -> None:
        self._names = names
        self._nth: array[int] = array("q")
        seen: Counter[str] = Counter()
        for name in names:
            self._nth.append(seen[name])
            seen[name] += 1
        self.shared = {name for name, count in seen.items() if count > 1}
        """The names that more than one node has."""

    def __len__(self) -> int:
        return len(self._names)

    @overload
    def __getitem__(self, node: int) -> Identity: ...

    @overload
    def __getitem__(self, node: slice) -> list[Identity]: ...

    def __getitem__(self, node: int | slice) -> Identity | list[Identity]:
        if isinstance(node, slice):
            return [self[i] for i in range(*node.indices(len(self)))]
        return self._names[node], self._nth[node]

    def index(self, identity: Any, start: int = 0, stop: int | None = None) -> int:
        """The node with this identity; ValueError if none has it."""
        name, nth = identity
        node = -1
        for _ in range(nth + 1):
            node = self._names.index(name, node + 1)
        if not start <= node < (len(self) if stop is None else stop):
            raise ValueError(f"{identity!r} is not in this graph")
        return node

    def __contains__(self, identity: object) -> bool:
        try:
            self.index(identity)
        except (ValueError, TypeError):
            return False
        return True


NAMED = 3  # how many nodes of each kind the queue names
SCANNED = 300  # how far from the cursor it looks for them


class _Turns:
    """When each node's turn comes in the backward pass, sorted for counting by bisection:
    the positions at which nodes are first reached, become final, and (for those with
    operands) start passing their grad back, that order of nodes too. Typed arrays: as
    lists, a 10^5-node graph's took 15 MB; and the touches are read twice, not held as
    a list of pairs while they are sorted."""

    def __init__(self, trace: Trace) -> None:
        nodes = range(trace.size)
        self.first = _sorted(first for first, _ in map(trace.touches, nodes) if first)
        self.last = _sorted(last for _, last in map(trace.touches, nodes) if last)
        self.order = _sorted(filter(trace.passes_at, nodes), key=trace.passes_at)
        self.passing = array("q", map(trace.passes_at, self.order))
        self.final = _sorted(trace.touches(n)[1] for n in self.order)


def _sorted(values: Iterable[int], key: Callable[[int], int] | None = None) -> array[int]:
    return array("q", sorted(values, key=key))


class TraceView:
    """A scenario's trace with the names and marks the panels need."""

    def __init__(
        self,
        scenario: Summary,
        trace: Trace,
        breakpoints: set[Identity] | None = None,
        iteration: int = 0,
        check: BackwardCallCheck | None = None,
        sources: Sources | None = None,
        collapsed: set[str] | None = None,
    ) -> None:
        self.scenario = scenario
        self.trace = trace
        self.iteration = iteration
        """For a training scenario, which iteration this trace is (from 0)."""
        self.notice = ""
        """What the load noticed about the graph and the learner should know, in one line
        (its data changed after it was built); empty for a trace recorded again."""
        self.names = node_names(trace)
        self.ops = [visible(op) for op in trace.ops]
        self.identities = Identities(self.names)
        self.breakpoints = breakpoints if breakpoints is not None else set()
        """The identities of the nodes with a breakpoint; shared with the app's ``Lesson``."""
        self.check = check
        """For a learner's own Value class, each node's _backward() checked against its op."""
        self.sources = sources
        """Where each node was built; None when nothing was recorded (a trace built here)."""
        self.collapsed = collapsed if collapsed is not None else set()
        """The neurons drawn collapsed, by place (``L0.n2``); shared with the ``Lesson``."""
        self._neurons: list[Neuron] | None = None
        self._has_neurons: bool | None = None
        self._display: tuple[frozenset[str], Collapsed, tuple[int, ...]] | None = None
        self._width: dict[int, tuple[int, int]] = {}
        self._turns: _Turns | None = None
        self._neighbourhoods: dict[
            tuple[tuple[int, ...], int, frozenset[str]], tuple[int, ...]
        ] = {}

    @property
    def size(self) -> int:
        return self.trace.size

    def _widths(self, node: int) -> tuple[int, int]:
        """The widest text the node's data and grad will ever need, so its record never
        changes width as the cursor moves.

        Worked out for a node when it is first drawn: formatting every value
        of a 10^5-node trace up front took most of a second at launch.
        """
        widths = self._width.get(node)
        if widths is None:
            values = self._values(node)
            widths = (
                max(len(NOT_COMPUTED), *(len(fmt(v)) for v in values["data"])),
                max(len(fmt(v)) for v in values["grad"]),
            )
            self._width[node] = widths
        return widths

    def _values(self, node: int) -> dict[str, list[float]]:
        """Every value the node's data and grad show over the whole trace."""
        values: dict[str, list[float]] = {"data": [], "grad": []}
        for index in self.trace.steps_changing(node):
            step = self.trace.steps[index]
            if isinstance(step, CallStep):
                at = step.operands.index(node)
                quantity, before, after = "grad", step.before[at], step.after[at]
            else:
                quantity, before, after = step.quantity, step.before, step.after
            if not values[quantity] and not isinstance(step, ForwardStep):
                values[quantity].append(before)  # what it shows before its first change
            values[quantity].append(after)
        values["data"] = values["data"] or [self.trace.data(node)]
        values["grad"] = values["grad"] or [self.trace.grad(node)]
        return values

    def data_text(self, node: int) -> str:
        """The node's data at the cursor, or ``·`` if the forward phase has not computed it."""
        if not self.trace.is_computed(node):
            return NOT_COMPUTED
        return fmt(self.trace.data(node))

    def grad_text(self, node: int) -> str:
        """The node's grad at the cursor: a number from the start, as in the lecture (0.0
        until the backward pass adds to it); the ``✓`` mark says when it is final."""
        return fmt(self.trace.grad(node))

    def changed(self, node: int, quantity: str) -> str:
        """``*`` beside the node's data or grad if the current step changed it, else a space."""
        step = self.trace.current
        touched = step is not None and step.quantity == quantity and node in step.targets
        return CHANGED if touched else " "

    def marks(self, node: int) -> str:
        """Two characters after the grad: ``✓`` if it is final, ``●`` for a breakpoint."""
        final = FINAL if self.trace.is_final(node) else " "
        stop = BREAKPOINT if self.is_breakpoint(node) else " "
        return final + stop

    def record(self, node: int) -> str:
        """The node's record, ``name │ data │ grad`` with its marks, always the same width:
        ``x*y │ -6.0*│ 0.0  `` just after the forward pass computed its data."""
        data_width, grad_width = self._widths(node)
        data = self.data_text(node).rjust(data_width) + self.changed(node, "data")
        grad = self.grad_text(node).rjust(grad_width) + self.changed(node, "grad")
        return f"{self.drawn_name(node)} │ {data}│ {grad}{self.marks(node)}"

    def record_width(self, node: int) -> int:
        """The record's width, the same at every step (``record`` pads the grad to fit)."""
        return len(self.record(node))

    # Neurons, and the graph as drawn with some of them collapsed

    def neurons(self) -> list[Neuron]:
        """Every application of a ``micrograd.nn`` neuron in the graph (found when first
        asked: most graphs have none, and a look costs a pass over the labels)."""
        if self._neurons is None:
            self._neurons = find_neurons(self.trace.labels, self.trace.ops, self.trace.operands)
        return self._neurons

    @property
    def has_neurons(self) -> bool:
        """Whether ``micrograd.nn`` built any of the graph (a look at the labels that stops
        at the first such node)."""
        if self._has_neurons is None:
            self._has_neurons = any(map(is_inside_a_neuron, self.trace.labels))
        return self._has_neurons

    def neuron_of(self, node: int) -> Neuron | None:
        """The neuron application the node is inside (for a weight: the first that uses it)."""
        return next((n for n in self.neurons() if node in n.inside or node in n.weights), None)

    def display(self) -> Collapsed | None:
        """The graph as drawn with the collapsed neurons as boxes; None when none is."""
        if not self.collapsed:
            return None
        # Compared with the set as it is: most calls (a record each) find it unchanged.
        if self._display is None or self._display[0] != self.collapsed:
            display = Collapsed(self.neurons(), self.collapsed)
            drawn = tuple(n for n in range(self.size) if not display.is_hidden(n))
            self._display = (frozenset(self.collapsed), display, drawn)
        return self._display[1]

    def all_drawn(self) -> tuple[int, ...] | range:
        """Every node that is drawn: all of them, unless neurons are collapsed."""
        if self.display() is None or self._display is None:
            return range(self.size)
        return self._display[2]

    @property
    def is_big(self) -> bool:
        """Whether the graph panel shows a neighbourhood rather than every drawn node."""
        return len(self.all_drawn()) > BIG_GRAPH

    def drawn(self, nodes: Sequence[int]) -> tuple[int, ...]:
        """The drawn nodes standing for ``nodes``, each once, in their order: a node inside
        a collapsed neuron is its box, a weight the box among them that uses it."""
        display = self.display()
        if display is None:
            return tuple(nodes)
        return display.shown_all(nodes)

    def drawn_operands(self, node: int) -> tuple[int, ...]:
        """The drawn node's operands as drawn: a box's inputs, else its operands."""
        display = self.display()
        if display is None:
            return self.trace.operands(node)
        return display.operands(node, self.trace.operands)

    def drawn_name(self, node: int) -> str:
        """The name in the node's record: a box's is the neuron, its sample and formula."""
        display = self.display()
        neuron = display.boxes.get(node) if display is not None else None
        if neuron is None:
            return self.names[node]
        return f"{box_name(neuron, self.names[node])} {neuron.formula}"

    def drawn_op(self, node: int) -> str:
        """The op drawn before the node's record; none for a box, whose record says it."""
        display = self.display()
        return "" if display is not None and node in display.boxes else self.ops[node]

    def focus_nodes(self) -> tuple[int, ...]:
        """The nodes the current step is about, the one it changes last: a chain step's
        output and operand, a forward step's operands and node, or the root."""
        return self.focus_of(self.trace.current)

    def coming_nodes(self, steps: int, *, backward: bool = False) -> tuple[int, ...]:
        """The focus nodes at the cursor and at the ``steps`` positions that come next in
        the direction of travel (the ones before it when going ``backward``), nearest first."""
        trace, direction = self.trace, -1 if backward else 1
        positions = range(trace.position, trace.position + direction * (steps + 1), direction)
        coming = [
            self.focus_of(trace.steps[p - 1] if p else None)
            for p in positions
            if 0 <= p <= len(trace)
        ]
        return tuple(dict.fromkeys(node for nodes in coming for node in nodes))

    def focus_of(self, step: Step | None) -> tuple[int, ...]:
        """The nodes ``step`` is about (see ``focus_nodes``); before the first step, the
        ones it will be about: the first forward step's inputs, or the root to be seeded."""
        if step is None:
            first = self.trace.steps[0] if self.trace.steps else None
            return self.focus_of(first) if first is not None else (self.trace.root,)
        if isinstance(step, ChainStep):
            return (step.output, step.operand)
        if isinstance(step, (ForwardStep, CallStep)):
            return (*dict.fromkeys(o for o in step.operands if o != step.node), step.node)
        return (step.target,)

    def source_node(self) -> int:
        """The node whose line of code the current step is about: the node a forward step
        computes, the one passing its grad back in a backward step (the line that built
        it holds the op whose rule is applied), the parameter an update changes."""
        sender = self.sender()
        return sender if sender is not None else self.focus_nodes()[-1]

    def site(self, node: int) -> Site | None:
        """Where the node was built, if known."""
        return self.sources.site(node) if self.sources is not None else None

    def queue(self) -> Queue | None:
        """The backward pass's queue at the cursor (None outside the backward pass): which
        nodes are ready to pass their grad back and which still wait for contributions.

        Counted with ``bisect`` on the positions at which nodes become final, start
        passing and are first reached, sorted once; only a few nodes are named, found
        near the cursor, so a step costs the same at 10^5 nodes as at 10.
        """
        trace, position = self.trace, self.trace.position
        if trace.phase() != "backward" or position <= trace.forward_length:
            return None
        if self._turns is None:
            self._turns = _Turns(trace)
        turns = self._turns
        ready_count = bisect.bisect_right(turns.final, position) - bisect.bisect_right(
            turns.passing, position
        )
        reached = bisect.bisect_right(turns.first, position)
        waiting_count = reached - bisect.bisect_right(turns.last, position)
        ready: list[str] = []
        start = bisect.bisect_right(turns.passing, position)
        for node in turns.order[start : start + SCANNED]:
            if len(ready) == NAMED or len(ready) == ready_count:
                break
            if trace.is_final(node):
                ready.append(self.names[node])
        waiting: dict[int, None] = {}
        for index in range(position - 1, max(trace.forward_length, position - SCANNED) - 1, -1):
            if len(waiting) == min(NAMED, waiting_count):
                break
            for target in trace.steps[index].targets:
                if trace.is_reached(target) and not trace.is_final(target):
                    waiting[target] = None
        return Queue(
            tuple(ready),
            ready_count,
            tuple(
                (self.names[n], trace.arrived(n), trace.contributions(n))
                for n in list(waiting)[:NAMED]
            ),
            waiting_count,
            len(turns.first) - reached,
        )

    def sender(self) -> int | None:
        """The node passing its grad back in the current step, if any."""
        step = self.trace.current
        if isinstance(step, ChainStep):
            return step.output
        return step.node if isinstance(step, CallStep) else None

    def shown_name(self, node: int) -> str:
        """The node's name, with its id where other nodes share it (a constant's value)."""
        name = self.names[node]
        return f"{name}  (node {node})" if name in self.identities.shared else name

    def is_breakpoint(self, node: int) -> bool:
        return self.identities[node] in self.breakpoints

    def toggle_breakpoint(self, node: int) -> bool:
        """Set or clear the node's breakpoint; returns whether it is now set."""
        identity = self.identities[node]
        if identity in self.breakpoints:
            self.breakpoints.discard(identity)
            return False
        self.breakpoints.add(identity)
        return True

    def breakpoint_nodes(self) -> list[int]:
        """This graph's nodes with a breakpoint, in topological order."""
        return [i for i, key in enumerate(self.identities) if key in self.breakpoints]

    def additions(self, node: int) -> list[int]:
        """The positions whose step adds to the node's grad: one per use of the node (a
        weight shared by four samples gets its grad at four steps far apart)."""
        trace = self.trace  # the backward pass's steps are the grad's; the rest change data
        start, end = trace.forward_length, trace.backward_end
        return [i + 1 for i in trace.steps_changing(node) if start <= i < end]

    def _hits(self) -> list[int]:
        """The positions whose step changes a breakpointed node, in order."""
        return sorted(
            {i + 1 for node in self.breakpoint_nodes() for i in self.trace.steps_changing(node)}
        )

    def next_hit(self, position: int) -> int | None:
        """The first position after ``position`` whose step changes a breakpointed node."""
        hits = self._hits()
        at = bisect.bisect_right(hits, position)
        return hits[at] if at < len(hits) else None

    def previous_hit(self, position: int) -> int | None:
        """The last position before ``position`` whose step changes a breakpointed node."""
        hits = self._hits()
        at = bisect.bisect_left(hits, position)
        return hits[at - 1] if at else None

    def wrong_step(self) -> int | None:
        """The position of the ``_backward()`` call the gradient check found wrong, if any."""
        if self.check is None or self.check.wrong is None:
            return None
        node = self.check.wrong.node
        for index, step in enumerate(self.trace.steps):
            if isinstance(step, CallStep) and step.node == node:
                return index + 1
        return None

    def describe_current(self) -> StepText | None:
        if self.trace.position == 0:
            return None
        return self.describe(self.trace.position - 1)

    def describe(self, index: int) -> StepText:
        """The step in words; at the node the gradient check found wrong, says so."""
        text = describe(self.trace, self.names, index, self.scenario.functions)
        step = self.trace.steps[index]
        wrong = self.check.wrong if self.check is not None else None
        if wrong is not None and isinstance(step, CallStep) and step.node == wrong.node:
            remark = f"✗ {wrong.problem}: should add {fmt(wrong.expected)}·out.grad"
            text = replace(text, remark="; ".join(filter(None, [text.remark, remark])))
        return text

    def check_text(self) -> str:
        """The gradient check's verdict, for a learner's own Value class; else empty."""
        if self.check is None:
            return ""
        return check_text(self.check, self.names, self.trace, self.scenario.functions)

    def local_derivatives(self, node: int) -> tuple[float, ...]:
        """∂node/∂operand for each operand, from the engine's op table, at the recorded data
        (not the live Values', which a rebuild in progress may be rewriting)."""
        op: Op | None = self.trace.rules[node]
        if op is None:
            return ()
        inputs = [self.trace.pass_data(operand) for operand in self.trace.operands(node)]
        return op.local(*inputs, self.trace.pass_data(node))

    @property
    def shape(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """The graph's structure without its numbers: each node's op and operands.

        Two loads with the same shape have the same steps in the same order,
        so a reload can keep the cursor where it was."""
        return tuple((op, self.trace.operands(i)) for i, op in enumerate(self.ops))

    def neighbourhood(self, centre: tuple[int, ...], hops: int = 2) -> tuple[int, ...]:
        """The ``nearest`` nodes, in topological order."""
        return tuple(sorted(self.nearest(centre, hops)))

    def nearest(self, centre: tuple[int, ...], hops: int = 2) -> tuple[int, ...]:
        """Nodes within ``hops`` edges of the centre (either direction), nearest first
        (operands before consumers at each distance), at most ``BIG_GRAPH`` of them.

        The cap matters: a weight shared by a thousand data points has a
        thousand consumers, and drawing them all made every step of a 10^5-node
        MLP take seconds. Operands come first at each distance, so such a weight
        cannot crowd out the inputs of the other nodes in the centre.
        Remembered per centre, so stepping back and forth over a big graph finds
        the same drawing again without searching.
        """
        key = (centre, hops, frozenset(self.collapsed))
        if key not in self._neighbourhoods:
            self._neighbourhoods[key] = self._search(centre, hops)
        return self._neighbourhoods[key]

    def _search(self, centre: tuple[int, ...], hops: int) -> tuple[int, ...]:
        seen = dict.fromkeys(centre[:BIG_GRAPH])
        level = list(seen)
        for _ in range(hops):
            reached = []
            for neighbours in (self.drawn_operands, self._near_consumers):
                for node in level:
                    for other in neighbours(node):
                        if other in seen:
                            continue
                        if len(seen) == BIG_GRAPH:
                            return tuple(seen)
                        seen[other] = None
                        reached.append(other)
            level = reached
        return tuple(seen)

    def _near_consumers(self, node: int) -> list[int]:
        """A few of the node's consumers, the first in topological order: a weight every
        sample uses, or an input every neuron reads, drew a channel for each of dozens of
        consumers, and the step's own nodes no longer fitted the panel."""
        display = self.display()
        if display is not None:
            return display.consumers(node, self.trace.consumers)[:CONSUMERS_NEAR]
        return self.trace.consumers(node)[:CONSUMERS_NEAR]

    def status(self) -> str:
        """The header line: step k of N, the node the step is about, phase, and title."""
        trace = self.trace
        step = trace.current
        if step is None:
            about = "press → to start"
        elif isinstance(step, ChainStep):
            about = f"{wrap(self.names[step.operand])}.grad ← {wrap(self.names[step.output])}"
        elif isinstance(step, ForwardStep):
            about = f"{wrap(self.names[step.node])}.data"
        elif isinstance(step, CallStep):
            about = call_of(self.names[step.node], self.scenario.functions)
        elif isinstance(step, UpdateStep):
            about = f"{wrap(self.names[step.node])}.data ← optimizer"
        else:
            about = f"seed {wrap(self.names[step.target])}.grad"
        phase = PHASES[trace.phase()]
        text = f"step {trace.position}/{len(trace)} │ {about} │ {phase} │ {self.scenario.title}"
        if self.scenario.is_training:
            text = f"iteration {self.iteration + 1}/{self.scenario.iterations} │ {text}"
        return text

    @property
    def iterations(self) -> int:
        """How many training iterations the scenario has (1 if it is not a training one)."""
        return self.scenario.iterations
