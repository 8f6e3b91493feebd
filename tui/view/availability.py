"""Which of the debugger's keys can act at a position: ``True`` shows a key, ``None`` dims
it (it exists but cannot act here, like "previous" at step 0), ``False`` hides it
(it means nothing for this scenario, like the training keys on a plain graph).

Kept apart from the screen so the rule is plain data in, answer out.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.view.trace_view import TraceView


@dataclass(frozen=True)
class Moment:
    """What the keys depend on: the trace on show, the cursor and the modes."""

    view: TraceView
    position: int
    playing: bool
    quiz: bool
    pinned: bool


def availability(action: str, parameters: tuple[object, ...], now: Moment) -> bool | None:
    """Whether the key bound to ``action`` is shown (True), dimmed (None) or hidden (False)."""
    view = now.view
    at_start, at_end = now.position == 0, now.position == len(view.trace)
    first_iteration = view.iteration == 0
    last_iteration = view.iteration == view.iterations - 1
    training = view.scenario.is_training
    dimmed = {
        "previous": at_start and first_iteration,
        "next": at_end and last_iteration,
        "first": at_start,
        "last": at_end,
        "play": (at_end or now.quiz) and not now.playing,
        "unpin": not now.pinned,
    }
    if action in dimmed:
        return None if dimmed[action] else True
    if action == "iteration":
        if not training:
            return False
        step = parameters[0] if parameters else 1
        return None if (first_iteration if step == -1 else last_iteration) else True
    if action in ("edit", "forward") and view.trace.own:
        return False  # both recompute the forward pass, which needs micrograd's ops
    if action == "edit" and (training or not view.scenario.editable):
        return False  # each iteration's values come from the one before it; or no graph
    if action == "wrong":  # only for a learner's own class; dimmed when all is right
        if view.check is None:
            return False
        return True if view.wrong_step() is not None else None
    return True
