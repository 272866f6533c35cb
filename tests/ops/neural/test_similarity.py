"""Parity of normalize, cosine_similarity and pairwise_distance with torch, zero vectors too."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.ops._parity import Case, make_tests


def F(m):  # noqa: N802 - the usual alias of nn.functional
    return m.nn.functional


def _with_zero_rows(*shapes):
    """Random arrays whose second row (or element along dim 0) is all zeros."""

    def make(rng, dtype):
        arrays = [rng.uniform(-2, 2, s).astype(dtype) for s in shapes]
        arrays[0][1] = 0
        return arrays

    return make


NORMALIZE = ("norm", "clamp", "div")
COSINE = ("norm", "div", "mul", "sum")
PAIRWISE = ("sub", "add", "norm")

CASES = [
    Case(NORMALIZE, lambda m, x: F(m).normalize(x), ((4, 5),), name="default"),
    Case(NORMALIZE, lambda m, x: F(m).normalize(x, p=1.0, dim=-1), ((2, 3, 4),), name="p1"),
    Case(NORMALIZE, lambda m, x: F(m).normalize(x, p=float("inf"), dim=0), ((3, 4),), name="inf"),
    Case(NORMALIZE, lambda m, x: F(m).normalize(x, dim=0), ((5,),), name="1d"),
    # a zero vector stays zero; its gradient is g / eps in both (finite differences can't follow)
    Case(
        NORMALIZE,
        lambda m, x: F(m).normalize(x, dim=1, eps=1e-3),
        make=_with_zero_rows((3, 4)),
        gradcheck=False,
        name="zero-row",
    ),
    Case(COSINE, lambda m, a, b: F(m).cosine_similarity(a, b), ((5, 4), (5, 4)), name="default"),
    Case(
        COSINE,
        lambda m, a, b: F(m).cosine_similarity(a, b, dim=-1),
        ((3, 1, 4), (5, 4)),
        name="broadcast",
    ),
    Case(
        COSINE,
        lambda m, a, b: F(m).cosine_similarity(a, b, dim=0, eps=0.5),
        ((4, 3), (4, 1)),
        name="dim0-broadcast-along-dim",
    ),
    Case(
        COSINE,
        lambda m, a, b: F(m).cosine_similarity(a, b, eps=1e-3),
        make=_with_zero_rows((4, 5), (4, 5)),
        gradcheck=False,
        name="zero-row",
    ),
    Case(PAIRWISE, lambda m, a, b: F(m).pairwise_distance(a, b), ((5, 4), (5, 4)), name="p2"),
    Case(
        PAIRWISE,
        lambda m, a, b: F(m).pairwise_distance(a, b, p=1.0, keepdim=True),
        ((5, 4), (4,)),
        name="p1-keepdim-broadcast",
    ),
    Case(
        PAIRWISE,
        lambda m, a, b: F(m).pairwise_distance(a, b, p=3.0, eps=0.0),
        ((4,), (4,)),
        name="1d-p3",
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_cosine_similarity_of_zero_vectors_is_zero() -> None:
    z = sg.zeros(2, 3)
    assert F(sg).cosine_similarity(z, sg.ones(2, 3)).tolist() == [0.0, 0.0]


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
def test_normalize_keeps_nan_and_inf_rows_as_torch() -> None:
    a = np.array([[np.nan, 1.0], [np.inf, 1.0], [1.0, 2.0]])
    ours = F(sg).normalize(sg.tensor(a)).numpy()
    theirs = torch.nn.functional.normalize(torch.tensor(a)).numpy()
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
    np.testing.assert_allclose(ours, theirs, equal_nan=True)


def test_cosine_similarity_of_integer_inputs_is_float() -> None:
    out = F(sg).cosine_similarity(sg.tensor([[1, 0]]), sg.tensor([[1, 1]]))
    assert out.dtype == sg.float32
