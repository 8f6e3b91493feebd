"""The neurons of a ``micrograd.nn`` model in a graph, and the graph with some collapsed.

A neuron applied to one sample builds a dozen nodes (``L0.n2.w1x1``, the partial
sums, ``L0.n2.sum``, ``L0.n2.out``), and an MLP is a wall of them. Collapsed,
each application is drawn as one box, ``L0.n2[0] = tanh(Σwᵢxᵢ+b)``, standing
for its output node, with an edge from each of its inputs; its weights are
inside it, not drawn. The steps are the same steps: the box stands for every
node inside it, so a step inside a collapsed neuron lights the box, which
stays put.

Neurons are found by the labels ``micrograd.nn`` gives (``named``), so a
learner's own model, whose labels are their own, is drawn as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tui.text.naming import sample_of

_INSIDE = re.compile(r"^(L\d+\.n\d+)\.(?:w\d+x\d+|sum\d*|out)$")
_PARAMETER = re.compile(r"^(L\d+\.n\d+)\.(?:w\d+|b)$")
ACTIVATIONS = {"tanh": "tanh", "ReLU": "relu", "sigmoid": "σ"}


def is_inside_a_neuron(label: str) -> bool:
    """Whether ``micrograd.nn`` built the node so labelled inside a neuron."""
    return _INSIDE.match(label) is not None


@dataclass(frozen=True)
class Neuron:
    """One neuron applied to one sample: the nodes it built and what it reads."""

    name: str
    """The neuron's place, ``L0.n2``."""
    out: int
    """Its output: the activation, or the weighted sum of a linear neuron."""
    inside: frozenset[int]
    inputs: tuple[int, ...]
    """What it reads from outside, in the order of its weights: ``x0``… or the outputs of
    the layer before."""
    weights: tuple[int, ...]
    """Its parameters, w0… then b."""
    formula: str
    """``tanh(Σwᵢxᵢ+b)``; ``Σwᵢxᵢ+b`` for a linear neuron."""


def find_neurons(
    labels: Sequence[str], ops: Sequence[str], operands: Callable[[int], tuple[int, ...]]
) -> list[Neuron]:
    """Every application of a ``micrograd.nn`` neuron in the graph, by its output node:
    a node labelled as built inside a neuron that no node of the same neuron consumes
    (its ``out``, or a linear neuron's ``sum``)."""
    place = {i: match.group(1) for i, label in enumerate(labels) if (match := _INSIDE.match(label))}
    fed = {o for node, name in place.items() for o in operands(node) if place.get(o) == name}
    neurons = []
    for out in sorted(set(place) - fed):
        name = place[out]
        inside, weights, stack = {out}, [], [out]
        inputs: dict[int, int] = {}
        while stack:
            node = stack.pop()
            for operand in operands(node):
                if place.get(operand) == name:
                    if operand not in inside:
                        inside.add(operand)
                        stack.append(operand)
                elif (match := _PARAMETER.match(labels[operand])) and match.group(1) == name:
                    weights.append(operand)
                else:  # what w_i·x_i reads besides w_i: input i
                    inputs.setdefault(_product_index(labels[node]), operand)
        activation = ACTIVATIONS.get(ops[out])
        formula = f"{activation}({_WEIGHTED})" if activation else _WEIGHTED
        ordered = tuple(dict.fromkeys(inputs[i] for i in sorted(inputs)))
        neurons.append(
            Neuron(name, out, frozenset(inside), ordered, _in_order(weights, labels), formula)
        )
    return neurons


_WEIGHTED = "Σwᵢxᵢ+b"


def _in_order(weights: list[int], labels: Sequence[str]) -> tuple[int, ...]:
    """w0, w1, … then b."""
    return tuple(
        sorted(weights, key=lambda w: (labels[w].endswith(".b"), len(labels[w]), labels[w]))
    )


def _product_index(label: str) -> int:
    """The i of a neuron's ``w{i}x{i}`` (-1 for any other node of it)."""
    digits = label.rpartition(".w")[2].partition("x")[0]
    return int(digits) if digits.isdigit() else -1


def box_name(neuron: Neuron, out_name: str) -> str:
    """``L0.n2[3]`` for the neuron's application to sample 3 (from its output's name)."""
    return neuron.name + sample_of(out_name)


class Collapsed:
    """The graph as drawn with some neurons collapsed: which node stands for which, and
    the edges between what is drawn."""

    def __init__(self, neurons: list[Neuron], names: set[str]) -> None:
        self.boxes = {n.out: n for n in neurons if n.name in names}
        self._box_of = {node: n.out for n in self.boxes.values() for node in n.inside}
        self._weight_of: dict[int, list[int]] = {}
        for neuron in self.boxes.values():
            for weight in neuron.weights:
                self._weight_of.setdefault(weight, []).append(neuron.out)

    def shown(self, node: int, near: Sequence[int] = ()) -> int:
        """The node drawn for ``node``: the box it is inside, or for a weight of collapsed
        neurons, the box among ``near`` (the step's) that uses it, else the first."""
        box = self._box_of.get(node)
        if box is not None:
            return box
        boxes = self._weight_of.get(node)
        if boxes is None:
            return node
        return next((b for b in boxes if b in near), boxes[0])

    def shown_all(self, nodes: Sequence[int]) -> tuple[int, ...]:
        """``shown`` for each node, each drawn node once, where it last comes (the node a
        step changes comes last, and so does its box); a weight goes to the box that the
        other nodes go to, where one does."""
        near = [self._box_of.get(node, node) for node in nodes]
        shown = [self.shown(node, near) for node in reversed(nodes)]
        return tuple(reversed(dict.fromkeys(shown)))

    def is_hidden(self, node: int) -> bool:
        """Whether the node is inside a box, not drawn itself (a box's output is drawn as
        the box)."""
        return (node in self._box_of and node not in self.boxes) or node in self._weight_of

    def operands(self, node: int, operands: Callable[[int], tuple[int, ...]]) -> tuple[int, ...]:
        """What the drawn node reads: a box its inputs, another node its operands as drawn."""
        neuron = self.boxes.get(node)
        if neuron is not None:
            return neuron.inputs
        return tuple(self.shown(o) for o in operands(node))

    def consumers(self, node: int, consumers: Callable[[int], list[int]]) -> list[int]:
        """The drawn nodes that read it, each once."""
        return list(dict.fromkeys(self.shown(c) for c in consumers(node)))
