"""What ``pip install .`` ships: every package, the stylesheet and the bundled scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_and_the_stylesheet_are_installed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for folder in ("micrograd", "tui")
        for init in (ROOT / folder).rglob("__init__.py")
    }
    assert on_disk | {"tui.scenarios"} == set(config["packages"])
    assert config["package-dir"]["tui.scenarios"] == "scenarios"
    assert "*.tcss" in config["package-data"]["tui"]
    assert list((ROOT / "tui").glob("*.tcss")), "the app's stylesheet lives beside app.py"
    assert "web/*.html" in config["package-data"]["tui"], "--serve's page is installed"
    assert (ROOT / "tui" / "web" / "app_index.html").is_file()
