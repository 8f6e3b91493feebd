"""LossCurve: a training scenario's loss over its iterations, as one line of bars.

The iteration on show is drawn in reverse video, so it stands out without
colour (NO_COLOR, a monochrome projector).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from tui.text.numbers import fmt

BARS = "▁▂▃▄▅▆▇█"


def bars(losses: Sequence[float], width: int) -> list[str]:
    """One bar per iteration (or per group of iterations, if they do not fit in ``width``),
    as high as the loss between the lowest and the highest; a non-finite loss is ``!``."""
    if width <= 0 or not losses:
        return []
    per_bar = max(1, math.ceil(len(losses) / width))
    groups = [losses[i : i + per_bar] for i in range(0, len(losses), per_bar)]
    values = [sum(group) / len(group) for group in groups]
    finite = [v for v in values if math.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 0.0)
    span = high - low
    out = []
    for value in values:
        if not math.isfinite(value):
            out.append("!")
        else:
            level = 0 if span == 0 else round((value - low) / span * (len(BARS) - 1))
            out.append(BARS[level])
    return out


class LossCurve(Static):
    """``loss █▄▂▁▁▁  iteration 3/20: 0.324  (from 0.7732 to 0.0004)``."""

    def show(self, losses: Sequence[float], current: int) -> None:
        self.losses = losses
        self.current = current
        self._draw()

    def on_resize(self) -> None:
        if getattr(self, "losses", None):
            self._draw()

    def _draw(self) -> None:
        losses, current = self.losses, self.current
        summary = (
            f"  iteration {current + 1}/{len(losses)}: {fmt(losses[current])}"
            f"  (from {fmt(losses[0])} to {fmt(losses[-1])})"
        )
        room = self.size.width - len("loss ") - len(summary) if self.size.width else len(losses)
        drawn = bars(losses, max(1, min(room, len(losses))))
        per_bar = max(1, math.ceil(len(losses) / max(1, len(drawn))))
        text = Text("loss ")
        for index, bar in enumerate(drawn):
            text.append(bar, style="reverse" if index == current // per_bar else "")
        text.append(summary)
        self.update(text)
