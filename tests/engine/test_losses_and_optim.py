"""Losses against their formulas and PyTorch; optimizers against torch.optim."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from micrograd import Value
from micrograd.losses import accuracy, binary_cross_entropy, max_margin, mse
from micrograd.optim import SGD, Adam


def test_mse() -> None:
    preds = [Value(1.0), Value(2.0), Value(4.0)]
    loss = mse(preds, [1.0, 0.0, 1.0])
    assert loss.data == pytest.approx((0 + 4 + 9) / 3)
    loss.backward()
    assert [p.grad for p in preds] == pytest.approx([0.0, 4 / 3, 2.0])


def test_max_margin_with_l2() -> None:
    scores = [Value(0.5), Value(-2.0)]
    params = [Value(1.0), Value(-2.0)]
    loss = max_margin(scores, [1.0, 1.0], params, alpha=0.1)
    assert loss.data == pytest.approx((0.5 + 3.0) / 2 + 0.1 * 5)
    loss.backward()
    assert [s.grad for s in scores] == pytest.approx([-0.5, -0.5])
    assert [p.grad for p in params] == pytest.approx([0.2, -0.4])
    assert accuracy(scores, [1.0, 1.0]) == 0.5


def test_binary_cross_entropy() -> None:
    p = [Value(0.8), Value(0.3)]
    loss = binary_cross_entropy(p, [1.0, 0.0])
    assert loss.data == pytest.approx(-(math.log(0.8) + math.log(0.7)) / 2)
    loss.backward()
    assert [v.grad for v in p] == pytest.approx([-1 / 0.8 / 2, 1 / 0.7 / 2])
    assert math.isinf(binary_cross_entropy([Value(0.0)], [1.0]).data)


def test_losses_reject_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="2 predictions but 1 targets"):
        mse([Value(1.0), Value(2.0)], [1.0])
    with pytest.raises(ValueError, match="at least one"):
        mse([], [])


def run_optimizer(make: Callable[[list[Value]], Any], steps: int = 5) -> list[float]:
    params = [Value(1.5), Value(-0.5)]
    opt = make(params)
    for _ in range(steps):
        opt.zero_grad()
        loss = (params[0] * params[1] - 1.0) ** 2 + params[0] ** 2
        loss.backward()
        opt.step()
    return [p.data for p in params]


def run_torch_optimizer(make: Callable[[list[Any]], Any], steps: int = 5) -> list[float]:
    torch = pytest.importorskip("torch")
    params = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (1.5, -0.5)]
    opt = make(params)
    for _ in range(steps):
        opt.zero_grad()
        loss = (params[0] * params[1] - 1.0) ** 2 + params[0] ** 2
        loss.backward()
        opt.step()
    return [p.item() for p in params]


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_matches_torch(momentum: float) -> None:
    torch = pytest.importorskip("torch")
    ours = run_optimizer(lambda p: SGD(p, lr=0.1, momentum=momentum))
    theirs = run_torch_optimizer(lambda p: torch.optim.SGD(p, lr=0.1, momentum=momentum))
    assert ours == pytest.approx(theirs, rel=1e-12)


def test_adam_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    ours = run_optimizer(lambda p: Adam(p, lr=0.05), steps=20)
    theirs = run_torch_optimizer(lambda p: torch.optim.Adam(p, lr=0.05), steps=20)
    assert ours == pytest.approx(theirs, rel=1e-12)


def test_plain_sgd_step_is_lr_times_grad() -> None:
    w = Value(0.4810)
    w.grad = -1.2031
    SGD([w], lr=0.05).step()
    assert w.data == pytest.approx(0.4810 + 0.05 * 1.2031)


def test_optimizers_reject_bad_settings() -> None:
    with pytest.raises(ValueError, match="no parameters"):
        SGD([], lr=0.1)
    with pytest.raises(ValueError, match="learning rate must be positive"):
        Adam([Value(1.0)], lr=0.0)
