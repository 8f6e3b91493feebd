"""Each step's sentence as a learner reads it: numbers written as by hand."""

from __future__ import annotations

from pathlib import Path

from micrograd import Trace, Value
from tui.text.naming import node_names
from tui.text.sentences import describe


def test_a_negative_number_is_a_function_s_argument_without_double_parentheses() -> None:
    n = Value(-1.75, label="n")
    o, r, s, q = n.tanh(), n.relu(), n.exp(), n**2
    o.label, r.label, s.label, q.label = "o", "r", "s", "q"
    trace = Trace(o + r + s + q, forward=True)
    names = node_names(trace)
    texts = [describe(trace, names, index).update for index in range(trace.forward_length)]
    assert any("= tanh(-1.75) = " in text for text in texts)
    assert any("= relu(-1.75) = " in text for text in texts)
    assert any("= exp(-1.75) = " in text for text in texts)
    assert any("= (-1.75)**2 = " in text for text in texts), "a power keeps them"
    assert not any("((" in text for text in texts)


def test_the_root_s_grad_is_final_as_the_seed_not_by_its_consumers() -> None:
    from tui.loading.summary import Summary
    from tui.view.trace_view import TraceView
    from tui.widgets.inspector import describe_node

    x = Value(2.0, label="x")
    y = x * x
    y.label = "y"
    trace = Trace(y)
    view = TraceView(Summary(Path("y.py"), "y", "", "", False), trace)
    trace.seek(len(trace))
    rows = dict(describe_node(view, trace.root, pinned=False))
    assert str(rows["grad"]) == "1.0  ✓ final: the seed, ∂root/∂root = 1"
    assert "every consumer has contributed" in str(dict(describe_node(view, 0, False))["grad"])


def test_step_0_says_what_is_known_with_and_without_a_forward_phase() -> None:
    from tui.text.sentences import start_text

    assert "nothing computed yet" in start_text(forward=True)
    without = start_text(forward=False)
    assert "every node's data is known" in without and "nothing computed" not in without
    assert without.endswith("to seed the root's grad.")


def test_a_step_log_line_too_long_keeps_its_result_in_view() -> None:
    from tui.text.prose import fit_line

    chain = "    8. x.grad += ∂(x*y)/∂x · (x*y).grad = (-3.0)·(1.0) = -3.0    x.grad: 4.0 → 1.0"
    for width in (40, 46, 60, 79):
        fitted = fit_line(chain, width)
        assert len(fitted) == width and fitted.endswith("    x.grad: 4.0 → 1.0"), fitted
        assert fitted.startswith("    8. x.grad += ") and "…" in fitted
    forward = "   12. tanh#387 = tanh(+#386) = tanh(0.8814) = 0.7071"
    assert fit_line(forward, 40).endswith("… = 0.7071") and len(fit_line(forward, 40)) == 40
    assert fit_line(chain, len(chain)) == chain
    assert fit_line(chain, 12) == chain[:11] + "…", "no room for the result: cut at the end"


def test_another_optimizer_s_move_ends_with_before_and_after_for_the_step_log() -> None:
    from micrograd import UpdateStep
    from tui.text.prose import fit_line

    w = Value(0.5, label="L2.n0.w7")
    trace = Trace(w * 2.0, updates=[(w, 0.05, -1.25, 0.5, 0.45, "Adam")])
    text = describe(trace, node_names(trace), len(trace) - 1).update
    assert isinstance(trace.steps[-1], UpdateStep)
    assert text.endswith("L2.n0.w7.data: 0.5 → 0.45")
    assert fit_line(text, 34).endswith("L2.n0.w7.data: 0.5 → 0.45")


def test_the_quiz_asks_about_one_use_and_writes_formulas_as_names_do() -> None:
    from tests.text.test_rules import reused
    from tui.text.quiz import question

    trace, names = reused()
    assert question(trace, names, 1).prompt == "Forward pass: c = b·b, where b = 6.0."
    into_b = question(trace, names, 3).prompt
    assert into_b.startswith(
        "Chain rule into b from c = b·b (use 1 of 2 of b: the left factor of c)"
    )
    x, y = Value(2.0, label="x"), Value(-3.0, label="y")
    z = x * y + x**2
    z.label = "z"
    trace = Trace(z, forward=True)
    assert question(trace, node_names(trace), 2).prompt.startswith("Forward pass: z = x*y + x**2,")


def test_the_quiz_asks_forward_steps_only_when_they_can_be_done_by_hand() -> None:
    from tui.text.quiz import is_asked

    n = Value(0.8814, label="n")
    o = (n * 2.0).tanh() + n**2
    trace = Trace(o, forward=True)
    kinds = [trace.steps[i].op for i in range(trace.forward_length)]
    asked = [is_asked(trace, i, forward=True) for i in range(trace.forward_length)]
    assert dict(zip(kinds, asked)) == {"*": True, "tanh": False, "**2": True, "+": True}
    assert not any(is_asked(trace, i, forward=False) for i in range(trace.forward_length))
    assert all(is_asked(trace, i, forward=False) for i in range(trace.forward_length, len(trace)))
