"""``torch.backends.cudnn``: settable flags; cuDNN itself is not available."""

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    """False: no cuDNN on the CPU."""
    return False


def version() -> None:
    """None: no cuDNN."""
    return None


__all__ = ["allow_tf32", "benchmark", "deterministic", "enabled", "is_available", "version"]
