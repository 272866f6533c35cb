"""Shared by the loss tests: input makers, loss callers, constants, error checks.

Targets are inputs too: class indices come from ``make`` as int64 arrays (no gradient);
float targets (probabilities, regression values) are differentiable in torch and here, so
their gradients are compared as well. Class weights and pos_weight get no gradient in
torch, so they are constants captured by the lambdas (``_const``).
"""

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import scratchgrad as sg

Make = Callable[[np.random.Generator, str], list[np.ndarray]]
N, C = 5, 4
W4 = np.array([0.5, 2.0, 1.0, 0.25])  # a weight per class
PW4 = np.array([3.0, 0.5, 1.0, 2.0])  # a pos_weight per label


def F(m: Any) -> Any:  # noqa: N802 - torch.nn.functional's usual name
    return m.nn.functional


def _const(m: Any, a: np.ndarray, like: Any) -> Any:
    """A fixed array as a constant tensor of ``like``'s library and dtype."""
    return m.from_numpy(np.ascontiguousarray(a, dtype=like.detach().numpy().dtype))


def _consts(m: Any, kw: dict[str, Any], like: Any) -> dict[str, Any]:
    """``kw`` with its arrays made constant tensors (see ``_const``)."""
    return {k: _const(m, v, like) if isinstance(v, np.ndarray) else v for k, v in kw.items()}


# ------------------------------------------------------------------ input makers
def _logits_idx(shape: tuple[int, ...], ignore: int | None = None) -> Make:
    """Logits of ``shape`` (class dim 1, or 0 for 1-D) and int64 targets, some ignored."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        c = shape[0] if len(shape) == 1 else shape[1]
        batch = () if len(shape) == 1 else (shape[0], *shape[2:])
        t = rng.integers(0, c, batch)
        if ignore is not None:
            t = np.where(rng.random(batch) < 0.3, ignore, t)
            t.flat[0] = ignore  # at least one
        return [rng.uniform(-3, 3, shape).astype(dtype), np.asarray(t, dtype=np.int64)]

    return make


def _logits_probs(shape: tuple[int, ...]) -> Make:
    """Logits and probability targets of the same shape (summing to 1 over dim 1)."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        e = np.exp(rng.normal(size=shape))
        p = e / e.sum(axis=0 if len(shape) == 1 else 1, keepdims=True)
        return [rng.uniform(-3, 3, shape).astype(dtype), p.astype(dtype)]

    return make


def _probs_labels(shape: tuple[int, ...], hard: bool = False) -> Make:
    """Probabilities in (0.05, 0.95) and targets: soft in [0, 1], or hard 0/1 labels."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        t = rng.integers(0, 2, shape) if hard else rng.uniform(0, 1, shape)
        return [rng.uniform(0.05, 0.95, shape).astype(dtype), t.astype(dtype)]

    return make


def _logits_labels(shape: tuple[int, ...], hard: bool = False, scale: float = 3.0) -> Make:
    """Logits in (-scale, scale) and soft or hard (multi-label 0/1) targets."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        t = rng.integers(0, 2, shape) if hard else rng.uniform(0, 1, shape)
        return [rng.uniform(-scale, scale, shape).astype(dtype), t.astype(dtype)]

    return make


def _logp_probs(shape_in: tuple[int, ...], shape_t: tuple[int, ...], log: bool = False) -> Make:
    """Log-probabilities (input) and probabilities or log-probabilities (target), no zeros."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        p = rng.uniform(0.05, 1.0, shape_t)
        x = np.log(rng.uniform(0.05, 1.0, shape_in))
        return [x.astype(dtype), (np.log(p) if log else p).astype(dtype)]

    return make


def _scores_idx(shape: tuple[int, ...], batch: tuple[int, ...]) -> Make:
    """Class scores, spread so no hinge sits on its kink, and int64 targets."""

    def make(rng: np.random.Generator, dtype: str) -> list[np.ndarray]:
        c = shape[-1]
        return [rng.uniform(-2, 2, shape).astype(dtype), rng.integers(0, c, batch)]

    return make


def _loss(name: str, **kw: Any) -> Callable[..., Any]:
    """``fn(m, input, target)`` calling loss ``name`` with ``kw``, arrays made constants."""

    def fn(m: Any, x: Any, t: Any) -> Any:
        return getattr(F(m), name)(x, t, **_consts(m, kw, x))

    return fn


def _ce(**kw: Any) -> Callable[..., Any]:
    return _loss("cross_entropy", **kw)


def _nll(**kw: Any) -> Callable[..., Any]:
    return _loss("nll_loss", **kw)


def _bce(logits: bool = False, **kw: Any) -> Callable[..., Any]:
    return _loss("binary_cross_entropy_with_logits" if logits else "binary_cross_entropy", **kw)


def _mm(**kw: Any) -> Callable[..., Any]:
    return _loss("multi_margin_loss", **kw)


def _kl(**kw: Any) -> Callable[..., Any]:
    def fn(m: Any, x: Any, t: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # both warn about reduction="mean"
            return F(m).kl_div(x, t, **kw)

    return fn


def _regression(name: str, **kw: Any) -> Callable[..., Any]:
    return _loss(name, **kw)


def _weighted(name: str, reduction: str) -> Callable[..., Any]:
    """A regression loss with a per-element weight (the input's shape), a third input."""

    def fn(m: Any, x: Any, t: Any, w: Any) -> Any:
        return getattr(F(m), name)(x, t, reduction=reduction, weight=w)

    return fn


REDUCTIONS = ("mean", "sum", "none")
CE, NLL = ("cross_entropy", "cross_entropy_index"), ("gather", "mul", "sum")
BCE, BCEL, MM = "binary_cross_entropy", "binary_cross_entropy_with_logits", "multi_margin_loss"
X2, X4 = (N, C), (2, 3, 4, 5)


def _grads_equal(fused: sg.Tensor, composed: sg.Tensor, inputs: list[sg.Tensor]) -> None:
    np.testing.assert_allclose(fused.detach().numpy(), composed.detach().numpy(), rtol=1e-12)
    gf = [g.numpy().copy() for g in _grads(fused, inputs)]
    gc = [g.numpy().copy() for g in _grads(composed, inputs)]
    for a, b in zip(gf, gc, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def _grads(loss: sg.Tensor, inputs: list[sg.Tensor]) -> list[sg.Tensor]:
    for t in inputs:
        t.grad = None
    loss.backward()
    return [t.grad for t in inputs if t.grad is not None]


Error = tuple[str, tuple[Any, ...], dict[str, Any], type[Exception], str]


def make_error_test(errors: list[Error]) -> Callable[..., None]:
    """A test of each (loss name, args, kwargs, error, match): it raises, naming the loss."""

    @pytest.mark.parametrize(
        ("name", "args", "kw", "error", "match"),
        errors,
        ids=[f"{e[0]}-{e[4][:30]}" for e in errors],
    )
    def test_error_messages(
        name: str, args: tuple[Any, ...], kw: dict[str, Any], error: type[Exception], match: str
    ) -> None:
        with pytest.raises(error, match=match) as info:
            getattr(sg.nn.functional, name)(*args, **kw)
        assert str(info.value).startswith(f"{name}: ")

    return test_error_messages


X = sg.zeros(3, 4)  # inputs of the error cases
IDX = sg.tensor([0, 1, 3])
