"""Parity of conv3d with torch: stride, padding ('same', 'valid'), dilation, groups, bias."""

import pytest

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.nn import functional as F  # noqa: N812 - the usual name
from tests.ops._functional import functional as _f
from tests.ops._parity import Case, make_tests

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")

V = (2, 3, 4, 5, 4)  # (N, C, D, H, W)


def conv(shapes, name, **kw):
    return Case("conv3d", _f("conv3d", **kw), shapes, tol=(1e-5, 1e-5), name=name)


CASES = [
    conv((V, (4, 3, 2, 3, 2), (4,)), "basic"),
    conv((V, (4, 3, 2, 2, 2)), "no-bias", padding=1),
    conv((V, (4, 3, 3, 3, 3), (4,)), "stride-pad", stride=(2, 1, 2), padding=(1, 0, 1)),
    conv((V, (4, 3, 2, 3, 2), (4,)), "same", padding="same"),
    conv((V, (4, 3, 2, 2, 3), (4,)), "same-dilated", padding="same", dilation=(1, 2, 1)),
    conv((V, (4, 3, 2, 2, 2), (4,)), "valid-dilated", padding="valid", dilation=2),
    conv(((2, 4, 3, 4, 4), (6, 2, 2, 2, 2), (6,)), "groups", groups=2, padding=(0, 1, 1)),
    conv(((2, 3, 3, 4, 4), (3, 1, 2, 3, 3), (3,)), "depthwise", groups=3, stride=2, padding=1),
    conv(((3, 3, 4, 4), (2, 3, 2, 2, 2), (2,)), "unbatched", stride=(1, 2, 1)),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_conv3d_errors() -> None:
    with pytest.raises(ShapeError, match=r"conv3d: input must be 4-D .* or 5-D \(N, C, D, H, W\)"):
        F.conv3d(sg.zeros(1, 4, 4), sg.zeros(1, 1, 2, 2, 2))
    with pytest.raises(ShapeError, match=r"weight must be 5-D"):
        F.conv3d(sg.zeros(1, 1, 4, 4, 4), sg.zeros(1, 1, 2, 2))
    with pytest.raises(ShapeError, match=r"input channels must equal.*x.shape\[1\]=2 != 1 \* 1"):
        F.conv3d(sg.zeros(1, 2, 4, 4, 4), sg.zeros(1, 1, 2, 2, 2))
    with pytest.raises(ShapeError, match=r"kernel larger than padded input.*\(5, 2, 2\)"):
        F.conv3d(sg.zeros(1, 1, 4, 4, 4), sg.zeros(1, 1, 5, 2, 2))
    with pytest.raises(ValueError, match="not supported for strided"):
        F.conv3d(sg.zeros(1, 1, 4, 4, 4), sg.zeros(1, 1, 2, 2, 2), stride=2, padding="same")
    with pytest.raises(ValueError, match="stride must be an int or a tuple of 3 ints"):
        F.conv3d(sg.zeros(1, 1, 4, 4, 4), sg.zeros(1, 1, 2, 2, 2), stride=(1, 2))
    with pytest.raises(ShapeError, match="bias must have one value per output channel"):
        F.conv3d(sg.zeros(1, 1, 4, 4, 4), sg.zeros(2, 1, 2, 2, 2), sg.zeros(3))
