"""A classic scalar engine in the design of Karpathy's micrograd: the baseline to beat.

Every op builds its result through ``__init__`` with a set of children and
sets a ``_backward`` closure that holds the op's calculus; ``backward()``
sorts the graph with a recursive depth-first walk and calls each node's
closure in reverse order. Written here from that design, so the engine
benchmark can measure ours against it in the same run; nothing imports it
but the benchmark.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence


class Value:
    """A scalar with a grad and a closure that pushes the grad to its children."""

    def __init__(self, data: float, _children: tuple[Value, ...] = (), _op: str = "") -> None:
        self.data = data
        self.grad = 0.0
        self._backward: Callable[[], None] = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward() -> None:
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def relu(self) -> Value:
        out = Value(0.0 if self.data < 0 else self.data, (self,), "ReLU")

        def _backward() -> None:
            self.grad += (out.data > 0) * out.grad

        out._backward = _backward
        return out

    def backward(self) -> None:
        topo: list[Value] = []
        visited: set[Value] = set()

        def build_topo(v: Value) -> None:
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()

    def __neg__(self) -> Value:
        return self * -1

    def __radd__(self, other: float) -> Value:
        return self + other

    def __rmul__(self, other: float) -> Value:
        return self * other


class Neuron:
    def __init__(self, nin: int, nonlin: bool, rng: random.Random) -> None:
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)
        self.nonlin = nonlin

    def __call__(self, x: Sequence[Value | float]) -> Value:
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self) -> list[Value]:
        return self.w + [self.b]


class Layer:
    def __init__(self, nin: int, nout: int, nonlin: bool, rng: random.Random) -> None:
        self.neurons = [Neuron(nin, nonlin, rng) for _ in range(nout)]

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        return [n(x) for n in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]


class MLP:
    """ReLU hidden layers and a linear last layer, as in the moons demo."""

    def __init__(self, nin: int, nouts: Sequence[int], seed: int) -> None:
        rng = random.Random(seed)
        sizes = [nin, *nouts]
        self.layers = [
            Layer(sizes[i], sizes[i + 1], i != len(nouts) - 1, rng) for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[float]) -> Value:
        out: Sequence[Value | float] = x
        for layer in self.layers:
            out = layer(out)
        return out[0]  # type: ignore[return-value]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]


def hinge_loss(
    model: MLP, xs: Sequence[Sequence[float]], ys: Sequence[float], alpha: float = 1e-4
) -> Value:
    """The moons demo's loss: mean of ``relu(1 - y·score)`` plus ``alpha`` times the L2 sum."""
    scores = [model(x) for x in xs]
    losses = [(1 + -y * score).relu() for y, score in zip(ys, scores)]
    data_loss = sum(losses, Value(0.0)) * (1.0 / len(losses))
    reg_loss = alpha * sum((p * p for p in model.parameters()), Value(0.0))
    return data_loss + reg_loss
