"""The README's two set-up commands are the ones CI runs, so they cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPEN_THE_APP = " && .venv/bin/micrograd-tui scenarios/example.py"


def set_up_commands() -> list[str]:
    """The command blocks of the README's "Set up" section, in order."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def ci_lines() -> list[str]:
    return [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]


def test_the_readme_has_two_one_line_set_up_commands() -> None:
    commands = set_up_commands()
    assert len(commands) == 2 and all("\n" not in command for command in commands)
    assert commands[0].endswith(OPEN_THE_APP), "the first opens the bundled example"
    assert commands[1].endswith("python -m pytest"), "the second runs the tests"
    for command in commands:
        assert command.startswith("python3 -m venv .venv && "), "no system-wide pip install"


def test_ci_runs_the_first_command_up_to_opening_the_app_and_the_second_exactly() -> None:
    install, test = set_up_commands()
    assert install.removesuffix(OPEN_THE_APP) in ci_lines()
    assert test in ci_lines()
