"""Random sampling in place: ``normal_``, ``uniform_``, ``bernoulli_``, ``multinomial``, ....

Each takes an optional ``generator`` (:class:`scratchgrad.Generator`) for its draws.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scratchgrad.types import _bool, _float, _int

if TYPE_CHECKING:
    from scratchgrad import sampling as _sampling
    from scratchgrad.tensor import Tensor

# Bound at run time by bind_ops (scratchgrad.tensor_methods), once the ops have loaded:
# _sampling.


class SamplingMethods:
    """Random sampling in place, mixed into :class:`~scratchgrad.tensor.Tensor`."""

    __slots__ = ()

    def normal_(
        self: Tensor, mean: _float = 0.0, std: _float = 1.0, *, generator: Any = None
    ) -> Tensor:
        """Fill with N(mean, std^2) draws in place."""
        return _sampling.normal_(self, mean, std, generator=generator)

    def uniform_(
        self: Tensor, from_: _float = 0.0, to: _float = 1.0, *, generator: Any = None
    ) -> Tensor:
        """Fill with U[from_, to) draws in place."""
        return _sampling.uniform_(self, from_, to, generator=generator)

    def exponential_(self: Tensor, lambd: _float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with Exponential(lambd) draws in place."""
        return _sampling.exponential_(self, lambd, generator=generator)

    def random_(
        self: Tensor, from_: _int | None = None, to: _int | None = None, *, generator: Any = None
    ) -> Tensor:
        """Fill with integers drawn uniformly in place: [0, from_) or [from_, to)."""
        return _sampling.random_(self, from_, to, generator=generator)

    def bernoulli_(self: Tensor, p: _float | Tensor = 0.5, *, generator: Any = None) -> Tensor:
        """Fill with 0/1 draws in place, 1 with probability p."""
        return _sampling.bernoulli_(self, p, generator=generator)

    def geometric_(self: Tensor, p: _float, *, generator: Any = None) -> Tensor:
        """Fill with Geometric(p) draws (trials to the first success) in place."""
        return _sampling.geometric_(self, p, generator=generator)

    def bernoulli(self: Tensor, p: _float | None = None, *, generator: Any = None) -> Tensor:
        """0/1 draws, 1 with probability self (or p)."""
        return _sampling.bernoulli(self, p, generator=generator)

    def multinomial(
        self: Tensor, num_samples: _int, replacement: _bool = False, *, generator: Any = None
    ) -> Tensor:
        """Category indices drawn from rows of weights: (C,) or (N, C) -> (..., num_samples)."""
        return _sampling.multinomial(self, num_samples, replacement, generator=generator)
