"""Losses: the class losses here, and every other loss re-exported, fused where it pays.

Every loss takes ``reduction`` as PyTorch does: "none" (one value per element or per
sample), "mean" or "sum"; ``kl_div`` also takes "batchmean". Four losses are fused, one
node with its own backward, because they are hot or need care at the edges:
``cross_entropy`` (log-sum-exp inside), ``binary_cross_entropy`` (logs clamped at -100),
``binary_cross_entropy_with_logits`` (softplus form, never overflows) and
``multi_margin_loss``. The others are composed of primitive ops, whose backwards give
their gradients: ``nll_loss``, ``mse_loss``, ``l1_loss``, ``huber_loss``,
``smooth_l1_loss``, ``kl_div``. Targets get gradients where PyTorch gives them
(probabilities, regression targets); class indices and class weights never do.

This module holds the losses over classes (``cross_entropy``, ``nll_loss``,
``multi_margin_loss``); the binary cross-entropies are in :mod:`~scratchgrad.ops.loss.bce`,
the elementwise losses in :mod:`~scratchgrad.ops.loss.regression`, the reductions and
shared checks in ``_losses``. All are importable from here.

Deliberate differences from PyTorch:

- a target whose shape differs from the input's raises :class:`ShapeError` in
  ``mse_loss``, ``l1_loss``, ``huber_loss``, ``smooth_l1_loss``,
  ``binary_cross_entropy`` and ``binary_cross_entropy_with_logits``, where PyTorch
  warns and broadcasts (or raises ValueError): a broadcast target, (N, 1) predictions
  against (N,) labels, is almost always a bug;
- errors PyTorch raises as RuntimeError are ShapeError (shapes), TypeError (dtypes),
  IndexError (class indices) or ValueError (values, arguments) here;
- int32 class indices are accepted (PyTorch wants int64), and a float64 target with
  float32 input is promoted as any binary op, not refused.
"""

from __future__ import annotations

import math

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import DType
from scratchgrad.errors import ShapeError
from scratchgrad.ops.elementwise._dispatch import _as_float
from scratchgrad.ops.elementwise.convert import cast
from scratchgrad.ops.index.gather import gather
from scratchgrad.ops.loss._common import check_reduction, per_element, reduce_array
from scratchgrad.ops.neural.softmax import shift_by_max
from scratchgrad.ops.registry import register
from scratchgrad.ops.shape.view import permute, reshape
from scratchgrad.tensor import Tensor


@register("cross_entropy")
class CrossEntropy(Function):
    """Loss from logits (M, C) and a target-weight matrix Q (M, C): -sum(Q * log_softmax).

    Every form of cross-entropy (class indices, class weights, ignore_index, label
    smoothing, probability targets, the mean's normaliser) folds into Q, so the gradient
    is one expression: d loss / d logits = softmax * sum(Q) - Q; and d loss / d Q =
    -log_softmax, for probability targets that require grad.
    """

    def forward(self, x: Array, q: Array, rows: bool) -> Array:
        z = shift_by_max(x, 1)  # (M, C), <= 0: exp never overflows
        logp = z - xp.log(xp.exp(z).sum(axis=1, keepdims=True))  # log-sum-exp trick
        self.logp, self.q, self.rows = logp, q, rows
        per_row = -(xp.where(q != 0, q * logp, 0)).sum(axis=1)  # (M,); 0 * -inf counts 0
        return per_row if rows else xp.asarray(per_row.sum())

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        g = grad[:, None] if self.rows else grad  # (M, 1) or ()
        gx = gq = None
        if self.needs_input_grad[0]:
            gx = g * (xp.exp(self.logp) * self.q.sum(axis=1, keepdims=True) - self.q)
        if self.needs_input_grad[1]:
            gq = -g * self.logp
        return gx, gq


def cross_entropy(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Cross-entropy between logits and class indices or class probabilities.

    Stable for any logits (log-sum-exp inside): logits of 1e4 give the exact loss.

    Args:
        input: logits, shape (N, C) or (N, C, d1, ...) or (C,).
        target: int class indices (N,) / (N, d1, ...) / (), or float probabilities with
            the input's shape.
        weight: a weight per class, shape (C,).
        ignore_index: index targets equal to this add nothing (and don't count in the mean).
        reduction: "none" (shape (N, d1, ...)), "mean" or "sum".
        label_smoothing: eps in [0, 1]: the target becomes (1 - eps) * target + eps / C.

    Returns:
        The loss: a scalar, or per sample for reduction="none".

    Raises:
        ShapeError: for logits and a target (or weight) whose shapes don't fit.
        TypeError: for a target that is neither integer nor float.
        IndexError: for a class index outside [0, C).
        ValueError: for an unknown reduction or a label_smoothing outside [0, 1].

    >>> import scratchgrad as sg
    >>> cross_entropy(sg.tensor([[0.0, 0.0]]), sg.tensor([1])).item()  # log 2
    0.6931471824645996
    """
    check_reduction("cross_entropy", reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing}")
    x, moved = _flatten_classes("cross_entropy", input)
    w = _class_weight("cross_entropy", weight, x.shape[1])
    if target.dtype.kind == "f":
        q = _probability_matrix(target, input, x, moved, w, label_smoothing)
        q = q / x.shape[0] if reduction == "mean" else q  # the mean is over samples
    elif not label_smoothing:
        return _index_loss(x, input, target, w, ignore_index, reduction)
    else:
        t = _flatten_target("cross_entropy", target, input)
        q_arr, wy = _index_matrix(x.array, t, w, ignore_index, label_smoothing)
        total = wy.sum()  # the weighted mean's denominator
        q = Tensor(q_arr / total if reduction == "mean" and total else q_arr)
        if reduction == "mean" and not total:
            return _nothing_counted(CrossEntropy.apply(x, q, rows=False))
    out = CrossEntropy.apply(x, q, rows=reduction == "none")
    return out.reshape(_batch_shape(input)) if reduction == "none" else out


@register("cross_entropy_index")
class CrossEntropyIndex(Function):
    """Loss from logits (M, C), class indices t (M,) and row weights w (M,): -w_i log p_i,t_i.

    The common case (class indices, no label smoothing) without a dense target matrix:
    the forward keeps the softmax p, and the gradient is p * w - onehot(t) * w.
    """

    def forward(self, x: Array, t: Array, w: Array, rows: bool) -> Array:
        z = shift_by_max(x, 1)  # (M, C), <= 0: exp never overflows
        e = xp.exp(z)
        s = e.sum(axis=1, keepdims=True)  # (M, 1)
        r = xp.arange(len(t))
        logp_t = z[r, t] - xp.log(s[:, 0])  # (M,): log-softmax at each row's class
        self.p, self.t, self.w, self.rows = xp.divide(e, s, out=e), t, w, rows
        per_row: Array = -xp.where(w != 0, w * logp_t, 0)  # ignored rows count 0, even at -inf
        return per_row if rows else xp.asarray(per_row.sum())

    def backward(self, grad: Array) -> tuple[Array, None, None]:
        gw = self.w * grad  # (M,): each row's weight times its upstream gradient
        gx = self.p * gw[:, None]  # (M, C)
        gx[xp.arange(len(self.t)), self.t] -= gw
        return gx, None, None


def _index_loss(
    x: Tensor, input: Tensor, target: Tensor, w: Array | None, ignore_index: int, reduction: str
) -> Tensor:
    """Cross-entropy of flat logits x (M, C) against class indices, without a dense Q."""
    flat = _flatten_target("cross_entropy", target, input)
    t, wy = _class_weights("cross_entropy", flat, x.shape[1], w, ignore_index, x.dtype)
    total = wy.sum()  # the weighted mean's denominator
    if reduction == "mean" and not total:
        return _nothing_counted(CrossEntropyIndex.apply(x, t, wy, rows=False))
    if reduction == "mean":
        wy = wy / total
    out = CrossEntropyIndex.apply(x, t, wy, rows=reduction == "none")
    return out.reshape(_batch_shape(input)) if reduction == "none" else out


def _nothing_counted(zero: Tensor) -> Tensor:
    """The mean of no counted target: NaN, as 0 / 0, yet a zero gradient, as PyTorch's.

    ``zero`` is the (zero) loss with every target ignored or weighted 0; adding NaN keeps
    its zero gradient, where dividing by the total weight 0 would make it NaN.
    """
    return zero + math.nan


def _index_matrix(
    logits: Array, target: Array, weight: Array | None, ignore_index: int, smoothing: float
) -> tuple[Array, Array]:
    """(Q (M, C), each row's class weight (M,)) for flat logits and class indices (M,)."""
    m, c = logits.shape
    t, wy = _class_weights("cross_entropy", target, c, weight, ignore_index, logits.dtype)
    q = xp.zeros((m, c), dtype=logits.dtype)
    q[xp.arange(m), t] = (1 - smoothing) * wy
    if smoothing:
        w = xp.ones(c, dtype=logits.dtype) if weight is None else weight.astype(logits.dtype)
        q += (smoothing / c) * w * (target != ignore_index)[:, None]
    return q, wy


def _probability_matrix(
    target: Tensor, input: Tensor, x: Tensor, moved: bool, w: Array | None, smoothing: float
) -> Tensor:
    """Q (M, C) for probability targets, made of ops so that a target requiring grad gets one."""
    if target.shape != input.shape:
        raise ShapeError(
            f"cross_entropy: probability targets must have the input's shape: "
            f"{target.shape} != {input.shape}"
        )
    c = x.shape[1]
    q = cast(target, x.dtype)
    if moved:  # (N, C, d1, ...) -> (N, d1, ..., C), as the logits
        q = permute(q, 0, *range(2, q.ndim), 1)
    q = reshape(q, -1, c)
    if smoothing:
        q = q * (1 - smoothing) + smoothing / c
    return q if w is None else q * Tensor(w.astype(x.dtype))


def _class_weights(
    op: str, target: Array, c: int, weight: Array | None, ignore_index: int, dtype: DType
) -> tuple[Array, Array]:
    """(indices with ignored ones set to 0, weight of each row's class, 0 where ignored).

    Raises:
        IndexError: naming the first class index outside [0, C).
    """
    keep = target != ignore_index
    t = xp.where(keep, target, 0)
    _check_class_range(op, t, c, f" or equal ignore_index={ignore_index}")
    w = xp.ones(c, dtype=dtype) if weight is None else weight.astype(dtype)
    return t, w[t] * keep


def _check_class_range(op: str, t: Array, c: int, alternative: str = "") -> None:
    """Raise IndexError naming the first class index outside [0, C)."""
    bad = (t < 0) | (t >= c)
    if bad.any():
        raise IndexError(
            f"{op}: target {int(t[bad][0])} is out of bounds: class indices must be in "
            f"[0, {c}){alternative}"
        )


def _class_weight(op: str, weight: Tensor | None, c: int) -> Array | None:
    """The per-class weight's array, checked to be (C,)."""
    if weight is None:
        return None
    if weight.shape != (c,):
        raise ShapeError(
            f"{op}: weight must have one entry per class: weight {weight.shape} != ({c},)"
        )
    return weight.array


def _flatten_classes(op: str, x: Tensor) -> tuple[Tensor, bool]:
    """Logits (N, C, d1, ...) -> (N * d1 * ..., C); (C,) -> (1, C). True if dims moved."""
    if x.ndim == 0:
        raise ShapeError(
            f"{op}: input must have a class dim: (C,), (N, C) or (N, C, d1, ...); got ()"
        )
    x = _as_float(x)
    if x.ndim == 1:
        return reshape(x, 1, -1), False
    if x.ndim == 2:
        return x, False
    order = (0, *range(2, x.ndim), 1)  # classes last
    return reshape(permute(x, *order), -1, x.shape[1]), True


def _batch_shape(x: Tensor) -> tuple[int, ...]:
    return () if x.ndim == 1 else (x.shape[0], *x.shape[2:])


def _class_indices(op: str, target: Tensor, what: str = "class indices") -> Array:
    """The target's array, which must hold integers (the class indices); else TypeError."""
    t = target.array
    if t.dtype.kind not in "iu":
        raise TypeError(f"{op}: target must be int64 {what}, got {t.dtype}")
    return t


def _flatten_target(op: str, target: Tensor, x: Tensor) -> Array:
    """Class indices (N, d1, ...) -> (M,), checked against the logits (N, C, d1, ...)."""
    what = "class indices" if op == "nll_loss" else "class indices or float probabilities"
    t = _class_indices(op, target, what)
    if t.shape != _batch_shape(x):
        raise ShapeError(
            f"{op}: target shape must be the input's without the class dim: "
            f"{t.shape} != {_batch_shape(x)} (input={x.shape})"
        )
    return t.reshape(-1)


def nll_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood of class indices given log-probabilities.

    Composed of ``gather`` and arithmetic: loss_i = -w[y_i] * input[i, y_i].

    Args:
        input: log-probabilities, shape (N, C) or (N, C, d1, ...) or (C,).
        target: int class indices, shape (N,) or (N, d1, ...) or ().
        weight: a weight per class, shape (C,).
        ignore_index: targets equal to this add nothing and don't count in the mean.
        reduction: "none" (shape (N, d1, ...)), "mean" (weighted by w[y_i]) or "sum".

    Returns:
        The loss: a scalar, or per sample for reduction="none".

    Raises:
        ShapeError, TypeError, IndexError, ValueError: as :func:`cross_entropy`.
    """
    check_reduction("nll_loss", reduction)
    x, _ = _flatten_classes("nll_loss", input)
    t = _flatten_target("nll_loss", target, input)
    w = _class_weight("nll_loss", weight, x.shape[1])
    safe, wy = _class_weights("nll_loss", t, x.shape[1], w, ignore_index, x.dtype)
    picked = gather(x, 1, Tensor(safe[:, None])).reshape(-1)  # (M,)
    losses = -picked * Tensor(wy)
    if reduction == "none":
        return losses.reshape(_batch_shape(input))
    total, weights = losses.sum(), float(wy.sum())
    if reduction == "mean":
        return total / weights if weights else _nothing_counted(total)
    return total


@register("multi_margin_loss")
class MultiMarginLoss(Function):
    """SVM hinge: loss_i = w[y_i] / C * sum_{j != y_i} max(0, margin - x[i, y_i] + x[i, j])^p.

    With h = the hinge (N, C): d/dx_ij = w[y_i] / C * p h_ij^(p-1) where h_ij > 0 (j != y_i),
    and d/dx_iy = minus the sum of those. (N, C) -> (N,) or reduced.
    """

    def forward(
        self, x: Array, y: Array, p: int, margin: float, weight: Array | None, reduction: str
    ) -> Array:
        n, c = x.shape
        rows = xp.arange(n)
        h = margin - x[rows, y][:, None] + x  # (N, C)
        h[rows, y] = 0  # the true class is no competitor
        h = xp.maximum(h, 0)
        wy = xp.full(n, 1 / c, dtype=x.dtype) if weight is None else weight[y] / c  # (N,)
        per_row = (h if p == 1 else h * h).sum(axis=1) * wy  # (N,)
        self.h, self.y, self.p, self.wy, self.reduction = h, y, p, wy, reduction
        return reduce_array(per_row, reduction)

    def backward(self, grad: Array) -> tuple[Array]:
        n = self.h.shape[0]
        g = per_element(grad, self.reduction, n) * self.wy  # (N,)
        d = (self.h > 0) * g[:, None] if self.p == 1 else (2 * self.h) * g[:, None]  # (N, C)
        d[xp.arange(n), self.y] = -d.sum(axis=1)
        return (d,)


def multi_margin_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    p: int = 1,
    margin: float = 1.0,
    weight: Tensor | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Multi-class hinge loss (SVM-style): every wrong class should trail by ``margin``.

    Args:
        input: class scores, shape (N, C) or (C,).
        target: int class indices, shape (N,) (or () / (1,) for input (C,)).
        p: 1 (hinge) or 2 (squared hinge).
        margin: the required gap between the true class's score and the others'.
        weight: a weight per class, shape (C,); multiplies each sample's loss by w[y_i].
        reduction: "none" (the target's shape), "mean" (over samples) or "sum".

    Returns:
        sum_{j != y} max(0, margin - x[y] + x[j])^p * w[y] / C per sample, reduced.

    Raises:
        ShapeError: for input, target or weight shapes that don't fit.
        TypeError: for non-integer targets.
        IndexError: for a class index outside [0, C).
        ValueError: for p not 1 or 2, or an unknown reduction.

    >>> import scratchgrad as sg
    >>> multi_margin_loss(sg.tensor([[2.0, 1.5, -1.0]]), sg.tensor([0])).item()  # 0.5 / 3
    0.1666666716337204
    """
    check_reduction("multi_margin_loss", reduction)
    if p not in (1, 2):
        raise ValueError(f"multi_margin_loss: only p == 1 and p == 2 are supported, got p={p}")
    x = _margin_input(input)
    y = _margin_target(target, input)
    w = _class_weight("multi_margin_loss", weight, x.shape[1])
    w = None if w is None else w.astype(x.dtype)
    _check_class_range("multi_margin_loss", y, x.shape[1])
    out = MultiMarginLoss.apply(x, y=y, p=p, margin=margin, weight=w, reduction=reduction)
    return out.reshape(target.shape) if reduction == "none" else out


def _margin_input(x: Tensor) -> Tensor:
    if x.ndim not in (1, 2) or x.shape[-1] == 0:
        raise ShapeError(
            f"multi_margin_loss: input must be (N, C) or (C,) with C > 0, got {x.shape}"
        )
    if x.dtype.kind != "f":
        raise TypeError(f"multi_margin_loss: expected a floating point input, got {x.dtype}")
    return reshape(x, 1, -1) if x.ndim == 1 else x


def _margin_target(target: Tensor, x: Tensor) -> Array:
    t = _class_indices("multi_margin_loss", target)
    allowed = [(x.shape[0],)] if x.ndim == 2 else [(), (1,)]
    if t.shape not in allowed:
        raise ShapeError(
            f"multi_margin_loss: target shape must be {' or '.join(map(str, allowed))}, "
            f"one class index per sample: got {t.shape} (input={x.shape})"
        )
    return t.reshape(-1)


__all__ = ["cross_entropy", "multi_margin_loss", "nll_loss"]
