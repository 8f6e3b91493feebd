"""Walking a graph of Values: topological order, edges, and Graphviz DOT text.

Everything here relies only on the attributes Karpathy's ``Value`` has
(``data``, ``grad``, ``_prev``, ``_op``, and ``label`` where there is one), so
it works on any node that looks like one, a learner's own class included.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from micrograd.engine import GraphCycleError


class GraphTooLargeError(ValueError):
    """The graph has more nodes than the walk was allowed to visit."""


def _sort_key(node: Any) -> tuple[str, str, str]:
    return (str(getattr(node, "label", "")), str(node._op), repr(node.data))


def operands_of(node: Any) -> tuple[Any, ...]:
    """A node's operands in an order that is the same on every run.

    micrograd keeps ``_prev`` as an ordered tuple; Karpathy's original keeps
    a set, whose order changes from run to run, so a set is sorted by each
    operand's label, op and data.
    """
    prev = node._prev
    if type(prev) is tuple:
        return prev
    if isinstance(prev, (set, frozenset)):
        return tuple(sorted(prev, key=_sort_key))
    return tuple(prev)


def topological_order(root: Any) -> list[Any]:
    """Every node reachable from ``root``, each after all of its operands, checked as
    ``topological_index`` checks it."""
    return topological_index(root)[0]


def topological_index(root: Any, limit: int | None = None) -> tuple[list[Any], dict[int, int]]:
    """The topological order of any graph, and each node's position in it by ``id(node)``.

    ``micrograd.engine.topological_order`` walks a graph of ``Value``s; this
    walk is for a graph from anywhere, a learner's own Value class included:
    it keys nodes by ``id`` (their class may define ``__eq__`` and so not
    hash), orders a set ``_prev`` with ``operands_of``, and with a ``limit``
    raises ``GraphTooLargeError`` as soon as the walk has seen that many
    nodes. The order is the engine's; the positions come free with it and
    serve as stable node ids.
    """
    order: list[Any] = []
    position: dict[int, int] = {}
    on_path = {id(root)}
    stack = [(root, iter(operands_of(root)))]
    while stack:
        node, operands = stack[-1]
        for operand in operands:
            if id(operand) in position:
                continue
            if id(operand) in on_path:
                raise GraphCycleError(f"node {_name(operand)} depends on itself through _prev")
            on_path.add(id(operand))
            if limit is not None and len(on_path) + len(order) > limit:
                raise GraphTooLargeError(f"the graph has more than {limit:,} nodes")
            stack.append((operand, iter(operands_of(operand))))
            break
        else:
            stack.pop()
            on_path.remove(id(node))
            position[id(node)] = len(order)
            order.append(node)
    return order, position


def nodes(root: Any) -> list[Any]:
    """All nodes of the graph, in topological order."""
    return topological_order(root)


def edges(root: Any) -> list[tuple[Any, Any]]:
    """Every ``(operand, output)`` edge, once per use: ``a + a`` gives two edges."""
    return [(operand, node) for node in topological_order(root) for operand in operands_of(node)]


def _name(node: Any) -> str:
    return repr(node.label) if getattr(node, "label", "") else f"with data {node.data!r}"


def _record_text(text: str) -> str:
    """Escape the characters that mean something inside a DOT record label."""
    for special in '\\{}|<>"':
        text = text.replace(special, "\\" + special)
    return text


def to_dot(root: Any, rankdir: str = "LR") -> str:
    """Graphviz DOT text of the graph, drawn as in the lecture's ``draw_dot``.

    Each Value is a record ``label | data | grad`` and each operation an oval
    of its own between its operands and its result. Pipe the text to ``dot
    -Tsvg`` to get a picture; nothing here needs graphviz installed.
    """
    order, ids = topological_index(root)
    return dot_text(
        [str(getattr(node, "label", "") or "") for node in order],
        [node.data for node in order],
        [node.grad for node in order],
        [str(node._op) for node in order],
        [tuple(ids[id(o)] for o in operands_of(node)) for node in order],
        rankdir,
    )


def dot_text(
    labels: Sequence[str],
    data: Sequence[float],
    grads: Sequence[float],
    ops: Sequence[str],
    operands: Sequence[tuple[int, ...]],
    rankdir: str = "LR",
) -> str:
    """``to_dot`` for a graph given as plain data, node by node in topological order
    (a recorded ``Trace`` has no live Values to walk)."""
    lines = ["digraph micrograd {", f"  rankdir={rankdir};"]
    for index, label in enumerate(labels):
        fields = " | ".join(
            _record_text(part)
            for part in (label, f"data {data[index]:.4f}", f"grad {grads[index]:.4f}")
        )
        lines.append(f'  n{index} [shape=record, label="{{ {fields} }}"];')
        if operands[index]:
            op = ops[index].replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'  n{index}_op [label="{op}"];')
            lines.append(f"  n{index}_op -> n{index};")
            lines.extend(f"  n{operand} -> n{index}_op;" for operand in operands[index])
    lines.append("}")
    return "\n".join(lines) + "\n"
