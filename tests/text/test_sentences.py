"""Each step's sentence as a learner reads it: numbers written as by hand."""

from __future__ import annotations

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
