"""``micrograd-tui --serve``: the app in web browsers, one private session per browser tab.

textual-serve starts a fresh ``micrograd-tui`` process for every browser that
connects and relays its screen over a websocket, so a class can follow along
without installing anything. The page is our own template, which loads only
what textual-serve ships: nothing is fetched from the internet.

``ClassServer`` makes that safe to run in front of a class: a websocket is
accepted only from the served page (its ``Origin`` and ``Host``), so another
web page the teacher opens cannot start or drive sessions; a terminal size
asked for is clamped; sessions are capped (``--max-sessions``), and a full
class gets a page that says so; a server reachable from the network wants
the token in its link; and stopping it ends every session at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import secrets
import shlex
import signal
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from tui.options import DEFAULT_MAX_SESSIONS

TEMPLATES = Path(__file__).resolve().parent / "web"
ANY_ADDRESS = ("0.0.0.0", "::", "")
LOOPBACK = ("127.0.0.1", "::1", "localhost")
MAX_WIDTH, MAX_HEIGHT = 500, 200
"""The largest terminal a session gets: a browser asking for 30000×30000 cells made one
session process take 4.7 GB."""
MAX_FONT_SIZE = 64
STOP_WITHIN = 1.5
"""Seconds the sessions get to quit when the server stops, before they are killed."""


def public_url(host: str, port: int) -> str:
    """The address browsers are sent to: this machine's name when serving on every
    interface (``0.0.0.0`` is not an address a browser can open)."""
    name = socket.getfqdn() if host in ANY_ADDRESS else host
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{port}"


def reachable_urls(host: str, port: int) -> list[str]:
    """The addresses students on the network can open: the machine's name and each of its
    own addresses (found without sending anything), for a server on every interface."""
    if host not in ANY_ADDRESS:
        return [public_url(host, port)]
    names = {socket.getfqdn(), socket.gethostname()}
    with contextlib.suppress(OSError):
        names |= {str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None)}
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # picks the outgoing interface; sends no packet
        names.add(probe.getsockname()[0])
    names -= set(LOOPBACK) | {"127.0.1.1"}
    return sorted(public_url(name, port) for name in names)


def app_command(path: Path | None, app_arguments: list[str]) -> str:
    """The command each browser session runs: this Python, this package, this scenario
    (none when following a teacher, who says which), in place of the shell textual-serve
    starts it with (so ending the session's process ends the app, not just the shell)."""
    scenario = [str(path.resolve())] if path is not None else []
    return "exec " + shlex.join([sys.executable, "-m", "tui", *scenario, *app_arguments])


def _bounded(value: object, default: int, limit: int) -> int:
    """A whole number a browser sent, between 1 and ``limit`` (``default`` if it is none)."""
    try:
        number = int(str(value))
    except ValueError:
        number = default
    return max(1, min(number, limit))


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size from a browser, as whole cells between 1 and the limit."""
    return _bounded(width, 80, MAX_WIDTH), _bounded(height, 24, MAX_HEIGHT)


def _origin(url: str) -> str:
    """``https://class.example`` of ``https://class.example/lesson``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Session(AppService):
    """One browser's app process, which the server can end at once."""

    async def kill(self, grace: float = 0.0) -> None:
        """Give the app's process ``grace`` seconds to end, then end it, and wait for it to
        be gone (its output closing is not its end: the app still ends its workers)."""
        process = self._process  # textual-serve keeps it; ending it is all we add
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(process.wait(), grace)
            return
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(process.wait(), STOP_WITHIN)


class ClassServer(Server):
    """textual-serve's server, made safe for a class (see the module's docstring)."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        title: str,
        public_url: str,
        given_url: str | None = None,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        token: str | None = None,
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            public_url=public_url,
            templates_path=TEMPLATES,
        )
        self.given_url = given_url
        """The address given with ``--public-url`` (a proxy in front), if any."""
        self.max_sessions = max_sessions
        self.token = token
        self.sessions: dict[web.WebSocketResponse, Session] = {}
        self.hosts = self._served_hosts()

    def _served_hosts(self) -> set[str]:
        """The ``Host`` headers a browser of this class sends: the public address, and the
        machine's own names and addresses where it listens."""
        hosts = {urlsplit(self.public_url).netloc}
        if self.given_url:
            hosts.add(urlsplit(self.given_url).netloc)
        names = [self.host] if self.host not in ANY_ADDRESS else []
        for url in [self.public_url, *reachable_urls(self.host, self.port)]:
            names.append(urlsplit(url).netloc.rsplit(":", 1)[0])
        if self.host in LOOPBACK or self.host in ANY_ADDRESS:
            names += ["localhost", "127.0.0.1", "[::1]"]
        for name in names:
            bracketed = f"[{name}]" if ":" in name and not name.startswith("[") else name
            hosts |= {bracketed, f"{bracketed}:{self.port}"}
        return hosts

    def _refusal(self, request: web.Request, websocket: bool) -> web.Response | None:
        """Why the request is refused, as a response; None to let it through."""
        host = request.headers.get("Host", "")
        if host not in self.hosts:
            return web.Response(status=421, text=f"This server does not serve {host!r}.\n")
        origins = {f"http://{host}"} | ({_origin(self.given_url)} if self.given_url else set())
        if websocket and request.headers.get("Origin") not in origins:
            return web.Response(status=403, text="Sessions start only from the served page.\n")
        given = request.query.get("token", "")
        if self.token and not hmac.compare_digest(given.encode(), self.token.encode()):
            return web.Response(
                status=403, text="This class needs its link with the token the teacher shared.\n"
            )
        if len(self.sessions) >= self.max_sessions:
            return aiohttp_jinja2.render_template(
                "full.html", request, {"limit": self.max_sessions}, status=503
            )
        return None

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, its addresses taken from the one the browser used (checked to be this
        server's), so that the session's websocket comes from the same origin."""
        refused = self._refusal(request, websocket=False)
        if refused is not None:
            return refused
        base = self.given_url or f"http://{request.headers['Host']}"
        websocket = "ws" + base.removeprefix("http") + "/ws"
        if self.token:
            websocket += f"?token={self.token}"
        context = {
            "font_size": _bounded(request.query.get("fontsize"), 16, MAX_FONT_SIZE),
            "app_websocket_url": websocket,
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(  # type: ignore[override]  # a refusal is a plain response
        self, request: web.Request
    ) -> web.StreamResponse:
        refused = self._refusal(request, websocket=True)
        if refused is not None:
            return refused
        websocket = web.WebSocketResponse(heartbeat=15)
        width, height = clamp_size(
            request.query.get("width", "80"), request.query.get("height", "24")
        )
        await websocket.prepare(request)

        async def close() -> None:
            await websocket.close()

        session = Session(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.download_manager,
        )
        self.sessions[websocket] = session
        try:
            await session.start(width, height)
            await self._relay(websocket, session)
        finally:
            try:
                await self._end(session)
            finally:
                self.sessions.pop(websocket, None)
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, session: Session) -> None:
        """Pass the browser's keys, sizes and focus to the session until the page closes."""
        async for message in websocket:
            try:
                envelope = message.json() if message.type == WSMsgType.TEXT else None
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await session.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await session.set_terminal_size(*clamp_size(data.get("width"), data.get("height")))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await session.blur()
            elif kind == "focus":
                await session.focus()

    async def _end(self, session: Session) -> None:
        """Ask the session to quit; kill it if it has not within ``STOP_WITHIN``, or if the
        server is stopping under us (the handler cancelled)."""
        try:
            await asyncio.wait_for(asyncio.shield(session.stop()), STOP_WITHIN)
        except asyncio.CancelledError:
            await asyncio.shield(session.kill())
            raise
        except (asyncio.TimeoutError, ConnectionError, RuntimeError):
            pass
        await session.kill(grace=STOP_WITHIN)

    async def on_startup(self, app: web.Application) -> None:
        link = f"?token={self.token}" if self.token else ""
        print(f"Serving {self.title} (press ctrl+c to stop). Open:", flush=True)
        for url in reachable_urls(self.host, self.port) or [self.public_url]:
            print(f"  {url}/{link}", flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every page's websocket, so each session ends now rather than when the
        browser gives up, and kill what has not quit in time."""
        sessions = list(self.sessions.items())
        for websocket, _ in sessions:
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"the class has ended")
        await asyncio.gather(*(self._end(session) for _, session in sessions))

    def serve(self, debug: bool = False) -> None:
        """Serve until ctrl+c or SIGTERM, then stop within about ``STOP_WITHIN`` seconds."""
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=None,
            shutdown_timeout=STOP_WITHIN,
        )


def serve(
    path: Path | None,
    host: str,
    port: int,
    url: str | None,
    app_arguments: list[str],
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    token: str | None = None,
) -> None:
    """Serve the app on ``path`` (or a follower of ``--follow``'s teacher, given in
    ``app_arguments``) until interrupted (ctrl+c); beyond this machine, only to browsers
    with the token (``token``, or one made up here)."""
    if host not in LOOPBACK and not token:
        token = secrets.token_urlsafe(9)
    if host not in LOOPBACK:
        print(
            f"Warning: serving on {host}: anyone who can reach this machine and has the "
            "link can open a session.",
            flush=True,
        )
    ClassServer(
        app_command(path, app_arguments),
        host=host,
        port=port,
        title=f"micrograd-tui · {path.name if path is not None else 'following the teacher'}",
        public_url=url or public_url(host, port),
        given_url=url,
        max_sessions=max_sessions,
        token=token,
    ).serve()
