"""``Distribution``: the base class of torch.distributions, and ``broadcast_all``.

A distribution has a ``batch_shape`` (independent, differently parameterised copies) and
an ``event_shape`` (the shape of one draw). ``sample(sample_shape)`` has shape
``sample_shape + batch_shape + event_shape`` and carries no gradient; ``rsample`` (where a
distribution is reparameterisable) does. ``log_prob`` and ``entropy`` are built from
scratchgrad ops, so autograd gives their gradients with respect to the parameters.

Arguments are validated as torch does (on by default, off under ``python -O`` or with
``validate_args=False``): a parameter outside its constraint, or a value outside the
support given to ``log_prob``, raises ``ValueError`` with torch's message (sizes printed
as tuples).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from scratchgrad import autograd
from scratchgrad.backend import xp
from scratchgrad.creation import tensor
from scratchgrad.distributions import constraints
from scratchgrad.dtypes import get_default_dtype
from scratchgrad.ops.shape import broadcast_tensors
from scratchgrad.tensor import Tensor

Shape = tuple[int, ...]


def broadcast_all(*values: Tensor | float) -> tuple[Tensor, ...]:
    """Numbers become tensors (of the first tensor's dtype, else the default) and all broadcast.

    Args:
        *values: tensors and numbers.

    Returns:
        Tensors of one broadcast shape; gradients flow back to the inputs.
    """
    first = next((v for v in values if isinstance(v, Tensor)), None)
    dtype = first.dtype if first is not None else get_default_dtype()
    tensors = [v if isinstance(v, Tensor) else tensor(float(v), dtype=dtype) for v in values]
    return tuple(broadcast_tensors(*tensors))


def _one_of(probs: Tensor | float | None, logits: Tensor | float | None) -> tuple[str, Any]:
    """("probs", probs) or ("logits", logits): exactly one must be given."""
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")
    return ("probs", probs) if probs is not None else ("logits", logits)


def _clamp_probs(probs: Tensor) -> Tensor:
    """probs clamped to [eps, 1 - eps] of their dtype (torch.distributions.utils)."""
    eps = float(xp.finfo(probs.array.dtype).eps)
    return probs.clamp(min=eps, max=1 - eps)


def _flat_apply(fn: Callable[[Tensor], Tensor], x: Tensor) -> Tensor:
    """fn(x) computed on x flattened to 1-d: logsigmoid and softplus fail on 0-d arrays."""
    return fn(x.reshape(-1)).reshape(tuple(x.shape))


def _value_repr(v: Tensor) -> str:
    """A tensor as torch's f-strings print it: a 0-d tensor as its number."""
    return str(v.item()) if v.ndim == 0 else str(v)


def _param_repr(v: Tensor) -> str:
    """torch's repr of a parameter: the value for one element, else its size."""
    return _value_repr(v) if v.numel() == 1 else str(tuple(v.shape))


class Distribution:
    """Base class: shapes, validation, and the methods each distribution may define.

    Args:
        batch_shape: the shape over which parameters are batched.
        event_shape: the shape of a single draw.
        validate_args: check parameters (and values given to ``log_prob``); None means
            the class default (``set_default_validate_args``).
    """

    has_rsample: ClassVar[bool] = False
    has_enumerate_support: ClassVar[bool] = False
    _validate_args: bool = __debug__
    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {}

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        """Turn validation on or off for every distribution created afterwards."""
        if value not in (True, False):
            raise ValueError
        Distribution._validate_args = value

    def __init__(
        self, batch_shape: Shape = (), event_shape: Shape = (), validate_args: bool | None = None
    ) -> None:
        self._batch_shape = tuple(batch_shape)
        self._event_shape = tuple(event_shape)
        if validate_args is not None:
            self._validate_args = validate_args
        if self._validate_args:
            self._validate_params()

    def _constraints(self) -> dict[str, constraints.Constraint]:
        return dict(self.arg_constraints)

    def _validate_params(self) -> None:
        for param, constraint in self._constraints().items():
            if constraints.is_dependent(constraint) or param not in self.__dict__:
                continue  # dependent or lazily-built parameters are not checked
            value = getattr(self, param)
            if not constraint.check(value).array.all():
                raise ValueError(
                    f"Expected parameter {param} (Tensor of shape {tuple(value.shape)}) "
                    f"of distribution {self!r} to satisfy the constraint {constraint!r}, "
                    f"but found invalid values:\n{_value_repr(value)}"
                )

    @property
    def support(self) -> constraints.Constraint:
        """The values this distribution draws (and ``log_prob`` accepts)."""
        raise NotImplementedError

    @property
    def batch_shape(self) -> Shape:
        """The shape over which parameters are batched."""
        return self._batch_shape

    @property
    def event_shape(self) -> Shape:
        """The shape of one draw."""
        return self._event_shape

    @property
    def mean(self) -> Tensor:
        """The mean, shape batch_shape + event_shape."""
        raise NotImplementedError

    @property
    def mode(self) -> Tensor:
        """The mode, shape batch_shape + event_shape."""
        raise NotImplementedError(f"{self.__class__} does not implement mode")

    @property
    def variance(self) -> Tensor:
        """The variance, shape batch_shape + event_shape."""
        raise NotImplementedError

    @property
    def stddev(self) -> Tensor:
        """The standard deviation: sqrt(variance)."""
        return self.variance.sqrt()

    def sample(self, sample_shape: Shape = ()) -> Tensor:
        """Draws without gradient, shape sample_shape + batch_shape + event_shape."""
        with autograd.no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape: Shape = ()) -> Tensor:
        """Reparameterised draws (differentiable in the parameters), same shape as sample."""
        raise NotImplementedError

    def log_prob(self, value: Tensor) -> Tensor:
        """Log density (or mass) of ``value``, shape (*sample, *batch_shape)."""
        raise NotImplementedError

    def cdf(self, value: Tensor) -> Tensor:
        """Cumulative distribution function at ``value``."""
        raise NotImplementedError

    def icdf(self, value: Tensor) -> Tensor:
        """Inverse cumulative distribution function at ``value``."""
        raise NotImplementedError

    def entropy(self) -> Tensor:
        """The entropy, shape batch_shape."""
        raise NotImplementedError

    def perplexity(self) -> Tensor:
        """exp(entropy), shape batch_shape."""
        return self.entropy().exp()

    def _extended_shape(self, sample_shape: Shape = ()) -> Shape:
        return tuple(sample_shape) + self._batch_shape + self._event_shape

    def _validate_sample(self, value: Tensor) -> None:
        """Raise torch's ValueError when ``value`` can't be scored by this distribution."""
        if not isinstance(value, Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        shape, event = tuple(value.shape), self._event_shape
        if shape[len(shape) - len(event) :] != event:
            raise ValueError(
                f"The right-most size of value must match event_shape: {shape} vs {event}."
            )
        expected = self._batch_shape + event
        if any(
            i != 1 and j != 1 and i != j for i, j in zip(shape[::-1], expected[::-1], strict=False)
        ):
            raise ValueError(
                f"Value is not broadcastable with batch_shape+event_shape: {shape} vs {expected}."
            )
        if not self.support.check(value).array.all():
            raise ValueError(
                f"Expected value argument (Tensor of shape {shape}) to be within the support "
                f"({self.support!r}) of the distribution {self!r}, but found invalid "
                f"values:\n{_value_repr(value)}"
            )

    def __repr__(self) -> str:
        """torch's: ``Normal(loc: 0.0, scale: (3,))``."""
        names = [k for k in self._constraints() if k in self.__dict__]
        args = ", ".join(f"{p}: {_param_repr(self.__dict__[p])}" for p in names)
        return f"{type(self).__name__}({args})"


__all__ = ["Distribution", "broadcast_all"]
