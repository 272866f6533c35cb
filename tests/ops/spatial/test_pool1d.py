"""Parity of the 1-d pools with torch: max, average, adaptive; strides, padding, indices."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.nn import functional as F  # noqa: N812 - the usual name
from tests.ops._functional import functional as _f
from tests.ops._parity import Case, make_tests

L = (2, 3, 11)


def _ties(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Small integers: many windows hold their max twice (torch takes the first)."""
    return [rng.integers(-2, 3, (2, 3, 9)).astype(dtype)]


CASES = [
    Case("max_pool2d", _f("max_pool1d", kernel_size=2), (L,), name="k2"),
    Case("max_pool2d", _f("max_pool1d", kernel_size=3, stride=2, padding=1), (L,), name="k3s2p1"),
    Case("max_pool2d", _f("max_pool1d", kernel_size=(3,), stride=1), (L,), name="overlap-tuple"),
    Case("max_pool2d", _f("max_pool1d", kernel_size=2, dilation=3), (L,), name="dilation"),
    Case(
        "max_pool2d",
        _f("max_pool1d", kernel_size=4, stride=3, padding=2, ceil_mode=True, return_indices=True),
        (L,),
        name="ceil-pad-indices",
    ),
    Case("max_pool2d", _f("max_pool1d", kernel_size=3), ((3, 10),), name="unbatched"),
    Case(
        "max_pool2d",
        _f("max_pool1d", kernel_size=2, stride=1, return_indices=True),
        make=_ties,
        gradcheck=False,
        name="ties",
    ),
]

CASES += [
    Case("avg_pool2d", _f("avg_pool1d", kernel_size=3), (L,), name="avg-k3"),
    Case(
        "avg_pool2d",
        _f("avg_pool1d", kernel_size=3, stride=2, padding=1, count_include_pad=False),
        (L,),
        name="avg-exclude-pad",
    ),
    Case(
        "avg_pool2d",
        _f("avg_pool1d", kernel_size=(4,), stride=(3,), padding=2, ceil_mode=True),
        (L,),
        name="avg-ceil",
    ),
    Case("avg_pool2d", _f("avg_pool1d", kernel_size=2), ((3, 10),), name="avg-unbatched"),
    Case("adaptive_avg_pool2d", _f("adaptive_avg_pool1d", output_size=4), (L,), name="aavg-4"),
    Case("adaptive_avg_pool2d", _f("adaptive_avg_pool1d", output_size=(1,)), ((3, 7),), name="gap"),
    Case(
        "adaptive_max_pool2d",
        _f("adaptive_max_pool1d", output_size=4, return_indices=True),
        (L,),
        name="amax-indices",
    ),
    Case("adaptive_max_pool2d", _f("adaptive_max_pool1d", output_size=3), ((3, 8),), name="amax"),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_top_level_adaptive_max_pool1d_returns_values_and_indices() -> None:
    values, indices = sg.adaptive_max_pool1d(sg.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2)
    assert values.tolist() == [[[3.0, 2.0]]] and indices.tolist() == [[[1, 2]]]


def test_integer_input() -> None:
    out = F.max_pool1d(sg.tensor([[[1, 5, 2, 7]]]), 2)
    assert out.tolist() == [[[5, 7]]] and out.dtype == sg.int64


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((sg.zeros(2, 3, 4, 5), 2), ShapeError, "max_pool1d: input must be 2-D"),
        ((sg.zeros(1, 2, 3), 5), ShapeError, "kernel larger than padded input"),
        ((sg.zeros(1, 2, 8), (2, 2)), ValueError, "kernel_size"),
    ],
)
def test_errors(args: tuple, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        F.max_pool1d(*args)


@pytest.mark.parametrize("name", ["avg_pool1d", "adaptive_avg_pool1d", "adaptive_max_pool1d"])
def test_other_pools_refuse_4d_input(name: str) -> None:
    with pytest.raises(ShapeError, match=f"{name}: input must be 2-D"):
        getattr(F, name)(sg.zeros(1, 2, 3, 4), 2)


def test_adaptive_output_size_must_be_one_value() -> None:
    with pytest.raises(ValueError, match="output_size must be 1 value"):
        F.adaptive_avg_pool1d(sg.zeros(1, 2, 6), (2, 2))
