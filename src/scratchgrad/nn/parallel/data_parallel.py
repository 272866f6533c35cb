"""DataParallel: torch's single-process multi-GPU wrapper, as it behaves without GPUs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scratchgrad.nn.module import Module


class DataParallel(Module):
    """Wraps ``module`` and calls it: ``torch.nn.DataParallel`` on a machine with no GPU.

    Torch replicates the module over its ``device_ids`` and splits each batch along
    ``dim``; with no GPU it keeps ``device_ids`` empty and forwards to the module, which is
    what this does. The wrapped module is the submodule ``module``, so the state dict keys
    carry a ``module.`` prefix exactly as torch's (checkpoints move both ways).

    Args:
        module: the module to run.
        device_ids: GPUs to replicate over; ignored, as torch ignores them without GPUs.
        output_device: GPU to gather outputs on; ignored likewise.
        dim: the batch dimension to scatter along; kept, unused.

    Shape:
        Whatever ``module`` takes and returns.

    >>> import scratchgrad as sg
    >>> from scratchgrad import nn
    >>> model = DataParallel(nn.Linear(3, 2))
    >>> list(model.state_dict())
    ['module.weight', 'module.bias']
    >>> model(sg.ones(4, 3)).shape
    (4, 2)
    """

    def __init__(
        self,
        module: Module,
        device_ids: Sequence[Any] | None = None,
        output_device: Any = None,
        dim: int = 0,
    ) -> None:
        super().__init__()
        self.module = module
        self.device_ids: list[int] = []  # no GPU: torch leaves it empty too
        self.output_device = output_device
        self.dim = dim

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        """``module(*inputs, **kwargs)``."""
        return self.module(*inputs, **kwargs)


__all__ = ["DataParallel"]
