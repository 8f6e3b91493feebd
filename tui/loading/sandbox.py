"""Running a scenario's code: output captured, standard input closed, and every
failure turned into one ``ScenarioError``.

The scenario is a learner's file, run in the loader's worker process
(``tui.loading.worker``): the time limit, the memory limit and whatever
the code does to the process are the worker's business, and the app kills
the worker at the limit. What is here makes the common mistakes read well:
``input()``, ``breakpoint()``, ``sys.exit()``, a thread left running, a
forgotten ``__rmul__``.
"""

from __future__ import annotations

import io
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.loading.errors import ScenarioError

MAX_CAPTURED_CHARS = 1_000_000


class _StdinRead(BaseException):
    """Raised when the scenario reads standard input, so that it cannot hang waiting."""


class _BreakpointCalled(BaseException):
    """Raised when the scenario calls ``breakpoint()``: pdb would wait for a terminal."""


class _ThreadLeftRunning(BaseException):
    """Raised when a thread the scenario started is still running after it finished."""


def _no_breakpoint(*args: object, **kwargs: object) -> None:
    raise _BreakpointCalled


class _ClosedStdin(io.TextIOBase):
    def read(self, size: int | None = -1) -> str:
        raise _StdinRead

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        raise _StdinRead


class _CappedBuffer(io.TextIOBase):
    """Keeps what a scenario prints, up to a limit, so a chatty file cannot fill memory."""

    def __init__(self, limit: int) -> None:
        self._parts: list[str] = []
        self._room = limit
        self.dropped = 0

    def write(self, text: str) -> int:
        kept = text[: max(self._room, 0)]
        self._parts.append(kept)
        self._room -= len(kept)
        self.dropped += len(text) - len(kept)
        return len(text)

    def getvalue(self) -> str:
        text = "".join(self._parts)
        if self.dropped:
            text += f"\n[… {self.dropped:,} more characters of output not kept]\n"
        return text


def _threads_started_since(before: set[threading.Thread]) -> list[threading.Thread]:
    """The live threads started since ``before``: the worker runs nothing else, so they
    are the scenario's, whatever their target (a builtin such as ``time.sleep`` too)."""
    return [thread for thread in set(threading.enumerate()) - before if thread.is_alive()]


def _wait_for(threads: list[threading.Thread], deadline: float) -> None:
    """Wait until the deadline for the scenario's threads to finish: one still running
    could change the graph while it is recorded."""
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            raise _ThreadLeftRunning


def scenario_line(error: BaseException, path: str) -> int | None:
    """The line of the scenario file nearest to where ``error`` was raised."""
    return last_line_in(traceback.extract_tb(error.__traceback__), path)


def last_line_in(frames: traceback.StackSummary, path: str) -> int | None:
    """The innermost of ``frames`` in the scenario file at ``path``, by its line."""
    lines = [frame.lineno for frame in frames if frame.filename == path]
    return lines[-1] if lines else None


_REFLECTED = {"+": "__radd__", "*": "__rmul__", "-": "__rsub__", "/": "__rtruediv__"}


def _hint_for(error: Exception) -> str:
    """What to do about an error a scenario raised; a number on the left of a learner's
    Value (``2 * x``) needs the reflected method, the classic forgotten ``__rmul__``."""
    text = str(error)
    if isinstance(error, ModuleNotFoundError) and error.name == "torch":
        return "PyTorch is an extra: pip install 'micrograd-tui[torch]'"
    if isinstance(error, TypeError) and text.startswith("unsupported operand type(s) for "):
        symbol = text.removeprefix("unsupported operand type(s) for ").split(":")[0].strip()
        method = _REFLECTED.get(symbol)
        if method is not None and ("'int'" in text or "'float'" in text):
            return f"Give your Value class {method} so a number can come first, e.g. 2 {symbol} x"
    return "Fix the scenario, then load it again"


class Sandbox:
    """Runs a scenario's code with its output captured and stdin closed.

    ``announce`` is told what is about to run (``the scenario``, ``build()``,
    ``training``), so that whoever enforces the time limit can say what ran
    too long. Everything it changes in the process (standard streams, argv,
    sys.path, the working directory) is put back afterwards, since a
    training scenario's code runs again for each iteration replayed.
    """

    def __init__(
        self, path: Path, timeout: float, announce: Callable[[str], None] = lambda what: None
    ) -> None:
        self.path = path
        self.timeout = timeout
        self.announce = announce
        self.output = _CappedBuffer(MAX_CAPTURED_CHARS)
        self.namespace: dict[str, Any] = {"__name__": "__main__", "__file__": str(path)}

    def _run(self, code: Any) -> Any:
        saved = (sys.stdin, sys.stdout, sys.stderr, sys.argv, list(sys.path), os.getcwd())
        saved_hook, saved_limit = sys.breakpointhook, sys.getrecursionlimit()
        threads, folder = set(threading.enumerate()), self.path.parent.resolve()
        deadline = time.monotonic() + self.timeout
        sys.stdin = _ClosedStdin()
        sys.stdout = sys.stderr = self.output
        sys.argv = [str(self.path)]
        sys.path.insert(0, str(folder))
        sys.breakpointhook = _no_breakpoint
        try:
            if callable(code):
                result = code()
            else:
                exec(code, self.namespace)
                result = None
            _wait_for(_threads_started_since(threads), deadline)
            return result
        finally:
            sys.stdin, sys.stdout, sys.stderr, sys.argv, sys.path[:], cwd = saved
            sys.breakpointhook = saved_hook
            sys.setrecursionlimit(saved_limit)
            os.chdir(cwd)

    def run(self, code: Any, what: str) -> Any:
        """Run a code object or call a function, turning every failure into a ScenarioError."""
        path, where = self.path, str(self.path)
        self.announce(what)
        try:
            return self._run(code)
        except _BreakpointCalled as error:
            raise ScenarioError(
                "Calls breakpoint()",
                path,
                f"{what} calls breakpoint(), and the debugger needs the terminal",
                "Remove it: the app steps through the graph for you",
                scenario_line(error, where),
            ) from None
        except _ThreadLeftRunning:
            raise ScenarioError(
                "Thread left running",
                path,
                f"{what} started a thread that was still running when its time was up",
                "Let every thread finish (join it) before the scenario ends",
            ) from None
        except MemoryError as error:
            raise ScenarioError(
                "Out of memory",
                path,
                f"{what} ran out of memory (MemoryError)",
                "Build something smaller",
                scenario_line(error, where),
            ) from None
        except _StdinRead as error:
            raise ScenarioError(
                "Reads input",
                path,
                f"{what} reads standard input",
                "Scenarios cannot ask for input; set the values in the file",
                scenario_line(error, where),
            ) from None
        except SystemExit as error:
            raise ScenarioError(
                "Exited",
                path,
                f"{what} called sys.exit({error.code!r})",
                "Remove the exit so the graph can be shown",
                scenario_line(error, where),
            ) from None
        except KeyboardInterrupt as error:
            raise ScenarioError(
                "Interrupted",
                path,
                f"{what} was interrupted (KeyboardInterrupt)",
                "Run it again, or make it faster",
                scenario_line(error, where),
            ) from None
        except Exception as error:
            raise ScenarioError(
                "Scenario raised an error",
                path,
                f"{type(error).__name__}: {error}",
                _hint_for(error),
                scenario_line(error, where),
            ) from error
