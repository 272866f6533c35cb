"""Gradient clipping, as ``torch.nn.utils``: by total norm or by value, in place on ``.grad``."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from types import GeneratorType

from scratchgrad.backend import Array, xp
from scratchgrad.tensor import Tensor

TensorOrTensors = Tensor | Iterable[Tensor]


def get_total_norm(
    tensors: TensorOrTensors, norm_type: float = 2.0, error_if_nonfinite: bool = False
) -> Tensor:
    """The ``norm_type``-norm of all the tensors together, as if concatenated into one vector.

    Computed as PyTorch does: the norm of each tensor, then the norm of those norms.

    Args:
        tensors: the tensors (usually gradients), any shapes.
        norm_type: p of the p-norm; ``inf`` for the largest absolute value.
        error_if_nonfinite: raise if the total norm is nan or inf.

    Returns:
        The total norm, a 0-d tensor of the tensors' dtype (0.0 for no tensors).

    Raises:
        RuntimeError: if ``error_if_nonfinite`` and the norm is not finite.

    >>> import scratchgrad as sg
    >>> get_total_norm([sg.tensor([3.0]), sg.tensor([4.0])])
    tensor(5.)
    """
    arrays = [tensors.array] if isinstance(tensors, Tensor) else [t.array for t in tensors]
    norm_type = float(norm_type)
    if not arrays:
        return Tensor(xp.array(0.0, dtype=xp.float32))
    norms = xp.stack([xp.linalg.vector_norm(a, ord=norm_type) for a in arrays])
    total: Array = xp.asarray(xp.linalg.vector_norm(norms, ord=norm_type), dtype=norms.dtype)
    if error_if_nonfinite and not xp.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            f"non-finite ({float(total)}), so it cannot be clipped. To disable this error "
            "and scale the gradients by the non-finite norm anyway, set "
            "`error_if_nonfinite=False`"
        )
    return Tensor(total)


def clip_grads_with_norm_(
    parameters: TensorOrTensors, max_norm: float, total_norm: Tensor | float
) -> None:
    """Scale every ``.grad`` in place by ``min(1, max_norm / (total_norm + 1e-6))``.

    Args:
        parameters: tensors whose gradients to scale (those without one are skipped).
        max_norm: the largest norm allowed.
        total_norm: the gradients' total norm, e.g. from :func:`get_total_norm`.
    """
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    grads = [p.grad.array for p in params if p.grad is not None]
    if not grads:
        return
    norm = total_norm.array if isinstance(total_norm, Tensor) else xp.asarray(total_norm)
    coef = xp.minimum(float(max_norm) / (norm + 1e-6), 1.0)  # clamped, as PyTorch
    with xp.errstate(invalid="ignore"):  # inf * 0 = nan, silently, as PyTorch
        for g in grads:
            g *= coef


def clip_grad_norm_(
    parameters: TensorOrTensors,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
) -> Tensor:
    """Rescale the gradients so that their total norm is at most ``max_norm``, in place.

    The norm is that of all gradients concatenated into one vector. Every gradient is
    multiplied by ``min(1, max_norm / (total_norm + 1e-6))``.

    Args:
        parameters: a tensor or tensors whose ``.grad`` to clip (None grads skipped).
        max_norm: the largest total norm allowed.
        norm_type: p of the p-norm; ``inf`` for the largest absolute value.
        error_if_nonfinite: raise instead of scaling by a nan or inf norm.

    Returns:
        The total norm of the gradients before clipping, a 0-d tensor.

    Raises:
        RuntimeError: if ``error_if_nonfinite`` and the total norm is nan or inf.

    >>> import scratchgrad as sg
    >>> w = sg.zeros(2, requires_grad=True)
    >>> w.grad = sg.tensor([3.0, 4.0])
    >>> clip_grad_norm_([w], max_norm=1.0)
    tensor(5.)
    >>> w.grad
    tensor([0.6000, 0.8000])
    """
    if isinstance(parameters, Tensor):
        params = [parameters]
    else:
        params = list(parameters)
        if isinstance(parameters, GeneratorType) and not params:
            warnings.warn(
                "`parameters` is an empty generator, no gradient clipping will occur.",
                stacklevel=2,
            )
    grads = [p.grad for p in params if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite)
    clip_grads_with_norm_(params, max_norm, total_norm)
    return total_norm


def clip_grad_value_(parameters: TensorOrTensors, clip_value: float) -> None:
    """Clamp every gradient to ``[-clip_value, clip_value]``, in place.

    Args:
        parameters: a tensor or tensors whose ``.grad`` to clip (None grads skipped).
        clip_value: the largest absolute value allowed.

    >>> import scratchgrad as sg
    >>> w = sg.zeros(3, requires_grad=True)
    >>> w.grad = sg.tensor([-2.0, 0.5, 3.0])
    >>> clip_grad_value_(w, 1.0)
    >>> w.grad
    tensor([-1.0000,  0.5000,  1.0000])
    """
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    clip_value = float(clip_value)
    for p in params:
        if p.grad is not None:
            xp.clip(p.grad.array, -clip_value, clip_value, out=p.grad.array)


__all__ = ["clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm"]
