"""Parity of conv1d/2d and conv_transpose1d/2d/3d with torch; output sizes; errors."""

import numpy as np
import pytest
import torch

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.nn import functional as F  # noqa: N812 - the usual name
from tests.ops._functional import X
from tests.ops._functional import functional as _f
from tests.ops._parity import Case, make_tests

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")

CONV_TOL = (1e-5, 1e-5)  # float32 sums of up to ~100 products: atol a little above 1e-6


def conv(shapes, name="", tol=CONV_TOL, **kw):
    return Case("conv2d", _f("conv2d", **kw), shapes, tol=tol, name=name)


def conv1(shapes, name="", **kw):
    return Case("conv1d", _f("conv1d", **kw), shapes, tol=CONV_TOL, name=name)


def convt(shapes, name="", **kw):
    return Case("conv_transpose2d", _f("conv_transpose2d", **kw), shapes, tol=CONV_TOL, name=name)


def convt1(shapes, name="", **kw):
    return Case("conv_transpose2d", _f("conv_transpose1d", **kw), shapes, tol=CONV_TOL, name=name)


def convt3(shapes, name="", **kw):
    return Case("conv_transpose3d", _f("conv_transpose3d", **kw), shapes, tol=CONV_TOL, name=name)


CASES = [
    # conv2d: stride, padding ('same', 'valid'), dilation, groups, bias, shapes
    conv((X, (4, 3, 3, 3), (4,)), "basic"),
    conv((X, (4, 3, 3, 3)), "no-bias"),
    conv((X, (4, 3, 3, 3), (4,)), "pad1", padding=1),
    conv((X, (4, 3, 3, 3), (4,)), "stride2-pad1", stride=2, padding=1),
    conv((X, (4, 3, 2, 3), (4,)), "rect", stride=(2, 1), padding=(1, 2)),
    conv((X, (4, 3, 3, 3), (4,)), "same", padding="same"),
    conv((X, (4, 3, 2, 2), (4,)), "same-even", padding="same"),
    conv((X, (4, 3, 2, 3), (4,)), "same-dilated", padding="same", dilation=2),
    conv((X, (4, 3, 3, 3), (4,)), "valid", padding="valid"),
    conv((X, (4, 3, 3, 2), (4,)), "dilation", dilation=(2, 3), padding=1),
    conv(((2, 4, 6, 5), (6, 2, 3, 3), (6,)), "groups", groups=2, padding=1),
    conv(((2, 3, 6, 5), (3, 1, 3, 3), (3,)), "depthwise", groups=3, padding=1),
    conv(((2, 3, 6, 5), (6, 1, 3, 3), (6,)), "depthwise-x2", groups=3, stride=2),
    conv((X, (4, 3, 1, 1), (4,)), "1x1-pad2", padding=2),
    conv(((3, 6, 7), (4, 3, 3, 3), (4,)), "unbatched", padding=1),
    # the weight gradient sums 1568 products (values up to ~80): float32 rounding differs
    conv(((2, 1, 28, 28), (8, 1, 3, 3), (8,)), "mnist-like", tol=(1e-4, 1e-4), padding=1),
    # conv1d
    conv1(((2, 3, 9), (4, 3, 3), (4,)), "basic"),
    conv1(((2, 3, 9), (4, 3, 3), (4,)), "stride-pad-dil", stride=2, padding=2, dilation=2),
    conv1(((2, 4, 9), (6, 2, 3)), "groups-no-bias", groups=2, padding="same"),
    conv1(((3, 9), (4, 3, 2), (4,)), "unbatched", padding=1),
    # conv_transpose2d
    convt(((2, 3, 4, 5), (3, 4, 3, 3), (4,)), "basic"),
    convt(((2, 3, 4, 5), (3, 4, 3, 3), (4,)), "stride2-outpad", stride=2, output_padding=1),
    convt(((2, 3, 4, 5), (3, 4, 3, 2), (4,)), "pad", stride=(2, 3), padding=(1, 0)),
    convt(((2, 4, 4, 5), (4, 3, 3, 3), (6,)), "groups", groups=2, stride=2, padding=1),
    convt(((2, 3, 4, 5), (3, 2, 3, 3)), "dilation", dilation=2, stride=2, output_padding=1),
    convt(((2, 3, 4, 4), (3, 2, 2, 2)), "outpad-dil", dilation=3, padding=1, output_padding=2),
    # conv_transpose1d: a height-1 conv_transpose2d
    convt1(((2, 3, 5), (3, 4, 3), (4,)), "basic"),
    convt1(((2, 3, 5), (3, 4, 3), (4,)), "stride-outpad", stride=2, padding=1, output_padding=1),
    convt1(((2, 4, 5), (4, 3, 2), (6,)), "groups", groups=2, stride=3, padding=(1,)),
    convt1(((2, 3, 5), (3, 2, 3)), "dilation", dilation=2, stride=2, output_padding=1),
    convt1(((3, 5), (3, 2, 3), (2,)), "unbatched", stride=2),
    # conv_transpose3d
    convt3(((2, 3, 3, 4, 2), (3, 2, 2, 3, 2), (2,)), "basic"),
    convt3(
        ((2, 3, 3, 4, 2), (3, 2, 3, 3, 2), (2,)),
        "stride-pad-outpad",
        stride=(2, 1, 2),
        padding=(1, 1, 0),
        output_padding=(1, 0, 1),
    ),
    convt3(((1, 4, 2, 3, 3), (4, 1, 2, 2, 2), (2,)), "groups", groups=2, stride=2, padding=1),
    convt3(
        ((1, 2, 2, 3, 2), (2, 2, 2, 2, 2)), "dilation", dilation=(2, 1, 2), output_padding=(1, 0, 1)
    ),
    convt3(((2, 3, 2, 2), (2, 2, 2, 2, 2), (2,)), "unbatched", stride=2),
]

test_parity, test_gradcheck = make_tests(CASES)


# ------------------------------------------------------------------ worked example (D13)
def test_4x4_input_2x2_kernel_gives_3x3_cross_correlation() -> None:
    x = sg.arange(16.0).reshape(1, 1, 4, 4)  # x[i, j] = 4i + j
    k = sg.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    out = F.conv2d(x, k)
    assert out.shape == (1, 1, 3, 3)  # 4 - 2 + 1 = 3 each way
    # out[i, j] = x[i,j] + 2 x[i,j+1] + 3 x[i+1,j] + 4 x[i+1,j+1] = 40 i + 10 j + 34
    expected = [[34.0, 44.0, 54.0], [74.0, 84.0, 94.0], [114.0, 124.0, 134.0]]
    assert out.reshape(3, 3).tolist() == expected


@pytest.mark.parametrize(
    ("size", "k", "s", "p", "d"),
    [(4, 2, 1, 0, 1), (28, 3, 1, 1, 1), (28, 3, 2, 1, 1), (7, 3, 2, 0, 1), (10, 3, 3, 2, 2)],
)
def test_output_size_rule(size: int, k: int, s: int, p: int, d: int) -> None:
    x = sg.zeros(1, 1, size, size)
    out = F.conv2d(x, sg.zeros(1, 1, k, k), stride=s, padding=p, dilation=d)
    expected = (size + 2 * p - d * (k - 1) - 1) // s + 1  # input - kernel + 1 when s=1, p=0
    theirs = torch.nn.functional.conv2d(
        torch.zeros(1, 1, size, size), torch.zeros(1, 1, k, k), stride=s, padding=p, dilation=d
    )
    assert out.shape[-2:] == (expected, expected) == tuple(theirs.shape[-2:])


# ------------------------------------------------------------------ a small CNN, end to end
def test_conv_relu_pool_stack_matches_torch() -> None:
    """Channel-outer views flow from conv through relu and pooling into the next conv."""
    rng = np.random.default_rng(0)
    arrays = [
        rng.standard_normal(s).astype(np.float32)
        for s in [(4, 1, 12, 12), (5, 1, 3, 3), (5,), (6, 5, 3, 3), (6,)]
    ]

    def net(m, x, w1, b1, w2, b2):
        h = m.nn.functional.max_pool2d(m.relu(m.nn.functional.conv2d(x, w1, b1, padding=1)), 2)
        h = m.nn.functional.conv2d(h, w2, b2, padding=1)
        return m.nn.functional.avg_pool2d(m.relu(h), 2).reshape(4, -1).sum(1)

    ours = [sg.from_numpy(a).requires_grad_() for a in arrays]
    theirs = [torch.from_numpy(a).requires_grad_() for a in arrays]
    out, ref = net(sg, *ours), net(torch, *theirs)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-5, atol=1e-5)
    out.sum().backward()
    ref.sum().backward()
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-4, atol=1e-5)


# ------------------------------------------------------------------ errors
def test_conv2d_rejects_wrong_input_ndim() -> None:
    with pytest.raises(ShapeError, match=r"conv2d: input must be 3-D .* or 4-D .*got 2-D"):
        F.conv2d(sg.zeros(4, 4), sg.zeros(1, 1, 3, 3))


def test_conv2d_names_a_channel_mismatch() -> None:
    with pytest.raises(ShapeError, match=r"input channels must equal.*x.shape\[1\]=3 != 2 \* 1"):
        F.conv2d(sg.zeros(1, 3, 5, 5), sg.zeros(4, 2, 3, 3))


def test_conv2d_rejects_a_kernel_larger_than_the_padded_input() -> None:
    with pytest.raises(
        ShapeError, match=r"kernel larger than padded input: .*\(5, 5\) > .*\(4, 4\)"
    ):
        F.conv2d(sg.zeros(1, 1, 4, 4), sg.zeros(1, 1, 5, 5))


def test_conv2d_rejects_groups_that_do_not_divide() -> None:
    with pytest.raises(ShapeError, match="groups must divide out_channels"):
        F.conv2d(sg.zeros(1, 4, 5, 5), sg.zeros(3, 2, 3, 3), groups=2)


def test_conv2d_rejects_same_padding_with_stride() -> None:
    with pytest.raises(ValueError, match="not supported for strided"):
        F.conv2d(sg.zeros(1, 1, 5, 5), sg.zeros(1, 1, 3, 3), stride=2, padding="same")


def test_conv_transpose2d_checks_channels_and_output_padding() -> None:
    with pytest.raises(ShapeError, match="input channels must match"):
        F.conv_transpose2d(sg.zeros(1, 3, 4, 4), sg.zeros(2, 2, 3, 3))
    with pytest.raises(ValueError, match="output padding must be smaller"):
        F.conv_transpose2d(sg.zeros(1, 2, 4, 4), sg.zeros(2, 2, 3, 3), stride=2, output_padding=2)


def test_conv_rejects_mixed_dtypes() -> None:
    with pytest.raises(RuntimeError, match="one float dtype"):
        F.conv2d(sg.zeros(1, 1, 4, 4), sg.zeros(1, 1, 3, 3, dtype=sg.float64))


@pytest.mark.parametrize(
    "make",
    [
        lambda lib, x: lib.nn.functional.conv2d(x, lib.ones(4, 3, 3, 3)),
        lambda lib, x: lib.nn.functional.relu(lib.nn.functional.conv2d(x, lib.ones(4, 3, 3, 3))),
        lambda lib, x: lib.nn.functional.max_pool2d(
            lib.nn.functional.relu(lib.nn.functional.conv2d(x, lib.ones(4, 3, 3, 3))), 2
        ),
        lambda lib, x: lib.nn.functional.conv2d(x[:, :2], lib.ones(4, 1, 3, 3), groups=2),
        lambda lib, x: lib.nn.functional.conv_transpose2d(x, lib.ones(3, 2, 3, 3), stride=2),
        lambda lib, x: lib.nn.functional.adaptive_avg_pool2d(x, 3),
        lambda lib, x: lib.nn.functional.interpolate(x, scale_factor=2),
    ],
)
def test_outputs_take_view_flatten_like_torch(make) -> None:  # type: ignore[no-untyped-def]
    """A PyTorch program flattens with x.view(x.size(0), -1) after convolutions and pools."""
    x = np.arange(2 * 3 * 8 * 8, dtype=np.float32).reshape(2, 3, 8, 8) / 100
    ours, theirs = make(sg, sg.tensor(x)), make(torch, torch.tensor(x))
    flat, tflat = ours.view(ours.size(0), -1), theirs.view(theirs.size(0), -1)
    np.testing.assert_allclose(flat.numpy(), tflat.numpy(), rtol=1e-5, atol=1e-5)
