"""SourceView: the scenario's code, with the line that built the current step's node marked.

As Python Tutor marks the line being run, the panel marks the line whose
expression made the node the step is about, and underlines the expression
itself (``x1 * w1`` of ``x1w1 = x1 * w1``): a mark and an underline, not only a
colour, so that it reads with ``NO_COLOR``. The title says where the node came
from; a node that ``micrograd.nn`` built is shown at the line that called the
library.
"""

from __future__ import annotations

from os.path import realpath
from pathlib import Path

from rich.cells import cell_len
from rich.segment import Segment
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip

from tui.loading.sites import Site, Sources
from tui.text.visible import visible
from tui.view.trace_view import TraceView
from tui.widgets.lines import LineView

MARK = "▶"
NO_SITE = "built by no line of the scenario's files"
"""A node of a learner's own Value class, or of code outside the scenario's folder."""
TAB = 4


class SourceView(LineView, can_focus=True):
    """The file a step's node was built in, scrolled to its line."""

    COMPONENT_CLASSES = {"source--gutter", "source--line", "source--expression"}

    DEFAULT_CSS = """
    SourceView { scrollbar-size-horizontal: 0; }
    SourceView > .source--gutter { color: $text-muted; }
    SourceView > .source--line { text-style: bold; background: $boost; }
    SourceView > .source--expression { text-style: bold underline; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: TraceView | None = None
        self.site: Site | None = None
        self._file = ""
        self._sources: Sources | None = None
        self._lines: list[str] = []
        self._gutter = 0

    def sync(self, view: TraceView) -> None:
        """Show the line of the current step's node, scrolling it into view."""
        self.view = view
        node = view.source_node()
        site = view.site(node)
        self.site = site
        file = site.file if site is not None else self._file or realpath(view.scenario.path)
        if file != self._file or view.sources is not self._sources:
            self._open(view, file)
        self._titles(view, node, site)
        if site is not None:
            self._show_line(site)
        self.refresh()

    def _open(self, view: TraceView, file: str) -> None:
        self._file, self._sources = file, view.sources
        lines = view.sources.lines(file) if view.sources is not None else []
        self._lines = [visible(line.expandtabs(TAB)) for line in lines]
        self._gutter = len(str(len(self._lines))) + 3  # "  12 ▶ "
        width = max((cell_len(line) for line in self._lines), default=0) + self._gutter
        self.virtual_size = Size(width, len(self._lines))

    def _titles(self, view: TraceView, node: int, site: Site | None) -> None:
        """The line on the top border (``mlp.py: line 24``), the node below: its name, and the
        library that built it for that line if one did."""
        name = view.names[node]
        if site is None:
            file = self._file.rsplit("/", 1)[-1] or "no source"
            title, subtitle = file, f"{name}: {NO_SITE}"
        else:
            title = f"{Path(site.file).name}: line {site.line}"
            subtitle = f"{name}, inside {site.library}" if site.library else name
        self.border_title = Content(visible(title))
        self.border_subtitle = Content(visible(subtitle))

    def on_resize(self) -> None:
        if self.site is not None:  # first shown: until now it had no size to scroll in
            self._show_line(self.site)

    def _show_line(self, site: Site) -> None:
        """Bring the line into view a third of the way down if it is out of view, and its
        expression into view across (the line numbers stay put)."""
        region = self.scrollable_content_region
        room = max(1, region.width - self._gutter)
        row, y = site.line - 1, int(self.scroll_y)
        if not y <= row < y + region.height:
            y = max(0, row - region.height // 3)
        start, end = self._span(site)
        x = int(self.scroll_x)
        if end <= room:
            x = 0
        elif start < x or end > x + room:
            x = start
        self.scroll_to(x=x, y=y, animate=False, force=True)

    def _span(self, site: Site) -> tuple[int, int]:
        """The cells of the site's expression within its line as shown."""
        sources = self.view.sources if self.view is not None else None
        raw = sources.lines(site.file) if sources is not None else []
        line = raw[site.line - 1] if 0 < site.line <= len(raw) else ""
        end = len(line) if site.end < 0 else site.end
        start = cell_len(visible(line[: site.start].expandtabs(TAB)))
        return start, cell_len(visible(line[:end].expandtabs(TAB)))

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width, self.base_style)
        site = self.site
        current = site is not None and site.file == self._file and site.line - 1 == index
        base = self.base_style
        if current:
            base += self.component_style("source--line")
        line = self._lines[index]
        if current and site is not None:
            start, stop = self._span(site)
            first, rest = _split(line, start)
            middle, last = _split(rest, stop - start)
            expression = base + self.component_style("source--expression")
            code = [Segment(first, base), Segment(middle, expression), Segment(last, base)]
        else:
            code = [Segment(line, base)]
        x = int(self.scroll_x)
        number = f"{index + 1:>{self._gutter - 3}} {MARK if current else ' '} "
        gutter = Segment(number, self.base_style + self.component_style("source--gutter"))
        shown = Strip(code).crop(x, x + max(0, width - self._gutter))
        return Strip([gutter, *shown]).crop(0, width).extend_cell_length(width, base)


def _split(text: str, cells: int) -> tuple[str, str]:
    """``text`` cut after ``cells`` cells (before a wide character that would straddle)."""
    taken = 0
    for at, character in enumerate(text):
        taken += cell_len(character)
        if taken > cells:
            return text[:at], text[at:]
    return text, ""
