"""Parity of max, average and adaptive average pooling with torch; indices; errors."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.nn import functional as F  # noqa: N812 - the usual name
from tests.ops._functional import X
from tests.ops._functional import functional as _f
from tests.ops._parity import Case, make_tests


def _ties(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Small integers: many windows hold their max twice (torch takes the first)."""
    return [rng.integers(-2, 3, (2, 3, 6, 7)).astype(dtype)]


CASES = [
    # max_pool2d: stride, padding, dilation, ceil_mode, indices, ties
    Case("max_pool2d", _f("max_pool2d", kernel_size=2), (X,), name="k2"),
    Case("max_pool2d", _f("max_pool2d", kernel_size=3, stride=2, padding=1), (X,), name="k3s2p1"),
    Case("max_pool2d", _f("max_pool2d", kernel_size=(2, 3), stride=1), (X,), name="overlap"),
    Case("max_pool2d", _f("max_pool2d", kernel_size=2, dilation=2, padding=1), (X,), name="dil"),
    Case("max_pool2d", _f("max_pool2d", kernel_size=2, ceil_mode=True), (X,), name="ceil"),
    Case(
        "max_pool2d",
        _f("max_pool2d", kernel_size=3, stride=2, padding=1, ceil_mode=True, return_indices=True),
        ((2, 3, 8, 7),),
        name="ceil-pad-indices",
    ),
    Case("max_pool2d", _f("max_pool2d", kernel_size=2, return_indices=True), (X,), name="indices"),
    Case(
        "max_pool2d",
        _f("max_pool2d", kernel_size=2, stride=1, return_indices=True),
        make=_ties,
        gradcheck=False,
        name="ties",
    ),
    Case("max_pool2d", _f("max_pool2d", kernel_size=2), ((3, 6, 7),), name="unbatched"),
    # avg_pool2d: every option
    Case("avg_pool2d", _f("avg_pool2d", kernel_size=2), (X,), name="k2"),
    Case("avg_pool2d", _f("avg_pool2d", kernel_size=3, stride=2, padding=1), (X,), name="pad"),
    Case(
        "avg_pool2d",
        _f("avg_pool2d", kernel_size=3, stride=2, padding=1, count_include_pad=False),
        (X,),
        name="exclude-pad",
    ),
    Case(
        "avg_pool2d",
        _f("avg_pool2d", kernel_size=(3, 2), stride=2, padding=1, ceil_mode=True),
        ((2, 3, 8, 7),),
        name="ceil",
    ),
    Case(
        "avg_pool2d",
        _f(
            "avg_pool2d",
            kernel_size=3,
            stride=2,
            padding=1,
            ceil_mode=True,
            count_include_pad=False,
        ),
        ((2, 3, 8, 7),),
        name="ceil-exclude",
    ),
    Case(
        "avg_pool2d",
        _f("avg_pool2d", kernel_size=2, stride=1, divisor_override=3),
        (X,),
        name="divisor",
    ),
    # adaptive_avg_pool2d: sizes that divide, do not divide, grow, None
    Case("adaptive_avg_pool2d", _f("adaptive_avg_pool2d", output_size=1), (X,), name="global"),
    Case("adaptive_avg_pool2d", _f("adaptive_avg_pool2d", output_size=(3, 5)), (X,), name="3x5"),
    Case("adaptive_avg_pool2d", _f("adaptive_avg_pool2d", output_size=4), (X,), name="4"),
    Case(
        "adaptive_avg_pool2d",
        _f("adaptive_avg_pool2d", output_size=(None, 2)),
        (X,),
        name="none",
    ),
    Case("adaptive_avg_pool2d", _f("adaptive_avg_pool2d", output_size=9), (X,), name="grow"),
    Case(
        "adaptive_avg_pool2d",
        _f("adaptive_avg_pool2d", output_size=(2, 3)),
        ((3, 6, 7),),
        name="unbatched",
    ),
]

INTS = ("int64", "int32", "uint8", "int8")  # torch pools these to their own dtype
CASES += [
    # integer inputs: max pooling of every integer dtype (ties, -inf padding as the
    # dtype's minimum), average pooling of int64 (rounded toward zero)
    Case("max_pool2d", _f("max_pool2d", kernel_size=2), (X,), dtypes=INTS, name="int"),
    Case(
        "max_pool2d",
        _f("max_pool2d", kernel_size=3, stride=2, padding=1, ceil_mode=True, return_indices=True),
        ((2, 3, 8, 7),),
        low=-3,
        high=3,
        dtypes=INTS,
        name="int-pad-indices",
    ),
    Case("avg_pool2d", _f("avg_pool2d", kernel_size=2), (X,), low=-50, high=50, dtypes=("int64",)),
    Case(
        "avg_pool2d",
        _f(
            "avg_pool2d",
            kernel_size=3,
            stride=2,
            padding=1,
            count_include_pad=False,
            ceil_mode=True,
        ),
        (X,),
        low=-50,
        high=50,
        dtypes=("int64",),
        name="int64-exclude-ceil",
    ),
    Case(
        "avg_pool2d",
        _f("avg_pool2d", kernel_size=2, stride=1, divisor_override=3),
        (X,),
        low=-50,
        high=50,
        dtypes=("int64",),
        name="int64-divisor",
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


@pytest.mark.parametrize("dtype", ["int32", "uint8", "bool"])
def test_avg_pool_refuses_integers_but_int64_as_torch(dtype: str) -> None:
    x = sg.zeros(1, 1, 4, 4, dtype=getattr(sg, dtype))
    with pytest.raises(RuntimeError, match=f"not implemented for {dtype}"):
        F.avg_pool2d(x, 2)
    if dtype == "bool":
        with pytest.raises(RuntimeError, match="not implemented for bool"):
            F.max_pool2d(x, 2)


def test_max_pool_layer_on_integers() -> None:
    x = sg.arange(16).reshape(1, 1, 4, 4).to(sg.uint8)
    out, idx = sg.nn.MaxPool2d(2, return_indices=True)(x)
    assert out.dtype == sg.uint8 and out.flatten().tolist() == [5, 7, 13, 15]
    assert idx.flatten().tolist() == [5, 7, 13, 15]
    assert sg.nn.MaxPool3d(2)(x.reshape(1, 1, 2, 2, 4)).dtype == sg.uint8


def test_max_pool_without_grad_gives_the_same_values() -> None:
    x = sg.randn(2, 3, 6, 6)
    with sg.no_grad():
        plain = F.max_pool2d(x, 3, 2, 1)
    values, _ = F.max_pool2d(x, 3, 2, 1, return_indices=True)
    np.testing.assert_array_equal(plain.numpy(), values.numpy())


def test_max_pool_indices_are_int64_into_each_plane() -> None:
    x = sg.arange(16.0).reshape(1, 1, 4, 4)
    values, idx = F.max_pool2d(x, 2, return_indices=True)
    assert idx.dtype == sg.int64
    assert idx.flatten().tolist() == [5, 7, 13, 15]
    assert values.flatten().tolist() == [5.0, 7.0, 13.0, 15.0]


def test_pooling_errors() -> None:
    with pytest.raises(ShapeError, match="max_pool2d: input must be"):
        F.max_pool2d(sg.zeros(4, 4), 2)
    with pytest.raises(ValueError, match="pad should be at most half"):
        F.max_pool2d(sg.zeros(1, 1, 4, 4), 2, padding=2)
    with pytest.raises(ShapeError, match="kernel larger than padded input"):
        F.avg_pool2d(sg.zeros(1, 1, 4, 4), 5)
