"""A training scenario: its recorded iterations, and replaying one of them to step through.

The contract, for a scenario file: ``optimizer`` (micrograd.optim's SGD or
Adam, or anything with ``parameters``, ``lr``, ``step()`` and ``zero_grad()``)
and ``loss``, a function of no arguments that builds this iteration's loss
from the model's current parameters. ``model`` and the data are whatever
``loss()`` uses; ``iterations`` (default 20) says how many to run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from micrograd import Trace
from micrograd.training import Iteration

DEFAULT_ITERATIONS = 20
MAX_ITERATIONS = 10_000


class Runner(Protocol):
    """Runs the scenario's own code under the loader's limits (``Sandbox.run``)."""

    def run(self, code: Any, what: str) -> Any: ...


@dataclass
class Training:
    """A loaded training scenario: what each iteration did, and how to replay it."""

    runner: Runner
    build_loss: Callable[[], Any]
    optimizer: Any
    iterations: list[Iteration]

    @property
    def losses(self) -> list[float]:
        return [iteration.loss for iteration in self.iterations]

    def replay(self, index: int, forward: bool) -> Trace:
        """Iteration ``index`` recorded in full, its own code run under the loader's limits."""
        iteration = self.iterations[index]
        return self.runner.run(  # type: ignore[no-any-return]
            lambda: iteration.replay(self.build_loss, self.optimizer, forward),
            f"loss() for iteration {index + 1}",
        )
