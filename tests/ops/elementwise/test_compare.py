"""Parity of comparisons, logical ops, maximum/minimum, clamp and where with torch."""

import pytest

import scratchgrad as sg
from tests.ops._parity import Case, make_tests
from tests.ops.elementwise.test_arithmetic import B, _ties

CASES = [
    Case("maximum", lambda m, a, b: m.maximum(a, b), B),
    Case("maximum", lambda m, a, b: m.maximum(a, b), make=_ties, name="ties"),
    Case("minimum", lambda m, a, b: m.minimum(a, b), B),
    Case("minimum", lambda m, a, b: m.minimum(a, b), make=_ties, name="ties"),
    Case("clamp", lambda m, a: m.clamp(a, -0.5, 0.7), ((3, 4),)),
    Case("clamp", lambda m, a: a.clamp(min=0.1), ((3, 4),), name="min"),
    Case("clamp", lambda m, a: a.clamp(max=0.1), ((3, 4),), name="max"),
    Case("where", lambda m, a, b: m.where(a > 0, a, b), B),
    Case("where", lambda m, a: m.where(a > 0, a, 0.0), ((3, 4),), name="scalar"),
    # comparisons and logic
    Case("eq", lambda m, a, b: a == b, make=_ties, grad=False),
    Case("ne", lambda m, a, b: a != b, make=_ties, grad=False),
    Case("lt", lambda m, a, b: a < b, B, grad=False),
    Case("le", lambda m, a, b: a <= b, make=_ties, grad=False),
    Case("gt", lambda m, a, b: a > b, B, grad=False),
    Case("ge", lambda m, a, b: a >= b, make=_ties, grad=False),
    Case("lt", lambda m, a: a > 0.5, ((3, 4),), grad=False, name="scalar-left"),
    Case("logical_and", lambda m, a, b: m.logical_and(a > 0, b > 0), B, grad=False),
    Case("logical_or", lambda m, a, b: m.logical_or(a > 0, b > 0), B, grad=False),
    Case("logical_xor", lambda m, a, b: m.logical_xor(a > 0, b > 0), B, grad=False),
    Case("logical_not", lambda m, a: m.logical_not(a > 0), ((3, 4),), grad=False),
    Case("logical_and", lambda m, a, b: (a > 0) & (b > 0), B, grad=False, name="ops"),
    Case("logical_not", lambda m, a: ~(a > 0), ((3, 4),), grad=False, name="invert"),
    Case("isnan", lambda m, a: m.isnan(m.log(a)), ((3, 4),), grad=False),
    Case("isfinite", lambda m, a: m.isfinite(1 / m.floor(a)), ((3, 4),), grad=False),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_clamp_needs_a_bound() -> None:
    with pytest.raises(ValueError, match="at least one of 'min' or 'max'"):
        sg.clamp(sg.ones(2))
