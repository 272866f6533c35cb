"""torch.accelerator without an accelerator, as torch answers on this machine."""

import torch

from scratchgrad import accelerator


def test_no_accelerator_like_torch() -> None:
    assert accelerator.is_available() == torch.accelerator.is_available()
    assert accelerator.current_accelerator() == torch.accelerator.current_accelerator()
    assert accelerator.device_count() == torch.accelerator.device_count()
