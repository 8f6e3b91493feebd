"""``LineView``: a scrolling panel that draws its own lines, in colours it works out once."""

from __future__ import annotations

from rich.style import Style
from textual.scroll_view import ScrollView


class LineView(ScrollView):
    """A ``ScrollView`` whose ``render_line`` paints in ``base_style``, its own colours.

    Textual's ``rich_style`` walks every ancestor and blends their backgrounds
    each time it is read; read once for each line drawn, it was a third of the
    time a step spent drawing the graph, inspector and step log at 10^4 nodes.
    ``base_style`` keeps it until the styles of the panel or of an ancestor
    change (a theme, focus), which Textual announces with ``notify_style_update``.
    """

    _base_style: Style | None = None

    @property
    def base_style(self) -> Style:
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def notify_style_update(self) -> None:
        self._base_style = None
        super().notify_style_update()
