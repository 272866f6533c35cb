"""Parity of reductions (sum, mean, prod, max/min, arg*, cumsum, any/all) with torch.

The statistics (var/std, norm, logsumexp) have their parity cases in test_stats.py; the
family-wide tests here (dims, empty inputs, dtypes) cover them too.
"""

import warnings

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.tensor import MaxMin
from tests.ops._parity import Case, make_tests
from tests.ops._reduce_cases import INF, INTS, X3, _zeros


def _ties(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Small integers: every row has repeated values, often a tied max and min."""
    return [rng.integers(-2, 3, (3, 5)).astype(dtype)]


def _two_way_tie(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Exactly two elements share the maximum (and two others the minimum)."""
    a = rng.uniform(-1, 1, (3, 4))
    a[0, 1] = a[2, 3] = 5.0
    a[1, 0] = a[1, 2] = -5.0
    return [a.astype(dtype)]


def _one_zero(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    a = rng.choice([-1.0, 1.0], (3, 4)) * rng.uniform(0.5, 2.0, (3, 4))
    a[1, 2] = 0.0
    return [a.astype(dtype)]


CASES = [
    # sum
    Case("sum", lambda m, a: m.sum(a), X3),
    Case("sum", lambda m, a: a.sum(1), X3, name="dim"),
    Case("sum", lambda m, a: a.sum(-1, keepdim=True), X3, name="neg-keepdim"),
    Case("sum", lambda m, a: m.sum(a, (0, 2)), X3, name="tuple"),
    Case("sum", lambda m, a: m.sum(a, [2, -3], keepdim=True), X3, name="list-keepdim"),
    Case("sum", lambda m, a: a.sum(dtype=m.float64), ((3, 4),), dtypes=("float32",),
         name="dtype"),
    Case("sum", lambda m, a: m.sum(a, 0), ((),), name="0d"),
    Case("sum", lambda m, a: m.sum(a, 1), ((3, 4),), dtypes=(*INTS, "bool", "uint8"),
         low=-9, high=9, grad=False, name="int"),
    # mean
    Case("mean", lambda m, a: m.mean(a), X3),
    Case("mean", lambda m, a: a.mean(1), X3, name="dim"),
    Case("mean", lambda m, a: a.mean((-1, 0), keepdim=True), X3, name="tuple-keepdim"),
    Case("mean", lambda m, a: m.mean(a, 0, dtype=m.float64), ((3, 4),), dtypes=("float32",),
         name="dtype"),
    Case("mean", lambda m, a: m.mean(a, dtype=m.float32), ((3, 4),), dtypes=INTS, low=-9,
         high=9, grad=False, name="int-dtype"),
    # prod: gradients with no, one, several and only zeros
    Case("prod", lambda m, a: m.prod(a), ((3, 4),), low=0.5, high=1.5),
    Case("prod", lambda m, a: a.prod(1), X3, name="dim"),
    Case("prod", lambda m, a: a.prod(-3, keepdim=True), X3, name="neg-keepdim"),
    Case("prod", lambda m, a: m.prod(a, 1), make=_zeros, name="zeros-dim1"),
    Case("prod", lambda m, a: m.prod(a, 0), make=_zeros, name="zeros-dim0"),
    Case("prod", lambda m, a: m.prod(a), make=_one_zero, name="one-zero-all"),
    Case("prod", lambda m, a: m.prod(a), make=_zeros, name="zeros-all"),
    Case("prod", lambda m, a: m.prod(a, 0), ((),), name="0d"),
    Case("prod", lambda m, a: m.prod(a, 1), ((3, 4),), dtypes=(*INTS, "bool"), low=-3, high=3,
         grad=False, name="int"),
    # max / min: full reduction (ties share the gradient) and along a dim (first index)
    Case("max", lambda m, a: m.max(a), X3),
    Case("max", lambda m, a: a.max(1), X3, name="dim"),
    Case("max", lambda m, a: m.max(a, -1, keepdim=True), X3, name="neg-keepdim"),
    Case("max", lambda m, a: m.max(a), make=_ties, gradcheck=False, name="ties-all"),
    Case("max", lambda m, a: m.max(a, 1), make=_ties, gradcheck=False, name="ties-dim"),
    Case("max", lambda m, a: m.max(a), make=_two_way_tie, name="two-way-tie"),
    Case("max", lambda m, a: m.max(a, 0), ((),), name="0d"),
    Case("max", lambda m, a: a.max(0), ((3, 4),), dtypes=INTS, grad=False, name="int"),
    Case("min", lambda m, a: m.min(a), X3),
    Case("min", lambda m, a: a.min(0), X3, name="dim"),
    Case("min", lambda m, a: m.min(a, 2, keepdim=True), X3, name="keepdim"),
    Case("min", lambda m, a: m.min(a), make=_ties, gradcheck=False, name="ties-all"),
    Case("min", lambda m, a: m.min(a, 1), make=_ties, gradcheck=False, name="ties-dim"),
    Case("min", lambda m, a: m.min(a), make=_two_way_tie, name="two-way-tie"),
    Case("min", lambda m, a: a.min(1), ((3, 4),), dtypes=("bool",), grad=False, name="bool"),
    # argmax / argmin: int64, first occurrence, flattened when dim is None
    Case("argmax", lambda m, a: m.argmax(a), make=_ties, grad=False),
    Case("argmax", lambda m, a: a.argmax(1), make=_ties, grad=False, name="dim"),
    Case("argmax", lambda m, a: a.argmax(-2, keepdim=True), X3, grad=False, name="keepdim"),
    Case("argmax", lambda m, a: a.argmax(keepdim=True), X3, grad=False, name="all-keepdim"),
    Case("argmin", lambda m, a: m.argmin(a), make=_ties, grad=False),
    Case("argmin", lambda m, a: a.argmin(0), make=_ties, grad=False, name="dim"),
    Case("argmin", lambda m, a: a.argmin(1), ((3, 4),), dtypes=INTS, grad=False, name="int"),
    # cumsum
    Case("cumsum", lambda m, a: m.cumsum(a, 0), X3),
    Case("cumsum", lambda m, a: a.cumsum(1), X3, name="dim1"),
    Case("cumsum", lambda m, a: a.cumsum(-1), X3, name="neg"),
    Case("cumsum", lambda m, a: m.cumsum(a, 0), ((),), name="0d"),
    Case("cumsum", lambda m, a: m.cumsum(a, 1), ((3, 4),), dtypes=(*INTS, "bool"), low=-9,
         high=9, grad=False, name="int"),
    # any / all: bool results (uint8 for uint8, as torch)
    Case("any", lambda m, a: m.any(a > 1), X3, grad=False),
    Case("any", lambda m, a: (a > 1).any(1, keepdim=True), X3, grad=False, name="dim"),
    Case("any", lambda m, a: m.any(a, -1), ((3, 4),), dtypes=("bool", "uint8", "int64"),
         low=0, high=1, grad=False, name="int"),
    Case("all", lambda m, a: m.all(a > -1), X3, grad=False),
    Case("all", lambda m, a: (a > -1).all(0), X3, grad=False, name="dim"),
    Case("all", lambda m, a: m.all(a, 1), ((3, 4),), dtypes=("bool", "uint8", "float32"),
         low=0, high=1, grad=False, name="int"),
]  # fmt: skip

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ errors
OPS_WITH_DIM = {
    "sum": lambda m, x, d: m.sum(x, d),
    "sum-tuple": lambda m, x, d: m.sum(x, (0, d)),
    "mean": lambda m, x, d: m.mean(x, d),
    "prod": lambda m, x, d: m.prod(x, d),
    "max": lambda m, x, d: m.max(x, d),
    "min": lambda m, x, d: m.min(x, d),
    "argmax": lambda m, x, d: m.argmax(x, d),
    "argmin": lambda m, x, d: m.argmin(x, d),
    "var": lambda m, x, d: m.var(x, d),
    "std": lambda m, x, d: m.std(x, d),
    "norm": lambda m, x, d: m.norm(x, 2, d),
    "logsumexp": lambda m, x, d: m.logsumexp(x, d),
    "cumsum": lambda m, x, d: m.cumsum(x, d),
    "any": lambda m, x, d: m.any(x, d),
    "all": lambda m, x, d: m.all(x, d),
}


@pytest.mark.parametrize("op", OPS_WITH_DIM)
@pytest.mark.parametrize("dim", [3, -3])
def test_dim_out_of_range_raises_index_error(op: str, dim: int) -> None:
    fn = OPS_WITH_DIM[op]
    msg = rf"Dimension out of range \(expected to be in range of \[-2, 1\], but got {dim}\)"
    with pytest.raises(IndexError, match=msg):
        fn(torch, torch.ones(2, 3), dim)
    with pytest.raises(IndexError, match=msg):
        fn(sg, sg.ones(2, 3), dim)


def test_dim_of_a_0d_tensor_is_0_or_minus_1() -> None:
    with pytest.raises(IndexError, match=r"range of \[-1, 0\], but got 1"):
        sg.sum(sg.tensor(2.0), 1)
    assert sg.sum(sg.tensor(2.0), -1).item() == 2.0


def test_repeated_dim_raises() -> None:
    with pytest.raises(RuntimeError, match="dim 0 appears multiple times"):
        sg.sum(sg.ones(2, 3), (0, -2))
    with pytest.raises(RuntimeError, match="dim 1 appears multiple times"):
        sg.mean(sg.ones(2, 3), [1, 1])


@pytest.mark.parametrize(("dtype", "name"), [("int64", "Long"), ("int32", "Int"), ("bool", "Bool")])
def test_mean_of_integers_raises_like_torch(dtype: str, name: str) -> None:
    with pytest.raises(RuntimeError, match=f"could not infer output dtype.*Got: {name}"):
        sg.mean(sg.ones(3, dtype=dtype))
    with pytest.raises(RuntimeError, match=f"Got: {name}"):
        torch.mean(torch.ones(3, dtype=getattr(torch, dtype)))


def test_max_of_an_empty_tensor_raises() -> None:
    with pytest.raises(RuntimeError, match="Expected reduction dim to be specified"):
        sg.max(sg.zeros(0, 3))
    with pytest.raises(IndexError, match="reduction dim 0 to have non-zero size"):
        sg.zeros(0, 3).argmin(0)
    with pytest.raises(IndexError, match=r"argmax\(\): Expected reduction dim to be specified"):
        sg.argmax(sg.zeros(0, 3))
    with pytest.raises(RuntimeError, match="cannot compute the inf norm"):
        sg.norm(sg.zeros(0, 3), INF, 0)
    values, indices = sg.max(sg.zeros(0, 3), 1)
    assert values.shape == indices.shape == (0,)


def test_reductions_of_nothing_match_torch_quietly() -> None:
    fns = [
        lambda m, x: m.sum(x, 0),
        lambda m, x: m.mean(x, 0),
        lambda m, x: m.prod(x, 0),
        lambda m, x: m.norm(x, 2, 0),
        lambda m, x: m.logsumexp(x, (0, 1)),
        lambda m, x: m.any(x, 0),
        lambda m, x: m.all(x, 0),
        lambda m, x: m.cumsum(x, 1),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fn in fns:
            ours, theirs = fn(sg, sg.zeros(0, 3)), fn(torch, torch.zeros(0, 3))
            np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


# ------------------------------------------------------------------ dtypes and shapes
RESULTS = {
    "sum": lambda m, x: m.sum(x),
    "sum-dim": lambda m, x: x.sum(0),
    "sum-float64": lambda m, x: m.sum(x, dtype=m.float64),
    "mean-float32": lambda m, x: m.mean(x, 1, dtype=m.float32),
    "prod": lambda m, x: m.prod(x, 1),
    "cumsum": lambda m, x: m.cumsum(x, 1),
    "max": lambda m, x: m.max(x),
    "max-dim": lambda m, x: tuple(m.max(x, 1)),
    "argmax": lambda m, x: m.argmax(x),
    "argmin-dim": lambda m, x: m.argmin(x, 0),
    "any": lambda m, x: m.any(x, 1),
    "all": lambda m, x: m.all(x),
    "logsumexp": lambda m, x: m.logsumexp(x, 1),
}


@pytest.mark.parametrize("op", RESULTS)
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32", "int64"])
def test_int_and_bool_results_match_torch(op: str, dtype: str) -> None:
    a = np.array([[0, 3, 1], [2, 2, 0]]).astype(dtype)
    if op.startswith("arg") and dtype == "bool":
        with pytest.raises(RuntimeError, match=r"\(\): does not support bool input"):
            RESULTS[op](torch, torch.tensor(a))
        with pytest.raises(RuntimeError, match=r"\(\): does not support bool input"):
            RESULTS[op](sg, sg.tensor(a))
        return
    ours, theirs = RESULTS[op](sg, sg.tensor(a)), RESULTS[op](torch, torch.tensor(a))
    for o, t in zip(ours, theirs, strict=True) if isinstance(ours, tuple) else [(ours, theirs)]:
        assert str(o.dtype) == str(t.dtype).removeprefix("torch.")
        np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-6)


def test_full_max_and_min_return_a_0d_tensor() -> None:
    x = sg.tensor([[1.0, 5.0], [5.0, -2.0]])
    for out in (sg.max(x), x.min()):
        assert isinstance(out, sg.Tensor) and out.shape == ()
    assert sg.max(x).item() == 5.0 and x.min().item() == -2.0
    pair = x.max(1)
    assert isinstance(pair, MaxMin)
    assert pair.values.tolist() == [5.0, 5.0] and pair.indices.tolist() == [1, 0]
    assert pair.indices.dtype == sg.int64


def test_dim_none_with_keepdim_keeps_every_dim_as_torch() -> None:
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    for name in ("sum", "mean", "var", "norm", "argmax", "any"):
        ours = getattr(sg, name)(sg.tensor(a), dim=None, keepdim=True)
        theirs = getattr(torch, name)(torch.tensor(a), dim=None, keepdim=True)
        assert ours.shape == tuple(theirs.shape) == (1, 1)


def test_max_and_min_indices_pick_the_first_tie_like_torch() -> None:
    a = np.array([[1.0, 3.0, 3.0, 0.0], [2.0, 0.0, 2.0, 0.0], [7.0, 7.0, 7.0, 7.0]])
    for name in ("max", "min"):
        ours = getattr(sg, name)(sg.tensor(a), 1).indices.tolist()
        assert ours == getattr(torch, name)(torch.tensor(a), 1).indices.tolist()
    for name in ("argmax", "argmin"):
        for dim in (None, 0, 1):
            ours = getattr(sg, name)(sg.tensor(a), dim).tolist()
            assert ours == getattr(torch, name)(torch.tensor(a), dim).tolist()


def test_max_propagates_nan_like_torch() -> None:
    a = np.array([[1.0, np.nan, 3.0, np.nan]], dtype=np.float32)
    ours, theirs = sg.max(sg.tensor(a), 1), torch.max(torch.tensor(a), 1)
    assert np.isnan(ours.values.item()) and ours.indices.tolist() == theirs.indices.tolist()
    assert sg.argmin(sg.tensor(a)).item() == torch.argmin(torch.tensor(a)).item()


def test_prod_gradient_with_zeros_is_the_product_of_the_others() -> None:
    x = sg.tensor([[2.0, 0.0, 3.0], [0.0, 4.0, 0.0], [1.0, 2.0, 5.0]], requires_grad=True)
    x.prod(1).sum().backward()
    assert x.grad is not None
    assert x.grad.tolist() == [[0.0, 6.0, 0.0], [0.0, 0.0, 0.0], [10.0, 5.0, 2.0]]


def test_float32_stays_float32() -> None:
    x = sg.randn(3, 4)
    outs = [sg.sum(x), sg.mean(x, 0), sg.prod(x), sg.max(x), sg.var(x), sg.std(x, 1),
            sg.norm(x, 3), sg.norm(x, INF), sg.logsumexp(x, 1), sg.cumsum(x, 0)]  # fmt: skip
    assert all(o.dtype == sg.float32 for o in outs)
