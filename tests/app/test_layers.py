"""The app's layers hold: screens ask the app by message, and the layers below the
widgets never import Textual (lint-imports checks the same in CI; this keeps the
fast loop honest too)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_CALLS_A_SCREEN_MAY_MAKE = {
    *("push_screen", "pop_screen", "notify", "clear_notifications", "exit", "bell", "console")
}
"""Textual's own App API; anything else on ``self.app`` is an untyped call into our app."""


def test_screens_and_widgets_call_nothing_of_our_app_but_post_messages() -> None:
    for path in [*ROOT.glob("tui/screens/*.py"), *ROOT.glob("tui/widgets/*.py")]:
        source = path.read_text()
        calls = set(re.findall(r"self\.app\.(\w+)", source))
        assert calls <= APP_CALLS_A_SCREEN_MAY_MAKE, f"{path.name} calls self.app.{calls}"
        assert "type: ignore[attr-defined]" not in source, path.name


def test_loading_text_and_view_import_no_textual() -> None:
    code = (
        "import sys, tui.loading.scenario, tui.text.transcript, tui.text.export, "
        "tui.view.trace_view, tui.view.availability, tui.view.quiz_gate; "
        "print('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "False", result.stderr
