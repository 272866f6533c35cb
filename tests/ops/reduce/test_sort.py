"""Parity of sorting and selection (sort, argsort, topk, kthvalue, median, mode, unique,
nonzero, searchsorted, bucketize) with torch: values, indices, gradients, errors.
"""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.tensor import MaxMin
from tests.ops._parity import Case, make_tests
from tests.ops._sort_cases import (
    INTS,
    SMALL_INTS,
    distinct,
    sorted_and_values,
    ties,
    with_nan,
)

pytestmark = pytest.mark.filterwarnings("ignore:torch.searchsorted..:UserWarning")
D34, D234 = distinct((3, 4)), distinct((2, 3, 4))
TIES = ties((4, 7))


def _sorted_topk(m, a):
    """topk(sorted=False) leaves the order to the implementation: compare it sorted."""
    return m.sort(m.topk(a, 3, sorted=False).values, descending=True).values


CASES = [
    # sort: values and gradients (no ties), indices; stable order of ties; NaN last
    Case("sort", lambda m, a: m.sort(a), make=D34),
    Case("sort", lambda m, a: a.sort(0, descending=True), make=D234, name="dim0-desc"),
    Case("sort", lambda m, a: m.sort(a, 1, True), make=D234, name="dim1-desc-positional"),
    Case("sort", lambda m, a: m.sort(a, -2), make=D234, name="neg"),
    Case("sort", lambda m, a: m.sort(a, 0), ((),), name="0d"),
    Case("sort", lambda m, a: m.sort(a, 0), ((0, 3),), gradcheck=False, name="empty"),
    Case("sort", lambda m, a: m.sort(a, stable=True), make=TIES, grad=False, name="ties"),
    Case("sort", lambda m, a: m.sort(a, descending=True, stable=True), make=TIES,
         dtypes=("float32", *SMALL_INTS, "bool"), grad=False, name="ties-desc"),
    Case("sort", lambda m, a: m.sort(a, dim=1, stable=True), make=TIES, grad=False,
         dtypes=(*SMALL_INTS, "bool"), name="ties-int"),
    Case("sort", lambda m, a: m.sort(a, 1), make=with_nan((3, 5)), gradcheck=False,
         name="nan"),
    Case("sort", lambda m, a: m.sort(a, 1, descending=True), make=with_nan((3, 5)),
         gradcheck=False, name="nan-desc"),
    Case("sort", lambda m, a: m.msort(a), make=D34, name="msort"),
    Case("sort", lambda m, a: a.msort(), make=D34, dtypes=INTS, grad=False, name="msort-int"),
    # argsort
    Case("argsort", lambda m, a: m.argsort(a), make=D34, grad=False),
    Case("argsort", lambda m, a: a.argsort(0, descending=True), make=D234, grad=False,
         name="dim0-desc"),
    Case("argsort", lambda m, a: m.argsort(a, dim=1, descending=True, stable=True), make=TIES,
         dtypes=("float64", *INTS, "bool"), grad=False, name="ties-desc"),
    Case("argsort", lambda m, a: m.argsort(a, stable=True), make=TIES, grad=False,
         name="ties"),
    Case("argsort", lambda m, a: m.argsort(a, 0), ((),), grad=False, name="0d"),
    # topk
    Case("topk", lambda m, a: m.topk(a, 2), make=D34),
    Case("topk", lambda m, a: a.topk(2, 0, largest=False), make=D234, name="dim0-smallest"),
    Case("topk", lambda m, a: m.topk(a, 4, -1), make=D234, name="all"),
    Case("topk", lambda m, a: m.topk(a, 0, 1), make=D34, name="k0"),
    Case("topk", _sorted_topk, make=distinct((2, 9)), name="unsorted"),
    Case("topk", lambda m, a: m.topk(a, 2, 1), make=with_nan((3, 5), 1), gradcheck=False,
         name="nan"),
    Case("topk", lambda m, a: m.topk(a, 1, 0), ((),), name="0d"),
    Case("topk", lambda m, a: m.topk(a, 3, 1, False), make=D34, dtypes=SMALL_INTS, grad=False,
         name="int"),
    # kthvalue
    Case("kthvalue", lambda m, a: m.kthvalue(a, 2), make=D34),
    Case("kthvalue", lambda m, a: a.kthvalue(3, 0, keepdim=True), make=D34, name="keepdim"),
    Case("kthvalue", lambda m, a: m.kthvalue(a, 1, -2), make=D234, name="neg"),
    Case("kthvalue", lambda m, a: m.kthvalue(a, 4, 1), make=with_nan((3, 5)),
         gradcheck=False, name="nan"),
    Case("kthvalue", lambda m, a: m.kthvalue(a, 1, 0, True), ((),), name="0d"),
    Case("kthvalue", lambda m, a: m.kthvalue(a, 2, 1), make=D34, dtypes=SMALL_INTS,
         grad=False, name="int"),
    # median: of all elements (ties share the gradient) and along a dim (lower median)
    Case("median", lambda m, a: m.median(a), make=D34, name="all-even"),
    Case("median", lambda m, a: a.median(), make=D234, name="all"),
    Case("median", lambda m, a: m.median(a), make=distinct((5, 3)), name="all-odd"),
    Case("median", lambda m, a: m.median(a), make=TIES, gradcheck=False, name="all-ties"),
    Case("median", lambda m, a: m.median(a), make=with_nan((3, 5)), gradcheck=False,
         name="all-nan"),
    Case("median", lambda m, a: m.median(a), ((0,),), grad=False, name="all-empty"),
    Case("median", lambda m, a: m.median(a, 1), make=D34, name="dim-even"),
    Case("median", lambda m, a: a.median(0, keepdim=True), make=distinct((5, 3)),
         name="dim-odd-keepdim"),
    Case("median", lambda m, a: m.median(a, -1), make=with_nan((3, 5)), gradcheck=False,
         name="dim-nan"),
    Case("median", lambda m, a: m.median(a, 0), ((),), name="0d"),
    Case("median", lambda m, a: m.median(a), make=distinct((3, 5)), dtypes=SMALL_INTS,
         grad=False, name="all-int"),
    Case("median", lambda m, a: m.median(a, 1), make=distinct((3, 5)), dtypes=SMALL_INTS,
         grad=False, name="dim-int"),
    # mode: the smallest most frequent value; torch's index is its last occurrence in
    # lanes of up to 16 elements (its std::sort is then an insertion sort), any one beyond
    Case("mode", lambda m, a: m.mode(a), make=TIES, gradcheck=False),
    Case("mode", lambda m, a: a.mode(0, keepdim=True), make=TIES, gradcheck=False,
         name="dim0-keepdim"),
    Case("mode", lambda m, a: m.mode(a, 1).values, make=ties((6, 40), 0, 5), grad=False,
         dtypes=("float64", *SMALL_INTS, "bool"), name="long-lanes"),
    Case("mode", lambda m, a: m.mode(a, -1), make=D234, name="distinct"),
    Case("mode", lambda m, a: m.mode(a, 0), ((),), name="0d"),
    # unique: sorted values, inverse indices, counts; no gradient
    Case("unique", lambda m, a: m.unique(a), make=TIES, grad=False,
         dtypes=("float32", *SMALL_INTS, "bool")),
    Case("unique", lambda m, a: a.unique(return_inverse=True, return_counts=True), make=TIES,
         grad=False, dtypes=("float64", "int64", "bool"), name="inverse-counts"),
    Case("unique", lambda m, a: m.unique(a, sorted=False, return_counts=True), make=TIES,
         grad=False, name="counts"),
    Case("unique", lambda m, a: m.unique(a, return_inverse=True, dim=0),
         make=ties((8, 2), 0, 1), grad=False, dtypes=INTS, name="dim0"),
    Case("unique", lambda m, a: m.unique(a, return_inverse=True, return_counts=True, dim=1),
         make=ties((2, 9), 0, 1), grad=False, dtypes=INTS, name="dim1"),
    Case("unique", lambda m, a: m.unique(a, return_inverse=True), ((),), grad=False,
         dtypes=("int64",), name="0d"),
    Case("unique", lambda m, a: m.unique(a, return_inverse=True, return_counts=True),
         make=with_nan((3, 5)), grad=False, name="nan"),
    # nonzero
    Case("nonzero", lambda m, a: m.nonzero(a), make=TIES, grad=False,
         dtypes=("float32", *SMALL_INTS, "bool")),
    Case("nonzero", lambda m, a: a.nonzero(as_tuple=True), make=ties((2, 3, 4), -1, 1),
         grad=False, name="tuple"),
    Case("nonzero", lambda m, a: m.nonzero(a), make=ties((), 0, 1), grad=False,
         dtypes=("int64", "bool"), name="0d"),
    Case("nonzero", lambda m, a: m.nonzero(a, as_tuple=True), make=ties((), 0, 1),
         grad=False, dtypes=("int64", "bool"), name="0d-tuple"),
    Case("nonzero", lambda m, a: m.nonzero(a * 0), ((3, 2),), grad=False, name="none"),
    # searchsorted / bucketize
    Case("searchsorted", lambda m, s, v: m.searchsorted(s, v), grad=False,
         make=sorted_and_values((7,), (3, 4)), dtypes=("float32", "float64", *INTS)),
    Case("searchsorted", lambda m, s, v: m.searchsorted(s, v, right=True), grad=False,
         make=sorted_and_values((7,), (9,), ints=True), name="right"),
    Case("searchsorted", lambda m, s, v: m.searchsorted(s, v, side="right", out_int32=True),
         make=sorted_and_values((2, 3, 6), (2, 3, 4)), grad=False, name="batched-side-int32"),
    Case("searchsorted", lambda m, s, v: m.searchsorted(s, v, side="left"),
         make=sorted_and_values((3, 6), (3, 1), ints=True), dtypes=INTS, grad=False,
         name="batched-int"),
    Case("searchsorted", lambda m, s, v: m.searchsorted(s, v[0, 0]), grad=False,
         make=sorted_and_values((7,), (1, 1)), name="0d-value"),
    Case("searchsorted", lambda m, s, v: m.searchsorted(s, 0.5, right=True), grad=False,
         make=sorted_and_values((7,), (1,)), name="scalar"),
    Case("searchsorted", lambda m, s, v: m.searchsorted(s.flip(0), v, sorter=m.argsort(
         s.flip(0), stable=True)), make=sorted_and_values((7,), (5,)), grad=False,
         name="sorter"),
    Case("searchsorted", lambda m, s, v: m.searchsorted(s, v), make=sorted_and_values((5,), (0,)),
         grad=False, name="empty"),
    Case("bucketize", lambda m, s, v: m.bucketize(v, s), make=sorted_and_values((7,), (3, 4)),
         grad=False, dtypes=("float32", *INTS)),
    Case("bucketize", lambda m, s, v: m.bucketize(v, s, right=True, out_int32=True),
         make=sorted_and_values((7,), (3, 4), ints=True), grad=False, name="right-int32"),
    Case("bucketize", lambda m, s, v: m.bucketize(2.0, s), make=sorted_and_values((7,), (1,)),
         grad=False, name="scalar"),
]  # fmt: skip

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ results
def test_results_are_named_tuples_and_only_values_have_gradients() -> None:
    x = sg.tensor([[3.0, 1.0, 2.0]], requires_grad=True)
    for out in (x.sort(), x.topk(2), x.kthvalue(1), x.median(1), x.mode(1)):
        assert isinstance(out, MaxMin)
        assert out.values.requires_grad
        assert not out.indices.requires_grad
        assert out.indices.dtype == np.int64
    assert not sg.argsort(x).requires_grad
    assert not sg.unique(x).requires_grad


def test_mode_takes_the_smallest_of_equally_frequent_values_at_its_last_index() -> None:
    x = [[2.0, 1.0, 1.0, 2.0, 3.0, 1.0, 2.0], [5.0, 5.0, 3.0, 3.0, 3.0, 5.0, 0.0]]
    ours, theirs = sg.tensor(x).mode(1), torch.tensor(x).mode(1)
    assert ours.values.tolist() == theirs.values.tolist() == [1.0, 3.0]
    assert ours.indices.tolist() == theirs.indices.tolist() == [5, 4]


def test_sort_gradient_lands_at_the_sorted_positions() -> None:
    x = sg.tensor([3.0, 1.0, 2.0], requires_grad=True)
    (x.sort().values * sg.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [100.0, 1.0, 10.0]


def test_median_of_all_shares_the_gradient_between_ties() -> None:
    x = sg.tensor([1.0, 2.0, 2.0, 5.0], requires_grad=True)
    x.median().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5, 0.0]


# ------------------------------------------------------------------ errors, as torch
def _both_raise(fn, x: np.ndarray, exc: type[Exception], match: str) -> None:
    with pytest.raises(exc, match=match):
        fn(torch, torch.from_numpy(x))
    with pytest.raises(exc, match=match):
        fn(sg, sg.from_numpy(x))


X = np.arange(12.0).reshape(3, 4)
DIM_OPS = {
    "sort": lambda m, x: m.sort(x, 2),
    "argsort": lambda m, x: m.argsort(x, -3),
    "topk": lambda m, x: m.topk(x, 1, 2),
    "kthvalue": lambda m, x: m.kthvalue(x, 1, 5),
    "median": lambda m, x: m.median(x, -3),
    "mode": lambda m, x: m.mode(x, 2),
    "cumprod": lambda m, x: m.cumprod(x, 2),
    "cummax": lambda m, x: m.cummax(x, -3),
    "cummin": lambda m, x: m.cummin(x, 2),
    "logcumsumexp": lambda m, x: m.logcumsumexp(x, 2),
}


@pytest.mark.parametrize("op", DIM_OPS)
def test_dim_out_of_range(op: str) -> None:
    _both_raise(DIM_OPS[op], X, IndexError, r"Dimension out of range \(expected to be in range "
                r"of \[-2, 1\], but got -?\d\)")  # fmt: skip
    with pytest.raises(IndexError, match=op):
        DIM_OPS[op](sg, sg.from_numpy(X))


@pytest.mark.parametrize("k", [-1, 5])
def test_topk_k_out_of_range(k: int) -> None:
    _both_raise(lambda m, x: m.topk(x, k), X, RuntimeError, "selected index k out of range")


@pytest.mark.parametrize("k", [0, 5])
def test_kthvalue_k_out_of_range(k: int) -> None:
    _both_raise(lambda m, x: m.kthvalue(x, k), X, RuntimeError,
                "kthvalue\\(\\): selected number k out of range for dimension 1")  # fmt: skip


@pytest.mark.parametrize("op", ["kthvalue", "median", "mode"])
def test_reduction_over_an_empty_dim(op: str) -> None:
    fn = {"kthvalue": lambda m, x: m.kthvalue(x, 1, 0), "median": lambda m, x: m.median(x, 0),
          "mode": lambda m, x: m.mode(x, 0)}[op]  # fmt: skip
    _both_raise(fn, np.zeros((0, 3)), IndexError, "Expected reduction dim 0 to have non-zero size")


def test_bool_refused_where_torch_refuses_it() -> None:
    b = np.array([True, False])
    _both_raise(lambda m, x: m.topk(x, 1), b, RuntimeError, "bool")
    _both_raise(lambda m, x: m.kthvalue(x, 1), b, NotImplementedError, "Bool")
    _both_raise(lambda m, x: m.median(x), b, NotImplementedError, "Bool")


SEARCH_ERRORS = {
    "shapes": (lambda m: m.searchsorted(m.ones(2, 3), m.ones(3, 1)), "first N-1 dimensions"),
    "ndim": (lambda m: m.searchsorted(m.ones(2, 3), m.ones(3)), "first N-1 dimensions"),
    "scalar-2d": (lambda m: m.searchsorted(m.ones(2, 3), 1.0), "can be a scalar only"),
    "0d-seq": (lambda m: m.searchsorted(m.ones(()), m.ones(())), "can be a scalar only"),
    "side": (lambda m: m.searchsorted(m.ones(3), m.ones(2), side="up"), "side can only be"),
    "side-right": (lambda m: m.searchsorted(m.ones(3), m.ones(2), side="left", right=True),
                   "can't be set to opposites"),
    "sorter": (lambda m: m.searchsorted(m.ones(3), m.ones(2), sorter=m.zeros(2, dtype=m.long)),
               "sorter must have the same size"),
    "bucketize-2d": (lambda m: m.bucketize(m.ones(2), m.ones(2, 3)), "must be 1 dimension"),
}  # fmt: skip


@pytest.mark.parametrize("case", SEARCH_ERRORS)
def test_searchsorted_errors(case: str) -> None:
    fn, match = SEARCH_ERRORS[case]
    with pytest.raises(RuntimeError, match=match):
        fn(torch)
    with pytest.raises(RuntimeError, match=match):
        fn(sg)
