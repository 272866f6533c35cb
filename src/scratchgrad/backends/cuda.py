"""``torch.backends.cuda``: the matmul precision flags programs set (nanoGPT does)."""

from types import SimpleNamespace

matmul = SimpleNamespace(allow_tf32=False, allow_fp16_reduced_precision_reduction=True)
"""``torch.backends.cuda.matmul.allow_tf32 = True`` is accepted; nothing runs on CUDA."""


def is_built() -> bool:
    """False: this build has no CUDA."""
    return False


__all__ = ["is_built", "matmul"]
