"""Every local derivative on screen is true: its rule, evaluated with the numbers shown, is
the derivative the step used; a node used twice by one op is two variables; and the total
at a node's last contribution is its grad."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd import ChainStep, Trace, Value
from tui.loading.summary import Summary
from tui.text.naming import node_names
from tui.text.numbers import fmt
from tui.text.rules import contributions, local_rule, total_text
from tui.text.sentences import describe
from tui.view.trace_view import TraceView
from tui.widgets.inspector import describe_node

UNARY: dict[str, Callable[[Value], Value]] = {
    "neg": lambda a: -a,
    "exp": lambda a: a.exp(),
    "log": lambda a: a.log(),
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "relu": lambda a: a.relu(),
    "**2": lambda a: a**2,
    "**3": lambda a: a**3,
    "**0.5": lambda a: a**0.5,
    "**-1": lambda a: a**-1,
    "**0": lambda a: a**0,
    "**1": lambda a: a**1,
}
BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a**b,
}


@st.composite
def graphs(draw: Any) -> Value:
    """A random graph in which nodes are reused: each op takes its operands from every node
    built so far, so ``b*b`` and a node feeding several others both come up."""
    numbers = st.sampled_from([2.0, 0.5, -3.0, -1.5, 1.25, 0.0, 3.0])
    pool = [Value(draw(numbers), label=name) for name in "abc"]
    pool += [Value(draw(numbers)) for _ in range(draw(st.integers(0, 2)))]
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            op = UNARY[draw(st.sampled_from(sorted(UNARY)))]
            pool.append(op(draw(st.sampled_from(pool))))
        else:
            op2 = BINARY[draw(st.sampled_from(sorted(BINARY)))]
            pool.append(op2(draw(st.sampled_from(pool)), draw(st.sampled_from(pool))))
    return pool[-1]


def evaluate(text: str) -> float:
    """A rule's right side as Python: ``1 - 0.7071²`` is ``1 - 0.7071**2``."""
    python = (
        text.replace("·", "*")
        .replace("²", "**2")
        .replace("ln(", "log(")
        .replace("≤", "<=")
        .replace("≠", "!=")
    )
    value = eval(python, {"log": math.log, "inf": math.inf, "nan": math.nan})  # noqa: S307
    return float(value)


@settings(max_examples=300, deadline=None)
@given(graphs(), st.booleans())
def test_every_shown_rule_evaluated_with_its_numbers_is_the_step_s_local_derivative(
    root: Value, forward: bool
) -> None:
    """The rule is evaluated with the step's numbers written exactly (``repr``); on screen
    the same text has them rounded to four decimals, so its value is what the step used,
    rounded."""
    trace = Trace(root, forward=forward)
    names = node_names(trace)
    for index, step in enumerate(trace.steps):
        if not isinstance(step, ChainStep) or not math.isfinite(step.local):
            continue
        exact = local_rule(trace, names, step.output, step.position, step.local, repr)
        shown = describe(trace, names, index).rule
        assert shown == local_rule(trace, names, step.output, step.position, step.local)
        assert shown.split(" = ")[-1] == fmt(step.local) or len(shown.split(" = ")) == 2
        parts = exact.split(" = ")
        if len(parts) == 2:  # a constant rule: ∂(x+y)/∂x = 1
            assert evaluate(parts[1]) == step.local, exact
            continue
        assert parts[-1] == repr(step.local), exact
        for middle in parts[1:-1]:  # the rule in names, then in numbers
            try:
                value = evaluate(middle)
            except (NameError, SyntaxError):
                continue  # names, not numbers
            except (ZeroDivisionError, OverflowError, ValueError, TypeError):
                continue  # Python raises (or goes complex) where IEEE floats give inf or nan
            assert math.isclose(value, step.local, rel_tol=1e-12), exact


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_the_total_at_a_node_s_last_contribution_is_its_grad(root: Value) -> None:
    trace = Trace(root)
    names = node_names(trace)
    for index, step in enumerate(trace.steps):
        if not isinstance(step, ChainStep):
            continue
        nth, of = trace.arrival(index)
        text = describe(trace, names, index).total
        if nth < of or of == 1:
            assert text == ""
            continue
        sums, value = text.split(" = ")[1:3]
        assert value.split(",")[0] == fmt(step.after), text
        shares = contributions(trace, step.operand)
        assert text.endswith(f"the sum over its {len(shares)} uses")
        if "…" not in sums and "before" not in sums:
            terms = [term.strip("()") for term in sums.split(" + ")]
            assert terms == [fmt(share.contribution) for share in shares]
            if math.isfinite(step.after):
                added = sum(map(float, terms))
                assert math.isclose(added, step.after, rel_tol=1e-3, abs_tol=1e-3), text


def reused() -> tuple[Trace, list[str]]:
    """``b = a + a; c = b*b`` with a = 3, forward phase included, and its names."""
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b * b
    c.label = "c"
    trace = Trace(c, forward=True)
    return trace, node_names(trace)


def test_a_node_used_twice_by_one_op_is_two_variables_each_with_its_share() -> None:
    trace, names = reused()
    into_b = [describe(trace, names, 3), describe(trace, names, 4)]
    assert into_b[0].update.startswith("b.grad += ∂c/∂b₁ · c.grad")
    assert into_b[1].update.startswith("b.grad += ∂c/∂b₂ · c.grad")
    assert [text.rule for text in into_b] == [
        "∂(b₁*b₂)/∂b₁ = b₂ = 6.0",
        "∂(b₁*b₂)/∂b₂ = b₁ = 6.0",
    ]
    assert into_b[0].remark == "use 1 of 2 of b: the left factor of c"
    assert into_b[1].remark.startswith("use 2 of 2 of b: the right factor of c")
    assert into_b[0].total == ""
    assert into_b[1].total == "b.grad = 6.0 + 6.0 = 12.0 = ∂c/∂b, the sum over its 2 uses"
    assert "∂(a+a)/∂a" not in "".join(describe(trace, names, i).rule for i in range(len(trace)))


def test_the_lecture_s_tanh_rule_is_written_with_o_squared() -> None:
    n = Value(0.8813735870195432, label="n")
    o = n.tanh()
    o.label = "o"
    trace = Trace(o)
    rule = describe(trace, node_names(trace), 1).rule
    assert rule == "∂tanh(n)/∂n = 1 - tanh(n)² = 1 - 0.7071² = 0.5"


def test_rules_put_parentheses_where_a_number_or_name_needs_them() -> None:
    x, y = Value(-3.0, label="x"), Value(2.0, label="y")
    q = x / (x * y)
    trace = Trace(q)
    names = node_names(trace)
    rules = {describe(trace, names, i).rule for i in range(1, len(trace))}
    assert "∂(x/(x*y))/∂(x*y) = -x/(x*y)² = -(-3.0)/(-6.0)² = 0.0833" in rules
    assert "∂(x/(x*y))/∂x = 1/(x*y) = 1/(-6.0) = -0.1667" in rules


def test_a_leaf_with_a_grad_from_before_says_so_and_is_not_the_total_derivative() -> None:
    x = Value(2.0, label="x")
    x.grad = 0.5
    z = x * x
    trace = Trace(z)
    text = describe(trace, node_names(trace), len(trace) - 1).total
    assert text == "x.grad = 0.5 (from before this pass) + 2.0 + 2.0 = 4.5, the sum over its 2 uses"


def test_a_weight_with_many_uses_lists_a_few_terms_and_counts_them() -> None:
    w = Value(0.5, label="w")
    total = sum((w * float(i) for i in range(1, 11)), Value(0.0))
    trace = Trace(total)
    text = total_text(trace, node_names(trace), trace.id_of(w))
    assert text.startswith("w.grad = 10.0 + 9.0 + 8.0 + … + 1.0 = 55.0 = ∂")
    assert text.endswith("the sum over its 10 uses")


def test_the_inspector_counts_arrivals_and_shows_the_total_once_final() -> None:
    x, y = Value(2.0, label="x"), Value(-3.0, label="y")
    z = x * y + x**2
    z.label = "z"
    trace = Trace(z, forward=True)
    view = TraceView(Summary(Path("z.py"), "z", "", "", False), trace)
    trace.seek(7)
    rows = describe_node(view, 0, pinned=False)
    assert str(dict(rows)["grad"]) == "4.0  (waiting: 1 of 2 contributions in)"
    trace.seek(8)
    rows = describe_node(view, 0, pinned=False)
    assert (
        str(dict(rows)["total"]) == "x.grad = 4.0 + (-3.0) = 1.0 = ∂z/∂x, the sum over its 2 uses"
    )
    product = describe_node(view, 2, pinned=False)
    operand_rows = [str(text) for label, text in product if label in ("operand", "")]
    assert operand_rows[-2:] == ["∂(x*y)/∂x = y = -3.0", "∂(x*y)/∂y = x = 2.0"]


def test_before_the_forward_pass_computes_a_node_its_rules_have_no_numbers() -> None:
    x, y = Value(2.0, label="x"), Value(-3.0, label="y")
    z = x * y
    trace = Trace(z, forward=True)
    view = TraceView(Summary(Path("z.py"), "z", "", "", False), trace)
    rows = describe_node(view, 2, pinned=False)
    assert [str(text) for label, text in rows if label == "operand"] == ["∂(x*y)/∂x = y"]
