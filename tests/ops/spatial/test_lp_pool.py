"""Parity of lp_pool1d/2d/3d with torch (positive inputs: x^p and its root stay real)."""

import scratchgrad as sg
from tests.ops._functional import functional as _f
from tests.ops._parity import Case, make_tests

LP = ("pow", "avg_pool2d", "sign", "relu")

CASES = [
    Case(LP, _f("lp_pool1d", norm_type=2, kernel_size=3), ((2, 3, 11),), low=0.1, name="1d"),
    Case(
        LP,
        _f("lp_pool1d", norm_type=3, kernel_size=3, stride=2, ceil_mode=True),
        ((3, 11),),
        low=0.1,
        name="1d-ceil-unbatched",
    ),
    Case(
        LP,
        _f("lp_pool2d", norm_type=2, kernel_size=(2, 3), stride=1),
        ((2, 3, 6, 5),),
        low=0.1,
        name="2d",
    ),
    Case(
        LP,
        _f("lp_pool2d", norm_type=1.5, kernel_size=2, ceil_mode=True),
        ((2, 3, 5, 5),),
        low=0.1,
        name="2d-ceil",
    ),
    Case(
        (*LP, "avg_pool3d"),
        _f("lp_pool3d", norm_type=2, kernel_size=2),
        ((1, 2, 4, 4, 5),),
        low=0.1,
        name="3d",
    ),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_p1_is_sum_pooling() -> None:
    out = sg.nn.functional.lp_pool1d(sg.tensor([[[1.0, 2.0, 3.0, 4.0]]]), 1, 2)
    assert out.tolist() == [[[3.0, 7.0]]]
