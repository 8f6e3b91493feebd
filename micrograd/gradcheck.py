"""Finite-difference gradient checks: what the chain rule says against what nudging says.

``gradient_check`` compares, for each leaf, ``(f(x + h) - f(x - h)) / 2h`` in
float64 with the grad ``backward()`` gives. ``check_backward_calls`` checks a
learner's own Value class one node at a time: each node's ``_backward()``
against the local derivative of its op, found by nudging the op's inputs, so
it points at the first node whose calculus is wrong. Both leave the live
graph exactly as they found it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from micrograd.engine import Op, lookup
from micrograd.forward import evaluate
from micrograd.graph import operands_of, topological_order


@dataclass(frozen=True, slots=True)
class LeafCheck:
    """One leaf's analytic and numeric gradient and how far apart they are."""

    node: int
    label: str
    analytic: float
    numeric: float
    error: float


@dataclass(frozen=True, slots=True)
class GradCheck:
    """Every leaf's check; ``worst`` is the largest error (0.0 for a graph with no leaf)."""

    leaves: tuple[LeafCheck, ...]

    @property
    def worst(self) -> float:
        return max((leaf.error for leaf in self.leaves), default=0.0)

    def passed(self, tolerance: float = 1e-6) -> bool:
        return self.worst <= tolerance


def relative_error(analytic: float, numeric: float) -> float:
    """``|a - n| / max(1, |a|, |n|)``: absolute near zero, relative for large grads.

    Equal values (including two equal infinities) have error 0; anything else
    that is not finite has error inf, so a nan never hides as "no error".
    """
    if analytic == numeric:
        return 0.0
    error = abs(analytic - numeric) / max(1.0, abs(analytic), abs(numeric))
    return error if math.isfinite(error) else math.inf


def gradient_check(root: Any, h: float = 1e-6, limit: int | None = None) -> GradCheck:
    """Compare ``backward()``'s grad with central differences for every leaf of ``root``,
    or for ``limit`` leaves spread evenly through the graph: each leaf costs two
    evaluations of the whole graph, which adds up on a training set's loss."""
    order = topological_order(root)
    saved = [node.grad for node in order]
    for node in order:
        node.grad = 0.0
    root.backward()
    analytic = [node.grad for node in order]
    for node, grad in zip(order, saved):
        node.grad = grad

    leaves = [position for position, node in enumerate(order) if not node._prev]
    if limit is not None and len(leaves) > limit:
        leaves = leaves[:: -(-len(leaves) // limit)]
    checks = []
    for position in leaves:
        node = order[position]
        up = evaluate(order, {position: node.data + h})[-1]
        down = evaluate(order, {position: node.data - h})[-1]
        numeric = (up - down) / (2 * h)
        checks.append(
            LeafCheck(
                node=position,
                label=node.label,
                analytic=analytic[position],
                numeric=numeric,
                error=relative_error(analytic[position], numeric),
            )
        )
    return GradCheck(tuple(checks))


UPSTREAM = 2.0
"""The out.grad a node is given while its ``_backward()`` is checked: not 1.0, so a
``_backward`` that forgets to multiply by out.grad is caught too."""
TOLERANCE = 1e-4


@dataclass(frozen=True, slots=True)
class WrongNode:
    """A node whose ``_backward()`` disagrees with its op's derivative.

    ``expected`` and ``actual`` are ∂node/∂operand: by finite differences of
    the op, and as the learner's ``_backward()`` applied it. ``problem`` says
    what kind of mistake it looks like.
    """

    node: int
    operand: int
    op: str
    expected: float
    actual: float
    problem: str


@dataclass(frozen=True, slots=True)
class BackwardCallCheck:
    """The first wrong node in backward order (None if all agree), and the ops that could
    not be checked because micrograd does not know them."""

    wrong: WrongNode | None
    unchecked: tuple[str, ...]


def _inputs(op: Op, operands: tuple[Any, ...], output: float) -> tuple[Any, ...] | None:
    """The operands in the op's order, as ``a`` and ``b``.

    A set ``_prev`` forgets both the order and a repeat (``a + a`` keeps one
    ``a``), so the arrangement whose forward value matches the node's data
    is the one the learner's code computed.
    """
    arity = len(op.rules)
    if len(operands) == arity:
        candidates = [operands] if arity == 1 else [operands, operands[::-1]]
    elif len(operands) == 1 and arity == 2:
        candidates = [(operands[0], operands[0])]
    else:
        return None
    for candidate in candidates:
        value = op.forward(*[float(o.data) for o in candidate])
        if value == output or relative_error(value, output) <= TOLERANCE:
            return candidate
    return None


def _numeric_locals(op: Op, arranged: tuple[Any, ...], h: float) -> dict[int, float]:
    """∂output/∂operand by central differences of the op, summed over repeats of an operand."""
    data = [float(o.data) for o in arranged]
    locals_: dict[int, float] = {}
    for operand in {id(o): o for o in arranged}.values():
        step = h * max(1.0, abs(float(operand.data)))
        up = [x + step if o is operand else x for x, o in zip(data, arranged)]
        down = [x - step if o is operand else x for x, o in zip(data, arranged)]
        locals_[id(operand)] = (op.forward(*up) - op.forward(*down)) / (2 * step)
    return locals_


def _learner_locals(node: Any, operands: tuple[Any, ...], start: float) -> list[float]:
    """What the node's ``_backward()`` adds to each operand's grad per unit of out.grad,
    with every operand's grad starting at ``start``."""
    node.grad = UPSTREAM
    for operand in operands:
        operand.grad = start
    node._backward()
    return [(operand.grad - start) / UPSTREAM for operand in operands]


def _check_node(node: Any, op: Op, h: float) -> tuple[Any, float, float, str] | None:
    """The first wrong operand of one node: (operand, expected, actual, problem)."""
    arranged = _inputs(op, operands_of(node), float(node.data))
    if arranged is None:
        return None
    expected = _numeric_locals(op, arranged, h)
    operands = tuple({id(o): o for o in arranged}.values())
    try:
        fresh = _learner_locals(node, operands, 0.0)
        added = _learner_locals(node, operands, 1.0)
    except Exception as error:  # the learner's code: anything can go wrong in it
        return operands[0], expected[id(operands[0])], math.nan, f"_backward() raised {error!r}"
    for operand, actual, again in zip(operands, fresh, added):
        want = expected[id(operand)]
        if relative_error(actual, want) > TOLERANCE:
            forgot_upstream = relative_error(actual * UPSTREAM, want) <= TOLERANCE
            problem = (
                "does not multiply by out.grad (the chain rule needs it)"
                if forgot_upstream
                else "computes the wrong local derivative"
            )
            return operand, want, actual, problem
        if relative_error(again, actual) > TOLERANCE:
            return operand, want, again, "overwrites the grad with = instead of adding with +="
    return None


def check_backward_calls(root: Any, h: float = 1e-6) -> BackwardCallCheck:
    """Check every node's own ``_backward()`` against its op, root first, and report the
    first that is wrong: where the backward pass first goes astray."""
    order = topological_order(root)
    saved = [node.grad for node in order]
    unchecked: dict[str, None] = {}
    wrong = None
    try:
        for position in range(len(order) - 1, -1, -1):
            node = order[position]
            operands = operands_of(node)
            if not operands:
                continue
            op = lookup(str(node._op), len(operands)) or (
                lookup(str(node._op), 2) if len(operands) == 1 else None
            )
            if op is None:
                unchecked[str(node._op)] = None
                continue
            found = _check_node(node, op, h)
            if found is not None:
                operand, expected, actual, problem = found
                index = {id(n): i for i, n in enumerate(order)}
                wrong = WrongNode(position, index[id(operand)], op.name, expected, actual, problem)
                break
    finally:
        for node, grad in zip(order, saved):
            node.grad = grad
    return BackwardCallCheck(wrong, tuple(unchecked))
