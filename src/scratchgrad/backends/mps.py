"""``torch.backends.mps``: Apple's GPU backend is neither built nor available here."""


def is_available() -> bool:
    """False."""
    return False


def is_built() -> bool:
    """False."""
    return False


__all__ = ["is_available", "is_built"]
