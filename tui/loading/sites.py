"""Where each node was built: the line of the scenario's own code that made it.

The source panel highlights that line, as Python Tutor highlights the line
being run, and the transcript and exports cite it. Sites are recorded in the
worker while the scenario's code runs, by wrapping the engine's two ways of
making a node (``Value.__init__`` for a leaf or a constant, ``new_value`` for
an op's result) in that process only: the engine knows nothing of it, so a
graph built anywhere else costs nothing more.

The site is the innermost frame in one of the scenario's own files (the
files in its folder): a node that ``micrograd.nn`` builds for ``model(x)``
is cited at the line that calls ``model(x)``, and the library it came
through is noted. A learner's own Value class is not wrapped: its nodes have
no site.
"""

from __future__ import annotations

import os
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

from micrograd import engine, speed
from tui.loading.scenario import MAX_SOURCE_BYTES

UNKNOWN = -1
_COLUMNS = 5  # file, line, first column, end column, library


@dataclass(frozen=True)
class Site:
    """One node's site: a line of a file (from 1), the characters of the expression on
    it (``end`` -1 when the expression goes on past the line) and the library the node
    was built in, if it was built in one (``micrograd.nn``), else ""."""

    file: str
    line: int
    start: int
    end: int
    library: str


@dataclass(frozen=True)
class Sources:
    """Each node's site, and the text of the files they are in, as plain data for the app.

    Kept as one array of integers (five per node) rather than an object per
    node: a 10^5-node graph's sites cost 2 MB, not 15.
    """

    files: tuple[tuple[str, str], ...]
    """Each file's path and its text as it was run."""
    libraries: tuple[str, ...]
    rows: array[int]
    _lines: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)
    """Each file's lines once split: the panel and the transcript ask on every step."""

    def site(self, node: int) -> Site | None:
        at = node * _COLUMNS
        if at >= len(self.rows) or self.rows[at] == UNKNOWN:
            return None
        file, line, start, end, library = self.rows[at : at + _COLUMNS]
        return Site(self.files[file][0], line, start, end, self.libraries[library])

    def lines(self, file: str) -> list[str]:
        """The file's lines as Python numbers them (empty for a file with no site)."""
        if file not in self._lines:
            texts = dict(self.files)  # joined with "\n"; str.splitlines also splits at \f
            self._lines[file] = texts[file].split("\n") if file in texts else []
        return self._lines[file]


_INTERNAL = {engine.__file__, speed.__file__, __file__}
"""The engine's own files: a node made there is made for its caller."""

_Row = tuple[str, int, int, int, str]
_NOWHERE: _Row = ("", UNKNOWN, UNKNOWN, UNKNOWN, "")


def _position(frame: FrameType) -> tuple[int, int, int]:
    """The line and the columns (bytes of UTF-8) of the expression the frame is running:
    ``end`` is -1 where it goes on past the line, and only the line is known before
    Python 3.11."""
    read = getattr(frame.f_code, "co_positions", None)
    if read is None:
        return frame.f_lineno, 0, UNKNOWN
    line, end_line, start, end = next(islice(read(), frame.f_lasti // 2, None))
    if line is None:
        return frame.f_lineno, 0, UNKNOWN
    if end_line != line or start is None or end is None:
        return line, start or 0, UNKNOWN
    return line, start, end


class SiteRecorder:
    """Notes where every ``micrograd.Value`` made from now on was built, in the files of
    the scenario's folder; ``install`` starts it for the life of the worker, which serves
    one file."""

    def __init__(self, scenario: Path) -> None:
        self.scenario = os.path.realpath(scenario)
        self.folder = os.path.dirname(self.scenario) + "/"
        self._made: dict[int, _Row] = {}
        self._roles: dict[CodeType, tuple[str | None, str]] = {}
        self._sites: dict[tuple[CodeType, int, str], _Row] = {}

    def install(self) -> None:
        made, site_of, getframe = self._made, self._site_of, sys._getframe
        build, init = speed.new_value, engine.Value.__init__

        def new_value(cls: type[Any], data: float, operands: tuple[Any, ...], op: Any) -> Any:
            value = build(cls, data, operands, op)
            made[id(value)] = site_of(getframe(1))
            return value

        def __init__(self: engine.Value, *args: Any, **kwargs: Any) -> None:
            init(self, *args, **kwargs)
            made[id(self)] = site_of(getframe(1))

        engine.new_value = new_value  # type: ignore[attr-defined]  # engine imported it
        engine.Value.__init__ = __init__  # type: ignore[method-assign]

    def _site_of(self, frame: FrameType | None) -> _Row:
        """The innermost of the scenario's lines among the frames from ``frame`` out, and the
        library in between; each code object is classified once, each line's site made
        once (a graph of 10^5 nodes is built by a few lines, over and over)."""
        library = ""
        roles = self._roles
        while frame is not None:
            code = frame.f_code
            role = roles.get(code) or self._role(frame)
            if role[0] is not None:
                key = (code, frame.f_lasti, library)
                site = self._sites.get(key)
                if site is None:
                    site = self._sites[key] = (role[0], *_position(frame), library)
                return site
            library = library or role[1]
            frame = frame.f_back
        return _NOWHERE

    def _role(self, frame: FrameType) -> tuple[str | None, str]:
        """For the frame's code: its file if it is one of the scenario's own; else the name
        of the library it belongs to ("" for the engine's own files, where every node is
        made)."""
        code = frame.f_code
        name = os.path.realpath(code.co_filename)
        if name.startswith(self.folder) and "/micrograd/" not in name[len(self.folder) - 1 :]:
            role: tuple[str | None, str] = (name, "")
        elif code.co_filename in _INTERNAL:
            role = (None, "")
        else:
            module = frame.f_globals.get("__name__")
            role = (None, module if isinstance(module, str) else "?")
        self._roles[code] = role
        return role

    def sources(self, nodes: Sequence[Any]) -> Sources:
        """The sites of ``nodes`` (a trace's, in its order), with their files' text: the
        scenario's first, shown even where no node has a site (a learner's own class)."""
        files = {self.scenario: 0}
        texts = [_text_of(self.scenario).splitlines()]
        libraries = {"": 0}
        rows: dict[_Row, tuple[int, ...]] = {_NOWHERE: (UNKNOWN,) * _COLUMNS}

        def row_of(site: _Row) -> tuple[int, ...]:
            file, line, start, end, library = site
            if file not in files:
                files[file] = len(files)
                texts.append(_text_of(file).splitlines())
            lines = texts[files[file]]
            text = lines[line - 1] if 0 < line <= len(lines) else b""
            library_index = libraries.setdefault(library, len(libraries))
            row = (files[file], line, _characters(text, start), _characters(text, end))
            return (*row, library_index)

        made = self._made
        sites = (made.get(id(node), _NOWHERE) for node in nodes)
        numbers = array("i")
        for site in sites:
            row = rows.get(site)
            if row is None:
                row = rows[site] = row_of(site)
            numbers.extend(row)
        named = tuple(
            (file, b"\n".join(lines).decode("utf-8", "replace"))
            for file, lines in zip(files, texts)
        )
        return Sources(named, tuple(libraries), numbers)


def _characters(line: bytes, offset: int) -> int:
    """A column as a count of characters: Python gives it in bytes of UTF-8."""
    if offset == UNKNOWN:
        return UNKNOWN
    return len(line[:offset].decode("utf-8", "replace"))


def _text_of(file: str) -> bytes:
    """The file as it is now (as it was run, unless it was saved since), capped like a
    scenario's source."""
    try:
        with open(file, "rb") as handle:
            return handle.read(MAX_SOURCE_BYTES)
    except OSError:
        return b""
