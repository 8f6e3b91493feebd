"""The ``micrograd-tui`` command: open, print or export a scenario's backward pass.

Bad input never ends in a traceback: it is one line on stderr naming the file
and the problem, and exit status 2 (``--debug`` shows the traceback too).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import traceback
from pathlib import Path

from rich.console import Console

from micrograd import __version__, heap
from tui.loading import remote
from tui.loading.errors import ScenarioError
from tui.loading.protocol import Load
from tui.loading.remote import DEFAULT_MAX_MEMORY, WorkerProcess
from tui.loading.scenario import DEFAULT_MAX_NODES, DEFAULT_TIMEOUT, read_docstring, read_source
from tui.options import DEFAULT_HOST, DEFAULT_MAX_SESSIONS, DEFAULT_PORT, Options
from tui.text.export import FORMATS, export
from tui.text.naming import node_names
from tui.text.progress import TerminalProgress
from tui.text.sentences import stale_text
from tui.text.transcript import print_transcript
from tui.text.visible import visible

PROG = "micrograd-tui"
MB = 1024**2
BAD_INPUT = 2
INTERRUPTED = 130
"""The status a shell gives a command stopped by ctrl+c (128 + SIGINT)."""


def bundled_folder() -> Path:
    """Where the bundled scenarios are: inside the installed package, or beside ``tui/``."""
    spec = importlib.util.find_spec("tui.scenarios")
    if spec is not None and spec.origin is not None:
        return Path(spec.origin).parent
    return Path(__file__).resolve().parent.parent / "scenarios"


LESSONS = (
    *("example", "gates", "activations", "neuron", "shared_node", "softmax", "deep_chain"),
    *("mlp", "train_mlp", "moons", "own_value", "buggy_value", "torch_neuron"),
)
"""The bundled scenarios in the order a course takes them: one node's grad first, then
each op's rule, the lecture's neuron, shared nodes, deeper graphs, networks, training,
a learner's own Value class and the puzzle of a buggy one, and last the neuron in
PyTorch, where learners go next."""


def bundled_scenarios() -> list[Path]:
    """The bundled scenario files in lesson order (any others after them, by name)."""
    paths = sorted(p for p in bundled_folder().glob("*.py") if not p.name.startswith("_"))
    order = {name: i for i, name in enumerate(LESSONS)}
    return sorted(paths, key=lambda path: order.get(path.stem, len(order)))


def resolve(name: str) -> Path:
    """A path as given if it exists, else the bundled scenario of that name (``neuron``)."""
    path = Path(name)
    if path.exists():
        return path
    bundled = bundled_folder() / (name if name.endswith(".py") else f"{name}.py")
    if "/" not in name and os.sep not in name and bundled.is_file():
        return bundled
    return path


def _positive(kind: type[float] | type[int]):  # type: ignore[no-untyped-def]
    def parse(text: str) -> float | int:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
        return value

    return parse


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: use a number from 1 to 65535")
    return int(text)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Step forward and back through backpropagation, one chain-rule "
        "application at a time.",
        epilog="A scenario is a Python file that builds a graph with micrograd; "
        "a bundled one can be named without its path (e.g. 'neuron'). "
        "When standard output is not a terminal, the transcript is printed.",
    )
    p.add_argument("scenario", nargs="?", help="a scenario file, or the name of a bundled one")
    p.add_argument(
        "--print",
        action="store_true",
        dest="print_",
        help="print every step with its numbers, then every node's data and grad",
    )
    p.add_argument(
        "--export",
        choices=FORMATS,
        metavar="{json,md,dot}",
        help="write the whole trace as JSON, a Markdown transcript, or Graphviz DOT",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help="with --export: the file to write (default: standard output)",
    )
    p.add_argument(
        "--backward-only",
        action="store_true",
        help="leave out the forward phase: start at the seed of the backward pass",
    )
    p.add_argument(
        "--quiz",
        nargs="?",
        const="all",
        metavar="backward",
        help="open in quiz mode: answer each step's new value before it is shown "
        "('--quiz backward' asks only the backward pass's)",
    )
    p.add_argument(
        "--no-watch",
        action="store_true",
        help="do not reload the scenario when its file changes on disk",
    )
    p.add_argument(
        "--serve",
        action="store_true",
        help="serve the app to web browsers (each browser gets its own session)",
    )
    p.add_argument(
        "--host",
        default=None,
        metavar="ADDRESS",
        help=f"with --serve: the address to listen on (default {DEFAULT_HOST}, this machine "
        "only; 0.0.0.0 lets a class on the network connect)",
    )
    p.add_argument(
        "--port",
        type=_port,
        default=None,
        metavar="PORT",
        help=f"with --serve: the port to listen on (default {DEFAULT_PORT})",
    )
    p.add_argument(
        "--public-url",
        default=None,
        metavar="URL",
        help="with --serve: the address browsers use, if not http://HOST:PORT "
        "(e.g. behind a proxy)",
    )
    p.add_argument(
        "--max-sessions",
        type=_positive(int),
        default=None,
        metavar="N",
        help=f"with --serve: how many browser sessions may be open at once (default "
        f"{DEFAULT_MAX_SESSIONS}); the next browser is told the class is full",
    )
    p.add_argument(
        "--token",
        default=None,
        metavar="TOKEN",
        help="with --serve: a browser needs ?token=TOKEN in its link; off this machine "
        "(--host other than loopback) one is made up and printed if not given",
    )
    p.add_argument(
        "--teach",
        nargs="?",
        const="",
        default=None,
        metavar="ADDRESS",
        help="teach a class: students who run --follow see your step as you move "
        "(ADDRESS: a Unix socket, by default one of yours in the temporary folder, or "
        "HOST:PORT); the screen shows the command students run",
    )
    p.add_argument(
        "--follow",
        default=None,
        metavar="ADDRESS",
        help="follow the teacher at ADDRESS (from the teacher's screen): the same scenario "
        "file at the teacher's step; any move explores on your own, F follows again",
    )
    p.add_argument("--list", action="store_true", help="list the bundled scenarios and exit")
    p.add_argument(
        "--timeout",
        type=_positive(float),
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop a scenario that runs longer than this (default {DEFAULT_TIMEOUT:g})",
    )
    p.add_argument(
        "--max-nodes",
        type=_positive(int),
        default=DEFAULT_MAX_NODES,
        metavar="N",
        help=f"refuse graphs larger than this (default {DEFAULT_MAX_NODES:,})",
    )
    p.add_argument(
        "--max-memory",
        type=_positive(int),
        default=DEFAULT_MAX_MEMORY // MB,
        metavar="MB",
        help="stop a scenario whose process uses more memory than this "
        f"(default {DEFAULT_MAX_MEMORY // MB:,} MB)",
    )
    p.add_argument("--debug", action="store_true", help="show the traceback of an error too")
    p.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return p


def _list(console: Console) -> None:
    for number, path in enumerate(bundled_scenarios(), 1):
        title = visible(read_docstring(path)[0])
        console.print(f"{number:>2}. {path.stem:<12} {title}", soft_wrap=True, highlight=False)


def _write(text: str, output: Path | None) -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ScenarioError(
            "Cannot write",
            output,
            f"cannot be written ({error.strerror})",
            "Choose another file with -o",
        ) from None


def options_from(args: argparse.Namespace) -> Options:
    """The app's start-up options from the parsed command line."""
    return Options(
        timeout=args.timeout,
        max_nodes=args.max_nodes,
        max_memory=args.max_memory * MB,
        forward=not args.backward_only,
        quiz=args.quiz is not None,
        quiz_forward=args.quiz != "backward",
        watch=not args.no_watch,
        spare=not _driven_by_textual(),
        teach=args.teach,
        follow=args.follow,
    )


def _open_app(path: Path | None, args: argparse.Namespace) -> int:
    """Run the full-screen app; Textual is imported only here, so printing stays fast.

    The scenario's worker process starts first: it runs the scenario while
    this process imports Textual and draws the first frame.
    """
    options = options_from(args)
    started = None
    if path is not None:
        request = Load(str(path), options.timeout, options.max_nodes, options.forward)
        started = WorkerProcess(options.max_memory).start(request)

    from tui.app import MicrogradApp

    app = MicrogradApp(path, bundled_scenarios(), options, started)
    app.run()
    return app.return_code or 0


def _app_arguments(args: argparse.Namespace) -> list[str]:
    """The options a served session should start with, as command-line arguments."""
    chosen = {
        "--backward-only": args.backward_only,
        "--no-watch": args.no_watch,
    }
    arguments = [flag for flag, on in chosen.items() if on]
    if args.quiz is not None:
        arguments += ["--quiz"] if args.quiz == "all" else ["--quiz", args.quiz]
    if args.timeout != DEFAULT_TIMEOUT:
        arguments += ["--timeout", str(args.timeout)]
    if args.max_nodes != DEFAULT_MAX_NODES:
        arguments += ["--max-nodes", str(args.max_nodes)]
    if args.max_memory != DEFAULT_MAX_MEMORY // MB:
        arguments += ["--max-memory", str(args.max_memory)]
    if args.follow is not None:
        arguments += ["--follow", args.follow]
    return arguments


def _serve(args: argparse.Namespace) -> int:
    if args.scenario is None and args.follow is None:
        print(f"{PROG}: error: --serve needs a scenario file to serve", file=sys.stderr)
        return BAD_INPUT
    if args.print_ or args.export:
        print(f"{PROG}: error: --serve does not go with --print or --export", file=sys.stderr)
        return BAD_INPUT
    path = None
    if args.scenario is not None:
        path = resolve(args.scenario)
        read_source(path)
    host = args.host or DEFAULT_HOST
    port = args.port or DEFAULT_PORT
    sessions = args.max_sessions or DEFAULT_MAX_SESSIONS
    from tui.serve import serve  # aiohttp and its kin: a sixth of a second at every launch

    heap.launched()  # a server runs for a whole class: it wants its cycle collector back

    try:
        serve(path, host, port, args.public_url, _app_arguments(args), sessions, args.token)
    except OSError as error:
        print(
            f"{PROG}: error: cannot serve on {host}:{port} ({error.strerror or error}); "
            "choose another --port",
            file=sys.stderr,
        )
        return BAD_INPUT
    return 0


def _class_mistake(args: argparse.Namespace) -> str:
    """What is wrong with --teach or --follow as given, or ""."""
    if args.follow is not None and args.teach is not None:
        return "--teach and --follow do not go together"
    if args.follow is not None and args.scenario is not None:
        return "--follow opens the teacher's scenario: leave out the file"
    if (args.follow is not None or args.teach is not None) and (args.print_ or args.export):
        return "--teach and --follow do not go with --print or --export"
    if args.teach is not None and args.serve:
        return "--teach runs in your terminal; students can follow with --serve --follow"
    if args.teach is not None and args.scenario is None:
        return "--teach needs a scenario file to teach"
    return ""


def _driven_by_textual() -> bool:
    """Whether a Textual driver was chosen for us (textual-serve starts each browser
    session with one), so the app should open although stdout is not a terminal."""
    return "TEXTUAL_DRIVER" in os.environ


def run(args: argparse.Namespace, console: Console) -> int:
    if args.list:
        _list(console)
        return 0
    mistake = _class_mistake(args)
    if mistake:
        print(f"{PROG}: error: {mistake}", file=sys.stderr)
        return BAD_INPUT
    if args.follow is not None and not args.serve:
        return _open_app(None, args)
    if args.serve:
        return _serve(args)
    if args.host or args.port or args.public_url or args.max_sessions or args.token:
        print(
            f"{PROG}: error: --host, --port, --public-url, --max-sessions and --token go "
            "with --serve",
            file=sys.stderr,
        )
        return BAD_INPUT
    terminal = sys.stdout.isatty() or _driven_by_textual()
    interactive = not (args.print_ or args.export) and terminal
    if args.scenario is None and interactive:
        return _open_app(None, args)
    if args.scenario is None:
        parser().print_usage(sys.stderr)
        print(
            f"{PROG}: error: name a scenario file, or see the bundled ones with --list",
            file=sys.stderr,
        )
        return BAD_INPUT
    if args.output is not None and args.export is None:
        print(f"{PROG}: error: -o/--output goes with --export", file=sys.stderr)
        return BAD_INPUT
    if interactive:
        path = resolve(args.scenario)
        read_source(path)  # a missing or unreadable file is a one-line error, not a screen
        return _open_app(path, args)
    progress = TerminalProgress(sys.stderr)
    try:
        path = resolve(args.scenario)
        if args.output is not None and args.output.resolve() == path.resolve():
            raise ScenarioError(
                "Would overwrite the scenario",
                path,
                "is the scenario itself, and -o would replace its code with the export",
                "Write the export to another file",
            )
        recorded = remote.load(
            path,
            args.timeout,
            args.max_nodes,
            not args.backward_only,
            args.max_memory * MB,
            progress,
        )
        scenario, trace, check = recorded.summary, recorded.trace, recorded.check
        sources = recorded.sources
        assert scenario is not None
        if scenario.stale is not None:
            progress.finish()
            note = stale_text(scenario.stale, node_names(trace))
            print(f"{PROG}: note: {scenario.path}: {note}", file=sys.stderr)
        if scenario.output:
            progress.finish()
            _echo_output(scenario.output)
        if args.export and args.output is not None:  # the terminal is free for the line
            progress("writing", 0, 0)
            _write(export(scenario, trace, args.export, check, sources), args.output)
            return 0
    finally:
        progress.finish()
    if args.export:
        _write(export(scenario, trace, args.export, check, sources), args.output)
    else:
        print_transcript(scenario, trace, console, check, sources)
    return 0


def _echo_output(output: str) -> None:
    """What the scenario printed, on stderr: stdout holds only the transcript or export."""
    sys.stderr.write(visible(output) if sys.stderr.isatty() else output)
    if not output.endswith("\n"):
        sys.stderr.write("\n")


QUIZZES = ("all", "backward")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line. ``--quiz NAME`` with no scenario after it is ``--quiz`` and the
    scenario NAME, as it always was (``micrograd-tui --quiz neuron``)."""
    p = parser()
    args = p.parse_args(argv)
    if args.quiz not in (None, *QUIZZES):
        if args.scenario is not None:
            p.error(f"--quiz takes 'backward' or nothing, not {args.quiz!r}")
        args.scenario, args.quiz = args.quiz, "all"
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    console = Console(highlight=False)
    try:
        return run(args, console)
    except ScenarioError as error:
        if args.debug:
            traceback.print_exc()
        print(f"{PROG}: error: {error.one_line()}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:  # ctrl+c while a scenario loads or is written out
        print(f"{PROG}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python quiet at exit
        return 0
