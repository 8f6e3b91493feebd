"""QuizGate: quiz mode's hold on the cursor.

In quiz mode a step the learner has not seen is shown only once they answer
it (or skip it); steps already shown can be revisited freely. The gate
remembers the furthest step shown and clamps every move to it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class QuizGate:
    """The furthest step shown so far, and the rule for moving past it."""

    revealed: int = 0

    def clamp(self, current: int, target: int, quiz: bool) -> int:
        """Where a move from ``current`` towards ``target`` may go: anywhere without quiz
        mode, else no further than the steps already shown."""
        if not quiz:
            return target
        return min(target, max(self.revealed, current))

    def asks(self, position: int, quiz: bool) -> bool:
        """Whether moving on from ``position`` needs an answer first."""
        return quiz and position >= self.revealed

    def reveal(self, position: int) -> None:
        """Steps up to ``position`` have been shown."""
        self.revealed = max(self.revealed, position)

    def restart(self, position: int) -> None:
        """Quiz mode was switched, or a new trace shown: what is on screen counts as shown."""
        self.revealed = position
