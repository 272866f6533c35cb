"""``kl_divergence(p, q)`` and ``register_kl``: closed-form KL(p || q) by pair of types."""

from __future__ import annotations

import math
from collections.abc import Callable

from scratchgrad.distributions.bernoulli import Bernoulli
from scratchgrad.distributions.categorical import Categorical
from scratchgrad.distributions.distribution import Distribution, _flat_apply
from scratchgrad.distributions.multivariate_normal import MultivariateNormal, _batch_mahalanobis
from scratchgrad.distributions.normal import Normal
from scratchgrad.distributions.uniform import Uniform
from scratchgrad.ops.elementwise import where
from scratchgrad.ops.neural import softplus
from scratchgrad.tensor import Tensor

KLFn = Callable[..., Tensor]  # fn(p, q) for the registered pair of types
_KL_REGISTRY: dict[tuple[type, type], KLFn] = {}


def register_kl(type_p: type, type_q: type) -> Callable[[KLFn], KLFn]:
    """Decorator: register ``fn(p, q)`` as KL(p || q) for these two types (and subclasses)."""

    def decorator(fn: KLFn) -> KLFn:
        _KL_REGISTRY[type_p, type_q] = fn
        return fn

    return decorator


def _lookup(type_p: type, type_q: type) -> KLFn | None:
    """The registered pair nearest in both types' method resolution orders."""
    for p in type_p.__mro__:
        for q in type_q.__mro__:
            if (p, q) in _KL_REGISTRY:
                return _KL_REGISTRY[p, q]
    return None


def kl_divergence(p: Distribution, q: Distribution) -> Tensor:
    """KL(p || q), differentiable in both distributions' parameters.

    Args:
        p: a distribution.
        q: a distribution of a type registered with p's; batch shapes broadcast.

    Returns:
        The divergence, shape batch_shape.

    Raises:
        NotImplementedError: torch's, when no formula is registered for the pair.

    >>> round(kl_divergence(Normal(0.0, 1.0), Normal(1.0, 1.0)).item(), 4)
    0.5
    """
    fn = _lookup(type(p), type(q))
    if fn is None:
        raise NotImplementedError(
            f"No KL(p || q) is implemented for p type {type(p).__name__} and q type "
            f"{type(q).__name__}"
        )
    return fn(p, q)


def _softplus(x: Tensor) -> Tensor:
    return _flat_apply(softplus, x)


@register_kl(Normal, Normal)
def _kl_normal_normal(p: Normal, q: Normal) -> Tensor:
    var_ratio = (p.scale / q.scale).pow(2)
    t1 = ((p.loc - q.loc) / q.scale).pow(2)
    return 0.5 * (var_ratio + t1 - 1 - var_ratio.log())


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p: Categorical, q: Categorical) -> Tensor:
    t = p.probs * (p.logits - q.logits)
    t = where((q.probs == 0).expand(tuple(t.shape)), math.inf, t)
    t = where((p.probs == 0).expand(tuple(t.shape)), 0.0, t)
    return t.sum(-1)


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p: Bernoulli, q: Bernoulli) -> Tensor:
    t1 = p.probs * (_softplus(-q.logits) - _softplus(-p.logits))
    t1 = where(q.probs == 0, math.inf, t1)
    t1 = where(p.probs == 0, 0.0, t1)
    t2 = (1 - p.probs) * (_softplus(q.logits) - _softplus(p.logits))
    t2 = where(q.probs == 1, math.inf, t2)
    t2 = where(p.probs == 1, 0.0, t2)
    return t1 + t2


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(p: Uniform, q: Uniform) -> Tensor:
    result = ((q.high - q.low) / (p.high - p.low)).log()
    return where((q.low > p.low) | (q.high < p.high), math.inf, result)


@register_kl(MultivariateNormal, MultivariateNormal)
def _kl_mvn_mvn(p: MultivariateNormal, q: MultivariateNormal) -> Tensor:
    if p.event_shape != q.event_shape:
        raise ValueError(
            "KL-divergence between two Multivariate Normals with different event shapes "
            "cannot be computed"
        )
    lp, lq = p._unbroadcasted_scale_tril, q._unbroadcasted_scale_tril
    half_term1 = lq.diagonal(dim1=-2, dim2=-1).log().sum(-1) - lp.diagonal(
        dim1=-2, dim2=-1
    ).log().sum(-1)
    n = p.event_shape[0]
    # tr(Sigma_q^-1 Sigma_p) = |Lq^-1 Lp|_F^2: the columns of Lp as n vectors
    term2 = _batch_mahalanobis(lq.unsqueeze(-3), lp.mT).sum(-1)
    term3 = _batch_mahalanobis(lq, q.loc - p.loc)
    return half_term1 + 0.5 * (term2 + term3 - n)


__all__ = ["kl_divergence", "register_kl"]
