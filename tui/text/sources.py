"""Where a node was built, in words: ``line 20: x1w1 = x1 * w1``.

The transcript and the Markdown export cite each forward step's line so. A
node built inside a library (``micrograd.nn``'s neurons, ``micrograd.losses``)
is cited at the scenario's line that called into the library, and says so:
the learner's code has no line of its own for it.
"""

from __future__ import annotations

import os
from pathlib import Path

from tui.loading.sites import Site, Sources

CODE_WIDTH = 60
"""How much of a line's code the transcript quotes; a longer line ends in "…"."""


def where(site: Site, scenario: Path) -> str:
    """``line 13`` in the scenario's file, ``helpers.py line 4`` in another of its files
    (sites name files by their real path)."""
    if site.file == os.path.realpath(scenario):
        return f"line {site.line}"
    return f"{Path(site.file).name} line {site.line}"


def cited(sources: Sources | None, node: int, scenario: Path) -> str:
    """The node's line with its code, as the transcript puts it beside a forward step:
    ``line 13: z = x*y + x**2``, or ``line 24 (micrograd.nn): ys = [model(x) for x in xs]``;
    empty where the node has no site."""
    site = sources.site(node) if sources is not None else None
    if sources is None or site is None:
        return ""
    library = f" ({site.library})" if site.library else ""
    return f"{where(site, scenario)}{library}: {code_of(sources, site)}"


def code_of(sources: Sources, site: Site) -> str:
    """The site's line of code, stripped, and cut to ``CODE_WIDTH`` characters."""
    lines = sources.lines(site.file)
    code = lines[site.line - 1].strip() if 0 < site.line <= len(lines) else ""
    return code if len(code) <= CODE_WIDTH else code[: CODE_WIDTH - 1] + "…"
