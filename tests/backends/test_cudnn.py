"""torch.backends.cudnn's flags exist with torch's defaults and can be set."""

import torch

from scratchgrad.backends import cudnn


def test_flags_have_torch_defaults_and_are_settable() -> None:
    for flag in ("enabled", "benchmark", "deterministic", "allow_tf32"):
        assert getattr(cudnn, flag) == getattr(torch.backends.cudnn, flag)
    cudnn.benchmark = True
    assert cudnn.benchmark is True
    cudnn.benchmark = False
    assert cudnn.is_available() == torch.backends.cudnn.is_available()
