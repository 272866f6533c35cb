"""Compatibility facade for ``torch.nn.modules.batchnorm``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.normalization import BatchNorm1d, BatchNorm2d, BatchNorm3d
from scratchgrad.nn.sync_batchnorm import SyncBatchNorm

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm"]
