"""``Value``: a scalar that remembers how it was computed, with Karpathy's micrograd API.

Code written for karpathy/micrograd runs unchanged. The differences are ones
a stepping debugger needs: ``_prev`` is an ordered tuple (``a + a`` records two
edges and steps come in the same order on every run), the topological sort is
iterative, and every op's calculus comes from one table (``micrograd.ops``)
and both ``backward()`` and ``backward_steps()`` push grads through the same
``accumulate``: one mechanism, two drivers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from numbers import Real
from typing import Union

from micrograd import ops
from micrograd.graph import topological_order
from micrograd.steps import Step, accumulate, backward_steps, local_gradients, start_pass

Operand = Union["Value", float, int]
_new_value = object.__new__


class Value:
    """A scalar node of a computation graph: its ``data``, its ``grad``, and how it was made."""

    __slots__ = ("data", "grad", "label", "_prev", "_op", "_rule")

    data: float
    grad: float
    label: str
    _prev: tuple[Value, ...]
    _op: str
    _rule: ops.Op | None

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
        self._rule = ops.lookup(_op, len(self._prev)) if self._prev else None

    @staticmethod
    def _lift(other: Operand) -> Value:
        return other if isinstance(other, Value) else Value(other)

    def _apply(self, op: ops.Op, other: Value | None = None) -> Value:
        # Filled in directly rather than through __init__: the operands are Values and
        # the op's forward gives a float, so its checks would only cost time (a
        # third of building a big graph). Unary and binary ops are spelled out: a
        # generator over the operands cost another tenth.
        out = _new_value(Value)
        if other is None:
            operands: tuple[Value, ...] = (self,)
            out.data = op.forward((self.data,))
        else:
            operands = (self, other)
            out.data = op.forward((self.data, other.data))
        out.grad = 0.0
        out.label = ""
        out._prev = operands
        out._op = op.name
        out._rule = op
        return out

    def __add__(self, other: Operand) -> Value:
        return self._apply(ops.ADD, self._lift(other))

    def __radd__(self, other: Operand) -> Value:
        return self._lift(other) + self

    def __sub__(self, other: Operand) -> Value:
        return self._apply(ops.SUB, self._lift(other))

    def __rsub__(self, other: Operand) -> Value:
        return self._lift(other) - self

    def __mul__(self, other: Operand) -> Value:
        return self._apply(ops.MUL, self._lift(other))

    def __rmul__(self, other: Operand) -> Value:
        return self._lift(other) * self

    def __truediv__(self, other: Operand) -> Value:
        return self._apply(ops.DIV, self._lift(other))

    def __rtruediv__(self, other: Operand) -> Value:
        return self._lift(other) / self

    def __neg__(self) -> Value:
        return self._apply(ops.NEG)

    def __pow__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return self._apply(ops.POW, other)
        if not isinstance(other, Real):
            return NotImplemented
        return self._apply(ops.power_by(float(other)))

    def __rpow__(self, other: Operand) -> Value:
        return self._lift(other) ** self

    def relu(self) -> Value:
        return self._apply(ops.RELU)

    def tanh(self) -> Value:
        return self._apply(ops.TANH)

    def sigmoid(self) -> Value:
        return self._apply(ops.SIGMOID)

    def exp(self) -> Value:
        return self._apply(ops.EXP)

    def log(self) -> Value:
        return self._apply(ops.LOG)

    def _backward(self) -> None:
        """Push this node's grad into its operands, as in Karpathy's per-node closure."""
        if self._prev:
            upstream = self.grad
            for operand, local in zip(self._prev, local_gradients(self)):
                accumulate(operand, local, upstream)

    def backward(self) -> None:
        """Fill in ``grad`` for every node this one depends on (d self / d node).

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
        return backward_steps(self)

    def topological_order(self) -> list[Value]:
        """This node and all it depends on, each after its operands."""
        return topological_order(self)

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"
