"""``LineView``: a scrolling panel that draws its own lines, in colours it works out once."""

from __future__ import annotations

from rich.style import Style
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar

from tui.widgets.scrollbar import LineScrollBarRender


class LineView(ScrollView):
    """A ``ScrollView`` whose ``render_line`` paints in ``base_style``, its own colours.

    Textual's ``rich_style`` walks every ancestor and blends their backgrounds
    each time it is read; read once for each line drawn, it was a third of the
    time a step spent drawing the graph, inspector and step log at 10^4 nodes.
    ``base_style`` keeps it until the styles of the panel or of an ancestor
    change (a theme, focus), which Textual announces with ``notify_style_update``.
    The same goes for the styles of the panel's components, which Textual works
    out again after every refresh. Its scroll bars are drawn by
    ``LineScrollBarRender``, since a panel that follows the step scrolls on most keys.
    """

    _base_style: Style | None = None
    _component_rich_styles: dict[str, Style] | None = None

    @property
    def base_style(self) -> Style:
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def component_style(self, name: str) -> Style:
        """The Rich style of the component class ``name``, kept like ``base_style``."""
        if self._component_rich_styles is None:
            self._component_rich_styles = {}
        if name not in self._component_rich_styles:
            self._component_rich_styles[name] = self.get_component_rich_style(name)
        return self._component_rich_styles[name]

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        return _drawn_in_lines(super().vertical_scrollbar)

    @property
    def horizontal_scrollbar(self) -> ScrollBar:
        return _drawn_in_lines(super().horizontal_scrollbar)

    def notify_style_update(self) -> None:
        self._base_style = None
        self._component_rich_styles = None
        super().notify_style_update()


def _drawn_in_lines(bar: ScrollBar) -> ScrollBar:
    # Textual's docs invite setting the renderer of one bar, though it is typed as a ClassVar.
    bar.renderer = LineScrollBarRender  # type: ignore[misc]
    return bar
