"""Values and grads against PyTorch in float64, including where PyTorch gives inf or nan."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, cast

import pytest

from micrograd.engine import Value
from tests.conftest import BINARY, POINTS, UNARY, grads_of

torch = pytest.importorskip("torch")


def torch_grads(f: Callable[..., Any], args: list[float]) -> tuple[float, list[float]]:
    leaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in args]
    out = f(*leaves)
    out.backward()
    return out.item(), [leaf.grad.item() for leaf in leaves]


TORCH_UNARY = {
    "neg": lambda a: -a,
    "relu": lambda a: a.relu(),
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "exp": lambda a: a.exp(),
    "log": lambda a: a.log(),
    "square": lambda a: a**2,
    "cube": lambda a: a**3,
    "reciprocal": lambda a: a**-1,
    "sqrt": lambda a: a**0.5,
    "radd": lambda a: 3 + a,
    "rsub": lambda a: 3 - a,
    "rmul": lambda a: 3 * a,
    "rtruediv": lambda a: 3 / a,
    "rpow": lambda a: 2.5**a,
}


def same(ours: float, theirs: float) -> bool:
    """Equal within float64 round-off, with inf == inf and nan == nan."""
    if math.isnan(theirs) or math.isinf(theirs):
        return math.isnan(ours) if math.isnan(theirs) else ours == theirs
    return ours == pytest.approx(theirs, rel=1e-12, abs=1e-12)


# Ordinary points, plus the edges where results stop being finite.
EDGES = [0.0, -0.0, -1.0, 1e3, -1e3, 800.0, math.inf, -math.inf, math.nan]


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("x", POINTS + [-0.4] + EDGES)
def test_unary_ops_match_torch(name: str, x: float) -> None:
    ours = grads_of(UNARY[name][0], [x])
    theirs = torch_grads(TORCH_UNARY[name], [x])
    assert same(ours[0], theirs[0]), f"{name}({x}) = {ours[0]}, torch {theirs[0]}"
    assert same(ours[1][0], theirs[1][0]), f"d{name}({x}) = {ours[1][0]}, torch {theirs[1][0]}"


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("a", [0.3, 2.0, -1.5, 0.0, math.inf])
@pytest.mark.parametrize("b", [-1.7, 0.4, 2.0, 0.0, -0.0])
def test_binary_ops_match_torch(name: str, a: float, b: float) -> None:
    fn = BINARY[name][0]
    ours = grads_of(fn, [a, b])
    theirs = torch_grads(fn, [a, b])
    assert same(ours[0], theirs[0]), f"{name}({a}, {b}) = {ours[0]}, torch {theirs[0]}"
    for i in range(2):
        assert same(ours[1][i], theirs[1][i]), f"d{name}/d{'ab'[i]} at ({a}, {b})"


def karpathy_sanity(x: Any) -> Any:
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    return h + q + q * x


def karpathy_more_ops(a: Any, b: Any) -> Any:
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g


def test_karpathy_expressions_match_torch() -> None:
    ours = grads_of(karpathy_sanity, [-4.0])
    theirs = torch_grads(karpathy_sanity, [-4.0])
    assert ours == theirs
    ours = grads_of(karpathy_more_ops, [-4.0, 2.0])
    theirs = torch_grads(karpathy_more_ops, [-4.0, 2.0])
    assert same(ours[0], theirs[0])
    assert all(same(o, t) for o, t in zip(ours[1], theirs[1]))


def test_shared_nodes_match_torch() -> None:
    def shared(a: Any) -> Any:
        b = a + a
        return b * b + (b * a).tanh()

    ours = grads_of(shared, [0.37])
    theirs = torch_grads(shared, [0.37])
    assert same(ours[0], theirs[0]) and same(ours[1][0], theirs[1][0])


def test_mlp_matches_torch() -> None:
    from micrograd.nn import MLP

    model = MLP(3, [4, 4, 1], activation="tanh", seed=7)
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    loss = sum(((cast(Value, model(x)) - y) ** 2 for x, y in zip(xs, ys)), Value(0.0))
    loss.backward()

    params = [
        torch.tensor(p.data, dtype=torch.float64, requires_grad=True) for p in model.parameters()
    ]
    it = iter(params)
    layers = [
        [([next(it) for _ in range(len(n.w))], next(it)) for n in layer.neurons]
        for layer in model.layers
    ]
    total = torch.tensor(0.0, dtype=torch.float64)
    for x, y in zip(xs, ys):
        act = [torch.tensor(v, dtype=torch.float64) for v in x]
        for depth, layer in enumerate(layers):
            outs = []
            for w, b in layer:
                s = b
                for wi, xi in zip(w, act):
                    s = s + wi * xi
                outs.append(s.tanh() if depth < len(layers) - 1 else s)
            act = outs
        total = total + (act[0] - y) ** 2
    total.backward()
    assert same(loss.data, total.item())
    for ours, theirs in zip(model.parameters(), params):
        assert same(ours.grad, theirs.grad.item())
