"""Parity of tanhshrink, softshrink and hardshrink with torch."""

import pytest

import scratchgrad as sg
from tests.ops._parity import Case, make_tests


def F(m):  # noqa: N802 - the usual alias of nn.functional
    return m.nn.functional


CASES = [
    Case(("tanh", "sub"), lambda m, x: F(m).tanhshrink(x), ((3, 4),), name="tanhshrink"),
    Case(("clamp", "sub"), lambda m, x: F(m).softshrink(x), ((3, 4),), name="softshrink"),
    Case(("clamp", "sub"), lambda m, x: F(m).softshrink(x, 1.2), ((5, 4),), name="softshrink-1.2"),
    Case(("where", "abs"), lambda m, x: F(m).hardshrink(x), ((3, 4),), name="hardshrink"),
    Case(("where", "abs"), lambda m, x: F(m).hardshrink(x, 0.9), ((5, 4),), name="hardshrink-0.9"),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_values_at_the_edges() -> None:
    x = sg.tensor([-0.5, 0.5, 0.0])
    assert F(sg).softshrink(x).tolist() == [0.0, 0.0, 0.0]
    assert F(sg).hardshrink(x).tolist() == [0.0, 0.0, 0.0]


def test_softshrink_refuses_a_negative_lambda() -> None:
    with pytest.raises(ValueError, match="softshrink: lambda must be greater or equal to 0"):
        F(sg).softshrink(sg.zeros(2), -1.0)
