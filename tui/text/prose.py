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
