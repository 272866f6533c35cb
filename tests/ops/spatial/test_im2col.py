"""im2col layouts: one GEMM over the columns, cropped, equals torch's convolution."""

import numpy as np
import pytest
import torch

from scratchgrad.ops.spatial import im2col


def test_out_size_matches_torch_conv_output_size() -> None:
    for size, pad, k, s, d in [(8, 1, 3, 1, 1), (7, 0, 3, 2, 1), (9, 2, 3, 2, 2)]:
        x, w = torch.zeros(1, 1, size, size), torch.zeros(1, 1, k, k)
        out = torch.nn.functional.conv2d(x, w, stride=s, padding=pad, dilation=d)
        assert im2col.out_size(size, 2 * pad, k, s, d) == out.shape[-1]  # pad: both sides


@pytest.mark.parametrize("stride", [1, 2])  # stride 1: the flat layout; 2: the grid layout
def test_columns_times_weights_cropped_equal_torch_conv2d(stride: int) -> None:
    rng = np.random.default_rng(0)
    n, c, h, w, co, kh, kw, pad = 2, 3, 7, 6, 4, 3, 2, 1
    x = rng.normal(size=(n, c, h, w))
    weight = rng.normal(size=(co, c, kh, kw))
    ho = im2col.out_size(h, 2 * pad, kh, stride, 1)
    wo = im2col.out_size(w, 2 * pad, kw, stride, 1)
    geom = im2col.Geom(n, c, h, w, kh, kw, stride, stride, 1, 1, pad, pad, pad, pad, 1, ho, wo)
    lay = im2col.layout(geom)
    cols = lay.cols(x)  # (C*kh*kw, m)
    ours = lay.crop(weight.reshape(co, -1) @ cols)
    theirs = torch.nn.functional.conv2d(
        torch.tensor(x), torch.tensor(weight), stride=stride, padding=pad
    )
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-12)
