"""LPPool1d/2d/3d against torch's layers: values, gradients, reprs."""

import numpy as np
import pytest
import torch

from scratchgrad import nn
from tests.nn.test_pooling import run_both, x32


@pytest.mark.parametrize(
    ("name", "args", "shape"),
    [
        ("LPPool1d", (2, 3), (2, 3, 11)),
        ("LPPool1d", (3, 2, 1, True), (3, 9)),
        ("LPPool2d", (2, 3, 2), (2, 3, 7, 7)),
        ("LPPool2d", (1.5, (2, 3)), (3, 6, 6)),
        ("LPPool3d", (2, 2), (1, 2, 4, 4, 4)),
    ],
)
def test_lp_pools_match_torch(name, args, shape) -> None:
    x = np.abs(x32(*shape)) + 0.1  # positive: x^p's root stays real
    run_both(getattr(nn, name)(*args), getattr(torch.nn, name)(*args), x)
