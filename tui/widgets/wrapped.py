"""WrappedLines: text wrapped to the panel's width, scrolled by keys, with a "more" mark.

New text on every step must not make Textual lay out the whole screen again,
as an auto-height ``Static`` does: so the panel wraps its text into lines
itself, its virtual height is constant and its scroll bar has no width (a
scroll bar coming and going is a layout too). Scrolling stops at the last
line, and a "more" mark on the bottom row says there is one below; focus the
panel (tab) and scroll with the arrow keys to read it.
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.strip import Strip

from tui.widgets.lines import LineView

VIRTUAL_HEIGHT = 10_000  # taller than any text shown, so the size never changes
MORE = "↓ more below"


class WrappedLines(LineView, can_focus=True):
    """Lines of styled text made by ``wrap_lines`` for the panel's width."""

    DEFAULT_CSS = "WrappedLines { scrollbar-size-vertical: 0; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[list[Segment]] = []

    def wrap_lines(self, width: int) -> list[list[Segment]]:
        """The lines to show at ``width`` cells; a subclass says what they are."""
        raise NotImplementedError

    def on_resize(self, event: events.Resize) -> None:
        self.rewrap()

    def rewrap(self) -> None:
        """Wrap the text again, for new text or a new width; before the panel has a width
        (new text on mounting), ``on_resize`` wraps it once the width is known."""
        width = self.scrollable_content_region.width or self.size.width
        if not width:
            return
        self._lines = self.wrap_lines(width)
        self.virtual_size = Size(width, VIRTUAL_HEIGHT)
        self.scroll_to(y=min(self.scroll_y, self.max_scroll_y), animate=False, force=True)
        self.refresh()

    @property
    def max_scroll_y(self) -> int:
        return max(0, len(self._lines) - self.scrollable_content_region.height)

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_y)
        if index >= len(self._lines):
            return Strip.blank(self.size.width, self.base_style)
        line = self._lines[index]
        if y == self.scrollable_content_region.height - 1 and index < len(self._lines) - 1:
            line = [Segment(MORE.rjust(self.size.width), self.base_style + Style(dim=True))]
        strip = Strip(Segment.apply_style(line, self.base_style))
        return strip.extend_cell_length(self.size.width, self.base_style)


def text_segments(text: Text, console: Console) -> list[Segment]:
    """One line of ``text`` as segments in its own style too: Rich's ``Text.render``
    leaves the text's style out when no span is styled (``Text("x", style="bold")``)."""
    return list(Segment.apply_style(text.render(console), console.get_style(text.style)))
