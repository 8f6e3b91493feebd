"""StepPanel: the current chain-rule application written out, and the log of steps so far."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip

from tui.text.prose import fit_line, reflow
from tui.text.sentences import start_text
from tui.text.visible import visible
from tui.text.waiting import queue_text
from tui.view.trace_view import TraceView
from tui.widgets.lines import LineView
from tui.widgets.wrapped import WrappedLines, text_segments


class StepLog(LineView, can_focus=True):
    """Every step up to the cursor, one line each, drawn lazily so 10^5 steps cost nothing.

    Its virtual height is the whole trace's length, fixed while the trace is on
    show, and scrolling stops at the cursor's line: a size that changed every
    step would make Textual lay out the whole screen again on every key. A line
    too long for the panel is cut in the middle, keeping its result (``x.grad:
    4.0 → 1.0``) in view; the current step is written out in full above the log.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: TraceView | None = None

    @property
    def max_scroll_y(self) -> int:
        position = self.view.trace.position if self.view is not None else 0
        return max(0, position - self.scrollable_content_region.height)

    def sync(self, view: TraceView) -> None:
        self.view = view
        self.virtual_size = Size(0, len(view.trace))
        self.scroll_to(y=self.max_scroll_y, animate=False, force=True)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        if self.view is None or index >= self.view.trace.position:
            return Strip.blank(width, self.base_style)
        digits = len(str(len(self.view.trace)))  # a space before even 100,000's 6 digits
        number = f" {index + 1:>{max(4, digits)}}. "
        text = fit_line(number + self.view.describe(index).update, width)
        style = self.base_style
        if index == self.view.trace.position - 1:
            style = style + Style(bold=True)
        return Strip([Segment(text, style)]).extend_cell_length(width, self.base_style)


FORWARD_HINT = (
    "forward pass: data flows from the inputs towards the root; "
    "the grads wait for the backward pass"
)


class CurrentStep(WrappedLines):
    """The current step in full: update, rule, remark and total, wrapped; what does not fit
    is a scroll away (tab to it, then the arrow keys), never cut off."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = Text()

    def show(self, text: Text) -> None:
        self.text = text
        self.scroll_to(y=0, animate=False, force=True)
        self.rewrap()

    def wrap_lines(self, width: int) -> list[list[Segment]]:
        console = self.app.console
        return [text_segments(line, console) for line in self.text.wrap(console, width)]


class StepPanel(Vertical):
    """The current step in full (update, rule, remark) above the log of all steps so far;
    in the backward pass the line between them shows the queue: which nodes are ready to
    pass their grad back, and which still wait for contributions."""

    def compose(self):  # type: ignore[no-untyped-def]
        yield CurrentStep(id="step-current")
        yield StepLog(id="step-log")

    def sync(self, view: TraceView) -> None:
        current = view.describe_current()
        if current is None:  # what to press, then the scenario's notes: a lesson opens on them
            text = Text(start_text(view.trace.forward_length > 0))
            if view.scenario.notes:
                text.append(f"\n\n{visible(reflow(view.scenario.notes))}", style="italic")
        else:
            text = Text(current.update, style="bold")
            if current.rule:
                text.append(f"\n{current.rule}", style="italic")
            elif view.trace.phase() == "forward":
                text.append(f"\n{FORWARD_HINT}", style="italic")
            if current.remark:
                text.append(f"\n{current.remark}")
            if current.total:
                text.append(f"\ntotal: {current.total}", style="bold")
        self.query_one(CurrentStep).show(text)
        log = self.query_one(StepLog)
        queue = view.queue()
        log.border_title = Content(visible(queue_text(queue))) if queue is not None else None
        log.sync(view)
