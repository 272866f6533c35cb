"""Parity of max_pool3d and avg_pool3d with torch; indices; errors."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.nn import functional as F  # noqa: N812 - the usual name
from tests.ops._functional import functional as _f
from tests.ops._parity import Case, make_tests

V = (2, 2, 5, 6, 7)  # (N, C, D, H, W)


def _ties(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Small integers: many windows hold their max twice (torch takes the first)."""
    return [rng.integers(-2, 3, V).astype(dtype)]


def mx(name, shape=V, **kw):
    return Case("max_pool3d", _f("max_pool3d", **kw), (shape,), name=name)


def av(name, shape=V, **kw):
    return Case("avg_pool3d", _f("avg_pool3d", **kw), (shape,), name=name)


CASES = [
    mx("k2", kernel_size=2),
    mx("k3s2p1", kernel_size=3, stride=2, padding=1),
    mx("rect-overlap", kernel_size=(2, 3, 2), stride=(1, 2, 1)),
    mx("dilation", kernel_size=2, dilation=(2, 1, 2), padding=1),
    mx("ceil", kernel_size=2, ceil_mode=True),
    mx("ceil-pad-indices", kernel_size=3, stride=2, padding=1, ceil_mode=True, return_indices=True),
    mx("indices", kernel_size=(2, 3, 2), stride=1, dilation=(1, 1, 2), return_indices=True),
    Case(
        "max_pool3d",
        _f("max_pool3d", kernel_size=2, stride=1, return_indices=True),
        make=_ties,
        gradcheck=False,
        name="ties",
    ),
    mx("unbatched", (2, 4, 5, 6), kernel_size=2, return_indices=True),
    av("k2", kernel_size=2),
    av("pad", kernel_size=3, stride=2, padding=1),
    av("exclude-pad", kernel_size=3, stride=2, padding=1, count_include_pad=False),
    av("ceil", kernel_size=(3, 2, 3), stride=2, padding=1, ceil_mode=True),
    av(
        "ceil-exclude",
        kernel_size=3,
        stride=2,
        padding=1,
        ceil_mode=True,
        count_include_pad=False,
    ),
    av("divisor", kernel_size=2, stride=1, divisor_override=3),
    av("unbatched", (2, 4, 5, 6), kernel_size=(2, 3, 2), stride=(1, 2, 2)),
]

INTS = ("int64", "int32", "uint8", "int8")
CASES += [
    Case("max_pool3d", _f("max_pool3d", kernel_size=2), (V,), dtypes=INTS, name="int"),
    Case(
        "max_pool3d",
        _f("max_pool3d", kernel_size=3, stride=2, padding=1, ceil_mode=True, return_indices=True),
        (V,),
        low=-3,
        high=3,
        dtypes=INTS,
        name="int-pad-indices",
    ),
    Case(
        "avg_pool3d",
        _f("avg_pool3d", kernel_size=3, stride=2, padding=1, count_include_pad=False),
        (V,),
        low=-50,
        high=50,
        dtypes=("int64",),
        name="int64",
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_max_pool3d_indices_are_int64_into_each_volume() -> None:
    x = sg.arange(64.0).reshape(1, 1, 4, 4, 4)
    values, idx = F.max_pool3d(x, 2, return_indices=True)
    assert idx.dtype == sg.int64
    assert idx.flatten().tolist() == [21, 23, 29, 31, 53, 55, 61, 63]
    assert values.flatten().tolist() == [21.0, 23.0, 29.0, 31.0, 53.0, 55.0, 61.0, 63.0]


def test_pool3d_without_grad_gives_the_same_values() -> None:
    x = sg.randn(1, 2, 4, 5, 6)
    with sg.no_grad():
        plain = F.max_pool3d(x, 2, 1)
    np.testing.assert_array_equal(plain.numpy(), F.max_pool3d(x, 2, 1).numpy())


def test_pool3d_errors() -> None:
    with pytest.raises(ShapeError, match=r"max_pool3d: input must be 4-D .* or 5-D"):
        F.max_pool3d(sg.zeros(4, 4, 4), 2)
    with pytest.raises(ValueError, match="pad should be at most half"):
        F.max_pool3d(sg.zeros(1, 1, 4, 4, 4), 2, padding=2)
    with pytest.raises(ShapeError, match="kernel larger than padded input"):
        F.avg_pool3d(sg.zeros(1, 1, 4, 4, 4), (5, 2, 2))
    with pytest.raises(ValueError, match="divisor must be not zero"):
        F.avg_pool3d(sg.zeros(1, 1, 4, 4, 4), 2, divisor_override=0)
    with pytest.raises(RuntimeError, match="not implemented for int32"):  # int64 is, as torch
        F.avg_pool3d(sg.zeros(1, 1, 4, 4, 4, dtype=sg.int32), 2)
