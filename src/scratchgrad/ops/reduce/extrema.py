"""amax, amin, aminmax: the max/min over several dims, with torch's gradient rule.

Unlike ``max(dim)``, which sends the gradient to the first extreme element along one
dim, these split it evenly among all elements equal to the result (ties). That is the
full-reduction rule of the ``max``/``min`` ops in :mod:`~scratchgrad.ops.reduce.reductions`, which
these reuse over any set of dims: no new backward.
"""

from __future__ import annotations

from typing import NamedTuple

from scratchgrad.ops.dims import DimArg, axes_of
from scratchgrad.ops.reduce.reductions import Max, Min, _check_nonempty
from scratchgrad.tensor import Tensor


class AminMax(NamedTuple):
    """The (min, max) pair of :func:`aminmax` (torch.return_types.aminmax)."""

    min: Tensor
    max: Tensor


def aminmax(x: Tensor, *, dim: int | None = None, keepdim: bool = False) -> AminMax:
    """(min, max) over one ``dim``, or over all elements when None.

    Gradients split evenly among ties, as amin and amax.

    Args:
        x: any tensor, shape (*).
        dim: one dim (not a tuple), or None.
        keepdim: keep the reduced dim(s) as size 1.

    Returns:
        AminMax(min, max), both of the reduced shape.

    Raises:
        TypeError: for a dim that is not an int.
        IndexError: a dim out of range or of size 0.
        RuntimeError: an empty x without ``dim``.

    >>> import scratchgrad as sg
    >>> sg.tensor([[1, 5], [3, 2]]).aminmax(dim=1)
    AminMax(min=tensor([1, 2]), max=tensor([5, 3]))
    """
    if dim is not None and (isinstance(dim, bool) or not isinstance(dim, int)):
        raise TypeError(f"aminmax(): argument 'dim' must be int, not {type(dim).__name__}")
    if dim is None and x.numel() == 0:
        raise RuntimeError(
            "aminmax(): cannot compute aminmax over an empty dimension as the operation has "
            "no identity."
        )
    if dim is not None:
        axes = axes_of("aminmax", dim, x.ndim)
        if axes and x.shape[axes[0]] == 0:
            raise IndexError(f"aminmax: Expected reduction dim {axes[0]} to have non-zero size.")
    axes = axes_of("aminmax", dim, x.ndim)
    return AminMax(
        Min.apply(x, axis=axes, keepdims=keepdim), Max.apply(x, axis=axes, keepdims=keepdim)
    )


def _reduce(cls: type[Max] | type[Min], op: str, x: Tensor, dim: DimArg, keepdim: bool) -> Tensor:
    """cls over ``dim`` (all dims for None or ()), with torch's errors for empty dims."""
    axes = axes_of(op, dim, x.ndim)
    whole = dim is None or dim == () or dim == []
    if whole:
        _check_nonempty(op, x.array, None)
    for a in axes:
        _check_nonempty(op, x.array, a)
    return cls.apply(x, axis=axes, keepdims=keepdim)


def amax(x: Tensor, dim: DimArg = (), keepdim: bool = False) -> Tensor:
    """The maximum over ``dim`` (an int, a tuple, or () / None for all dims).

    Elements tied at the maximum share its gradient evenly.

    Args:
        x: any tensor, shape (*).
        dim: the dims to reduce.
        keepdim: keep reduced dims as size 1.

    Returns:
        The reduced shape, x's dtype.

    Raises:
        IndexError: a dim out of range, or one of size 0.
        RuntimeError: an empty x reduced over all dims, or a dim named twice.

    >>> import scratchgrad as sg
    >>> x = sg.tensor([[1.0, 3.0, 3.0]], requires_grad=True)
    >>> x.amax().backward()
    >>> x.grad.tolist()
    [[0.0, 0.5, 0.5]]
    """
    return _reduce(Max, "amax", x, dim, keepdim)


def amin(x: Tensor, dim: DimArg = (), keepdim: bool = False) -> Tensor:
    """The minimum over ``dim`` (all dims for () / None); ties share the gradient evenly."""
    return _reduce(Min, "amin", x, dim, keepdim)


__all__ = ["amax", "amin", "aminmax"]
