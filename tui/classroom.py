"""Follow the teacher: the teacher's app says where it is, and followers' apps go there.

The teacher runs ``micrograd-tui lesson.py --teach`` and students run
``micrograd-tui --follow ADDRESS`` (in their SSH session on the same server,
or as the command ``--serve`` gives each browser). The address is a Unix
socket, for a class on one server, or ``HOST:PORT``.

The messages are lines of JSON, each ``{"schema", "version", "kind", ...}``:
``hello`` when a follower connects (the scenario's path and a digest of its
text: followers open the same file, and refuse one that differs), then
``state`` whenever the teacher moves (the whole position, not a change, so a
follower that falls behind skips to the latest and loses nothing). Each
follower has a sender of its own that only ever sends the latest state, so
a slow one never holds up the others. A follower whose teacher goes away
keeps its last step and connects again when the teacher is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import hashlib
import json
import stat
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

SCHEMA = "micrograd-tui/class"
VERSION = 1
RECONNECT_EVERY = 1.0  # seconds between a follower's tries while the teacher is away
MAX_LINE = 1 << 20  # a state is a few hundred bytes; anything this long is not ours


class ClassError(Exception):
    """The link to the teacher cannot be made or understood; says why in one line."""


@dataclass(frozen=True)
class Hello:
    """What a follower is told first: which file the class is on."""

    scenario: str
    digest: str


@dataclass(frozen=True)
class ClassState:
    """Where the teacher is: the step, the part of the lesson, and what is on screen."""

    position: int = 0
    iteration: int = 0
    forward: bool = True
    pinned: tuple[str, int] | None = None
    """The inspected node's identity (name, and which of that name), if one is pinned."""
    outline: bool = False
    zoomed: bool = False
    source: bool = False
    collapsed: tuple[str, ...] = field(default_factory=tuple)
    edits: tuple[tuple[str, int, float], ...] = field(default_factory=tuple)
    """The leaves the teacher set by hand since the file was loaded, in order: each
    node's identity and its new data."""


def default_address() -> str:
    """A Unix socket for this user's class, in the temporary folder every account on the
    server can reach (one per teacher on a shared server)."""
    return str(Path(tempfile.gettempdir()) / f"micrograd-tui-{getpass.getuser()}.sock")


def digest_of(path: Path) -> str:
    """The file's text, as a short digest: a follower's copy must be the same."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def encode(kind: str, body: Hello | ClassState) -> bytes:
    message = {"schema": SCHEMA, "version": VERSION, "kind": kind, **asdict(body)}
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


def decode(line: bytes) -> Hello | ClassState:
    """A message from the teacher; a ``ClassError`` for anything else."""
    try:
        message = json.loads(line)
    except ValueError:
        raise ClassError("the teacher's address answered with something that is not ours") from None
    if not isinstance(message, dict) or message.get("schema") != SCHEMA:
        raise ClassError("the teacher's address answered with something that is not ours")
    if message.get("version") != VERSION:
        raise ClassError(
            f"the teacher's micrograd-tui speaks version {message.get('version')} of the "
            f"class messages and this one {VERSION}: install the same version"
        )
    kind = message.pop("kind", None)
    for key in ("schema", "version"):
        message.pop(key)
    try:
        if kind == "hello":
            return Hello(**message)
        if kind == "state":
            pinned = message.get("pinned")
            message["pinned"] = tuple(pinned) if pinned is not None else None
            message["collapsed"] = tuple(message.get("collapsed", ()))
            message["edits"] = tuple(tuple(edit) for edit in message.get("edits", ()))
            return ClassState(**message)
    except TypeError:
        pass
    raise ClassError(f"the teacher sent a message this version cannot read ({kind!r})")


def _is_unix(address: str) -> bool:
    return "/" in address or address.endswith(".sock")


def _host_port(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ClassError(f"{address!r} is not a socket path or HOST:PORT")
    return host.strip("[]"), int(port)


class Teacher:
    """The teacher's end: a server that tells each follower the latest state."""

    def __init__(self, address: str, hello: Hello) -> None:
        self.address = address
        self.hello = hello
        self.state = ClassState()
        self._server: asyncio.AbstractServer | None = None
        self._wakers: set[asyncio.Event] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self.on_followers: Callable[[int], None] | None = None
        """Told how many followers there are whenever one comes or goes."""

    @property
    def followers(self) -> int:
        return len(self._wakers)

    async def start(self) -> None:
        """Listen at the address (a stale socket file of an earlier class is replaced)."""
        try:
            if _is_unix(self.address):
                path = Path(self.address)
                if path.exists() and stat.S_ISSOCK(path.stat().st_mode):
                    path.unlink()
                self._server = await asyncio.start_unix_server(self._serve, path)
                path.chmod(0o777)  # students' accounts on the same server connect too
            else:
                host, port = _host_port(self.address)
                self._server = await asyncio.start_server(self._serve, host, port)
        except OSError as error:
            reason = error.strerror or error
            raise ClassError(f"cannot teach at {self.address} ({reason})") from None

    def publish(self, state: ClassState) -> None:
        """Make ``state`` the one followers are told (each gets the latest, once)."""
        if state != self.state:
            self.state = state
            for waker in self._wakers:
                waker.set()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        waker = asyncio.Event()
        self._wakers.add(waker)
        self._writers.add(writer)
        self._counted()
        left = asyncio.ensure_future(reader.read())  # a follower sends nothing: this is its end
        try:
            writer.write(encode("hello", self.hello))
            while not left.done():
                writer.write(encode("state", self.state))
                await writer.drain()
                woken = asyncio.ensure_future(waker.wait())
                await asyncio.wait({woken, left}, return_when=asyncio.FIRST_COMPLETED)
                woken.cancel()
                waker.clear()
        except (ConnectionError, OSError):
            pass
        except asyncio.CancelledError:  # the app is ending: a quiet end, not an error logged
            pass
        finally:
            left.cancel()
            self._wakers.discard(waker)
            self._writers.discard(writer)
            self._counted()
            writer.close()

    def _counted(self) -> None:
        if self.on_followers is not None:
            self.on_followers(len(self._wakers))

    def stop(self) -> None:
        """Stop listening and hang up on every follower: they see the teacher go, keep
        their last step, and try again until a teacher is back."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        if _is_unix(self.address):
            with contextlib.suppress(OSError):
                Path(self.address).unlink()


async def follow(
    address: str,
    heard: Callable[[Hello | ClassState], Awaitable[None] | None],
    status: Callable[[str], None],
) -> None:
    """Follow the teacher at ``address`` for ever: each message goes to ``heard``, each
    change of the link to ``status`` ("waiting" for a teacher not there yet,
    "connected", "gone" once the teacher leaves). A ``ClassError`` from
    ``heard`` or in a message ends the following."""
    unix = _is_unix(address)
    target = None if unix else _host_port(address)
    announced = ""
    while True:
        try:
            if unix:
                reader, writer = await asyncio.open_unix_connection(address, limit=MAX_LINE)
            else:
                assert target is not None
                reader, writer = await asyncio.open_connection(*target, limit=MAX_LINE)
        except OSError:
            if not announced:  # once connected, the teacher stays "gone" while away
                status("waiting")
                announced = "waiting"
            await asyncio.sleep(RECONNECT_EVERY)
            continue
        status("connected")
        announced = "connected"
        try:
            while line := await reader.readline():
                done = heard(decode(line))
                if done is not None:
                    await done
        except (ConnectionError, OSError, ValueError):
            pass
        finally:
            writer.close()
        status("gone")
        announced = "gone"
        await asyncio.sleep(RECONNECT_EVERY)
