"""backward_steps(): one immutable event per chain-rule application, same result as backward()."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd import ChainStep, ForwardStep, SeedStep, Value
from tests.conftest import random_graph


def example() -> tuple[Value, Value, Value]:
    x, y = Value(2.0, label="x"), Value(-3.0, label="y")
    z = x * y + x**2
    return x, y, z


def bits(values: list[float]) -> list[str]:
    """Floats as exact bit patterns, so nan == nan and -0.0 != 0.0."""
    return [float.hex(v) if not math.isnan(v) else "nan" for v in values]


def test_seed_comes_first_then_one_step_per_edge() -> None:
    _, _, z = example()
    steps = list(z.backward_steps())
    assert steps[0] == SeedStep(root=4, before=0.0, after=1.0)
    assert all(isinstance(s, ChainStep) for s in steps[1:])
    assert len(steps) - 1 == sum(len(node._prev) for node in z.topological_order())


def test_a_step_carries_the_numbers_of_the_chain_rule() -> None:
    _, _, z = example()
    steps = list(z.backward_steps())
    into_x = [s for s in steps[1:] if s.operand == 0]
    square, product = into_x
    assert (square.op, square.rule, square.local) == ("**2", "∂(a**2)/∂a = 2·a", 4.0)
    assert (square.before, square.after, square.accumulates) == (0.0, 4.0, False)
    assert (product.op, product.rule) == ("*", "∂(a·b)/∂a = b")
    assert (product.local, product.upstream, product.contribution) == (-3.0, 1.0, -3.0)
    assert (product.before, product.after, product.accumulates) == (4.0, 1.0, True)


def test_steps_are_applied_as_they_are_yielded() -> None:
    x, _, z = example()
    for step in z.backward_steps():
        if isinstance(step, ChainStep) and step.operand == 0:
            assert x.grad == step.after


def test_steps_are_frozen_and_hold_no_values() -> None:
    _, _, z = example()
    for step in z.backward_steps():
        for field in dataclasses.fields(step):
            assert not isinstance(getattr(step, field.name), Value)
        with pytest.raises(dataclasses.FrozenInstanceError):
            step.before = 9.0  # type: ignore[misc]
        with pytest.raises((AttributeError, TypeError)):
            step.extra = 1


def test_the_fast_constructor_builds_the_same_frozen_step() -> None:
    from micrograd.engine import MUL
    from micrograd.steps import _chain_step

    values = (4, 0, 1, MUL, -3.0, 1.0, 4.0)
    fast, plain = _chain_step(*values), ChainStep(*values)
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert [f.name for f in dataclasses.fields(ChainStep)] == [
        "output",
        "operand",
        "position",
        "kind",
        "local",
        "upstream",
        "before",
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.local = 0.0


def test_the_fast_forward_constructor_builds_the_same_frozen_step() -> None:
    from micrograd.engine import MUL
    from micrograd.steps import _forward_step

    values = (4, (0, 1), MUL, (-3.0, 2.0), -6.0)
    fast, plain = _forward_step(*values), ForwardStep(*values)
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert [f.name for f in dataclasses.fields(ForwardStep)] == [
        "node",
        "operands",
        "kind",
        "inputs",
        "after",
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.after = 0.0


def test_a_plus_a_gives_two_steps_into_a() -> None:
    a = Value(3.0)
    b = a + a
    steps = list(b.backward_steps())[1:]
    assert [(s.operand, s.position, s.before, s.after) for s in steps] == [
        (0, 0, 0.0, 1.0),
        (0, 1, 1.0, 2.0),
    ]


def test_the_order_is_the_same_on_every_run() -> None:
    runs = []
    for _ in range(3):
        _, _, z = example()
        runs.append(list(z.backward_steps()))
    assert runs[0] == runs[1] == runs[2]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_draining_the_steps_equals_backward_bit_for_bit(data: st.DataObject) -> None:
    seed = data.draw(st.integers(0, 2**32 - 1))
    size = data.draw(st.integers(1, 40))

    def build() -> Value:
        import random

        rng = random.Random(seed)
        return random_graph(rng.randint, lambda: rng.uniform(-2, 2), size)

    plain, stepped = build(), build()
    plain.backward()
    for _ in stepped.backward_steps():
        pass
    assert bits([n.grad for n in plain.topological_order()]) == bits(
        [n.grad for n in stepped.topological_order()]
    )


def test_a_power_s_rule_is_written_as_by_hand_and_is_its_local_derivative() -> None:
    """``2·a``, never ``2·a**1``; evaluated at a point, each rule gives the op's derivative."""
    from micrograd.engine import power_by

    for exponent, text in [(0.0, "0"), (1.0, "1"), (2.0, "2·a"), (3.0, "3·a**2"),
                           (-1.0, "-1·a**-2"), (0.5, "0.5·a**-0.5")]:  # fmt: skip
        op = power_by(exponent)
        assert op.rules == (f"∂(a**{op.name[2:]})/∂a = {text}",)
        for a in (0.5, 2.0, 3.0):
            shown = eval(text.replace("·", "*"), {"a": a})  # noqa: S307 - our own rule texts
            assert shown == pytest.approx(op.local(a, op.forward(a))[0], rel=1e-15)
