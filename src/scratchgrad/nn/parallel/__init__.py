"""Parallel wrappers, as ``torch.nn.parallel``: :class:`DataParallel` (one CPU here)."""

from scratchgrad.nn.parallel.data_parallel import DataParallel

__all__ = ["DataParallel"]
