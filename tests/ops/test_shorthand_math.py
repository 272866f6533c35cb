"""Parity of torch's top-level math and statistics shorthands (ops/extra_math.py)."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from tests.ops._parity import Case, make_tests


def _with_nans(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    a = rng.uniform(-2, 2, (3, 4)).astype(dtype)
    a[0, 1] = a[2, 3] = np.nan
    return [a]


def _with_zero(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    a = rng.uniform(-2, 2, (3, 4)).astype(dtype)
    a[1, 2] = 0
    return [a]


def _big_small(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    a = rng.uniform(-2, 2, (3, 4)).astype(dtype)
    a[1] *= 0.05  # this row stays below maxnorm
    return [a]


def _weights(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    return [rng.uniform(-2, 2, (3, 6)).astype(dtype), rng.uniform(0.5, 2, (6,)).astype(dtype)]


CASES = [
    Case("mul", lambda m, a: m.deg2rad(a), name="deg2rad"),
    Case("mul", lambda m, a: m.rad2deg(a), name="rad2deg"),
    Case("sin", lambda m, a: m.sinc(a), make=_with_zero, name="sinc"),
    Case("pow", lambda m, a, b: m.float_power(a, b), ((3, 4), (4,)), low=0.5, name="fpow"),
    Case("pow", lambda m, a: m.float_power(a, 2), name="fpow_scalar"),
    Case("sign", lambda m, a: m.sgn(a), grad=False, name="sgn"),  # torch: a ZeroTensor grad
    Case("where", lambda m, a: m.nansum(a, 1), make=_with_nans, name="nansum"),
    Case("where", lambda m, a: m.nanmean(a), make=_with_nans, name="nanmean"),
    Case("var", lambda m, a: m.var_mean(a, 1, correction=0), name="var_mean"),
    Case("std", lambda m, a: m.std_mean(a, (0, 1), keepdim=True), name="std_mean"),
    Case("norm", lambda m, a, b: m.dist(a, b), ((3, 4), (4,)), name="dist"),
    Case("norm", lambda m, a, b: m.dist(a, b, 3), ((3, 4), (3, 4)), name="dist3"),
    Case("norm", lambda m, a, b: m.cdist(a, b), ((4, 3), (5, 3)), name="cdist"),
    Case("norm", lambda m, a, b: m.cdist(a, b, 1.5), ((2, 4, 3), (2, 5, 3)), name="cdist_p"),
    Case("norm", lambda m, a: m.renorm(a, 2, 0, 1.0), make=_big_small, name="renorm"),
    Case("sub", lambda m, a: m.diff(a), ((3, 5),), name="diff"),
    Case("sub", lambda m, a: m.diff(a, 2, 0), ((5, 3),), name="diff2"),
    Case(
        "cat",
        lambda m, a, p, q: m.diff(a, 1, 1, prepend=p, append=q),
        ((3, 4), (3, 1), (3, 2)),
        name="diff_pa",
    ),
    Case("sum", lambda m, y: m.trapezoid(y), ((3, 5),), name="trapz"),
    Case("sum", lambda m, y: m.trapezoid(y, dx=0.5, dim=0), ((5, 3),), name="trapz_dx"),
    Case("sum", lambda m, y, x: m.trapezoid(y, x), ((3, 5), (5,)), name="trapz_x"),
    Case("sum", lambda m, y, x: m.trapezoid(y, x, dim=0), ((5, 3), (5, 3)), name="trapz_xnd"),
    Case("cumsum", lambda m, y: m.cumulative_trapezoid(y), ((3, 5),), name="ctrapz"),
    Case("cumsum", lambda m, y, x: m.cumulative_trapezoid(y, x), ((3, 5), (5,)), name="ctrapz_x"),
    Case("matmul", lambda m, a: m.cov(a), ((3, 6),), name="cov"),
    Case("matmul", lambda m, a: m.cov(a, correction=0), ((6,),), name="cov1d"),
    Case("matmul", lambda m, a, w: m.cov(a, aweights=w), make=_weights, name="cov_aw"),
    Case("matmul", lambda m, a: m.corrcoef(a), ((3, 6),), name="corrcoef"),
    Case(  # torch.vander's own backward fails (in-place cumprod), so compare with powers
        "cumprod",
        lambda m, a: m.vander(a),
        ((4,),),
        torch_fn=lambda m, a: torch.stack([a**k for k in range(3, -1, -1)], 1),
        name="vander",
    ),
    Case(
        "cumprod",
        lambda m, a: m.vander(a, 3, True),
        ((4,),),
        torch_fn=lambda m, a: torch.stack([a**k for k in range(3)], 1),
        name="vander_inc",
    ),
    Case("flip", lambda m, a: m.rot90(a), ((2, 3, 4),), name="rot90"),
    Case("flip", lambda m, a: m.rot90(a, 2, (1, 2)), ((2, 3, 4),), name="rot180"),
    Case("flip", lambda m, a: m.rot90(a, -1, (2, 0)), ((2, 3, 4),), name="rot270"),
    Case("flip", lambda m, a: m.fliplr(a), name="fliplr"),
    Case("flip", lambda m, a: m.flipud(a), name="flipud"),
    Case("narrow", lambda m, a: m.tensor_split(a, 3, 1), ((2, 7),), name="tsplit"),
    Case("narrow", lambda m, a: m.tensor_split(a, [1, 4, 9]), ((6, 2),), name="tsplit_idx"),
    Case(
        "getitem",
        lambda m, a: m.masked_select(a, a > 0),
        ((3, 4),),
        name="masked_select",
    ),
    Case(
        "getitem",
        lambda m, a: m.masked_select(a, m.tensor([True, False, True, True])),
        ((3, 4),),
        name="masked_select_bcast",
    ),
    Case("ne", lambda m, a: m.count_nonzero(a, 1), make=_with_zero, grad=False, name="cnz"),
]

test_parity, test_gradcheck = make_tests(CASES)


def _pair(name: str, *args: object, **kwargs: object) -> None:
    """Same result from scratchgrad.<name> and torch.<name> on NumPy-built inputs."""
    ours = getattr(sg, name)(
        *[sg.tensor(a) if isinstance(a, np.ndarray) else a for a in args], **kwargs
    )
    theirs = getattr(torch, name)(
        *[torch.tensor(a) if isinstance(a, np.ndarray) else a for a in args], **kwargs
    )
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, tuple) else (theirs,)
    for o, t in zip(ours, theirs, strict=True):
        assert str(o.dtype).removeprefix("torch.") == str(t.dtype).removeprefix("torch."), name
        np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-6, err_msg=name)


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("bincount", (np.array([0, 3, 3, 1, 5]),), {}),
        ("bincount", (np.array([0, 3, 1]),), {"minlength": 6}),
        ("bincount", (np.array([0, 3, 1]), np.array([0.5, 1.0, 2.0], "float32")), {}),
        ("bincount", (np.array([2, 2]), np.array([0.5, 1.0])), {}),
        (
            "histc",
            (np.array([0.0, 0.5, 1.0, 2.0, 4.0, -1.0], "float32"),),
            {"bins": 4, "min": 0, "max": 4},
        ),
        ("histc", (np.array([1.0, 2.0, 2.5, 3.0]),), {"bins": 3}),
        ("isin", (np.array([[1, 2], [3, 4]]), np.array([2, 4, 9])), {}),
        ("isin", (np.array([1.0, 2.0]), np.array([2.0])), {"invert": True}),
        ("tril_indices", (3, 4, 1), {}),
        ("triu_indices", (4, 3, -1), {}),
        ("unravel_index", (np.array([0, 5, 11, -1]), (3, 4)), {}),
        ("signbit", (np.array([-0.0, 0.0, -1.5, 2.0, -np.inf]),), {}),
        ("logspace", (0, 2, 5), {}),
        ("logspace", (-1, 1, 4), {"base": 2.0, "dtype": torch.float64}),
        ("count_nonzero", (np.array([[0, 1], [2, 0]]),), {}),
        ("vander", (np.array([1, 2, 3]),), {}),
    ],
)
def test_no_grad_helpers_match_torch(name: str, args: tuple, kwargs: dict) -> None:
    if kwargs.get("dtype") is torch.float64:
        ours = sg.logspace(*args, base=kwargs["base"], dtype=sg.float64)  # type: ignore[arg-type]
        theirs = torch.logspace(*args, **kwargs)  # type: ignore[arg-type]
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
        return
    _pair(name, *args, **kwargs)


def test_errors() -> None:
    with pytest.raises(ValueError, match="fliplr"):
        sg.fliplr(sg.ones(3))
    with pytest.raises(TypeError, match="masked_select"):
        sg.masked_select(sg.ones(3), sg.ones(3))
    with pytest.raises(IndexError, match="unravel_index"):
        sg.unravel_index(sg.tensor([12]), (3, 4))
    with pytest.raises(ValueError, match="cov"):
        sg.cov(sg.ones(2, 2, 2))
