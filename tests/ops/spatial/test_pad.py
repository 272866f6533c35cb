"""Parity of pad with torch in every mode, for 1-d, 2-d and 3-d padding; errors."""

import pytest

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.nn import functional as F  # noqa: N812 - the usual name
from tests.ops._functional import X
from tests.ops._functional import functional as _f
from tests.ops._parity import Case, make_tests

V = (2, 2, 3, 4, 5)  # (N, C, D, H, W)


def _mode(mode: str, pad: tuple[int, ...], shape: tuple[int, ...], name: str) -> Case:
    return Case("pad", _f("pad", pad=pad, mode=mode), (shape,), name=f"{mode}-{name}")


CASES = [
    # pad: constant (grow, crop, value), reflect, replicate, circular
    Case("pad", _f("pad", pad=(1, 2)), ((2, 3, 4),), name="last"),
    Case("pad", _f("pad", pad=(1, 2, 0, 3), value=1.5), (X,), name="value"),
    Case("pad", _f("pad", pad=(-1, 2, 1, -2)), (X,), name="crop"),
    Case("pad", _f("pad", pad=(1, 1, 0, 2, 2, 0, 1, 1)), ((2, 3, 3, 4),), name="4-dims"),
    Case("pad", _f("pad", pad=(2, 1, 1, 3), mode="reflect"), (X,), name="reflect"),
    Case("pad", _f("pad", pad=(2, 1, 1, 3), mode="replicate"), (X,), name="replicate"),
    Case("pad", _f("pad", pad=(2, 1, 1, 6), mode="circular"), (X,), name="circular"),
]
for _m in ("reflect", "replicate", "circular"):
    CASES += [
        _mode(_m, (2, 3), (2, 3, 5), "1d"),
        _mode(_m, (3, 1), (3, 5), "1d-unbatched"),
        _mode(_m, (0, 2, 3, 1), (3, 4, 5), "2d-unbatched"),
        _mode(_m, (1, 2, 2, 0, 1, 1), V, "3d"),
        _mode(_m, (2, 0, 0, 3, 2, 1), V[1:], "3d-unbatched"),
        _mode(_m, (-1, 2, 1, -2), X, "crop"),
    ]
CASES += [
    _mode("reflect", (4, 4), (2, 3, 5), "1d-largest"),
    _mode("circular", (5, 5, 6, 6), X, "2d-largest"),
    _mode("replicate", (9, 7), (2, 3, 2), "1d-far"),
    # negative pads past the input, as torch allows: reflect/replicate index the whole
    # input (one pad may crop more than the other adds); constant crops each in turn
    _mode("reflect", (-6, 2, 3, -4), X, "crop-past"),
    _mode("replicate", (5, -8, -2, -1), X, "crop-past"),
    _mode("constant", (-3, -4, 2, -6), X, "crop-to-empty"),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_reflect_doc_example() -> None:
    x = sg.arange(4.0).reshape(1, 4)
    assert F.pad(x, (3, 3), mode="reflect").tolist() == [[3, 2, 1, 0, 1, 2, 3, 2, 1, 0]]
    assert F.pad(x, (2, 2), mode="replicate").tolist() == [[0, 0, 0, 1, 2, 3, 3, 3]]
    assert F.pad(x, (2, 2), mode="circular").tolist() == [[2, 3, 0, 1, 2, 3, 0, 1]]


@pytest.mark.parametrize(
    ("shape", "pad", "mode", "error", "match"),
    [
        ((1, 1, 3), (3, 3), "reflect", ShapeError, "reflect padding must be at most 2"),
        ((1, 1, 3, 3), (0, 0, 0, 3), "reflect", ShapeError, "size 3"),
        ((1, 1, 3), (4, 0), "circular", ShapeError, "circular padding must be at most 3"),
        ((1, 1, 3, 3), (1, 1), "reflect", NotImplementedError, "padding size 2 is not"),
        ((3,), (1, 1), "replicate", NotImplementedError, "for a 1-D input"),
        ((1, 2, 3, 4, 5, 6), (1, 1, 1, 1, 1, 1), "circular", NotImplementedError, "6-D"),
        ((1, 1, 3), (1, 1), "mirror", NotImplementedError, "unrecognised padding mode"),
        ((1, 1, 3), (1,), "constant", ValueError, "divisible by 2"),
        ((1, 3), (1, 1, 1, 1, 1, 1), "constant", ValueError, "too large"),
        ((1, 3), (-2, -2), "constant", ShapeError, "non-negative"),
        ((1, 3), (-4, 2), "constant", ShapeError, "non-negative"),  # torch: narrow fails
        ((1, 1, 3), (-4, 1), "reflect", ShapeError, "too small"),
    ],
)
def test_pad_errors(shape, pad, mode, error, match) -> None:
    with pytest.raises(error, match=match):
        F.pad(sg.zeros(*shape), pad, mode=mode)
