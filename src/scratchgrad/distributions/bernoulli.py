"""``Bernoulli(probs=None, logits=None)``: 0/1 draws, parameterised by either."""

from __future__ import annotations

from functools import cached_property

from scratchgrad.distributions import constraints
from scratchgrad.distributions.distribution import (
    Distribution,
    Shape,
    _clamp_probs,
    _flat_apply,
    _one_of,
    broadcast_all,
)
from scratchgrad.ops.neural import logsigmoid, sigmoid
from scratchgrad.sampling import bernoulli
from scratchgrad.tensor import Tensor


def _bce_with_logits(logits: Tensor, target: Tensor) -> Tensor:
    """torch's elementwise binary cross-entropy from logits: (1 - t) x - logsigmoid(x)."""
    return (1 - target) * logits - _flat_apply(logsigmoid, logits)


class Bernoulli(Distribution):
    """1 with probability ``probs`` (or sigmoid(``logits``)), else 0; give exactly one.

    Args:
        probs: probabilities in [0, 1], a tensor (*) or a number.
        logits: log-odds, a tensor (*) or a number.
        validate_args: check the parameter (and values given to log_prob).

    Raises:
        ValueError: unless exactly one of probs and logits is given.

    >>> import scratchgrad as sg
    >>> round(Bernoulli(probs=0.25).log_prob(sg.tensor(1.0)).exp().item(), 6)
    0.25
    """

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}  # noqa: RUF012

    def __init__(
        self,
        probs: Tensor | float | None = None,
        logits: Tensor | float | None = None,
        validate_args: bool | None = None,
    ) -> None:
        name, given = _one_of(probs, logits)
        (param,) = broadcast_all(given)
        self.__dict__[name] = param  # the other one is computed from it when first used
        shape = tuple(param.shape) if isinstance(given, Tensor) else ()
        super().__init__(shape, validate_args=validate_args)

    @cached_property
    def probs(self) -> Tensor:
        """sigmoid(logits), shape batch_shape (computed once when given logits)."""
        return sigmoid(self.logits)

    @cached_property
    def logits(self) -> Tensor:
        """log(p) - log(1 - p) of the clamped probs, shape batch_shape."""
        p = _clamp_probs(self.probs)
        return p.log() - (-p).log1p()

    @property
    def support(self) -> constraints.Constraint:
        """{0, 1}."""
        return constraints.boolean

    @property
    def mean(self) -> Tensor:
        """probs."""
        return self.probs

    @property
    def mode(self) -> Tensor:
        """1 where probs > 0.5, 0 below, NaN at exactly 0.5."""
        mode = (self.probs >= 0.5).type_as(self.probs)
        return mode.masked_fill(self.probs == 0.5, float("nan"))

    @property
    def variance(self) -> Tensor:
        """probs (1 - probs)."""
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape: Shape = ()) -> Tensor:
        """0/1 draws of probs' dtype, shape sample_shape + batch_shape (no gradient)."""
        return bernoulli(self.probs.detach().expand(self._extended_shape(sample_shape)))

    def log_prob(self, value: Tensor) -> Tensor:
        """value log p + (1 - value) log(1 - p), from the logits; broadcast shape."""
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        return -_bce_with_logits(logits, value)

    def entropy(self) -> Tensor:
        """-p log p - (1 - p) log(1 - p), shape batch_shape."""
        return _bce_with_logits(self.logits, self.probs)


__all__ = ["Bernoulli"]
