"""Keys have one source, their ``Binding``s: the help screen and the README's table are
built from them, and every binding says what it does."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console
from textual.widgets import Static

from tests.app.test_app import loaded
from tui.app import MicrogradApp, key_bindings
from tui.screens.help import HelpScreen, key_rows

README = Path(__file__).resolve().parents[2] / "README.md"
HEADER = "| keys | what they do |"


def readme_rows(bindings_text: str) -> list[str]:
    """The README's key table, one line a row, without its header."""
    lines = bindings_text.splitlines()
    start = lines.index(HEADER) + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def table_line(keys: list[str], meaning: str) -> str:
    return f"| {' '.join(f'`{key}`' for key in keys)} | {meaning} |"


def test_every_key_has_an_id_and_says_what_it_does() -> None:
    ids = [binding.id for binding in key_bindings()]
    assert all(ids) and len(set(ids)) == len(ids)
    assert all(binding.tooltip for binding in key_bindings())


def test_the_readme_key_table_is_built_from_the_bindings() -> None:
    expected = [table_line(keys, meaning) for keys, meaning in key_rows(key_bindings())]
    actual = readme_rows(README.read_text())
    assert actual == expected, "README key table; it should read:\n" + "\n".join(expected)


def test_neighbouring_keys_that_do_the_same_share_a_row() -> None:
    rows = dict((meaning, keys) for keys, meaning in key_rows(key_bindings()))
    assert rows["quit"] == ["q", "ctrl+c"]
    assert rows["next step: compute one node's data, or apply one chain-rule step"] == [
        "→",
        "l",
        "n",
    ]


async def test_the_help_screen_lists_every_binding() -> None:
    app = MicrogradApp(Path("scenarios/example.py").resolve())
    async with app.run_test(size=(120, 60)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, record=True)
        console.print(app.screen.query(Static).first().content)
        text = re.sub(r" +", " ", console.export_text())
        for keys, meaning in key_rows(key_bindings()):
            assert f"{' '.join(keys)} {meaning}" in text, meaning
