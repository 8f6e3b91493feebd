"""What the app knows of a loaded scenario: plain data, sent by the worker process.

The scenario's graph, its module and its optimizer stay in the worker
(``tui.loading.worker``), where its code runs; the app, ``--print`` and
``--export`` read only this and the recorded ``Trace``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StaleData:
    """A node whose data, as the graph holds it, is not what its op gives from its operands'
    data: a leaf was changed after the graph was built (``a.data += h``)."""

    node: int
    held: float
    computed: float


@dataclass(frozen=True)
class Summary:
    """A loaded scenario as the app shows it: where it is, what it says, and what it did."""

    path: Path
    title: str
    notes: str
    output: str
    """What the scenario printed while it ran (capped)."""
    grads_were_reset: bool
    """Whether the graph came with non-zero grads, which the load set back to 0."""
    stale: StaleData | None = None
    """Set when the graph's data is not what its ops give: the pass is then recorded on
    the values the graph holds, without a forward phase."""
    losses: tuple[float, ...] | None = None
    """For a training scenario, each iteration's loss; None for any other."""
    editable: bool = True
    """Whether a leaf can be set by hand (e): not in a pass a notebook recorded once,
    whose live graph the notebook has kept."""
    functions: tuple[str, ...] = ()
    """For a PyTorch graph, each node's ``grad_fn`` (``TanhBackward0``; "" for a leaf),
    by node id; empty for a graph of micrograd's or of a learner's own Value class."""

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def is_training(self) -> bool:
        return self.losses is not None

    @property
    def iterations(self) -> int:
        """How many training iterations the scenario has (1 if it is not a training one)."""
        return len(self.losses) if self.losses is not None else 1
