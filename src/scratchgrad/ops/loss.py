"""Losses: cross-entropy from logits and the other objectives, fused where it pays.

Every loss takes ``reduction`` as PyTorch does: "none" (one value per element or per
sample), "mean" or "sum"; ``kl_div`` also takes "batchmean". Four losses are fused, one
node with its own backward, because they are hot or need care at the edges:
``cross_entropy`` (log-sum-exp inside), ``binary_cross_entropy`` (logs clamped at -100),
``binary_cross_entropy_with_logits`` (softplus form, never overflows) and
``multi_margin_loss``. The others are composed of primitive ops, whose backwards give
their gradients: ``nll_loss``, ``mse_loss``, ``l1_loss``, ``huber_loss``,
``smooth_l1_loss``, ``kl_div``. Targets get gradients where PyTorch gives them
(probabilities, regression targets); class indices and class weights never do.

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
import warnings
from typing import Literal

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import DType, result_type
from scratchgrad.errors import ShapeError
from scratchgrad.ops._registry import register
from scratchgrad.ops.compare import where
from scratchgrad.ops.convert import cast
from scratchgrad.ops.elementwise import _as_float
from scratchgrad.ops.index import gather
from scratchgrad.ops.shape import permute, reshape
from scratchgrad.tensor import Tensor

Reduction = Literal["none", "mean", "sum"]
"""The reductions every loss takes. Functions annotate ``str``, as PyTorch: they check it."""
_REDUCTIONS = ("none", "mean", "sum")


# ------------------------------------------------------------------ shared checks
def _check_reduction(op: str, reduction: str, allowed: tuple[str, ...] = _REDUCTIONS) -> None:
    """Raise ValueError naming ``reduction`` unless it is one of ``allowed``."""
    if reduction not in allowed:
        names = ", ".join(repr(r) for r in allowed[:-1]) + f" or {allowed[-1]!r}"
        raise ValueError(f"{op}: reduction must be {names}, got {reduction!r}")


def _check_pair(op: str, input: Tensor, target: Tensor, reduction: str) -> None:  # noqa: A002
    """Input and target of an elementwise loss: float input, equal shapes, a valid reduction."""
    _check_reduction(op, reduction)
    if input.dtype.kind != "f":
        raise TypeError(f"{op}: expected a floating point input, got {input.dtype}")
    if target.shape != input.shape:
        raise ShapeError(
            f"{op}: target shape must equal the input's (no broadcasting): "
            f"target {target.shape} != input {input.shape}"
        )


def _check_fits(op: str, name: str, w: Tensor | None, shape: tuple[int, ...]) -> Array | None:
    """``w``'s array if it broadcasts to ``shape`` without enlarging it, else ShapeError."""
    if w is None:
        return None
    try:
        fits = xp.broadcast_shapes(w.shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ShapeError(
            f"{op}: {name} must broadcast to the input's shape: {name} {w.shape} does not "
            f"fit input {shape}"
        )
    return w.data


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    """A composed loss's elements reduced: themselves, their mean or their sum."""
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def _reduce_array(loss: Array, reduction: str) -> Array:
    """A fused loss's elements reduced, in its forward."""
    if reduction == "none":
        return loss
    return xp.asarray(loss.mean() if reduction == "mean" else loss.sum())  # 0-d, loss's dtype


def _per_element(grad: Array, reduction: str, n: int) -> Array:
    """The gradient reaching each of a fused loss's ``n`` elements before its reduction."""
    return grad / n if reduction == "mean" else grad


# ------------------------------------------------------------------ cross-entropy
@register("cross_entropy")
class CrossEntropy(Function):
    """Loss from logits (M, C) and a target-weight matrix Q (M, C): -sum(Q * log_softmax).

    Every form of cross-entropy (class indices, class weights, ignore_index, label
    smoothing, probability targets, the mean's normaliser) folds into Q, so the gradient
    is one expression: d loss / d logits = softmax * sum(Q) - Q; and d loss / d Q =
    -log_softmax, for probability targets that require grad.
    """

    def forward(self, x: Array, q: Array, rows: bool) -> Array:
        m = x.max(axis=1, keepdims=True)  # (M, 1)
        z = x - xp.where(xp.isfinite(m), m, 0)  # (M, C), <= 0: exp never overflows
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
    _check_reduction("cross_entropy", reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing}")
    x, moved = _flatten_classes("cross_entropy", input)
    w = _class_weight("cross_entropy", weight, x.shape[1])
    if target.dtype.kind == "f":
        q = _probability_matrix(target, input, x, moved, w, label_smoothing)
        q = q / x.shape[0] if reduction == "mean" else q  # the mean is over samples
    else:
        t = _flatten_target("cross_entropy", target, input)
        q_arr, wy = _index_matrix(x.data, t, w, ignore_index, label_smoothing)
        total = wy.sum()  # the weighted mean's denominator
        q = Tensor(q_arr / total if reduction == "mean" and total else q_arr)
        if reduction == "mean" and not total:
            return _nothing_counted(CrossEntropy.apply(x, q, rows=False))
    out = CrossEntropy.apply(x, q, rows=reduction == "none")
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
    return weight.data


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


def _flatten_target(op: str, target: Tensor, x: Tensor) -> Array:
    """Class indices (N, d1, ...) -> (M,), checked against the logits (N, C, d1, ...)."""
    t = target.data
    if t.dtype.kind not in "iu":
        what = "class indices" if op == "nll_loss" else "class indices or float probabilities"
        raise TypeError(f"{op}: target must be int64 {what}, got {t.dtype}")
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
    _check_reduction("nll_loss", reduction)
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


# ------------------------------------------------------------------ binary cross-entropy
@register("binary_cross_entropy")
class BinaryCrossEntropy(Function):
    """loss = -w (t log p + (1 - t) log(1 - p)), each log clamped at -100 as PyTorch's.

    The clamp keeps p = 0 and p = 1 finite. d/dp = w (p - t) / max(p (1 - p), 1e-12);
    d/dt = w (log(1 - p) - log p).
    """

    def forward(self, p: Array, t: Array, weight: Array | None, reduction: str) -> Array:
        with xp.errstate(divide="ignore"):
            self.log_p, self.log_q = xp.log(p), xp.log1p(-p)  # (*); -inf at p = 0 or 1
        loss = (t - 1) * xp.maximum(self.log_q, -100) - t * xp.maximum(self.log_p, -100)
        if weight is not None:
            loss = loss * weight
        self.p, self.t, self.w, self.reduction = p, t, weight, reduction
        return _reduce_array(loss, reduction)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        g = _per_element(grad, self.reduction, self.p.size)
        if self.w is not None:
            g = g * self.w
        gp = gt = None
        if self.needs_input_grad[0]:
            gp = g * (self.p - self.t) / xp.maximum(self.p * (1 - self.p), 1e-12)
        if self.needs_input_grad[1]:
            with xp.errstate(invalid="ignore"):
                gt = g * (self.log_q - self.log_p)
        return gp, gt


def binary_cross_entropy(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    weight: Tensor | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Binary cross-entropy of probabilities: the negative log-likelihood of Bernoulli labels.

    Prefer :func:`binary_cross_entropy_with_logits` on logits: it is exact where
    ``sigmoid`` rounds to 0 or 1.

    Args:
        input: probabilities p in [0, 1], shape (*).
        target: labels or probabilities t in [0, 1], float, shape (*) (the input's).
        weight: rescales each element's loss; broadcasts to (*).
        reduction: "none" (shape (*)), "mean" or "sum".

    Returns:
        -w (t log p + (1 - t) log(1 - p)), reduced; each log is clamped at -100.

    Raises:
        ShapeError: if target's shape is not input's, or weight does not broadcast to it.
        TypeError: for a non-float input or target.
        ValueError: for values outside [0, 1] or an unknown reduction.

    >>> import scratchgrad as sg
    >>> binary_cross_entropy(sg.tensor([0.5, 1.0]), sg.tensor([1.0, 0.0]), reduction="none")
    tensor([  0.6931, 100.0000])
    """
    x, t = _bce_operands("binary_cross_entropy", input, target, reduction)
    for name, a in (("input", x.data), ("target", t.data)):
        bad = ~((a >= 0) & (a <= 1))  # NaN is bad too
        if bad.any():
            raise ValueError(
                f"binary_cross_entropy: all elements of {name} must be in [0, 1], "
                f"got {a[bad].flat[0]}"
            )
    w = _check_fits("binary_cross_entropy", "weight", weight, x.shape)
    w = None if w is None else w.astype(x.dtype)
    return BinaryCrossEntropy.apply(x, t, weight=w, reduction=reduction)


def _bce_operands(
    op: str,
    input: Tensor,  # noqa: A002
    target: Tensor,
    reduction: str,
) -> tuple[Tensor, Tensor]:
    """Input and target checked (float, same shape) and cast to their common dtype."""
    _check_pair(op, input, target, reduction)
    if target.dtype.kind != "f":
        raise TypeError(f"{op}: target must be a floating point tensor, got {target.dtype}")
    d = result_type(input, target)
    return cast(input, d), cast(target, d)


@register("binary_cross_entropy_with_logits")
class BinaryCrossEntropyWithLogits(Function):
    """BCE of sigmoid(x) computed from the logits x without overflow; pos_weight scales positives.

    loss = w ((1 - t) x + (1 + (pw - 1) t) softplus(-x)), where
    softplus(-x) = -log sigmoid(x) = max(-x, 0) + log1p(exp(-|x|)) takes exp of
    non-positive numbers only. d/dx = w ((1 + (pw - 1) t) sigmoid(x) - pw t);
    d/dt = w ((pw - 1) softplus(-x) - x). Without pos_weight, pw = 1.
    """

    def forward(
        self, x: Array, t: Array, weight: Array | None, pos_weight: Array | None, reduction: str
    ) -> Array:
        e = xp.exp(-xp.abs(x))  # (*), in (0, 1]
        sp = xp.maximum(-x, 0) + xp.log1p(e)  # (*), -log sigmoid(x)
        lw = None if pos_weight is None else 1 + (pos_weight - 1) * t  # (*)
        loss = (1 - t) * x + (sp if lw is None else lw * sp)
        if weight is not None:
            loss = loss * weight
        self.x, self.t, self.e, self.sp, self.lw = x, t, e, sp, lw
        self.w, self.pw, self.reduction = weight, pos_weight, reduction
        return _reduce_array(loss, reduction)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        g = _per_element(grad, self.reduction, self.x.size)
        if self.w is not None:
            g = g * self.w
        gx = gt = None
        if self.needs_input_grad[0]:
            sig = xp.where(self.x >= 0, 1, self.e) / (1 + self.e)  # sigmoid(x), stable
            gx = g * (sig - self.t if self.lw is None else self.lw * sig - self.pw * self.t)
        if self.needs_input_grad[1]:
            gt = g * (-self.x if self.pw is None else (self.pw - 1) * self.sp - self.x)
        return gx, gt


def binary_cross_entropy_with_logits(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    weight: Tensor | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """Binary cross-entropy from logits, stable for any logit; multi-label when (N, L).

    Equals ``binary_cross_entropy(sigmoid(input), target)`` without its clamping: exact
    for logits of any size. For multi-label targets (N, L) each label is its own
    Bernoulli; "sum" adds over labels and samples.

    Args:
        input: logits x, shape (*).
        target: labels or probabilities t in [0, 1], float, shape (*) (the input's).
        weight: rescales each element's loss; broadcasts to (*).
        reduction: "none" (shape (*)), "mean" or "sum".
        pos_weight: weight of the positive term, per class: shape (L,) broadcasts over the
            last dim (any shape broadcasting to (*) works).

    Returns:
        -w (pw t log sigmoid(x) + (1 - t) log(1 - sigmoid(x))), reduced.

    Raises:
        ShapeError: if target's shape is not input's, or a weight does not broadcast to it.
        TypeError: for a non-float input or target.
        ValueError: for an unknown reduction.

    >>> import scratchgrad as sg
    >>> binary_cross_entropy_with_logits(sg.tensor([1e4, -1e4]), sg.tensor([1.0, 1.0]))
    tensor(5000.)
    """
    op = "binary_cross_entropy_with_logits"
    x, t = _bce_operands(op, input, target, reduction)
    w = _check_fits(op, "weight", weight, x.shape)
    pw = _check_fits(op, "pos_weight", pos_weight, x.shape)
    return BinaryCrossEntropyWithLogits.apply(
        x,
        t,
        weight=None if w is None else w.astype(x.dtype),
        pos_weight=None if pw is None else pw.astype(x.dtype),
        reduction=reduction,
    )


# ------------------------------------------------------------------ regression
def _weighted_reduce(
    op: str,
    loss: Tensor,
    weight: Tensor | None,
    reduction: str,
    shape: tuple[int, ...],
    normalize: bool = True,
) -> Tensor:
    """Reduce elementwise losses times a weight of the input's shape, when one is given.

    "mean" is sum(w * loss) / sum(w) when ``normalize``, else mean(w * loss) (PyTorch's
    huber_loss).
    """
    if weight is None:
        return _reduce(loss, reduction)
    if weight.shape != shape:
        raise ShapeError(f"{op}: weight shape must equal the input's: {weight.shape} != {shape}")
    loss = loss * weight
    if reduction == "mean" and normalize:
        return loss.sum() / weight.sum()
    return _reduce(loss, reduction)


def mse_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Squared error (input - target)^2, reduced: the mean squared error by default.

    Args:
        input: predictions, float, shape (*).
        target: values, shape (*) (the input's; no broadcasting, unlike PyTorch).
        reduction: "none" (shape (*)), "mean" or "sum".
        weight: a weight per element, shape (*); "mean" then is sum(w * e) / sum(w).

    Returns:
        The loss, a scalar or shape (*).

    Raises:
        ShapeError: if target's (or weight's) shape is not input's.
        TypeError: for a non-float input.
        ValueError: for an unknown reduction.

    >>> import scratchgrad as sg
    >>> mse_loss(sg.tensor([1.0, 2.0]), sg.tensor([0.0, 0.0]))
    tensor(2.5000)
    """
    _check_pair("mse_loss", input, target, reduction)
    d = input - target
    return _weighted_reduce("mse_loss", d * d, weight, reduction, input.shape)


def l1_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Absolute error |input - target|, reduced: the mean absolute error by default.

    Args:
        input: predictions, float, shape (*).
        target: values, shape (*) (the input's).
        reduction: "none" (shape (*)), "mean" or "sum".
        weight: a weight per element, shape (*); "mean" then is sum(w * e) / sum(w).

    Returns:
        The loss, a scalar or shape (*). Its gradient at input == target is 0.

    Raises:
        ShapeError, TypeError, ValueError: as :func:`mse_loss`.

    >>> import scratchgrad as sg
    >>> l1_loss(sg.tensor([1.0, -3.0]), sg.tensor([0.0, 0.0]))
    tensor(2.)
    """
    _check_pair("l1_loss", input, target, reduction)
    return _weighted_reduce("l1_loss", (input - target).abs(), weight, reduction, input.shape)


def _huber(d: Tensor, width: float, slope: float) -> Tensor:
    """Quadratic for |d| < width, then linear with ``slope``: continuous with its derivative.

    0.5 * slope / width * d^2 where |d| < width, else slope * (|d| - width / 2).
    """
    a = d.abs()
    return where(a < width, (0.5 * slope / width) * d * d, slope * (a - 0.5 * width))


def huber_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: Tensor | None = None,
) -> Tensor:
    """Huber loss: squared error near 0, absolute error (times delta) beyond delta.

    With d = input - target: 0.5 d^2 where |d| < delta, else delta (|d| - delta / 2).

    Args:
        input: predictions, float, shape (*).
        target: values, shape (*) (the input's).
        reduction: "none" (shape (*)), "mean" or "sum".
        delta: where the quadratic becomes linear, > 0.
        weight: a weight per element, shape (*); "mean" then is mean(w * e), unlike
            mse_loss and l1_loss (PyTorch's choice).

    Returns:
        The loss, a scalar or shape (*).

    Raises:
        ShapeError, TypeError: as :func:`mse_loss`.
        ValueError: for delta <= 0 or an unknown reduction.

    >>> import scratchgrad as sg
    >>> huber_loss(sg.tensor([0.5, 3.0]), sg.tensor([0.0, 0.0]), reduction="none")
    tensor([0.1250, 2.5000])
    """
    _check_pair("huber_loss", input, target, reduction)
    if not delta > 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    loss = _huber(input - target, delta, delta)
    return _weighted_reduce("huber_loss", loss, weight, reduction, input.shape, normalize=False)


def smooth_l1_loss(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """Smooth L1: 0.5 d^2 / beta where |d| < beta, else |d| - beta / 2 (d = input - target).

    Equals ``huber_loss(..., delta=beta) / beta``; beta = 0 gives :func:`l1_loss`.

    Args:
        input: predictions, float, shape (*).
        target: values, shape (*) (the input's).
        reduction: "none" (shape (*)), "mean" or "sum".
        beta: where the quadratic becomes linear, >= 0.

    Returns:
        The loss, a scalar or shape (*).

    Raises:
        ShapeError, TypeError: as :func:`mse_loss`.
        ValueError: for beta < 0 or an unknown reduction.

    >>> import scratchgrad as sg
    >>> smooth_l1_loss(sg.tensor([0.5, 3.0]), sg.tensor([0.0, 0.0]), reduction="none")
    tensor([0.1250, 2.5000])
    """
    _check_pair("smooth_l1_loss", input, target, reduction)
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be >= 0, got {beta}")
    if beta == 0:
        return l1_loss(input, target, reduction)
    return _reduce(_huber(input - target, beta, 1.0), reduction)


# ------------------------------------------------------------------ multi-class hinge
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
        return _reduce_array(per_row, reduction)

    def backward(self, grad: Array) -> tuple[Array]:
        n = self.h.shape[0]
        g = _per_element(grad, self.reduction, n) * self.wy  # (N,)
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
    _check_reduction("multi_margin_loss", reduction)
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
    t = target.data
    if t.dtype.kind not in "iu":
        raise TypeError(f"multi_margin_loss: target must be int64 class indices, got {t.dtype}")
    allowed = [(x.shape[0],)] if x.ndim == 2 else [(), (1,)]
    if t.shape not in allowed:
        raise ShapeError(
            f"multi_margin_loss: target shape must be {' or '.join(map(str, allowed))}, "
            f"one class index per sample: got {t.shape} (input={x.shape})"
        )
    return t.reshape(-1)


# ------------------------------------------------------------------ KL divergence
def kl_div(
    input: Tensor,  # noqa: A002 - PyTorch's name
    target: Tensor,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """Kullback-Leibler divergence KL(target || q), with input = log q.

    Pointwise target * (log target - input), 0 where target is 0; with ``log_target``,
    exp(target) * (target - input). Input and target broadcast, as in PyTorch.

    Args:
        input: log-probabilities log q, float, shape (*).
        target: probabilities p (or log p with ``log_target``), float, broadcasting with (*).
        reduction: "none", "mean" (over every element; PyTorch warns, and so do we),
            "batchmean" (sum / N: the true KL divergence per sample) or "sum".
        log_target: the target holds log-probabilities.

    Returns:
        The loss, a scalar or the broadcast shape for "none".

    Raises:
        TypeError: for non-float input or target.
        ValueError: for an unknown reduction.

    >>> import scratchgrad as sg
    >>> p = sg.tensor([[0.5, 0.5]])
    >>> kl_div(p.log(), p, reduction="batchmean").item()
    0.0
    """
    _check_reduction("kl_div", reduction, ("none", "mean", "batchmean", "sum"))
    for name, t in (("input", input), ("target", target)):
        if t.dtype.kind != "f":
            raise TypeError(f"kl_div: expected a floating point {name}, got {t.dtype}")
    if log_target:
        loss = target.exp() * (target - input)
    else:  # x log x -> 0 at x = 0, with a finite gradient: log of 1 there, not of 0
        loss = target * where(target == 0, 1.0, target).log() - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.ndim else loss.sum()
    if reduction == "mean":
        warnings.warn(
            "kl_div: reduction='mean' divides the total loss by both the batch size and the "
            "support size; 'batchmean' divides only by the batch size, as the KL divergence's "
            "definition does",
            UserWarning,
            stacklevel=2,
        )
    return _reduce(loss, reduction)


__all__ = [
    "Reduction",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "mse_loss",
    "multi_margin_loss",
    "nll_loss",
    "smooth_l1_loss",
]
