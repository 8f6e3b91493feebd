"""Every op's value and gradient against plain float math and finite differences."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from micrograd.engine import Value
from tests.conftest import BINARY, POINTS, UNARY, central_difference, grads_of

UNARY_CASES = [
    (name, x)
    for name in sorted(UNARY)
    for x in POINTS + ([] if name in {"log", "sqrt"} else [-0.4, -1.9])
]


@pytest.mark.parametrize(("name", "x"), UNARY_CASES)
def test_unary_op_matches_finite_differences(name: str, x: float) -> None:
    value_fn, float_fn = UNARY[name]
    data, (grad,) = grads_of(value_fn, [x])
    assert data == pytest.approx(float_fn(x), rel=1e-12)
    assert grad == pytest.approx(central_difference(float_fn, [x], 0), rel=1e-6, abs=1e-7)


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("a", POINTS)
@pytest.mark.parametrize("b", [-1.7, 0.4, 2.2])
def test_binary_op_matches_finite_differences(name: str, a: float, b: float) -> None:
    value_fn, float_fn = BINARY[name]
    data, grads = grads_of(value_fn, [a, b])
    assert data == pytest.approx(float_fn(a, b), rel=1e-12)
    for i, grad in enumerate(grads):
        numeric = central_difference(float_fn, [a, b], i)
        assert grad == pytest.approx(numeric, rel=1e-6, abs=1e-7)


def test_relu_has_zero_gradient_at_and_below_zero() -> None:
    for x in (0.0, -2.0):
        _, (grad,) = grads_of(lambda a: a.relu(), [x])
        assert grad == 0.0


def test_tanh_and_sigmoid_stay_finite_for_large_inputs() -> None:
    for x in (400.0, 1000.0, -1000.0):
        for fn in (lambda a: a.tanh(), lambda a: a.sigmoid()):
            data, (grad,) = grads_of(fn, [x])
            assert math.isfinite(data) and math.isfinite(grad)
    assert Value(1000.0).tanh().data == 1.0
    assert Value(-1000.0).sigmoid().data == 0.0


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (lambda: Value(0.0).log(), -math.inf),
        (lambda: Value(-1.0).log(), math.nan),
        (lambda: Value(1.0) / 0.0, math.inf),
        (lambda: Value(-1.0) / 0.0, -math.inf),
        (lambda: Value(1.0) / -0.0, -math.inf),
        (lambda: Value(0.0) / 0.0, math.nan),
        (lambda: Value(1000.0).exp(), math.inf),
        (lambda: Value(0.0) ** -1, math.inf),
        (lambda: Value(-8.0) ** (1 / 3), math.nan),
        (lambda: Value(10.0) ** 400, math.inf),
        (lambda: Value(-10.0) ** 401, -math.inf),
        (lambda: 0.0 ** Value(-1.0), math.inf),
        (lambda: Value(1e300) * 1e300, math.inf),
    ],
)
def test_non_finite_results_follow_ieee_instead_of_raising(
    expression: Callable[[], Value], expected: float
) -> None:
    out = expression()
    out.backward()
    if math.isnan(expected):
        assert math.isnan(out.data)
    else:
        assert out.data == expected


def test_non_finite_values_propagate_through_backward() -> None:
    x = Value(0.0, label="x")
    y = x.log() * 2.0
    y.backward()
    assert y.data == -math.inf
    assert x.grad == math.inf


def test_numbers_on_either_side() -> None:
    a = Value(4.0)
    assert (a + 1).data == (1 + a).data == 5.0
    assert (a - 1).data == 3.0 and (1 - a).data == -3.0
    assert (a * 2).data == (2 * a).data == 8.0
    assert (a / 2).data == 2.0 and (2 / a).data == 0.5
    assert (-a).data == -4.0
    assert (a**2).data == 16.0 and (2**a).data == 16.0 and (a ** Value(0.5)).data == 2.0


def test_op_names_follow_karpathy() -> None:
    a = Value(2.0)
    assert (a + 1)._op == "+"
    assert (a * 1)._op == "*"
    assert (a**2)._op == "**2"
    assert (a**-1)._op == "**-1"
    assert (a**0.5)._op == "**0.5"
    assert a.relu()._op == "ReLU"
    assert a.tanh()._op == "tanh"


def test_value_rejects_what_is_not_a_number() -> None:
    with pytest.raises(TypeError, match="real number"):
        Value("2.0")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Value(1.0) + "x"  # type: ignore[operator]


def test_hand_built_nodes_use_the_op_table() -> None:
    """Lecture-style code builds nodes directly: ``Value(a.data*b.data, (a, b), '*')``."""
    a, b = Value(3.0), Value(-2.0)
    out = Value(a.data * b.data, (a, b), "*")
    out.backward()
    assert (a.grad, b.grad) == (-2.0, 3.0)
    squared = Value(a.data**2, (a,), "**2")
    a.grad = 0.0
    squared.backward()
    assert a.grad == 6.0


def test_unknown_op_is_a_clear_error() -> None:
    a = Value(1.0)
    out = Value(5.0, (a,), "mystery")
    with pytest.raises(ValueError, match="no local derivative is known for op 'mystery'"):
        out.backward()
