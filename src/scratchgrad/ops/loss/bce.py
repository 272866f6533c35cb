"""Binary cross-entropy, from probabilities and from logits: two fused ops.

``binary_cross_entropy`` clamps its logs at -100, as PyTorch; the logits form uses the
softplus identity, so it never overflows. Targets get gradients (probabilities).
"""

from __future__ import annotations

from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.dtypes import result_type
from scratchgrad.ops.elementwise.convert import cast
from scratchgrad.ops.loss._common import check_fits, check_pair, per_element, reduce_array
from scratchgrad.ops.registry import register
from scratchgrad.tensor import Tensor


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
        return reduce_array(loss, reduction)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        g = per_element(grad, self.reduction, self.p.size)
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
    for name, a in (("input", x.array), ("target", t.array)):
        bad = ~((a >= 0) & (a <= 1))  # NaN is bad too
        if bad.any():
            raise ValueError(
                f"binary_cross_entropy: all elements of {name} must be in [0, 1], "
                f"got {a[bad].flat[0]}"
            )
    w = check_fits("binary_cross_entropy", "weight", weight, x.shape)
    w = None if w is None else w.astype(x.dtype)
    return BinaryCrossEntropy.apply(x, t, weight=w, reduction=reduction)


def _bce_operands(
    op: str,
    input: Tensor,  # noqa: A002
    target: Tensor,
    reduction: str,
) -> tuple[Tensor, Tensor]:
    """Input and target checked (float, same shape) and cast to their common dtype."""
    check_pair(op, input, target, reduction)
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
        return reduce_array(loss, reduction)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        g = per_element(grad, self.reduction, self.x.size)
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
    w = check_fits(op, "weight", weight, x.shape)
    pw = check_fits(op, "pos_weight", pos_weight, x.shape)
    return BinaryCrossEntropyWithLogits.apply(
        x,
        t,
        weight=None if w is None else w.astype(x.dtype),
        pos_weight=None if pw is None else pw.astype(x.dtype),
        reduction=reduction,
    )


__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits"]
