"""Parity of channel_shuffle with torch (a permutation of channels: values and gradients)."""

import pytest

import scratchgrad as sg
from tests.ops._functional import functional as _f
from tests.ops._parity import Case, make_tests

CASES = [
    Case(("reshape", "permute"), _f("channel_shuffle", groups=2), ((2, 6, 3),), name="g2"),
    Case(("reshape", "permute"), _f("channel_shuffle", groups=3), ((2, 6, 2, 3),), name="g3-2d"),
    Case(("reshape", "permute"), _f("channel_shuffle", groups=1), ((1, 4, 2),), name="g1"),
]

test_parity, test_gradcheck = make_tests(CASES)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((sg.zeros(2, 4), 2), sg.ShapeError, "at least 3 dims"),
        ((sg.zeros(1, 5, 2), 2), sg.ShapeError, "divisible by groups"),
        ((sg.zeros(1, 4, 2), 0), ValueError, "must be positive"),
    ],
)
def test_errors(args: tuple, error: type, match: str) -> None:
    with pytest.raises(error, match=f"channel_shuffle: .*{match}"):
        sg.nn.functional.channel_shuffle(*args)
