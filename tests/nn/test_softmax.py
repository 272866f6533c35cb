"""Softmax2d against torch's: softmax over channels, batched and unbatched."""

import pytest
import torch

import scratchgrad as sg
from scratchgrad import nn
from scratchgrad.errors import ShapeError
from tests.nn.test_linear import run_both, x32


@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (3, 4, 5)])
def test_softmax2d_matches_torch(shape) -> None:
    assert repr(nn.Softmax2d()) == repr(torch.nn.Softmax2d())
    run_both(nn.Softmax2d(), torch.nn.Softmax2d(), x32(*shape))


def test_softmax2d_refuses_other_ranks() -> None:
    with pytest.raises(ShapeError, match="Softmax2d: expected input of 3 or 4 dims"):
        nn.Softmax2d()(sg.zeros(2, 3))
