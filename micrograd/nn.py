"""Neurons, layers and MLPs built from Values, with Karpathy's semantics.

``MLP(nin, nouts)`` uses ReLU on every layer but the last, which is linear,
exactly as in karpathy/micrograd; with no ``seed`` it draws from Python's
global ``random``, so ``random.seed(1337)`` reproduces his numbers. The
additions are a choice of activation (the lecture's tanh) and a ``seed`` for
initialisation that does not touch global state, plus labels such as
``L0.n1.w2`` so that every parameter, and every node a neuron builds
(``L0.n1.sum``, ``L0.n1.out``), can be found by name in the app.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from micrograd.engine import Value

ACTIVATIONS = ("relu", "tanh", "sigmoid")


def as_inputs(x: Sequence[Value | float]) -> list[Value]:
    """The inputs as Values, a number becoming a leaf named by its place (``x0``), made once
    so that every neuron of a layer reads the same leaf."""
    return [xi if isinstance(xi, Value) else Value(xi, label=f"x{i}") for i, xi in enumerate(x)]


def named(value: Value, label: str) -> Value:
    """Label a node the model built by its place (``L0.n2.w1x1``, the partial sum
    ``L0.n2.sum0``, the weighted sum ``L0.n2.sum``, the activation ``L0.n2.out``), so the
    app can name it; a model applied to several samples builds
    one such node per sample, and the app numbers them (``L0.n2.out[3]``)."""
    value.label = label
    return value


class Module:
    """Anything with parameters: it can list them and zero their grads."""

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        return []


class Neuron(Module):
    """``act(w · x + b)``, or just ``w · x + b`` when ``nonlin`` is False."""

    def __init__(
        self,
        nin: int,
        nonlin: bool = True,
        activation: str = "relu",
        rng: random.Random | None = None,
        name: str = "",
    ) -> None:
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {', '.join(ACTIVATIONS)}, not {activation!r}"
            )
        draw = (rng or random).uniform
        self.w = [Value(draw(-1, 1), label=f"{name}w{i}") for i in range(nin)]
        self.b = Value(0, label=f"{name}b")
        self.nonlin = nonlin
        self.activation = activation
        self.name = name

    def __call__(self, x: Sequence[Value | float]) -> Value:
        act = self.b  # b + w0·x0 + w1·x1 + …, added in this order, as Karpathy's sum() does
        for i, (wi, xi) in enumerate(zip(self.w, as_inputs(x))):
            partial = "sum" if i == len(self.w) - 1 else f"sum{i}"
            act = named(act + named(wi * xi, f"{self.name}w{i}x{i}"), self.name + partial)
        if not self.nonlin:
            return act
        return named(getattr(act, self.activation)(), f"{self.name}out")

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        kind = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}[self.activation]
        return f"{kind if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons that all read the same inputs."""

    def __init__(
        self,
        nin: int,
        nout: int,
        nonlin: bool = True,
        activation: str = "relu",
        rng: random.Random | None = None,
        name: str = "",
    ) -> None:
        self.neurons = [
            Neuron(nin, nonlin, activation, rng, name=f"{name}n{j}.") for j in range(nout)
        ]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        x = as_inputs(x)
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: hidden layers with ``activation``, a linear last layer."""

    def __init__(
        self, nin: int, nouts: Sequence[int], activation: str = "relu", seed: int | None = None
    ) -> None:
        rng = random.Random(seed) if seed is not None else None
        sizes = [nin, *nouts]
        self.layers = [
            Layer(sizes[i], sizes[i + 1], i != len(nouts) - 1, activation, rng, name=f"L{i}.")
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        out: Value | Sequence[Value | float] = as_inputs(x)
        for layer in self.layers:
            out = layer(out)  # type: ignore[arg-type]
        return out  # type: ignore[return-value]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
