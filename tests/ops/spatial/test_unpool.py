"""Parity of adaptive_max_pool2d and max_unpool2d with torch; indices; errors."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.nn import functional as F  # noqa: N812 - the usual name
from tests.ops._functional import X
from tests.ops._functional import functional as _f
from tests.ops._parity import Case, make_tests


def _ties(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
    """Small integers: many windows hold their max twice (torch takes the first)."""
    return [rng.integers(-2, 3, (2, 3, 7, 9)).astype(dtype)]


def amp(name, shape=X, make=None, **kw):
    fn = _f("adaptive_max_pool2d", **kw)
    return Case("adaptive_max_pool2d", fn, (shape,), make=make, gradcheck=make is None, name=name)


def unpool(k, stride=None, padding=0, output_size=None):
    """max_pool2d with indices, then max_unpool2d: the gradient flows through both."""

    def fn(m, x):
        values, idx = m.nn.functional.max_pool2d(x, k, stride, padding, return_indices=True)
        return m.nn.functional.max_unpool2d(values, idx, k, stride, padding, output_size)

    return fn


CASES = [
    amp("global", output_size=1),
    amp("divides", (2, 3, 6, 8), output_size=(3, 4), return_indices=True),
    amp("3x5-overlap", output_size=(4, 5), return_indices=True),
    amp("none", output_size=(None, 3)),
    amp("grow", output_size=9, return_indices=True),
    amp("ties", make=_ties, output_size=(3, 4), return_indices=True),
    amp("unbatched", (3, 6, 7), output_size=(2, 3), return_indices=True),
    Case("max_unpool2d", unpool(2), ((2, 3, 6, 8),), name="k2"),
    Case("max_unpool2d", unpool(2, output_size=(6, 7)), (X,), name="output-size"),
    Case("max_unpool2d", unpool((2, 3), (2, 3), (1, 1)), (X,), name="stride-pad"),
    # overlapping windows share maxima: unpool writes one, backward (as torch's) reads
    # it for each, so the gradient is not the numeric derivative: no gradcheck
    Case(
        "max_unpool2d",
        unpool(3, 2, 1, (2, 3, 6, 7)),
        (X,),
        gradcheck=False,
        name="k3s2p1-size4",
    ),
    Case("max_unpool2d", unpool(2), ((3, 6, 8),), name="unbatched"),
]

test_parity, test_gradcheck = make_tests(CASES)


def test_adaptive_max_pool2d_indices() -> None:
    x = sg.arange(9.0).reshape(1, 1, 3, 3)
    values, idx = F.adaptive_max_pool2d(x, 2, return_indices=True)
    assert idx.dtype == sg.int64 and idx.flatten().tolist() == [4, 5, 7, 8]
    assert values.flatten().tolist() == [4.0, 5.0, 7.0, 8.0]


def test_unpool_puts_values_back_at_their_indices() -> None:
    x = sg.tensor([[[[1.0, 5.0], [3.0, 2.0]]]])
    values, idx = F.max_pool2d(x, 2, return_indices=True)
    assert F.max_unpool2d(values, idx, 2).tolist() == [[[[0.0, 5.0], [0.0, 0.0]]]]


def test_unpool_errors() -> None:
    v, i = F.max_pool2d(sg.randn(1, 1, 4, 4), 2, return_indices=True)
    with pytest.raises(ShapeError, match="indices must have the shape of x"):
        F.max_unpool2d(v, i[:, :, :1], 2)
    with pytest.raises(TypeError, match="indices must be int64"):
        F.max_unpool2d(v, i.float(), 2)
    with pytest.raises(ShapeError, match="invalid max index"):
        F.max_unpool2d(v, i, 2, output_size=(2, 2))
    with pytest.raises(ShapeError, match="adaptive_max_pool2d: input must be"):
        F.adaptive_max_pool2d(sg.zeros(4, 4), 2)
    with pytest.raises(ShapeError, match="must be positive"):
        F.adaptive_max_pool2d(sg.zeros(1, 1, 4, 4), (0, 2))
