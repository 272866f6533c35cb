"""Parallel wrappers, as ``torch.nn.parallel``.

:class:`DataParallel` (one CPU here) and :class:`DistributedDataParallel` (one replica
per MPI rank, gradients averaged).
"""

from scratchgrad.nn.parallel.data_parallel import DataParallel
from scratchgrad.nn.parallel.distributed import DistributedDataParallel

__all__ = ["DataParallel", "DistributedDataParallel"]
