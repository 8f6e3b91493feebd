"""Optimizers that update ``p.data`` from ``p.grad``, with PyTorch's update rules."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable

from micrograd.engine import Value


class Optimizer(ABC):
    """Holds the parameters to update; ``zero_grad`` clears their grads before the next pass."""

    def __init__(self, parameters: Iterable[Value], lr: float) -> None:
        self.parameters = list(parameters)
        if not self.parameters:
            raise ValueError("the optimizer was given no parameters")
        if not lr > 0:
            raise ValueError(f"the learning rate must be positive, not {lr}")
        self.lr = lr

    def zero_grad(self) -> None:
        for p in self.parameters:
            p.grad = 0.0

    @abstractmethod
    def step(self) -> None:
        """Update every parameter's ``data`` from its ``grad``."""


class SGD(Optimizer):
    """Gradient descent, ``p.data -= lr · p.grad``, optionally with momentum.

    With momentum, a velocity ``v = momentum · v + grad`` replaces the grad
    (the first step starts from ``v = grad``), as ``torch.optim.SGD`` does.
    """

    def __init__(
        self, parameters: Iterable[Value], lr: float = 0.01, momentum: float = 0.0
    ) -> None:
        super().__init__(parameters, lr)
        self.momentum = momentum
        self._velocity: list[float] | None = None

    def step(self) -> None:
        grads = [p.grad for p in self.parameters]
        if self.momentum:
            if self._velocity is None:
                self._velocity = grads
            else:
                self._velocity = [self.momentum * v + g for v, g in zip(self._velocity, grads)]
            grads = self._velocity
        for p, g in zip(self.parameters, grads):
            p.data -= self.lr * g


class Adam(Optimizer):
    """Adam: per-parameter steps scaled by running averages of the grad and its square,
    with bias correction, as ``torch.optim.Adam`` computes them."""

    def __init__(
        self,
        parameters: Iterable[Value],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(parameters, lr)
        self.betas = betas
        self.eps = eps
        self._t = 0
        self._m = [0.0] * len(self.parameters)
        self._v = [0.0] * len(self.parameters)

    def step(self) -> None:
        beta1, beta2 = self.betas
        self._t += 1
        correction1 = 1 - beta1**self._t
        correction2 = 1 - beta2**self._t
        for i, p in enumerate(self.parameters):
            g = p.grad
            self._m[i] = beta1 * self._m[i] + (1 - beta1) * g
            self._v[i] = beta2 * self._v[i] + (1 - beta2) * g * g
            denominator = math.sqrt(self._v[i]) / math.sqrt(correction2) + self.eps
            p.data -= (self.lr / correction1) * self._m[i] / denominator
