"""Training as a sequence of iterations that can each be replayed step by step.

One iteration is: zero the grads, build the loss from the current parameters,
``backward()``, and let the optimizer move the parameters. ``train`` runs them
all once and keeps, per iteration, only the loss and every parameter's data
and grad (a few floats per parameter), so memory stays small however many
iterations there are. ``Iteration.replay`` puts the parameters back where they
were and records that iteration's full ``Trace``, forward phase, backward pass
and optimizer updates, when the learner wants to step through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from micrograd.optim import SGD
from micrograd.trace import Trace, Update


@dataclass(frozen=True, slots=True)
class Iteration:
    """What one training iteration did: its loss, and every parameter's data at the start,
    grad after the backward pass, and data after the optimizer's step."""

    loss: float
    start: tuple[float, ...]
    grads: tuple[float, ...]
    end: tuple[float, ...]

    def restore(self, parameters: list[Any]) -> None:
        """Put every parameter back to its data at the start of this iteration, grad 0."""
        for parameter, data in zip(parameters, self.start):
            parameter.data = data
            parameter.grad = 0.0

    def updates(self, optimizer: Any) -> list[Update]:
        """The optimizer's recorded move of every parameter, for ``Trace(updates=...)``."""
        lr, name = float(optimizer.lr), optimizer_name(optimizer)
        return [
            (parameter, lr, grad, before, after, name)
            for parameter, grad, before, after in zip(
                optimizer.parameters, self.grads, self.start, self.end
            )
        ]

    def replay(self, build_loss: Callable[[], Any], optimizer: Any, forward: bool = True) -> Trace:
        """This iteration's full trace: the parameters are set back to ``start``, the loss
        built again, and the recorded optimizer step appended as update steps.

        Replaying never calls ``optimizer.step()``, so an optimizer with state
        (momentum, Adam) is not disturbed; its recorded moves are exact.
        """
        self.restore(optimizer.parameters)
        return Trace(build_loss(), forward=forward, updates=self.updates(optimizer))


def optimizer_name(optimizer: Any) -> str:
    """``SGD`` for plain gradient descent, else what the optimizer is (``SGD with momentum
    0.9``, ``Adam``, or the class name of an optimizer from elsewhere)."""
    if isinstance(optimizer, SGD):
        return f"SGD with momentum {optimizer.momentum:g}" if optimizer.momentum else "SGD"
    return type(optimizer).__name__


def train(build_loss: Callable[[], Any], optimizer: Any, iterations: int) -> list[Iteration]:
    """Run ``iterations`` of zero_grad → loss → backward → step, recording each one."""
    record = []
    parameters = optimizer.parameters
    for _ in range(iterations):
        start = tuple(float(p.data) for p in parameters)
        optimizer.zero_grad()
        loss = build_loss()
        if not hasattr(loss, "backward"):
            raise TypeError(f"loss() returned a {type(loss).__name__}, not a Value")
        loss.backward()
        grads = tuple(float(p.grad) for p in parameters)
        optimizer.step()
        record.append(Iteration(float(loss.data), start, grads, tuple(p.data for p in parameters)))
    return record
