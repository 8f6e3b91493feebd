"""Autoplay: steps forward on a timer, at one of a few speeds."""

from __future__ import annotations

from collections.abc import Callable

from textual.timer import Timer
from textual.widget import Widget

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
"""Steps per second, from slowest to fastest."""


class Autoplay:
    """A timer on ``owner`` that calls ``step`` at the chosen speed while it runs."""

    def __init__(self, owner: Widget, step: Callable[[], None]) -> None:
        self._owner = owner
        self._step = step
        self._speed = 2
        self._timer: Timer | None = None

    @property
    def rate(self) -> float:
        """Steps per second."""
        return SPEEDS[self._speed]

    def run(self, playing: bool) -> None:
        """Start (again, at the current speed) or stop the timer."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if playing:
            self._timer = self._owner.set_interval(1 / self.rate, self._step)

    def change_speed(self, by: int) -> None:
        """Go ``by`` speeds faster (negative: slower), within the range; a running timer
        takes the new speed at once."""
        self._speed = max(0, min(self._speed + by, len(SPEEDS) - 1))
        if self._timer is not None:
            self.run(True)
