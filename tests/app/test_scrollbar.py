"""The panels' scroll bars draw exactly the cells Textual's own scroll bars draw."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region, Size
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

from tui.widgets.lines import LineView
from tui.widgets.scrollbar import LineScrollBarRender


class Panel(LineView):
    DEFAULT_CSS = "Panel { scrollbar-size: 2 1; }"

    def on_mount(self) -> None:
        self.virtual_size = Size(300, 90)

    def render_line(self, y: int) -> Strip:
        return Strip.blank(self.size.width, self.base_style)


class PanelApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Panel()


def cells(bar: ScrollBar, renderer: type[ScrollBarRender]) -> list[list[tuple[str, object]]]:
    bar.renderer = renderer  # type: ignore[misc]
    bar.refresh()
    lines = bar.render_lines(Region(0, 0, *bar.size))
    return [[(ch, segment.style) for segment in line for ch in segment.text] for line in lines]


async def test_the_scroll_bars_draw_what_textuals_own_would() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        panel = app.query_one(Panel)
        bars = [panel.vertical_scrollbar, panel.horizontal_scrollbar]
        assert all(bar.display and bar.renderer is LineScrollBarRender for bar in bars)
        for x, y in [(0, 0), (1, 1), (37, 13), (120, 40), (242, 70)]:
            panel.scroll_to(x, y, animate=False, immediate=True)
            for bar in bars:
                for state in ({}, {"mouse_over": True}, {"grabbed": bar.region.offset}):
                    bar.mouse_over, bar.grabbed = False, None
                    for name, value in state.items():
                        setattr(bar, name, value)
                    ours = cells(bar, LineScrollBarRender)
                    assert ours == cells(bar, ScrollBarRender), (x, y, bar.vertical, state)
                    assert len(ours) == bar.size.height
                    assert all(len(line) == bar.size.width for line in ours)
