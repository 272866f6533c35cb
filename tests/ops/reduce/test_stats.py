"""Parity of var, std, norm and logsumexp with torch; errors; numerics."""

import math

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.ops._parity import Case, make_tests
from tests.ops._reduce_cases import INF, INTS, X3, _zeros


def _abs_tie(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Exactly two elements, of opposite signs, share the largest |x|."""
    a = rng.uniform(-1, 1, (3, 4))
    a[0, 1], a[2, 3] = 5.0, -5.0
    return [a.astype(dtype)]


def _constant_rows(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Rows 0 and 2 are constant: std 0 there."""
    a = rng.uniform(-2, 2, (3, 4))
    a[0] = 1.5
    a[2] = -0.25
    return [a.astype(dtype)]


def _neg_inf(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Row 0 all -inf, row 1 partly -inf, row 2 finite."""
    a = rng.uniform(-2, 2, (3, 4))
    a[0] = -INF
    a[1, [0, 2]] = -INF
    return [a.astype(dtype)]


def _large(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Values around 1e4: exp overflows without the max-subtraction trick."""
    return [(1e4 + rng.uniform(-3, 3, (3, 4))).astype(dtype)]


CASES = [
    # var / std
    Case("var", lambda m, a: m.var(a), X3),
    Case("var", lambda m, a: a.var(1), X3, name="dim"),
    Case("var", lambda m, a: a.var((0, -1), keepdim=True), X3, name="tuple-keepdim"),
    Case("var", lambda m, a: m.var(a, 2, correction=0), X3, name="correction0"),
    Case("var", lambda m, a: m.var(a, 1, correction=2), X3, name="correction2"),
    Case("var", lambda m, a: m.var(a, 1, correction=-1), X3, name="correction-1"),
    Case("std", lambda m, a: m.std(a), X3),
    Case("std", lambda m, a: a.std(-1), X3, name="dim"),
    Case("std", lambda m, a: a.std((0, 1), correction=0, keepdim=True), X3, name="tuple"),
    Case("std", lambda m, a: a.std(1), make=_constant_rows, name="zero-std"),
    # norm: torch.norm and torch.linalg.vector_norm numbers
    Case("norm", lambda m, a: m.norm(a), X3),
    Case("norm", lambda m, a: a.norm(2, 1), X3, name="p2-dim"),
    Case("norm", lambda m, a: a.norm("fro", (0, 2), keepdim=True), X3, name="fro-tuple"),
    Case("norm", lambda m, a: a.norm(1, -1), X3, name="p1"),
    Case("norm", lambda m, a: a.norm(INF, 1), X3, name="inf"),
    Case("norm", lambda m, a: a.norm(-INF, 1, keepdim=True), X3, name="-inf"),
    Case("norm", lambda m, a: a.norm(INF), make=_abs_tie, name="inf-tie"),
    Case("norm", lambda m, a: a.norm(3, 0), X3, name="p3"),
    Case("norm", lambda m, a: a.norm(0.5, 2), X3, name="p0.5"),
    Case("norm", lambda m, a: a.norm(1.5, (1, 2)), X3, name="p1.5"),
    Case("norm", lambda m, a: a.norm(2, 1), make=_zeros, name="p2-zeros"),
    Case("norm", lambda m, a: a.norm(1, 1), make=_zeros, name="p1-zeros"),
    Case("norm", lambda m, a: a.norm(3, 1), make=_zeros, name="p3-zeros"),
    Case("norm", lambda m, a: a.norm(0.5, 1), make=_zeros, name="p0.5-zeros"),
    Case("norm", lambda m, a: a.norm(1.5, 1), make=_zeros, name="p1.5-zeros"),
    Case("norm", lambda m, a: a.norm(INF, 1), make=_zeros, name="inf-zeros"),
    Case("norm", lambda m, a: m.norm(a), make=_zeros, name="fro-zeros"),
    # logsumexp
    Case("logsumexp", lambda m, a: m.logsumexp(a, 1), X3),
    Case("logsumexp", lambda m, a: a.logsumexp(-1, keepdim=True), X3, name="keepdim"),
    Case("logsumexp", lambda m, a: m.logsumexp(a, (0, 2)), X3, name="tuple"),
    Case("logsumexp", lambda m, a: m.logsumexp(a, 1), make=_large, name="large"),
    Case("logsumexp", lambda m, a: m.logsumexp(a, 1), make=_neg_inf, gradcheck=False,
         name="neg-inf"),
    Case("logsumexp", lambda m, a: m.logsumexp(a, 0), ((3, 4),), dtypes=INTS, grad=False,
         name="int"),
]  # fmt: skip

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ errors
def test_var_and_std_of_integers_raise() -> None:
    for fn in (sg.var, sg.std):
        with pytest.raises(RuntimeError, match="only support floating point"):
            fn(sg.arange(4))


def test_negative_correction_matches_torch() -> None:
    x = np.arange(1.0, 6.0, dtype=np.float32)
    ours = sg.var(sg.tensor(x), correction=-1).item()
    assert ours == pytest.approx(torch.var(torch.tensor(x), correction=-1).item(), rel=1e-6)


@pytest.mark.parametrize("p", ["nuc", "abc", 0, -1, -2.5, math.nan, True])
def test_norm_rejects_an_unknown_p(p: object) -> None:
    with pytest.raises(ValueError, match="p must be 'fro', inf, -inf or a positive number, got p="):
        sg.norm(sg.ones(2, 2), p)


def test_norm_of_integers_raises() -> None:
    with pytest.raises(RuntimeError, match="Expected a floating point .* Got Long"):
        sg.norm(sg.arange(4))


# ------------------------------------------------------------------ numerics
# ------------------------------------------------------------------ numerics
def test_logsumexp_is_stable_for_large_and_infinite_inputs() -> None:
    a = np.array([[1e4, 1e4 + 1.0], [-1e4, -1e4], [-INF, -INF], [INF, 1.0]], dtype=np.float32)
    ours = sg.logsumexp(sg.tensor(a), 1).numpy()
    theirs = torch.logsumexp(torch.tensor(a), 1).numpy()
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    assert not np.isnan(ours).any() and ours[2] == -INF and ours[3] == INF


def test_gradients_at_zero_are_zero_not_nan() -> None:
    x = sg.zeros(2, 3, requires_grad=True)
    (sg.norm(x, dim=1).sum() + x.std(1).sum() + sg.norm(x, 3)).backward()
    assert x.grad is not None and x.grad.tolist() == [[0.0] * 3] * 2
