"""The forward and backward passes as sequences of steps: one node's data, or one
chain-rule application, each.

``backward_steps`` is the second driver of ``Value.backward()``'s mechanism:
it starts the pass with the same ``start_pass`` and reads each local
derivative from the same op table, then applies ``operand.grad += local ·
upstream`` one edge at a time, so the stepped pass and the plain pass cannot
disagree by even one bit. Likewise ``forward_steps`` computes each node's data
with the op table's forward rule, the very function ``Value`` used to build
the node.

Steps are frozen values holding node ids and copied floats, never live
``Value`` objects: a recorded history must not change when the graph does.
A node's id is its index in the topological order of the root.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from micrograd.engine import Op, UnknownOpError, start_pass, topological_order
from micrograd.graph import operands_of
from micrograd.speed import slot_filler

NOT_COMPUTED = math.nan  # what a node's data is before the forward pass reaches it


@dataclass(frozen=True, slots=True)
class ForwardStep:
    """The forward pass computes one node's data from its operands' data.

    ``inputs`` are the operands' data, copied, so the step can be shown with
    its numbers (``n = x1w1x2w2 + b = -6.0 + 6.8814 = 0.8814``). Before it,
    the node's data counts as not computed; ``before`` says so with NaN, and
    ``Trace.is_computed`` tells a NaN result apart from a missing one.
    """

    quantity: ClassVar[str] = "data"

    node: int
    operands: tuple[int, ...]
    kind: Op
    inputs: tuple[float, ...]
    after: float

    @property
    def target(self) -> int:
        """The node whose data this step computes."""
        return self.node

    @property
    def targets(self) -> tuple[int, ...]:
        """Every node this step changes: just ``target``."""
        return (self.node,)

    @property
    def before(self) -> float:
        """Not computed yet (NaN); stepping back over the step restores this."""
        return NOT_COMPUTED

    @property
    def op(self) -> str:
        """The node's op, as its ``_op`` names it."""
        return self.kind.name


@dataclass(frozen=True, slots=True)
class SeedStep:
    """The pass starts: ∂root/∂root = 1, so the root's grad becomes 1.0."""

    quantity: ClassVar[str] = "grad"

    root: int
    before: float
    after: float = 1.0

    @property
    def target(self) -> int:
        """The node whose grad this step sets."""
        return self.root

    @property
    def targets(self) -> tuple[int, ...]:
        """Every node this step changes: just ``target``."""
        return (self.root,)


@dataclass(frozen=True, slots=True)
class ChainStep:
    """One application of the chain rule along one edge, operand ← output.

    ``operand.grad += local · upstream``, where ``local`` is ∂output/∂operand
    and ``upstream`` is output.grad. A node used twice receives two such
    steps; ``Trace.arrival`` tells which of them a step is.

    ``contribution`` and ``after`` are recomputed from the stored floats with
    the very operations the pass used, so they are bit for bit what it wrote;
    storing fewer fields keeps a 10^6-step trace affordable.
    """

    quantity: ClassVar[str] = "grad"

    output: int
    operand: int
    position: int
    kind: Op
    local: float
    upstream: float
    before: float

    @property
    def target(self) -> int:
        """The node whose grad this step changes."""
        return self.operand

    @property
    def targets(self) -> tuple[int, ...]:
        """Every node this step changes: just ``target``."""
        return (self.operand,)

    @property
    def op(self) -> str:
        """The output's op, as its ``_op`` names it (``*``, ``**2``, ``tanh``)."""
        return self.kind.name

    @property
    def rule(self) -> str:
        """The local derivative's rule as text, e.g. ``∂(a·b)/∂a = b``."""
        return self.kind.rules[self.position]

    @property
    def contribution(self) -> float:
        """``local · upstream``: what this edge adds to the operand's grad."""
        return self.local * self.upstream

    @property
    def after(self) -> float:
        """The operand's grad once this step is applied."""
        return self.before + self.local * self.upstream

    @property
    def accumulates(self) -> bool:
        """Whether the operand's grad was already non-zero, so this adds to it (``+=``)."""
        return self.before != 0.0


@dataclass(frozen=True, slots=True)
class UpdateStep:
    """The optimizer moves one parameter after the backward pass: its data, before and after.

    ``optimizer`` names the rule: for ``SGD`` (plain gradient descent) ``after``
    is ``before - lr · grad``; momentum and Adam take other steps, which a
    coincidence of numbers (a zero grad) must not pass off as plain.
    """

    quantity: ClassVar[str] = "data"

    node: int
    lr: float
    grad: float
    before: float
    after: float
    optimizer: str = "SGD"

    @property
    def target(self) -> int:
        """The parameter this step moves."""
        return self.node

    @property
    def targets(self) -> tuple[int, ...]:
        """Every node this step changes: just ``target``."""
        return (self.node,)

    @property
    def plain(self) -> bool:
        """Whether the rule is plain gradient descent, ``before - lr · grad``."""
        return self.optimizer == "SGD"


@dataclass(frozen=True, slots=True)
class CallStep:
    """One call of a node's own ``_backward()``, in a graph built with a learner's Value class.

    Such a class keeps its calculus in closures that cannot be read, so the
    step records what the call did instead: each operand's grad before and
    after (operands listed once each, even for ``a + a``).
    """

    quantity: ClassVar[str] = "grad"

    node: int
    operands: tuple[int, ...]
    before: tuple[float, ...]
    after: tuple[float, ...]

    @property
    def targets(self) -> tuple[int, ...]:
        """Every node this call changed the grad of: the node's operands."""
        return self.operands


Step = ForwardStep | SeedStep | ChainStep | CallStep | UpdateStep

_chain_step = slot_filler(
    ChainStep, "output", "operand", "position", "kind", "local", "upstream", "before"
)
_forward_step = slot_filler(ForwardStep, "node", "operands", "kind", "inputs", "after")


def backward_steps(
    root: Any, order: Sequence[Any] | None = None, index: dict[int, int] | None = None
) -> Iterator[Step]:
    """Run the backward pass from ``root`` one step at a time, applying each step as it is yielded.

    Before the seed, the grads of intermediate nodes are reset to 0.0, so that
    a second pass shows that pass's grads; leaf grads are kept and accumulate,
    as in PyTorch. ``order`` (a topological order ending at ``root``) and
    ``index`` (each node's position in it, by ``id``) may be passed in.
    """
    if order is None:
        order = topological_order(root)
    if index is None:
        index = {id(node): position for position, node in enumerate(order)}
    before = start_pass(root, order)
    yield SeedStep(root=len(order) - 1, before=before)

    for output_id in range(len(order) - 1, -1, -1):
        node = order[output_id]
        if not node._prev:
            continue
        op: Op | None = node._rule
        if op is None:
            raise UnknownOpError(f"no local derivative is known for op {node._op!r}")
        upstream = node.grad
        # Unpacked by arity, as in Value._backward: a zip over the operands cost a third more.
        if len(node._prev) == 2:
            a, b = node._prev
            da, db = op.local(a.data, b.data, node.data)
            before = a.grad
            a.grad = before + da * upstream
            yield _chain_step(output_id, index[id(a)], 0, op, da, upstream, before)
            before = b.grad
            b.grad = before + db * upstream
            yield _chain_step(output_id, index[id(b)], 1, op, db, upstream, before)
        else:
            (a,) = node._prev
            (da,) = op.local(a.data, node.data)
            before = a.grad
            a.grad = before + da * upstream
            yield _chain_step(output_id, index[id(a)], 0, op, da, upstream, before)


class BackwardCallError(RuntimeError):
    """A learner's ``_backward()`` raised; ``node`` is the id of the node whose call failed."""

    def __init__(self, node: int, error: Exception) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.node = node
        self.error = error


def call_steps(root: Any, order: Sequence[Any], index: dict[int, int]) -> Iterator[Step]:
    """The backward pass of a learner's own Value class, one ``_backward()`` call per step.

    It does what Karpathy's ``backward()`` does: seed ``root.grad = 1``, then
    call every node's ``_backward()`` in reverse topological order. Leaves,
    whose ``_backward`` does nothing, get no step.
    """
    before = root.grad
    root.grad = 1.0
    yield SeedStep(root=len(order) - 1, before=before)
    for node_id in range(len(order) - 1, -1, -1):
        node = order[node_id]
        operands = tuple({id(o): o for o in operands_of(node)}.values())
        if not operands:
            continue
        grads_before = tuple(operand.grad for operand in operands)
        try:
            node._backward()
        except Exception as error:
            raise BackwardCallError(node_id, error) from error
        yield CallStep(
            node_id,
            tuple(index[id(operand)] for operand in operands),
            grads_before,
            tuple(operand.grad for operand in operands),
        )


def forward_steps(order: Sequence[Any], index: dict[int, int]) -> Iterator[ForwardStep]:
    """Run the forward pass over ``order`` (a topological order) one node at a time,
    writing each node's ``data`` as its step is yielded.

    A graph built with ``Value`` already holds these numbers; computing them
    again means a leaf edited in place (``x.data = 3.0``) flows through the
    whole graph before the backward pass reads it.
    """
    for node_id, node in enumerate(order):
        if not node._prev:
            continue
        kind: Op | None = node._rule
        if kind is None:
            raise UnknownOpError(f"no forward rule is known for op {node._op!r}")
        prev = node._prev
        inputs = tuple([operand.data for operand in prev])
        node.data = kind.forward(*inputs)
        operands = tuple([index[id(operand)] for operand in prev])
        yield _forward_step(node_id, operands, kind, inputs, node.data)
