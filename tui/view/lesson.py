"""What the learner has set up in a session, kept across reloads of the scenario.

A reload (by ``r`` or because the file changed) builds a new trace, but the
breakpoints, quiz mode and its score belong to the learner, not to the trace,
so the app keeps them here and hands them to each new debugger.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Score:
    """Quiz answers so far."""

    right: int = 0
    wrong: int = 0
    skipped: int = 0

    def record(self, verdict: str) -> None:
        """Count a verdict: ``right``, ``wrong`` or ``skipped``."""
        setattr(self, verdict, getattr(self, verdict) + 1)

    def __str__(self) -> str:
        return f"{self.right} right, {self.wrong} wrong, {self.skipped} skipped"

    def short(self) -> str:
        """For the header line, where space is short: ``3✓ 1✗ 2 skipped``."""
        return f"{self.right}✓ {self.wrong}✗ {self.skipped} skipped"


@dataclass
class Lesson:
    """The learner's choices: forward phase, quiz mode and score, breakpoints (by node)."""

    forward: bool = True
    quiz: bool = False
    quiz_forward: bool = True
    """Whether the quiz asks the forward phase's values too, or only the backward pass's:
    a forward ``tanh(0.8814)`` needs a calculator."""
    score: Score = field(default_factory=Score)
    breakpoints: set[tuple[str, int]] = field(default_factory=set)
    """Each node's name and which node of that name it is (only constants share one), so
    a breakpoint finds its node again after a reload."""
    collapsed: set[str] = field(default_factory=set)
    """The ``micrograd.nn`` neurons drawn collapsed, by place (``L0.n2``)."""
