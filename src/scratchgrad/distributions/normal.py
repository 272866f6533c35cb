"""``Normal(loc, scale)``: the Gaussian, reparameterisable (rsample = loc + scale * eps)."""

from __future__ import annotations

import math

from scratchgrad.creation import randn
from scratchgrad.distributions import constraints
from scratchgrad.distributions.distribution import Distribution, Shape, broadcast_all
from scratchgrad.tensor import Tensor

_LOG_SQRT_2PI = math.log(math.sqrt(2 * math.pi))


class Normal(Distribution):
    """N(loc, scale^2), elementwise over the broadcast shape of loc and scale.

    Args:
        loc: the means, a tensor (*) or a number.
        scale: the standard deviations (> 0), a tensor (*) or a number.
        validate_args: check that scale > 0 (and values given to log_prob).

    >>> import scratchgrad as sg
    >>> round(Normal(0.0, 1.0).log_prob(sg.tensor(0.0)).item(), 4)
    -0.9189
    """

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}  # noqa: RUF012
    has_rsample = True

    def __init__(
        self, loc: Tensor | float, scale: Tensor | float, validate_args: bool | None = None
    ) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        numbers = not isinstance(loc, Tensor) and not isinstance(scale, Tensor)
        super().__init__(() if numbers else tuple(self.loc.shape), validate_args=validate_args)

    @property
    def support(self) -> constraints.Constraint:
        """All reals."""
        return constraints.real

    @property
    def mean(self) -> Tensor:
        """loc, shape batch_shape."""
        return self.loc

    @property
    def mode(self) -> Tensor:
        """loc, shape batch_shape."""
        return self.loc

    @property
    def stddev(self) -> Tensor:
        """scale, shape batch_shape."""
        return self.scale

    @property
    def variance(self) -> Tensor:
        """scale^2, shape batch_shape."""
        return self.scale.pow(2)

    def rsample(self, sample_shape: Shape = ()) -> Tensor:
        """loc + eps * scale with eps ~ N(0, 1): shape sample_shape + batch_shape."""
        eps = randn(self._extended_shape(sample_shape), dtype=self.loc.dtype)
        return self.loc + eps * self.scale

    def log_prob(self, value: Tensor) -> Tensor:
        """-(value - loc)^2 / (2 scale^2) - log(scale) - log(sqrt(2 pi)), broadcast shape."""
        if self._validate_args:
            self._validate_sample(value)
        var = self.scale**2
        return -((value - self.loc) ** 2) / (2 * var) - self.scale.log() - _LOG_SQRT_2PI

    def cdf(self, value: Tensor) -> Tensor:
        """0.5 (1 + erf((value - loc) / (scale sqrt 2))), broadcast shape."""
        if self._validate_args:
            self._validate_sample(value)
        z = (value - self.loc) * self.scale.reciprocal() / math.sqrt(2)
        return 0.5 * (1 + z.erf())

    def icdf(self, value: Tensor) -> Tensor:
        """loc + scale * erfinv(2 value - 1) * sqrt 2, broadcast shape."""
        return self.loc + self.scale * (2 * value - 1).erfinv() * math.sqrt(2)

    def entropy(self) -> Tensor:
        """0.5 + 0.5 log(2 pi) + log(scale), shape batch_shape."""
        return 0.5 + 0.5 * math.log(2 * math.pi) + self.scale.log()


__all__ = ["Normal"]
