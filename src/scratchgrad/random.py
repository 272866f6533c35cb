"""Random numbers: a global generator seeded by ``manual_seed``, and ``Generator`` objects.

As in PyTorch, functions that draw random numbers take an optional ``generator=``;
without one they use the global default generator. A generator's whole state is a
JSON-serialisable dict (``get_state``/``set_state``), so checkpoints can restore it
exactly. Draws use NumPy's PCG64: the same seed gives the same numbers in scratchgrad,
not the same numbers as PyTorch's Mersenne Twister.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.backend import xp


class Generator:
    """A seeded source of random numbers.

    Args:
        seed: initial seed; None draws one from the operating system.

    >>> g = Generator(0)
    >>> a = g.numpy.random(2)
    >>> _ = g.manual_seed(0)
    >>> bool((g.numpy.random(2) == a).all())
    True
    """

    def __init__(self, seed: int | None = None) -> None:
        entropy = int(xp.random.SeedSequence().entropy)  # type: ignore[arg-type]
        self._seed = entropy % 2**63 if seed is None else seed
        self.numpy = xp.random.Generator(xp.random.PCG64(self._seed))

    def manual_seed(self, seed: int) -> Generator:
        """Reseed; returns self."""
        self._seed = int(seed)
        self.numpy = xp.random.Generator(xp.random.PCG64(self._seed))
        return self

    def initial_seed(self) -> int:
        """The seed this generator was last seeded with."""
        return self._seed

    def get_state(self) -> dict[str, Any]:
        """The full state, as a JSON-serialisable dict."""
        return {"seed": self._seed, "bit_generator": self.numpy.bit_generator.state}

    def set_state(self, state: dict[str, Any]) -> Generator:
        """Restore a state from ``get_state``; returns self."""
        self._seed = int(state["seed"])
        self.numpy.bit_generator.state = state["bit_generator"]
        return self


default_generator = Generator(0)
"""The global generator used when no ``generator=`` is given."""


def manual_seed(seed: int) -> Generator:
    """Seed the global generator, as ``torch.manual_seed``; returns it."""
    return default_generator.manual_seed(seed)


def initial_seed() -> int:
    """The seed of the global generator."""
    return default_generator.initial_seed()


def get_rng_state() -> dict[str, Any]:
    """The global generator's state (JSON-serialisable)."""
    return default_generator.get_state()


def set_rng_state(state: dict[str, Any]) -> None:
    """Restore the global generator's state."""
    default_generator.set_state(state)


def numpy_generator(generator: Generator | None = None) -> xp.random.Generator:
    """The NumPy generator behind ``generator`` (the global one when None)."""
    return (generator or default_generator).numpy


__all__ = [
    "Generator",
    "default_generator",
    "get_rng_state",
    "initial_seed",
    "manual_seed",
    "numpy_generator",
    "set_rng_state",
]
