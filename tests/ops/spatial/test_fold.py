"""Parity of unfold and fold with torch; fold(unfold(x)) counts; errors."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.nn import functional as F  # noqa: N812 - the usual name
from tests.ops._functional import X
from tests.ops._functional import functional as _f
from tests.ops._parity import Case, make_tests


def unf(shape, name, **kw):
    return Case("im2col", _f("unfold", **kw), (shape,), name=name)


def fld(shape, name, **kw):
    return Case("col2im", _f("fold", **kw), (shape,), name=name)


CASES = [
    unf(X, "k2", kernel_size=2),
    unf(X, "all-args", kernel_size=(2, 3), dilation=(2, 1), padding=(1, 2), stride=(2, 3)),
    unf(X, "stride2", kernel_size=3, stride=2, padding=1),
    unf((3, 5, 4), "unbatched", kernel_size=(3, 2)),
    # fold: L = Lh * Lw blocks of the output size
    fld((2, 12, 20), "k2", output_size=(5, 6), kernel_size=2),  # 4*5 blocks, C=3
    fld((2, 8, 12), "overlap-pad", output_size=(5, 6), kernel_size=2, stride=2, padding=1),
    fld(
        (2, 12, 9),
        "all-args",
        output_size=(6, 7),
        kernel_size=(2, 3),
        dilation=(2, 1),
        padding=(1, 2),
        stride=(2, 3),
    ),
    fld((6, 6), "unbatched", output_size=4, kernel_size=(3, 2), stride=1),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_fold_of_unfold_counts_the_blocks_each_pixel_is_in() -> None:
    ones = sg.ones(1, 1, 4, 4)
    counts = F.fold(F.unfold(ones, 2), (4, 4), 2)
    expected = np.array([[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]])
    np.testing.assert_array_equal(counts.numpy()[0, 0], expected)


def test_fold_unfold_errors() -> None:
    with pytest.raises(ShapeError, match="unfold: input must be 3-D"):
        F.unfold(sg.zeros(4, 4), 2)
    with pytest.raises(ShapeError, match="no sliding block fits"):
        F.unfold(sg.zeros(1, 1, 3, 3), 4)
    with pytest.raises(ShapeError, match="fold: x.shape\\[1\\] must be divisible by kh\\*kw"):
        F.fold(sg.zeros(1, 5, 9), 4, 2)
    with pytest.raises(ShapeError, match="must be the number of sliding blocks"):
        F.fold(sg.zeros(1, 4, 8), 4, 2)
    with pytest.raises(ShapeError, match="fold: input must be 2-D"):
        F.fold(sg.zeros(4), 4, 2)
    with pytest.raises(ValueError, match="stride must be positive"):
        F.unfold(sg.zeros(1, 1, 3, 3), 2, stride=0)
