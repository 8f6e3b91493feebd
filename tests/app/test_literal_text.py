"""Text from a scenario or the file system is shown as it is: never read as markup, and
with its control characters made visible."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.app.test_teaching import debugger
from tui.app import MicrogradApp
from tui.options import Options
from tui.text.visible import visible

SCENARIO = '''"""Title with [bold]markup[/bold]"""
from micrograd import Value
a = Value(2.0, label="[red]a\\x07")
b = Value(-3.0, label="b")
c = a * b
c.label = "[b]c"
a.data += 0.5
'''


def test_control_characters_become_visible_and_the_rest_stays() -> None:
    assert visible("a\x07b\x1b[31m\r") == "a␇b␛[31m␍"
    assert visible("line\n\tindented") == "line\n\tindented"
    assert visible("\x7f\x85") == "␡\\x85"
    assert visible("[bold]é ∂ 🙂") == "[bold]é ∂ 🙂"


@pytest.mark.slow
async def test_labels_titles_and_paths_are_shown_literally(tmp_path: Path) -> None:
    path = tmp_path / "odd [red]name.py"
    path.write_text(SCENARIO)
    app = MicrogradApp(path, options=Options(watch=False))
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await debugger(pilot)
        status = str(screen.query_one("#status", Static).render())
        assert "Title with [bold]markup[/bold]" in status
        remark = str(screen.query_one("#check", Static).render())
        assert remark.startswith("⚠ [b]c holds -6.0 but its op gives -7.5")
        assert "[red]a␇" in screen.view.names
        loading = str(app.screen_stack[0].query_one("#loading-label").render())
        assert "odd [red]name.py" in loading
        await pilot.press("down", "b")
        await pilot.pause()
        shown = [str(n.message) for n in app._notifications]
        assert any("Breakpoint on [red]a␇" in message for message in shown), shown
