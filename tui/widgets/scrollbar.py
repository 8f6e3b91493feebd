"""``LineScrollBarRender``: Textual's scroll bar, drawn straight to lines.

The graph scrolls on most steps of a big drawing, so its two scroll bars and the
step log's are drawn again on nearly every key. Textual's own renderer hands the
bar to Rich one cell at a time (a horizontal bar of 116 cells is 116 segments,
each styled and split again), which cost about a millisecond a bar. This one
draws the same cells with a style added once per run of equal cells, through
the ``ScrollBar.renderer`` hook that Textual provides for replacing the drawing.
"""

from __future__ import annotations

from itertools import groupby

from rich.color import Color
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.css.styles import RulesMap
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

DEFAULT_BACK, DEFAULT_BAR = Color.parse("#555555"), Color.parse("bright_magenta")


class LineScrollBarRender(ScrollBarRender, Visual):
    """Textual's scroll bar (the same glyphs, styles and mouse actions), as a ``Visual``."""

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        vertical = self.vertical
        length, thickness = (height or 0, width) if vertical else (width, height or 1)
        bar_style = self.style if isinstance(self.style, RichStyle) else RichStyle.parse(self.style)
        bar = self.render_bar(
            size=length,
            virtual_size=self.virtual_size,
            window_size=self.window_size,
            position=self.position,
            thickness=thickness,
            vertical=vertical,
            back_color=bar_style.bgcolor or DEFAULT_BACK,
            bar_color=bar_style.color or DEFAULT_BAR,
        )
        cells = bar.segments[:length]  # a horizontal bar repeats its row for each line
        styled = _Styled(style.rich_style)
        if vertical:
            return [Strip([styled(cell.text, cell.style)], thickness) for cell in cells]
        runs = [list(run) for _, run in groupby(cells, key=lambda cell: id(cell.style))]
        line = [styled("".join(cell.text for cell in run), run[0].style) for run in runs]
        return [Strip(line, length)] * thickness

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """A scroll bar is as thick as its parent makes it; the layout never asks."""
        return self.thickness

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.thickness


class _Styled:
    """Segments on ``base``, each distinct style added to it once (a bar has four)."""

    def __init__(self, base: RichStyle) -> None:
        self.base = base
        self.added: dict[int, RichStyle] = {}

    def __call__(self, text: str, style: RichStyle | None) -> Segment:
        if style is None:
            return Segment(text, self.base)
        if id(style) not in self.added:
            self.added[id(style)] = self.base + style
        return Segment(text, self.added[id(style)])
