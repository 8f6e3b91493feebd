"""Reflowing a docstring's prose so a panel of any width can wrap it cleanly."""

from __future__ import annotations


def reflow(text: str) -> str:
    """Join the hard-wrapped lines of each paragraph and list item, keeping blank lines
    between paragraphs and a line per ``- `` item, so the widget does the wrapping."""
    paragraphs = []
    for block in text.strip().split("\n\n"):
        items: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            if not items or line.startswith(("- ", "* ")):
                items.append(line)
            else:
                items[-1] += " " + line
        paragraphs.append("\n".join(items))
    return "\n\n".join(paragraphs)


RESULT_SEPARATORS = ("    ", " = ")
"""Where a step's sentence turns from how to what: ``x.grad: 4.0 → 1.0`` after four
spaces, or a forward step's value after its last ``=``."""


def fit_line(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with ``…``, cut in the middle when it can be, so
    that a step's result (``x.grad: 4.0 → 1.0``, ``= -6.0``) stays in view."""
    if len(text) <= width:
        return text
    for least in (12, 1):  # a readable start if there is room for one, else any start
        for separator in RESULT_SEPARATORS:
            head, found, tail = text.rpartition(separator)
            room = width - len(found) - len(tail) - 1
            if found and room >= min(len(head), least):
                return head[:room] + "…" + found + tail
    return text[: max(0, width - 1)] + "…"
