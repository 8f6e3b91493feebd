"""ScenarioError: what every way of failing to load a scenario comes back as."""

from __future__ import annotations

from pathlib import Path


class ScenarioError(Exception):
    """A scenario that cannot be shown, with where it went wrong and what to do about it."""

    def __init__(
        self, title: str, path: Path | str, message: str, hint: str, line: int | None = None
    ) -> None:
        self.title = title
        self.path = str(path)
        self.message = message
        self.hint = hint
        self.line = line
        super().__init__(self.one_line())

    def __reduce__(self) -> tuple[object, ...]:
        """Sent from the worker process field by field (an exception pickles its ``args``)."""
        return ScenarioError, (self.title, self.path, self.message, self.hint, self.line)

    @property
    def location(self) -> str:
        """``file`` or ``file:line``."""
        return f"{self.path}:{self.line}" if self.line else self.path

    def one_line(self) -> str:
        return f"{self.location}: {self.message}. {self.hint}"
