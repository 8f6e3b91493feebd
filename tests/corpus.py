"""The corpus of bad and odd scenario files, shared by the loader, command-line and app tests.

Every bad file must give one clear error naming the file (and the line, where
there is one); every odd file must load and leave the process as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tui.loading.scenario import DEFAULT_MAX_NODES

BAD = Path(__file__).parent / "bad_scenarios"
ODD = Path(__file__).parent / "odd_scenarios"

# (file in BAD, line of the error or None, what the message says)
BAD_CASES = [
    ("missing.py", None, "no such file"),
    (".", None, "is a folder"),
    ("binary.py", None, "is a binary file"),
    ("not_utf8.py", 2, "is not UTF-8 text"),
    ("empty.py", None, "is empty"),
    ("syntax_error.py", 4, "SyntaxError: '(' was never closed"),
    ("raises.py", 4, "NameError: name 'undefined_name' is not defined"),
    ("no_value.py", None, "defines no Value at module level"),
    ("only_comments.py", None, "defines no Value at module level"),
    ("several_roots.py", None, "several Values could be the root (a, b)"),
    ("root_is_list.py", None, "`root` is a list, not a Value"),
    ("build_returns_number.py", None, "build() returned a int, not a Value"),
    ("cycle.py", None, "the graph has a cycle"),
    ("exits.py", 6, "called sys.exit(3)"),
    ("interrupted.py", 4, "was interrupted (KeyboardInterrupt)"),
    ("reads_stdin.py", 3, "reads standard input"),
    ("endless.py", None, "ran longer than the 0.5 s limit"),
    ("too_big.py", None, "builds a graph of more than 100 nodes"),
    ("unknown_op.py", None, "has op 'sin' with 1 operand(s), which micrograd cannot"),
    ("too_large.py", None, "is more than a scenario's limit of 1 MB"),
    ("two_million_nodes.py", None, "builds a graph of more than 1,000,000 nodes"),
    ("thread_left_running.py", None, "started a thread that was still running when its time"),
    ("import_error.py", 1, "ModuleNotFoundError: No module named 'numpyy'"),
    ("recursion.py", 5, "RecursionError: maximum recursion depth exceeded"),
    ("root_is_number.py", None, "`root` is a float, not a Value"),
    ("build_raises.py", 6, "ZeroDivisionError: division by zero"),
    ("build_needs_arguments.py", 4, "build() must take no arguments, but it needs n"),
    ("out_of_memory.py", 4, "ran out of memory (MemoryError)"),
    ("calls_breakpoint.py", 4, "calls breakpoint(), and the debugger needs the terminal"),
    ("operand_not_a_value.py", None, "a node's _prev holds a float (3.0), not a Value"),
    ("prev_not_a_collection.py", None, "a node's _prev is not a tuple or set of Values"),
    ("value_of_a_string.py", 4, "TypeError: Value needs a real number, got str"),
    ("nested_too_deep.py", 4, "SyntaxError: too many nested parentheses"),
    # What only a process of its own survives: the worker ends, and the app says how.
    ("calls_os_exit.py", 7, "the scenario called os._exit(0)"),
    ("segfault.py", 7, "ended its process with SIGSEGV (segmentation fault)"),
    ("alarm.py", None, "ended its process with SIGALRM (alarm clock)"),
    ("timer_exits.py", None, "called os._exit(1)"),
    ("builtin_thread.py", None, "started a thread that was still running when its time"),
    ("starves_the_clock.py", None, "the scenario ran longer than the 0.5 s limit"),
    ("replaces_len.py", None, "the scenario ran longer than the 0.5 s limit"),
    ("slow_getattr.py", None, "the scenario ran longer than the 0.5 s limit"),
    ("backward_never_returns.py", None, "your _backward() calls ran longer than the 0.5 s"),
    ("getattr_raises.py", 7, "its code raised RuntimeError: no data here"),
    ("str_raises.py", 7, "its code raised ValueError: this label cannot be written"),
    ("prev_is_a_generator.py", None, "a node's _prev is a generator, not a tuple or set"),
    ("complex_data.py", None, "node x has data (1+2j), a complex, not a real number"),
    ("generator_exit.py", 5, "its code raised GeneratorExit"),
    ("forks.py", 10, "RuntimeError: the parent gives up; the child sleeps on"),
]

LIMITS = {"two_million_nodes.py": (120.0, DEFAULT_MAX_NODES)}
"""Time limit and node limit for a case; the rest run with half a second and 100 nodes,
so that the time and size limits are quick to reach."""
GENERATED = Path(tempfile.gettempdir()) / "micrograd-tui-corpus"


def limits(name: str) -> tuple[float, int]:
    return LIMITS.get(name, (0.5, 100))


def bad_path(name: str) -> Path:
    """Where the case's file is; a 10 MB file is written on first use, not committed."""
    if name != "too_large.py":
        return BAD / name
    path = GENERATED / name
    if not path.exists():
        GENERATED.mkdir(exist_ok=True)
        path.write_bytes((b"# " + b"x" * 97 + b"\n") * 100_000)  # 10 MB of comments
    return path


ODD_CASES = sorted(path.name for path in ODD.glob("*.py"))


def worker_processes(of: int | None = None) -> set[int]:
    """The process ids of the scenario workers still running that this process (or the
    process ``of``) started, directly or through a child: other test runs on the same
    machine have workers of their own."""
    parents: dict[int, int] = {}
    workers = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            parents[int(entry.name)] = int(
                (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
            )
        except (OSError, IndexError, ValueError):
            continue
        if b"tui.loading.worker" in command:
            workers.add(int(entry.name))
    ancestor = os.getpid() if of is None else of
    return {pid for pid in workers if _descends(pid, ancestor, parents)}


def _descends(pid: int, ancestor: int, parents: dict[int, int]) -> bool:
    while pid > 1:
        pid = parents.get(pid, 0)
        if pid == ancestor:
            return True
    return False
