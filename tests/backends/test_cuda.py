"""torch.backends.cuda.matmul flags are accepted (nanoGPT sets allow_tf32)."""

from scratchgrad.backends import cuda


def test_matmul_flags_are_settable() -> None:
    cuda.matmul.allow_tf32 = True
    assert cuda.matmul.allow_tf32 is True
    cuda.matmul.allow_tf32 = False
    assert cuda.is_built() is False
