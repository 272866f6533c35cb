"""Dims, axes and broadcast shapes: the one home of these rules, checked against torch."""

import pytest
import torch

from scratchgrad.ops import dims


@pytest.mark.parametrize(
    "shapes", [[(2, 1, 3), (4, 1)], [(), (3,)], [(5, 0), (1, 1)], [(1,), (2, 3)]]
)
def test_broadcast_shapes_matches_torch(shapes: list[tuple[int, ...]]) -> None:
    assert dims.broadcast_shapes(*shapes) == tuple(torch.broadcast_shapes(*shapes))


def test_broadcast_shapes_refuses_what_torch_refuses() -> None:
    with pytest.raises(RuntimeError):
        torch.broadcast_shapes((2, 3), (4, 3))
    with pytest.raises(ValueError, match="broadcast"):
        dims.broadcast_shapes((2, 3), (4, 3))


@pytest.mark.parametrize("ndim", [1, 2, 4])
def test_normalize_dim_counts_negative_dims_from_the_end_as_torch(ndim: int) -> None:
    x = torch.zeros((1,) * ndim)
    for d in range(-ndim, ndim):
        assert dims.normalize_dim(d, ndim, "op") == x.select(d, 0).ndim * 0 + (d % ndim)


def test_normalize_dim_out_of_range_raises_index_error_like_torch() -> None:
    with pytest.raises(IndexError) as theirs:
        torch.zeros(2, 3).sum(5)
    with pytest.raises(IndexError) as ours:
        dims.normalize_dim(5, 2, "sum")
    assert "Dimension out of range" in str(theirs.value)
    assert "Dimension out of range" in str(ours.value)
