"""Broadcasting (CURRICULUM A8): sizes compared right to left, equal or one of them 1.

Property tests build shape pairs by construction (hypothesis), then check
``scratchgrad.broadcast_shapes`` against NumPy, the shape of a broadcast op, its
gradients against torch, and the error for shapes that do not broadcast.
"""

import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import scratchgrad as sg

Shape = tuple[int, ...]
MAX_DIMS, MAX_SIZE = 5, 6
FAST = settings(max_examples=150, deadline=None, database=None)
sizes = st.integers(1, MAX_SIZE)


def _message(a: Shape, b: Shape, k: int) -> str:
    return (
        f"cannot broadcast shapes {a} and {b}: at dim -{k} the sizes {a[-k]} and {b[-k]} "
        f"differ and neither is 1"
    )


@st.composite
def _operand_of(draw: st.DrawFn, result: Shape) -> Shape:
    """A shape that broadcasts to ``result``: leading dims dropped, some sizes set to 1."""
    kept = result[len(result) - draw(st.integers(0, len(result))) :]
    ones = draw(st.lists(st.booleans(), min_size=len(kept), max_size=len(kept)))
    return tuple(1 if one else n for n, one in zip(kept, ones, strict=True))


@st.composite
def broadcastable_pairs(draw: st.DrawFn) -> tuple[Shape, Shape]:
    result = tuple(draw(st.lists(sizes, max_size=MAX_DIMS)))
    return draw(_operand_of(result)), draw(_operand_of(result))


@st.composite
def clashing_pairs(draw: st.DrawFn) -> tuple[Shape, Shape, int]:
    """Two shapes that agree right of dim -k and differ at -k, neither size being 1.

    Dims left of -k are anything (they may clash too): -k is the first failure
    counted from the right.
    """
    k = draw(st.integers(1, MAX_DIMS))
    tail = tuple(draw(st.lists(sizes, min_size=k - 1, max_size=k - 1)))
    ones_a = draw(st.lists(st.booleans(), min_size=k - 1, max_size=k - 1))
    ones_b = draw(st.lists(st.booleans(), min_size=k - 1, max_size=k - 1))
    n_a, n_b = draw(st.lists(st.integers(2, MAX_SIZE), min_size=2, max_size=2, unique=True))
    lead_a = tuple(draw(st.lists(sizes, max_size=MAX_DIMS - k)))
    lead_b = tuple(draw(st.lists(sizes, max_size=MAX_DIMS - k)))
    a = (*lead_a, n_a, *(1 if one else n for n, one in zip(tail, ones_a, strict=True)))
    b = (*lead_b, n_b, *(1 if one else n for n, one in zip(tail, ones_b, strict=True)))
    return a, b, k


# ------------------------------------------------------------------ properties
@FAST
@given(broadcastable_pairs())
def test_broadcastable_pairs_agree_with_numpy_and_torch(pair: tuple[Shape, Shape]) -> None:
    a, b = pair
    expected = np.broadcast_shapes(a, b)
    assert sg.broadcast_shapes(a, b) == expected
    assert (sg.ones(a) + sg.ones(b)).shape == expected

    rng = np.random.default_rng(0)
    xa, xb = rng.standard_normal(a), rng.standard_normal(b)
    x, y = sg.tensor(xa, requires_grad=True), sg.tensor(xb, requires_grad=True)
    tx, ty = torch.tensor(xa, requires_grad=True), torch.tensor(xb, requires_grad=True)
    (x * y).sum().backward()
    (tx * ty).sum().backward()
    assert x.grad is not None and y.grad is not None
    assert x.grad.shape == a and y.grad.shape == b
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(y.grad.numpy(), ty.grad.numpy(), rtol=1e-12, atol=1e-12)


@FAST
@given(clashing_pairs())
def test_clashing_pairs_name_the_first_failing_dim(case: tuple[Shape, Shape, int]) -> None:
    a, b, k = case
    assert issubclass(sg.BroadcastError, ValueError)
    msg = re.escape(_message(a, b, k))
    with pytest.raises(sg.BroadcastError, match=f"^{msg}$"):
        sg.broadcast_shapes(a, b)
    with pytest.raises(sg.BroadcastError, match=f"^{msg}$"):
        sg.ones(a) + sg.ones(b)
    with pytest.raises(ValueError):
        np.broadcast_shapes(a, b)


# ------------------------------------------------------------------ the six cases of A8
A8 = [
    ((5, 1, 3), (5, 1, 3), (5, 1, 3)),
    ((5, 2, 3, 1), (5, 1, 3, 1), (5, 2, 3, 1)),
    ((5, 2, 3, 1), (5, 1, 3, 5), (5, 2, 3, 5)),
    (
        (5, 3, 3),
        (5, 2, 3),
        "cannot broadcast shapes (5, 3, 3) and (5, 2, 3): at dim -2 "
        "the sizes 3 and 2 differ and neither is 1",
    ),
    (
        (5, 3, 3),
        (5, 3),
        "cannot broadcast shapes (5, 3, 3) and (5, 3): at dim -2 "
        "the sizes 3 and 5 differ and neither is 1",
    ),
    ((5, 3, 3), (3, 3), (5, 3, 3)),
]


@pytest.mark.parametrize(("a", "b", "expected"), A8, ids=[f"{a}&{b}" for a, b, _ in A8])
def test_curriculum_a8_cases(a: Shape, b: Shape, expected: Shape | str) -> None:
    if isinstance(expected, str):
        for attempt in (lambda: sg.broadcast_shapes(a, b), lambda: sg.ones(a) + sg.ones(b)):
            with pytest.raises(sg.BroadcastError) as info:
                attempt()
            assert str(info.value) == expected
        with pytest.raises(ValueError):
            np.broadcast_shapes(a, b)
    else:
        assert sg.broadcast_shapes(a, b) == expected == np.broadcast_shapes(a, b)
        assert (sg.ones(a) * sg.ones(b)).shape == expected
