"""The padding layers against torch's: values, gradients, reprs, batched and unbatched."""

import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from tests.nn.test_linear import run_both, x32

PADS = {1: [2, (1, 3)], 2: [1, (1, 0, 2, 1)], 3: [1, (1, 0, 0, 2, 1, 1)]}
SHAPES = {1: [(2, 3, 6), (3, 6)], 2: [(2, 3, 5, 4), (3, 5, 4)], 3: [(1, 2, 4, 3, 5), (2, 4, 3, 5)]}
KINDS = ["ZeroPad", "ConstantPad", "ReflectionPad", "ReplicationPad", "CircularPad"]
CASES = [(k, d, p, s) for k in KINDS for d in (1, 2, 3) for p in PADS[d] for s in SHAPES[d]]


@pytest.mark.parametrize(("kind", "dims", "padding", "shape"), CASES, ids=str)
def test_padding_layer_matches_torch(kind, dims, padding, shape) -> None:
    args = (padding, 0.5) if kind == "ConstantPad" else (padding,)
    ours, theirs = getattr(nn, f"{kind}{dims}d")(*args), getattr(torch.nn, f"{kind}{dims}d")(*args)
    assert repr(ours) == repr(theirs) and ours.padding == theirs.padding
    run_both(ours, theirs, x32(*shape))


def test_reflection_pad_refuses_a_pad_as_large_as_the_input() -> None:
    with pytest.raises(ValueError):
        nn.ReflectionPad1d(3)(sg.zeros(1, 3))
