"""``Categorical(probs=None, logits=None)``: one of K categories per batch element."""

from __future__ import annotations

import math
from functools import cached_property

from scratchgrad.backend import xp
from scratchgrad.creation import arange, full
from scratchgrad.distributions import constraints
from scratchgrad.distributions.distribution import Distribution, Shape, _clamp_probs, _one_of
from scratchgrad.dtypes import int64
from scratchgrad.ops.neural import softmax
from scratchgrad.ops.shape import broadcast_tensors
from scratchgrad.sampling import multinomial
from scratchgrad.tensor import Tensor


class Categorical(Distribution):
    """Category indices 0..K-1 drawn with probabilities ``probs`` (or softmax(``logits``)).

    probs are normalised to sum to 1 over the last dim; logits are normalised as
    ``logits - logsumexp(logits)``. Give exactly one.

    Args:
        probs: non-negative weights, shape (*batch, K).
        logits: unnormalised log-probabilities, shape (*batch, K).
        validate_args: check the parameter (and values given to log_prob).

    Raises:
        ValueError: unless exactly one is given, or when it has no dims.

    >>> import scratchgrad as sg
    >>> Categorical(probs=sg.tensor([1.0, 3.0])).probs.tolist()
    [0.25, 0.75]
    """

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}  # noqa: RUF012
    has_enumerate_support = True

    def __init__(
        self,
        probs: Tensor | None = None,
        logits: Tensor | None = None,
        validate_args: bool | None = None,
    ) -> None:
        name, param = _one_of(probs, logits)
        if param.ndim < 1:
            raise ValueError(f"`{name}` parameter must be at least one-dimensional.")
        if name == "probs":
            self.probs = param / param.sum(-1, keepdim=True)
            param = self.probs
        else:
            self.logits = param - param.logsumexp(dim=-1, keepdim=True)
            param = self.logits
        self._param = param
        self._num_events = param.shape[-1]
        batch_shape = tuple(param.shape[:-1]) if param.ndim > 1 else ()
        super().__init__(batch_shape, validate_args=validate_args)

    @cached_property
    def probs(self) -> Tensor:
        """softmax(logits), shape (*batch, K)."""
        return softmax(self.logits, -1)

    @cached_property
    def logits(self) -> Tensor:
        """log of the clamped probs, shape (*batch, K)."""
        return _clamp_probs(self.probs).log()

    @property
    def param_shape(self) -> Shape:
        """(*batch, K)."""
        return tuple(self._param.shape)

    @property
    def support(self) -> constraints.Constraint:
        """The integers 0..K-1."""
        return constraints.integer_interval(0, self._num_events - 1)

    @property
    def mean(self) -> Tensor:
        """NaN (categories have no order), shape batch_shape."""
        return full(self._extended_shape(), math.nan, dtype=self.probs.dtype)

    @property
    def mode(self) -> Tensor:
        """The most probable category, shape batch_shape."""
        return self.probs.argmax(-1)

    @property
    def variance(self) -> Tensor:
        """NaN, shape batch_shape."""
        return full(self._extended_shape(), math.nan, dtype=self.probs.dtype)

    def sample(self, sample_shape: Shape = ()) -> Tensor:
        """int64 category indices, shape sample_shape + batch_shape (no gradient)."""
        n = math.prod(sample_shape)
        probs_2d = self.probs.detach().reshape(-1, self._num_events)
        samples_2d = multinomial(probs_2d, n, True).T
        return samples_2d.reshape(self._extended_shape(sample_shape))

    def log_prob(self, value: Tensor) -> Tensor:
        """log probs[value]: value (*sample, *batch) of indices -> (*sample, *batch)."""
        if self._validate_args:
            self._validate_sample(value)
        index, log_pmf = broadcast_tensors(value.long().unsqueeze(-1), self.logits)
        return log_pmf.gather(-1, index[..., :1]).squeeze(-1)

    def entropy(self) -> Tensor:
        """-sum p log p over categories, shape batch_shape."""
        logits = self.logits.clamp(min=float(xp.finfo(self.logits.array.dtype).min))
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """0..K-1 along a new first dim: (K, *batch) (with ``expand``) or (K, 1, ...)."""
        values = arange(self._num_events, dtype=int64)
        values = values.reshape((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1, *self._batch_shape)) if expand else values


__all__ = ["Categorical"]
