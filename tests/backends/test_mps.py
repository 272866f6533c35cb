"""torch.backends.mps is not available, as on this machine's torch."""

import torch

from scratchgrad.backends import mps


def test_mps_like_torch() -> None:
    assert mps.is_available() == torch.backends.mps.is_available()
