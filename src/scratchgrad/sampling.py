"""Sampling: torch's random draws shaped by tensors, and the in-place random fillers.

Each function draws from ``generator`` or the global generator of :mod:`scratchgrad.random`
(same distributions as PyTorch, not the same numbers) and carries no gradient, as in
PyTorch. The fillers (``normal_``, ``uniform_``, ...) write into the tensor's memory, so
views see the new values, and return the tensor; like every in-place op they refuse a
leaf that requires grad while grad mode is on.

>>> import scratchgrad as sg
>>> _ = sg.manual_seed(0)
>>> sg.multinomial(sg.tensor([0.0, 1.0, 0.0]), 2, replacement=True).tolist()
[1, 1]
"""

from __future__ import annotations

from typing import Any

from scratchgrad import autograd
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import as_dtype, get_default_dtype
from scratchgrad.ops._names import torch_name
from scratchgrad.ops.dims import broadcast_shapes
from scratchgrad.ops.elementwise.convert import _check_inplace_allowed
from scratchgrad.random import Generator, numpy_generator
from scratchgrad.tensor import Tensor, wrap

Number = bool | int | float


def _fmt(x: float) -> str:
    """A number as torch's C++ messages print it (6 significant digits: 1, 0.5, nan)."""
    return f"{x:g}"


def _require_float(t: Tensor, kernel: str) -> None:
    if t.array.dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{torch_name(t.array.dtype)}'")


def _draw(dtype: Any, draw: Any, *args: Any, size: tuple[int, ...]) -> Array:
    """``draw(*args, size)`` as ``dtype`` (NumPy draws float64; cast once)."""
    out: Array = draw(*args, size=size)
    return out.astype(dtype, copy=False)


def _fill(t: Tensor, values: Array) -> Tensor:
    """Write ``values`` into ``t`` (its memory, so views see them); returns ``t``."""
    _check_inplace_allowed(t)
    if t.grad_fn is not None and autograd.is_grad_enabled():
        # a non-leaf in the graph: detach it; nodes that saved its old array keep theirs
        t.array = values.astype(t.array.dtype)
        t.grad_fn, t.requires_grad = None, False
    else:
        xp.copyto(t.array, values, casting="unsafe")
    return t


# ---------------------------------------------------------------- functions


def _multinomial_checks(w: Array, num_samples: int, replacement: bool) -> None:
    if w.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > w.shape[-1]:
        raise RuntimeError(
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    if w.size and not (xp.isfinite(w).all() and (w >= 0).all()):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if w.size and (w.sum(-1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")


def multinomial(
    input: Tensor,  # noqa: A002 - torch's argument name
    num_samples: int,
    replacement: bool = False,
    *,
    generator: Generator | None = None,
) -> Tensor:
    """Draw category indices from rows of non-negative weights (need not sum to 1).

    Args:
        input: weights, shape (C,) or (N, C), floating.
        num_samples: draws per row; without replacement at most C.
        replacement: draw with replacement.
        generator: the source of randomness (the global generator when None).

    Returns:
        int64 indices, shape (num_samples,) or (N, num_samples). Without replacement the
        categories of zero weight come last, once the others are used up.

    Raises:
        RuntimeError: torch's, for a non-floating input, a shape that is not 1-d or 2-d,
            num_samples <= 0 or above C without replacement, a negative, infinite or NaN
            weight, or a row of zeros.
    """
    if input.array.dtype.kind != "f":
        raise RuntimeError(
            "multinomial only supports floating-point dtypes for input, got: "
            f"{torch_name(input.array.dtype)}"
        )
    w = input.array
    _multinomial_checks(w, num_samples, replacement)
    rows = w.reshape(-1, w.shape[-1]).astype(xp.float64)  # (N, C)
    rng = numpy_generator(generator)
    out = xp.empty((rows.shape[0], num_samples), dtype=xp.int64)
    if replacement:
        cdf = xp.cumsum(rows, axis=1)
        cdf /= cdf[:, -1:]  # the last entry is exactly 1, so no draw falls past the end
        for i in range(rows.shape[0]):
            out[i] = xp.searchsorted(cdf[i], rng.random(num_samples), side="right")
    else:
        # Exponential races: category j wins at time E_j / w_j; the first k to finish are
        # k draws without replacement with probabilities proportional to the weights.
        with xp.errstate(divide="ignore"):
            keys = rng.exponential(size=rows.shape) / rows
        out[:] = xp.argsort(keys, axis=1, kind="stable")[:, :num_samples]
    return wrap(out.reshape(*w.shape[:-1], num_samples))


def bernoulli(
    input: Tensor,  # noqa: A002 - torch's argument name
    p: float | None = None,
    *,
    generator: Generator | None = None,
) -> Tensor:
    """0/1 draws, 1 with probability ``input`` (elementwise), or ``p`` for every element.

    Args:
        input: probabilities in [0, 1], shape (*), floating (with ``p``: only the shape
            and dtype are used).
        p: one probability for all elements, instead of ``input``'s values.
        generator: the source of randomness.

    Returns:
        Shape (*), input's dtype.
    """
    if p is not None:
        return bernoulli_(wrap(xp.empty_like(input.array)), p, generator=generator)
    _require_float(input, "bernoulli_tensor_cpu_p_")
    probs = input.array
    if not ((probs >= 0) & (probs <= 1)).all():
        raise RuntimeError(
            "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
            "message be improved?  If so, please report an enhancement request to PyTorch.)"
        )
    u = numpy_generator(generator).random(probs.shape)
    return wrap((u < probs).astype(probs.dtype))


def _as_array(x: Tensor | float) -> Array:
    return x.array if isinstance(x, Tensor) else xp.asarray(x)


def normal(
    mean: Tensor | float,
    std: Tensor | float = 1.0,
    size: tuple[int, ...] | None = None,
    *,
    generator: Generator | None = None,
    dtype: Any = None,
) -> Tensor:
    """Normal draws: elementwise N(mean, std^2) for tensor arguments, or ``size`` of them.

    torch's four forms: ``normal(mean_tensor, std_tensor)`` (the shapes broadcast),
    ``normal(mean_tensor, std=1.0)``, ``normal(mean, std_tensor)`` and
    ``normal(mean, std, size)`` for two numbers.

    Args:
        mean: the means, a tensor (*) or a number.
        std: the standard deviations (>= 0), a tensor (*) or a number.
        size: the output shape; only (and required) when both are numbers.
        generator: the source of randomness.
        dtype: the dtype of the two-numbers form (default: the default dtype).

    Returns:
        The broadcast shape of mean and std, or ``size``; the dtype of ``mean`` (of
        ``std`` when mean is a number).

    Raises:
        TypeError: for two numbers without a size, or a size with a tensor.
        RuntimeError: for a negative std.
        NotImplementedError: for an integer mean or std.
    """
    tensors = [x for x in (mean, std) if isinstance(x, Tensor)]
    if (size is None) != bool(tensors):
        raise TypeError(
            "normal() received an invalid combination of arguments: give tensors, or two "
            "numbers and a size"
        )
    if tensors:
        for t in tensors:
            _require_float(t, "normal_kernel_cpu")
        out_dtype = tensors[0].array.dtype
        shape = broadcast_shapes(*(t.shape for t in tensors))
    else:
        out_dtype = get_default_dtype() if dtype is None else as_dtype(dtype)
        shape = tuple(size or ())
    s = _as_array(std)
    if isinstance(std, Tensor) and not (s >= 0).all():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    if not isinstance(std, Tensor) and not std >= 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(std)}")
    z = numpy_generator(generator).standard_normal(shape)
    return wrap((_as_array(mean) + s * z).astype(out_dtype))


def poisson(input: Tensor, generator: Generator | None = None) -> Tensor:  # noqa: A002
    """Poisson draws with rates ``input``.

    Args:
        input: rates >= 0, shape (*), floating.
        generator: the source of randomness.

    Returns:
        Counts as input's dtype, shape (*).
    """
    _require_float(input, "poisson_cpu")
    if not (input.array >= 0).all():
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    counts = numpy_generator(generator).poisson(input.array)
    return wrap(counts.astype(input.array.dtype))


# ---------------------------------------------------------------- in-place fillers


def normal_(
    t: Tensor, mean: float = 0.0, std: float = 1.0, *, generator: Generator | None = None
) -> Tensor:
    """Fill ``t`` (floating, any shape) with N(mean, std^2) draws; returns ``t``."""
    _require_float(t, "normal_kernel_cpu")
    if not std >= 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(std)}")
    rng = numpy_generator(generator)
    return _fill(t, _draw(t.array.dtype, rng.normal, mean, std, size=t.shape))


def uniform_(
    t: Tensor, from_: float = 0.0, to: float = 1.0, *, generator: Generator | None = None
) -> Tensor:
    """Fill ``t`` (floating, any shape) with U[from_, to) draws; returns ``t``."""
    _require_float(t, "check_uniform_bounds")
    finfo = xp.finfo(t.array.dtype)
    for name, v in (("from", from_), ("to", to)):
        if not finfo.min <= v <= finfo.max:
            raise RuntimeError(f"{name} is out of bounds for {torch_name(t.array.dtype, True)}")
    if from_ > to:
        raise RuntimeError(
            "uniform_ expects to return a [from, to) range, but found "
            f"from={_fmt(from_)} > to={_fmt(to)}"
        )
    rng = numpy_generator(generator)
    return _fill(t, _draw(t.array.dtype, rng.uniform, from_, to, size=t.shape))


def exponential_(t: Tensor, lambd: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """Fill ``t`` (floating) with Exponential(rate ``lambd``) draws; returns ``t``."""
    if t.array.dtype.kind != "f":
        raise RuntimeError(
            "Exponential distribution is a continuous probability distribution. dtype must "
            f"be a floating point but you specified {torch_name(t.array.dtype)}"
        )
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_fmt(lambd)}")
    rng = numpy_generator(generator)
    return _fill(t, _draw(t.array.dtype, rng.exponential, 1.0 / lambd, size=t.shape))


def bernoulli_(t: Tensor, p: float | Tensor = 0.5, *, generator: Generator | None = None) -> Tensor:
    """Fill ``t`` with 0/1, 1 with probability ``p`` (a number, or a tensor broadcast to t).

    Returns:
        ``t``, any dtype, shape unchanged.
    """
    rng = numpy_generator(generator)
    if isinstance(p, Tensor):
        probs = bernoulli(p, generator=generator).array  # checks p as torch.bernoulli does
        return _fill(t, xp.broadcast_to(probs, t.shape))
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={_fmt(p)}")
    return _fill(t, rng.random(t.shape) < p)


def geometric_(t: Tensor, p: float, *, generator: Generator | None = None) -> Tensor:
    """Fill ``t`` with the number of Bernoulli(p) trials up to the first success (>= 1)."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_fmt(p)}")
    return _fill(t, numpy_generator(generator).geometric(p, t.shape))


def _random_range(dtype: Any, from_: int | None, to: int | None) -> tuple[int, int]:
    """[low, high] (inclusive) of ``random_`` for ``dtype``, as torch picks and checks it."""
    if from_ is None and to is None:
        if dtype.kind == "b":
            return 0, 1
        if dtype.kind == "f":  # every integer the float holds exactly
            return 0, 2 ** (xp.finfo(dtype).nmant + 1)
        return 0, int(xp.iinfo(dtype).max)
    low, high = (0, from_ or 0) if to is None else (from_ or 0, to)
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    if dtype.kind in "iu":
        info = xp.iinfo(dtype)
        for name, v in (("from", low), ("to - 1", high - 1)):
            if not info.min <= v <= info.max:
                raise RuntimeError(f"{name} is out of bounds for {torch_name(dtype, True)}")
    return low, high - 1


def random_(
    t: Tensor,
    from_: int | None = None,
    to: int | None = None,
    *,
    generator: Generator | None = None,
) -> Tensor:
    """Fill ``t`` with integers drawn uniformly, as ``Tensor.random_``; returns ``t``.

    ``random_(t)`` draws from [0, 2^mantissa] for floats and [0, max] for integers,
    ``random_(t, to)`` from [0, to), ``random_(t, from_, to)`` from [from_, to).

    Raises:
        RuntimeError: torch's, for from_ >= to or a bound outside an integer dtype.
    """
    low, high = _random_range(t.array.dtype, from_, to)
    rng = numpy_generator(generator)
    return _fill(t, rng.integers(low, high, t.shape, dtype=xp.int64, endpoint=True))


__all__ = [
    "bernoulli",
    "bernoulli_",
    "exponential_",
    "geometric_",
    "multinomial",
    "normal",
    "normal_",
    "poisson",
    "random_",
    "uniform_",
]
