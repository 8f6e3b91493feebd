"""``Value``: a scalar that remembers how it was computed, and backpropagation through it.

Read this file top to bottom to follow ``c = a * b; c.backward()``: the op
table (each op's forward rule beside its local derivatives), ``Value``, whose
operators build nodes from that table, the topological order, and the chain
rule, ``a.grad += b.data * c.grad``, in ``Value._backward``.

Code written for Karpathy's micrograd runs unchanged. Where this differs from
his engine, a stepping debugger needs it: ``_prev`` is an ordered tuple (so
``a + a`` records two edges and steps come in the same order on every run),
the topological sort needs no recursion (a 100,000-node chain is fine), and
each op's calculus sits in one table rather than in a closure per node, so
``backward()`` and the stepped pass (``micrograd.steps``) read the very same
local derivatives.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from numbers import Real
from typing import TYPE_CHECKING, Any, Union

from micrograd import floats
from micrograd.speed import new_value

if TYPE_CHECKING:
    from micrograd.steps import Step


@dataclass(frozen=True, slots=True)
class Op:
    """One operation: its forward rule, and each operand's local derivative.

    ``forward(a, b)`` computes the output; ``local(a, b, out)`` returns
    (∂out/∂a, ∂out/∂b), given the output too because several derivatives
    are cheapest and most accurate written with it (tanh, sigmoid, exp).
    One-operand ops take ``(a)`` and ``(a, out)``. ``rules`` say the same
    derivatives in words, for the app to show.
    """

    name: str
    formula: str
    forward: Callable[..., float]
    local: Callable[..., tuple[float, ...]]
    rules: tuple[str, ...]

    def __repr__(self) -> str:
        return f"Op({self.name!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        """An op goes to another process as its name, and is found again in the table there."""
        return lookup, (self.name, len(self.rules))


# The op table. Each op: its name, its formula, the forward rule, the local derivatives
# (∂out/∂a, ∂out/∂b), and those derivatives in words.
# fmt: off
ADD = Op("+", "a + b", forward=lambda a, b: a + b,
         local=lambda a, b, out: (1.0, 1.0),
         rules=("∂(a+b)/∂a = 1", "∂(a+b)/∂b = 1"))
SUB = Op("-", "a - b", forward=lambda a, b: a - b,
         local=lambda a, b, out: (1.0, -1.0),
         rules=("∂(a-b)/∂a = 1", "∂(a-b)/∂b = -1"))
MUL = Op("*", "a·b", forward=lambda a, b: a * b,
         local=lambda a, b, out: (b, a),
         rules=("∂(a·b)/∂a = b", "∂(a·b)/∂b = a"))
DIV = Op("/", "a / b", forward=floats.divide,
         local=lambda a, b, out: (floats.divide(1.0, b), -floats.divide(out, b)),
         rules=("∂(a/b)/∂a = 1/b", "∂(a/b)/∂b = -a/b²"))
POW = Op("**", "a**b", forward=floats.power,
         local=lambda a, b, out: (  # where PyTorch gives exactly 0 rather than 0·inf = nan
             0.0 if b == 0.0 else b * floats.power(a, b - 1.0),
             0.0 if a == 0.0 and b >= 0.0 else out * floats.log(a)),
         rules=("∂(a**b)/∂a = b·a**(b-1) if b ≠ 0 else 0",
                "∂(a**b)/∂b = a**b·ln(a) if a ≠ 0 or b < 0 else 0"))
NEG = Op("neg", "-a", forward=lambda a: -a,
         local=lambda a, out: (-1.0,),
         rules=("∂(-a)/∂a = -1",))
EXP = Op("exp", "exp(a)", forward=floats.exp,
         local=lambda a, out: (out,),
         rules=("∂exp(a)/∂a = exp(a)",))
LOG = Op("log", "ln(a)", forward=floats.log,
         local=lambda a, out: (floats.divide(1.0, a),),
         rules=("∂ln(a)/∂a = 1/a",))
TANH = Op("tanh", "tanh(a)", forward=math.tanh,
          local=lambda a, out: (1.0 - out * out,),
          rules=("∂tanh(a)/∂a = 1 - tanh(a)²",))
SIGMOID = Op("sigmoid", "σ(a)", forward=floats.sigmoid,
             local=lambda a, out: (out * (1.0 - out),),
             rules=("∂σ(a)/∂a = σ(a)·(1 - σ(a))",))
RELU = Op("ReLU", "relu(a)", forward=lambda a: 0.0 if a < 0.0 else a,
          local=lambda a, out: (0.0 if out <= 0.0 else 1.0,),
          rules=("∂relu(a)/∂a = 0 if a ≤ 0 else 1",))
# fmt: on


@cache
def power_by(exponent: float) -> Op:
    """The op ``a ** n`` for a constant ``n``: the constant lives in the op, not in the graph."""
    n, m = floats.exponent_text(exponent), floats.exponent_text(exponent - 1.0)
    derivative = {0.0: "0", 1.0: "1", 2.0: "2·a"}.get(exponent, f"{n}·a**{m}")
    return Op(
        f"**{n}",
        f"a**{n}",
        lambda a: floats.power_by_constant(a, exponent),
        lambda a, out: (
            0.0 if exponent == 0.0 else exponent * floats.power_by_constant(a, exponent - 1.0),
        ),
        (f"∂(a**{n})/∂a = {derivative}",),
    )


class UnknownOpError(ValueError):
    """A node's op has no entry in the op table, so its local derivative is unknown."""


class GraphCycleError(ValueError):
    """A node is reachable from itself through ``_prev``, so no order of steps exists."""


Operand = Union["Value", float, int]


class Value:
    """A scalar node of a computation graph: its ``data``, its ``grad``, and how it was made."""

    __slots__ = ("data", "grad", "label", "_prev", "_op", "_rule")

    data: float
    grad: float
    label: str
    _prev: tuple[Value, ...]
    _op: str
    _rule: Op | None

    def __init__(
        self, data: float, _children: Iterable[Value] = (), _op: str = "", label: str = ""
    ) -> None:
        if isinstance(data, Value) or not isinstance(data, Real):
            raise TypeError(f"Value needs a real number, got {type(data).__name__}")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self._prev = tuple(_children)
        self._op = _op
        self._rule = lookup(_op, len(self._prev)) if self._prev else None

    def _apply(self, op: Op, other: Operand | None = None) -> Value:
        """The node ``op(self)`` or ``op(self, other)``, its data from the op's forward rule."""
        if other is None:
            return new_value(Value, op.forward(self.data), (self,), op)
        other = other if isinstance(other, Value) else Value(other)
        return new_value(Value, op.forward(self.data, other.data), (self, other), op)

    def __add__(self, other: Operand) -> Value:
        return self._apply(ADD, other)

    def __sub__(self, other: Operand) -> Value:
        return self._apply(SUB, other)

    def __mul__(self, other: Operand) -> Value:
        return self._apply(MUL, other)

    def __truediv__(self, other: Operand) -> Value:
        return self._apply(DIV, other)

    def __pow__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return self._apply(POW, other)
        if not isinstance(other, Real):
            return NotImplemented
        return self._apply(power_by(float(other)))

    def __neg__(self) -> Value:
        return self._apply(NEG)

    def exp(self) -> Value:
        return self._apply(EXP)

    def log(self) -> Value:
        return self._apply(LOG)

    def tanh(self) -> Value:
        return self._apply(TANH)

    def sigmoid(self) -> Value:
        return self._apply(SIGMOID)

    def relu(self) -> Value:
        return self._apply(RELU)

    def __radd__(self, other: float) -> Value:  # other + self
        return Value(other) + self

    def __rsub__(self, other: float) -> Value:  # other - self
        return Value(other) - self

    def __rmul__(self, other: float) -> Value:  # other * self
        return Value(other) * self

    def __rtruediv__(self, other: float) -> Value:  # other / self
        return Value(other) / self

    def __rpow__(self, other: float) -> Value:  # other ** self
        return Value(other) ** self

    def _backward(self) -> None:
        """The chain rule at this node: each operand's grad += its local derivative · self.grad.

        Karpathy's Value keeps this in a closure that each op makes; here the
        local derivatives come from the op's row of the table above.
        """
        if not self._prev:
            return
        if self._rule is None:
            raise UnknownOpError(f"no local derivative is known for op {self._op!r}")
        if len(self._prev) == 2:
            a, b = self._prev
            da, db = self._rule.local(a.data, b.data, self.data)
            a.grad += da * self.grad
            b.grad += db * self.grad
        else:
            (a,) = self._prev
            (da,) = self._rule.local(a.data, self.data)
            a.grad += da * self.grad

    def backward(self) -> None:
        """Fill in ``grad`` for every node this one depends on (∂self/∂node).

        A second call is well defined: leaf grads accumulate, as in PyTorch
        (call ``zero_grad`` between training steps), while intermediate nodes
        are reset first and so show the latest pass's grads.
        """
        order = topological_order(self)
        start_pass(self, order)
        for node in reversed(order):
            node._backward()

    def backward_steps(self) -> Iterator[Step]:
        """The backward pass one chain-rule application at a time; see ``micrograd.steps``."""
        from micrograd.steps import backward_steps

        return backward_steps(self)

    def topological_order(self) -> list[Value]:
        """This node and all it depends on, each after its operands."""
        return topological_order(self)

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, each after all of its operands, ``root`` last.

    The order of Karpathy's recursive ``build_topo`` (depth first, operands in
    ``_prev`` order), walked with a stack of its own so that a chain of
    100,000 nodes does not reach Python's recursion limit: each entry is a
    node and the iterator over the operands it has still to walk.
    """
    order: list[Value] = []
    done: set[Value] = set()
    on_path = {root}
    stack = [(root, iter(root._prev))]
    while stack:
        node, operands = stack[-1]
        for operand in operands:
            if operand in done:
                continue
            if operand in on_path:
                raise GraphCycleError(f"{operand!r} depends on itself through _prev")
            on_path.add(operand)
            stack.append((operand, iter(operand._prev)))
            break
        else:  # every operand is in the order: the node can follow them
            stack.pop()
            on_path.remove(node)
            done.add(node)
            order.append(node)
    return order


def start_pass(root: Any, order: Sequence[Any]) -> float:
    """Reset intermediate grads to 0.0 and seed ∂root/∂root = 1; return the root's old grad.

    Leaf grads are kept, so they accumulate across passes as in PyTorch.
    """
    for node in order:
        if node._prev:
            node.grad = 0.0
    before: float = root.grad
    root.grad = 1.0
    return before


_BY_NAME = {
    (op.name, len(op.rules)): op
    for op in (ADD, SUB, MUL, DIV, POW, NEG, EXP, LOG, TANH, SIGMOID, RELU)
}


def lookup(name: str, arity: int) -> Op | None:
    """The op a hand-built ``Value(data, children, name)`` means, or None if unknown.

    Lets code that builds nodes by hand, as the lecture does, still be
    stepped through; Karpathy's ``**n`` names carry their exponent.
    """
    op = _BY_NAME.get((name, arity))
    if op is None and arity == 1 and name.startswith("**"):
        try:
            op = power_by(float(name[2:]))
        except ValueError:
            return None
    return op
