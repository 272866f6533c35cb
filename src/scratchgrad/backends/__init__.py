"""``torch.backends``: the flags programs set (cudnn, cuda.matmul, mps), kept and unused.

On the CPU these settings change nothing, as in PyTorch's CPU build; they are plain
attributes so ``torch.backends.cudnn.benchmark = True`` runs.
"""

from scratchgrad.backends import cuda, cudnn, mps

__all__ = ["cuda", "cudnn", "mps"]
