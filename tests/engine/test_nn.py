"""micrograd.nn: Karpathy's MLP semantics, activations, seeds and labels."""

from __future__ import annotations

import random

import pytest

from micrograd import Value
from micrograd.nn import MLP, Layer, Neuron


def test_mlp_shape_and_parameter_count() -> None:
    model = MLP(3, [4, 4, 1])
    assert len(model.parameters()) == (3 + 1) * 4 + (4 + 1) * 4 + (4 + 1) * 1 == 41
    assert isinstance(model([1.0, 2.0, 3.0]), Value)
    assert len(MLP(2, [3, 2])([1.0, 2.0])) == 2  # type: ignore[arg-type]


def test_relu_hidden_layers_and_a_linear_last_layer_by_default() -> None:
    model = MLP(2, [3, 1])
    assert repr(model) == (
        "MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)], "
        "Layer of [LinearNeuron(3)]]"
    )
    out = model([1.0, -1.0])
    assert out._op == "+", "the last layer has no nonlinearity"


def test_tanh_activation_as_in_the_lecture() -> None:
    neuron = Neuron(2, activation="tanh")
    assert neuron([1.0, 2.0])._op == "tanh"
    assert repr(neuron) == "TanhNeuron(2)"
    with pytest.raises(ValueError, match="activation must be one of"):
        Neuron(2, activation="gelu")


def test_seed_makes_initialisation_reproducible_without_touching_global_random() -> None:
    random.seed(0)
    before = random.random()
    random.seed(0)
    a = [p.data for p in MLP(3, [4, 1], seed=42).parameters()]
    after = random.random()
    b = [p.data for p in MLP(3, [4, 1], seed=42).parameters()]
    assert a == b
    assert before == after
    assert a != [p.data for p in MLP(3, [4, 1], seed=43).parameters()]


def test_without_a_seed_it_draws_like_karpathys_micrograd() -> None:
    random.seed(1337)
    ours = [p.data for p in MLP(2, [16, 16, 1]).parameters()]
    random.seed(1337)
    expected = []
    for nin, nout in [(2, 16), (16, 16), (16, 1)]:
        for _ in range(nout):
            expected += [random.uniform(-1, 1) for _ in range(nin)] + [0.0]
    assert ours == expected


def test_parameters_are_labelled_by_place() -> None:
    labels = [p.label for p in MLP(2, [2, 1]).parameters()]
    assert labels[:3] == ["L0.n0.w0", "L0.n0.w1", "L0.n0.b"]
    assert labels[-1] == "L1.n0.b"


def test_zero_grad() -> None:
    layer = Layer(2, 2)
    out = sum(layer([1.0, 2.0]), Value(0.0))  # type: ignore[arg-type]
    out.backward()
    assert any(p.grad for p in layer.parameters())
    layer.zero_grad()
    assert all(p.grad == 0.0 for p in layer.parameters())
