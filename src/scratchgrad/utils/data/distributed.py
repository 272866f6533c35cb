"""``torch.utils.data.distributed``: the DistributedSampler, defined in ``scratchgrad.data``."""

from scratchgrad.data.distributed import DistributedSampler

__all__ = ["DistributedSampler"]
