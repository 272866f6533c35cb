"""Parity of pad with torch in every mode; errors."""

import pytest

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.nn import functional as F  # noqa: N812 - the usual name
from tests.ops._functional import X
from tests.ops._functional import functional as _f
from tests.ops._parity import Case, make_tests

CASES = [
    # pad: constant (grow, crop, value), reflect, replicate, circular
    Case("pad", _f("pad", pad=(1, 2)), ((2, 3, 4),), name="last"),
    Case("pad", _f("pad", pad=(1, 2, 0, 3), value=1.5), (X,), name="value"),
    Case("pad", _f("pad", pad=(-1, 2, 1, -2)), (X,), name="crop"),
    Case("pad", _f("pad", pad=(2, 1, 1, 3), mode="reflect"), (X,), name="reflect"),
    Case("pad", _f("pad", pad=(2, 1, 1, 3), mode="replicate"), (X,), name="replicate"),
    Case("pad", _f("pad", pad=(2, 1, 1, 6), mode="circular"), (X,), name="circular"),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_pad_errors() -> None:
    with pytest.raises(ShapeError, match="reflect padding must be in"):
        F.pad(sg.zeros(1, 1, 3, 3), (3, 3), mode="reflect")
