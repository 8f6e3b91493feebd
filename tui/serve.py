"""``micrograd-tui --serve``: the app in web browsers, one private session per browser tab.

textual-serve starts a fresh ``micrograd-tui`` process for every browser that
connects and relays its screen over a websocket, so a class can follow along
without installing anything. The page is our own template, which loads only
what textual-serve ships: nothing is fetched from the internet.
"""

from __future__ import annotations

import shlex
import socket
import sys
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "web"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
ANY_ADDRESS = ("0.0.0.0", "::", "")


def public_url(host: str, port: int) -> str:
    """The address browsers are sent to: this machine's name when serving on every
    interface (``0.0.0.0`` is not an address a browser can open)."""
    name = socket.getfqdn() if host in ANY_ADDRESS else host
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{port}"


def app_command(path: Path, app_arguments: list[str]) -> str:
    """The command each browser session runs: this Python, this package, this scenario."""
    return shlex.join([sys.executable, "-m", "tui", str(path.resolve()), *app_arguments])


def serve(path: Path, host: str, port: int, url: str | None, app_arguments: list[str]) -> None:
    """Serve the app on ``path`` until interrupted (ctrl+c)."""
    from textual_serve.server import Server

    server = Server(
        app_command(path, app_arguments),
        host=host,
        port=port,
        title=f"micrograd-tui · {path.name}",
        public_url=url or public_url(host, port),
        templates_path=TEMPLATES,
    )
    server.serve()
