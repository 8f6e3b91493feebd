"""The debugger's helpers, as plain data: quiz mode's gate, which keys can act, and the
autoplay timer's speeds."""

from __future__ import annotations

from pathlib import Path

from micrograd import Trace
from tui.loading.scenario import load_scenario
from tui.screens.autoplay import SPEEDS, Autoplay
from tui.view.availability import Moment, availability
from tui.view.quiz_gate import QuizGate
from tui.view.trace_view import Identities, TraceView

ROOT = Path(__file__).resolve().parents[2]


def view_of(name: str) -> TraceView:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.py")
    return TraceView(scenario.summary(), Trace(scenario.root, forward=True))


def test_the_quiz_gate_holds_the_cursor_at_the_furthest_step_shown() -> None:
    gate = QuizGate(revealed=3)
    assert gate.clamp(current=3, target=9, quiz=False) == 9, "no gate without quiz mode"
    assert gate.clamp(current=3, target=9, quiz=True) == 3
    assert gate.clamp(current=3, target=1, quiz=True) == 1, "going back is always free"
    assert gate.asks(3, quiz=True) and not gate.asks(2, quiz=True)
    gate.reveal(5)
    assert gate.clamp(current=1, target=9, quiz=True) == 5 and not gate.asks(4, quiz=True)
    gate.reveal(2)
    assert gate.revealed == 5, "revealing never hides what was shown"
    gate.restart(0)
    assert gate.asks(0, quiz=True)


def test_keys_are_dimmed_where_they_cannot_act_and_hidden_where_they_mean_nothing() -> None:
    view = view_of("example")
    end = len(view.trace)

    def at(position: int, **modes: bool) -> Moment:
        settings = {"playing": False, "quiz": False, "pinned": False, **modes}
        return Moment(view, position, **settings)

    assert availability("previous", (), at(0)) is None
    assert availability("first", (), at(0)) is None
    assert availability("next", (), at(0)) is True
    assert availability("next", (), at(end)) is None
    assert availability("last", (), at(end)) is None
    assert availability("play", (), at(end)) is None
    assert availability("play", (), at(2, quiz=True)) is None, "no autoplay in quiz mode"
    assert availability("play", (), at(end, playing=True)) is True, "a running play can stop"
    assert availability("unpin", (), at(2)) is None
    assert availability("unpin", (), at(2, pinned=True)) is True
    assert availability("iteration", (1,), at(2)) is False, "no iterations to move through"
    assert availability("wrong", (), at(2)) is False, "only for a learner's own class"
    assert availability("edit", (), at(2)) is True and availability("jump", (), at(2))


def test_a_training_scenario_hides_edit_and_dims_the_iteration_at_its_end() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "train_mlp.py")
    assert scenario.training is not None
    view = TraceView(scenario.summary(), scenario.training.replay(0, forward=True), iteration=0)
    now = Moment(view, 0, playing=False, quiz=False, pinned=False)
    assert availability("edit", (), now) is False
    assert availability("iteration", (-1,), now) is None, "no iteration before the first"
    assert availability("iteration", (1,), now) is True


def test_autoplay_keeps_its_speed_within_range() -> None:
    class Owner:
        def set_interval(self, *_args: object) -> None:
            raise AssertionError("a timer that is not running is not restarted")

    autoplay = Autoplay(Owner(), lambda: None)  # type: ignore[arg-type]
    assert autoplay.rate == SPEEDS[2]
    for _ in range(10):
        autoplay.change_speed(1)
    assert autoplay.rate == SPEEDS[-1]
    for _ in range(10):
        autoplay.change_speed(-1)
    assert autoplay.rate == SPEEDS[0]


def test_identities_name_each_node_and_tell_apart_the_nodes_that_share_a_name() -> None:
    names = ["x", "1.0", "y", "1.0", "x*y", "1.0"]
    identities = Identities(names)
    assert list(identities) == [("x", 0), ("1.0", 0), ("y", 0), ("1.0", 1), ("x*y", 0), ("1.0", 2)]
    assert [identities.index(identity) for identity in identities] == list(range(len(names)))
    assert ("1.0", 2) in identities and ("1.0", 3) not in identities and "x" not in identities
    assert identities.shared == {"1.0"}
    assert identities[1:4] == [("1.0", 0), ("y", 0), ("1.0", 1)]
