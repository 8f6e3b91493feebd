"""QuizScreen: ask for the value the next step writes, mark the answer, then show the working."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.text.numbers import NotANumber, fmt, parse_number
from tui.text.quiz import Question, is_right
from tui.text.sentences import StepText

ASKING = "enter checks · enter on an empty answer skips · esc goes back without answering"
ANSWERED = "enter or esc shows the step"


class QuizScreen(ModalScreen[str | None]):
    """One question; dismisses with ``right``, ``wrong`` or ``skipped``, or None if the learner
    backs out (the step then stays hidden)."""

    BINDINGS = [
        Binding("escape", "leave", "Back"),
        Binding("enter", "leave", "Show the step", show=False),
    ]

    def __init__(self, step: int, steps: int, question: Question, working: StepText) -> None:
        super().__init__()
        self.step = step
        self.steps = steps
        self.question = question
        self.working = working
        self.verdict: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="quiz"):
            yield Label(Text(f"Quiz · step {self.step} of {self.steps}", style="bold"))
            yield Static(Content(self.question.prompt), id="quiz-prompt")
            yield Static(Content(f"What is {self.question.asks_for} now?"))
            yield Input(placeholder="a number, e.g. -3.0", id="quiz-input")
            yield Static("", id="quiz-feedback")
            yield Static(Text(ASKING, style="dim"), id="quiz-keys")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self._mark("skipped", Text("Skipped. ", style="bold"))
            return
        try:
            answer = parse_number(event.value)
        except NotANumber as error:
            self.query_one("#quiz-feedback", Static).update(Text(str(error), style="bold"))
            return
        expected = fmt(self.question.expected)
        if is_right(answer, self.question.expected):
            self._mark("right", Text(f"✓ Right: {self.question.asks_for} = {expected}. "))
        else:
            self._mark(
                "wrong",
                Text(f"✗ Not quite: you said {fmt(answer)}, the answer is {expected}. "),
            )

    def _mark(self, verdict: str, headline: Text) -> None:
        """Show the verdict and the worked step; the next enter or esc reveals the step."""
        self.verdict = verdict
        headline.stylize("bold")
        headline.append("The working:\n")
        headline.append(self.working.update)
        if self.working.rule:
            headline.append(f"\n{self.working.rule}", style="italic")
        if self.working.total:
            headline.append(f"\ntotal: {self.working.total}")
        self.query_one("#quiz-feedback", Static).update(headline)
        self.query_one("#quiz-keys", Static).update(Text(ANSWERED, style="dim"))
        self.query_one(Input).disabled = True
        self.set_focus(None)

    def action_leave(self) -> None:
        self.dismiss(self.verdict)
