"""Node names are true formulas: read as Python with the leaves' values, a generated name
computes the node's data, in the same order, to the bit."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd import Trace, Value
from micrograd.engine import EXP, RELU, SIGMOID, TANH
from tui.text.naming import MAX_FORMULA, formula, node_names, wrap

LEAVES = {"a": 2.0, "b": 3.0, "c": 0.5, "d": 1.25}


class Numbered(float):
    """A leaf whose label several nodes share: the app numbers them (``a[0]``, ``a[1]``),
    and here every number of it has the leaf's value."""

    def __getitem__(self, index: int) -> float:
        return float(self)


LEAF_NAMES = {label: Numbered(value) for label, value in LEAVES.items()}
CONSTANTS = [2.0, 0.5, -3.0, -1.5, 4.0]
FUNCTIONS = {
    "tanh": TANH.forward,
    "exp": EXP.forward,
    "ReLU": RELU.forward,
    "sigmoid": SIGMOID.forward,
}


def build(draw: Any, depth: int) -> Value:
    """A random expression over the labelled leaves and a few constants."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        if draw(st.booleans()):
            label = draw(st.sampled_from(sorted(LEAVES)))
            return Value(LEAVES[label], label=label)
        return Value(draw(st.sampled_from(CONSTANTS)))
    kind = draw(st.sampled_from(["+", "-", "*", "/", "**2", "**3", "neg", "tanh", "relu"]))
    left = build(draw, depth - 1)
    if kind in ("+", "-", "*", "/"):
        right = build(draw, depth - 1)
        return {"+": left + right, "-": left - right, "*": left * right, "/": left / right}[kind]
    if kind.startswith("**"):
        return left ** int(kind[2:])
    if kind == "neg":
        return -left
    return left.tanh() if kind == "tanh" else left.relu()


@st.composite
def expressions(draw: Any) -> Value:
    return build(draw, depth=4)


@settings(max_examples=300, deadline=None)
@given(expressions())
def test_every_generated_name_computes_its_node(root: Value) -> None:
    trace = Trace(root)
    names = node_names(trace)
    for i, name in enumerate(names):
        if trace.labels[i] or not trace.operands(i) or "#" in name:
            continue  # a label, a constant, or a node too big to write out
        try:
            value = eval(name, dict(FUNCTIONS), LEAF_NAMES)  # noqa: S307 - our own names
        except (ZeroDivisionError, OverflowError):  # Python raises where IEEE gives inf
            continue
        assert repr(value) == repr(trace.starting_data(i)), name


def test_parentheses_go_exactly_where_python_needs_them() -> None:
    a, b, c = Value(2.0, label="a"), Value(3.0, label="b"), Value(5.0, label="c")
    trace = Trace((a + b) * c)
    assert node_names(trace)[-1] == "(a+b)*c"
    assert formula("-", ["a", formula("-", ["b", "c"])]) == "a-(b-c)"
    assert formula("-", [formula("-", ["a", "b"]), "c"]) == "a-b-c"
    assert formula("+", ["a", formula("+", ["b", "c"])]) == "a+(b+c)", "not a+b+c in floats"
    assert formula("*", [formula("+", ["a", "b"]), "c"]) == "(a+b)*c"
    assert formula("**2", [formula("-", ["o", "1.0"])]) == "(o-1.0)**2"
    assert formula("**2", ["-3.0"]) == "(-3.0)**2" and formula("**2", ["a"]) == "a**2"
    assert formula("neg", [formula("+", ["a", "b"])]) == "-(a+b)"
    assert formula("neg", [formula("**2", ["a"])]) == "-a**2"
    assert formula("*", ["a", "-3.0"]) == "a*(-3.0)"
    assert formula("**", ["a", formula("**", ["b", "c"])]) == "a**b**c"
    assert formula("**", [formula("**", ["a", "b"]), "c"]) == "(a**b)**c"
    assert formula("tanh", [formula("+", ["a", "b"])]) == "tanh(a+b)"
    assert formula("/", ["a", "my weight"]) == "a/(my weight)", "a label that is no word"
    assert len("(a+b)*c") <= MAX_FORMULA


def test_a_name_that_stands_for_a_node_is_grouped_when_it_starts_with_an_operator() -> None:
    """The outline writes each node as a formula of its operands' names, references too."""
    x = Value(0.5, label="x")
    names = node_names(Trace(((x * 2.0 + 1.0) * (x - 3.0) - 1.0) ** 2))
    assert names[-2] == "-#9" and formula("**2", [names[-2]]) == "(-#9)**2"


def test_a_model_names_every_node_it_builds_by_its_place_and_sample() -> None:
    from micrograd.losses import max_margin, mse
    from micrograd.nn import MLP

    model = MLP(3, [4, 4, 1], activation="tanh", seed=1337)
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    loss = mse([model(x) for x in xs], [1.0, -1.0, -1.0, 1.0])  # type: ignore[misc]
    names = node_names(Trace(loss))
    assert len(set(names)) == len(names), "distinct nodes, distinct names"
    assert not [name for name in names if "#" in name], "no opaque names"
    for name in ("L0.n2.w1x1[0]", "L0.n2.sum0[1]", "L0.n2.sum[2]", "L0.n2.out[3]", "x0[3]"):
        assert name in names
    assert names.index("L0.n0.out[0]") < names.index("L0.n0.out[1]"), "numbered by sample"
    assert {"L2.n0.sum[0]", "error[0]", "squared_error[3]", "target[1]"} <= set(names)

    scores = [model(x) for x in xs]
    hinge = max_margin(scores, [1.0, -1.0, -1.0, 1.0], model.parameters())  # type: ignore[arg-type]
    names = node_names(Trace(hinge))
    opaque = [name for name in names if "#" in name]
    assert not opaque and {"margin[0]", "shortfall[1]", "hinge[2]", "L0.n0.w0_squared"} <= set(
        names
    )
    constants = [name for name in names if name[0].isdigit() or name[0] == "-"]
    assert len(names) - len(set(names)) < len(constants), "only a constant's value repeats"


def test_a_numbered_name_is_one_token_in_a_formula() -> None:
    assert formula("*", ["L0.n0.w0", "x0[3]"]) == "L0.n0.w0*x0[3]"
    assert formula("tanh", ["L0.n0.sum[3]"]) == "tanh(L0.n0.sum[3])"
    assert formula("**2", ["error[0]"]) == "error[0]**2"


def test_a_call_needs_no_parentheses_before_its_grad() -> None:
    p = Value(0.5, label="p")
    names = node_names(Trace(-p.log()))
    assert wrap(names[1]) == "log(p)", "log(p).grad, not (log(p)).grad"
    assert wrap(names[2]) == "(-log(p))" and wrap("x*y") == "(x*y)"


def test_an_op_that_keeps_its_number_reads_as_the_formula_it_computed() -> None:
    """PyTorch does not make a node of ``1.0`` in ``o - 1.0``: its op keeps the number."""
    assert formula("-1.0", ["o"]) == "o-1.0" and formula("*-3.0", ["x"]) == "x*(-3.0)"
    assert formula("2.0-", [formula("+", ["x", "y"])]) == "2.0-(x+y)"
    assert formula("2.0**", ["x"]) == "2.0**x" and formula("/2", ["a"]) == "a/2"
