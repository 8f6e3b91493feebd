"""``debug()`` in a notebook: the app in the cell's output, through the browser mode.

A notebook's kernel has no terminal, so ``debug()`` records the pass there
and then (with and without its forward phase), answers for it on a Unix
socket from a thread of the kernel, and starts ``--serve``'s server on a
loopback port, where each browser session is an app that asks that socket
instead of a worker of its own. The cell shows the page in an IFrame, and
the kernel goes on at once: the recordings are plain data, so a later cell
that changes the graph does not change what the page shows. An edit
(``e``) needs the live graph, so there it is refused with a note.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tui.loading.errors import ScenarioError
from tui.loading.protocol import Failed, Frames, Load, Rebuild, Recorded, send
from tui.loading.remote import AttachedProcess
from tui.loading.scenario import DEFAULT_MAX_NODES, DEFAULT_TIMEOUT
from tui.options import Options

LOOPBACK = "127.0.0.1"
STARTS_WITHIN = 20.0
"""Seconds the server may take to listen before the cell says it could not start."""

_serving: list[tuple[subprocess.Popen[bytes], int, socket.socket]] = []
"""The page being served: its server, the pipe that keeps it alive, the kernel's socket."""


def in_notebook() -> bool:
    """Whether this is a Jupyter kernel (which has no terminal to draw in)."""
    return "ipykernel" in sys.modules


def show(recordings: dict[bool, Recorded], path: Path) -> str:
    """Serve ``recordings`` (by whether they have a forward phase) to a browser page, show
    the page in the cell, and return its address. The page served before ends."""
    stop()
    folder = tempfile.mkdtemp(prefix="micrograd-tui-")  # this user's only
    address = os.path.join(folder, "graph.sock")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(address)
    listener.listen()
    threading.Thread(target=_sessions, args=(listener, recordings, path), daemon=True).start()
    port = _free_port()
    lifeline, kept = os.pipe()  # the server ends when the kernel does: the pipe closes
    command = [sys.executable, "-m", "tui.notebook", "serve", address, str(path), str(port)]
    server = subprocess.Popen(
        [*command, str(lifeline)],
        pass_fds=(lifeline,),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # interrupting the kernel leaves the page alone
    )
    os.close(lifeline)
    _serving.append((server, kept, listener))
    url = f"http://{LOOPBACK}:{port}/"
    if not _listening(port, server):
        stop()
        raise ScenarioError(
            "The page did not start", path, "the server for the page did not start", "Try again"
        )
    _display(url)
    return url


def stop() -> None:
    """End the page served last, if any."""
    while _serving:
        server, kept, listener = _serving.pop()
        os.close(kept)
        listener.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=5)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _listening(port: int, server: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + STARTS_WITHIN
    while time.monotonic() < deadline and server.poll() is None:
        with contextlib.suppress(OSError), socket.create_connection((LOOPBACK, port), 0.2):
            return True
        time.sleep(0.05)
    return False


def _display(url: str) -> None:
    """The page in the cell's output, where IPython can show one; its address anyway."""
    print(f"micrograd-tui: the debugger is at {url}")
    try:
        from IPython.display import IFrame, display  # type: ignore[import-not-found]
    except ImportError:
        return
    display(IFrame(url, width="100%", height=600))


def _sessions(listener: socket.socket, recordings: dict[bool, Recorded], path: Path) -> None:
    """Answer each browser session's app, one thread each, until the page ends."""
    while True:
        try:
            connection, _ = listener.accept()
        except OSError:  # closed: the page has ended
            return
        threading.Thread(target=_answer, args=(connection, recordings, path), daemon=True).start()


def _answer(connection: socket.socket, recordings: dict[bool, Recorded], path: Path) -> None:
    frames = Frames()
    with connection:
        while data := connection.recv(1 << 16):
            for request in frames.feed(data):
                send(connection.fileno(), _reply(request, recordings, path))


def _reply(request: object, recordings: dict[bool, Recorded], path: Path) -> object:
    if isinstance(request, (Load, Rebuild)) and getattr(request, "edit", None) is None:
        return recordings[request.forward]
    return Failed(
        ScenarioError(
            "No edits here",
            path,
            "a graph from a notebook is shown as it was when debug() ran",
            "Change it in the notebook and call debug() again",
        )
    )


def run_app(process: AttachedProcess, path: Path) -> int:
    """The app on a graph a program holds, which ``process`` asks for it."""
    from tui.app import MicrogradApp

    options = Options(watch=False, spare=False, attached=True)
    process.start(Load(str(path), DEFAULT_TIMEOUT, DEFAULT_MAX_NODES, options.forward))
    app = MicrogradApp(path, [], options, process)
    app.run()
    return app.return_code or 0


def _session(address: str, path: Path) -> int:
    """One browser session's app, asking the kernel's socket for the graph."""
    connection = socket.socket(socket.AF_UNIX)
    connection.connect(address)
    descriptor = connection.detach()
    quiet, closed = os.pipe()  # nothing is printed: the pass was recorded in the kernel
    os.close(closed)
    return run_app(AttachedProcess(descriptor, descriptor, quiet), path)


def _serve(address: str, path: Path, port: int, lifeline: int) -> int:
    """The page's server, on loopback only, until the kernel ends."""
    from tui.serve import ClassServer, public_url

    threading.Thread(target=_end_with_the_kernel, args=(lifeline,), daemon=True).start()
    session = [sys.executable, "-m", "tui.notebook", "session", address, str(path)]
    ClassServer(
        "exec " + shlex.join(session),
        host=LOOPBACK,
        port=port,
        title="micrograd-tui",
        public_url=public_url(LOOPBACK, port),
    ).serve()
    return 0


def _end_with_the_kernel(lifeline: int) -> None:
    while os.read(lifeline, 1):
        pass
    os.kill(os.getpid(), signal.SIGTERM)


def main(argv: list[str]) -> int:
    """``python -m tui.notebook serve SOCKET PATH PORT LIFELINE`` or ``session SOCKET PATH``."""
    if argv[1] == "serve":
        return _serve(argv[2], Path(argv[3]), int(argv[4]), int(argv[5]))
    return _session(argv[2], Path(argv[3]))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
