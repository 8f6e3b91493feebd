"""Following the teacher: the messages, the link over a real Unix socket, and the app on
both ends (in process, with Pilot)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.app.test_app import ROOT, loaded
from tui.app import MicrogradApp
from tui.classroom import (
    ClassError,
    ClassState,
    Hello,
    Teacher,
    decode,
    digest_of,
    encode,
    follow,
)
from tui.cli import main
from tui.options import Options
from tui.screens.debugger import DebuggerScreen
from tui.screens.quiz import QuizScreen

pytestmark = pytest.mark.slow

NEURON = ROOT / "scenarios" / "neuron.py"


def hello(path: Path = NEURON) -> Hello:
    return Hello(str(path.resolve()), digest_of(path))


async def until(condition: Callable[[], bool], seconds: float = 20) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


@contextlib.asynccontextmanager
async def a_class(
    tmp_path: Path, quiz: bool = False
) -> AsyncIterator[tuple[Teacher, MicrogradApp, Pilot[None], DebuggerScreen]]:
    """A teacher on a Unix socket (the real link), and a follower's app in process."""
    teacher = Teacher(str(tmp_path / "class.sock"), hello())
    await teacher.start()
    app = MicrogradApp(None, options=Options(follow=teacher.address, watch=False, quiz=quiz))
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await loaded(pilot)
            assert isinstance(screen, DebuggerScreen)
            yield teacher, app, pilot, screen
    finally:
        teacher.stop()


def test_messages_read_back_as_they_were_and_another_version_is_refused() -> None:
    state = ClassState(7, 2, False, ("x1w1", 0), True, False, True, ("L0.n0",))
    assert decode(encode("state", state)) == state
    assert decode(encode("hello", hello())) == hello()
    newer = encode("state", state).replace(b'"version":1', b'"version":2')
    with pytest.raises(ClassError, match="version 2 of the class messages"):
        decode(newer)
    with pytest.raises(ClassError, match="not ours"):
        decode(b"HTTP/1.1 400 Bad Request\r\n")


async def test_followers_get_the_latest_state_and_wait_through_the_teacher_s_absence(
    tmp_path: Path,
) -> None:
    address = str(tmp_path / "class.sock")
    teacher = Teacher(address, hello())
    await teacher.start()
    heard: list[list[object]] = [[], []]
    links: list[list[str]] = [[], []]
    followers = [
        asyncio.ensure_future(follow(address, heard[i].append, links[i].append)) for i in range(2)
    ]
    try:
        await until(lambda: teacher.followers == 2)
        for position in range(1, 501):  # faster than anyone reads: the last one counts
            teacher.publish(ClassState(position=position))
        last = ClassState(position=500)
        for received in heard:
            await until(lambda received=received: received[-1] == last)  # type: ignore[misc]
            assert received[0] == hello() and len(received) < 502
        teacher.stop()
        await until(lambda: all(link[-1] == "gone" for link in links))
        teacher = Teacher(address, hello())
        await teacher.start()
        teacher.publish(ClassState(position=3))
        await until(lambda: all(received[-1] == ClassState(position=3) for received in heard))
        assert all(link[-2:] == ["gone", "connected"] for link in links)
    finally:
        teacher.stop()
        for task in followers:
            task.cancel()


async def test_a_follower_goes_where_the_teacher_is_explores_and_follows_again(
    tmp_path: Path,
) -> None:
    async with a_class(tmp_path) as (teacher, _, pilot, screen):
        teacher.publish(ClassState(position=3, pinned=("x1", 0), source=True))
        await until(lambda: screen.position == 3)
        assert screen.view.names[screen.pinned or 0] == "x1" and screen.source
        header = str(screen.query_one("#status").render())
        assert header.startswith("following the teacher │ step 3/15")
        await pilot.press("right")  # the student leaves to explore
        assert not screen.following and screen.position == 4
        teacher.publish(ClassState(position=6))
        await pilot.pause(0.3)
        assert screen.position == 4
        assert "exploring (F to follow again)" in str(screen.query_one("#status").render())
        await pilot.press("F")
        assert screen.following and screen.position == 6
        teacher.publish(ClassState(position=2, forward=False))  # a change of phase
        await until(lambda: screen.view.trace.forward_length == 0 and screen.position == 2)
        teacher.stop()
        await until(lambda: "the teacher has gone" in str(screen.query_one("#status").render()))
        assert screen.position == 2  # the last step stays


async def test_a_follower_refuses_a_scenario_that_differs_from_the_teacher_s(
    tmp_path: Path,
) -> None:
    address = str(tmp_path / "class.sock")
    teacher = Teacher(address, Hello(str(NEURON.resolve()), "0" * 16))
    await teacher.start()
    app = MicrogradApp(None, options=Options(follow=address, watch=False))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(lambda: not app.is_running)
            await pilot.pause()
    finally:
        teacher.stop()
    assert app.return_code == 2


async def test_the_teacher_tells_followers_each_move_and_shows_the_command(
    tmp_path: Path,
) -> None:
    address = str(tmp_path / "class.sock")
    app = MicrogradApp(NEURON, options=Options(teach=address, watch=False))
    heard: list[object] = []
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        assert isinstance(screen, DebuggerScreen)
        await until(lambda: Path(address).exists())
        listening = asyncio.ensure_future(follow(address, heard.append, lambda _: None))
        try:
            line = f"students run  micrograd-tui --follow {address}  (1 following)"
            await until(lambda: line in str(screen.query_one("#class").render()))
            await pilot.press("right", "right", "o")
            await until(lambda: heard[-1] == ClassState(position=2, outline=True))
        finally:
            listening.cancel()
    assert not Path(address).exists()  # the socket goes with the app


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--follow", "/tmp/x.sock", "neuron"], "--follow opens the teacher's scenario"),
        (["--teach"], "--teach needs a scenario file"),
        (["--teach", "--follow", "/tmp/x.sock"], "do not go together"),
        (["--teach", "--print", "neuron"], "do not go with --print"),
        (["--teach", "--serve", "neuron"], "students can follow with --serve --follow"),
    ],
)
def test_class_arguments_are_checked(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


async def test_in_a_quiz_the_teacher_s_step_waits_for_each_follower_s_answer(
    tmp_path: Path,
) -> None:
    async with a_class(tmp_path, quiz=True) as (teacher, app, pilot, screen):
        teacher.publish(ClassState(position=2))
        await until(lambda: isinstance(app.screen, QuizScreen))
        assert screen.position == 0  # step 1 is not shown before the answer
        await pilot.press("minus", "6", "enter", "enter")  # x1w1 = 2.0·(-3.0)
        await until(lambda: isinstance(app.screen, QuizScreen) and screen.position == 1)
        await pilot.press("enter", "enter")  # step 2 skipped
        await until(lambda: screen.position == 2)
        assert screen.following and screen.lesson.score.right == 1


async def test_a_leaf_the_teacher_sets_is_set_for_followers_and_a_reload_undoes_it(
    tmp_path: Path,
) -> None:
    async with a_class(tmp_path) as (teacher, _, _, screen):
        x1 = screen.view.names.index("x1")
        teacher.publish(ClassState(position=3, edits=(("x1", 0, 5.0), ("w1", 0, 0.5))))
        w1 = screen.view.names.index("w1")

        def data(node: int) -> float:
            return screen.view.trace.starting_data(node)

        await until(lambda: (data(x1), data(w1), screen.position) == (5.0, 0.5, 3))
        teacher.publish(ClassState(position=1))  # the teacher loaded the file again
        await until(lambda: data(x1) == 2.0 and screen.position == 1)
        assert screen.edits == []
