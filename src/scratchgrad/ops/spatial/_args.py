"""Arguments of the spatial ops (convolution, pooling) and of their layers, checked once.

An ``int`` or a tuple becomes n ints; inputs are checked for their ndim and float dtype;
an unbatched input runs as a batch of one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scratchgrad.backend import xp
from scratchgrad.errors import ShapeError
from scratchgrad.ops.shape.view import squeeze, unsqueeze
from scratchgrad.tensor import Tensor

Pair = tuple[int, int]


def ntuple(v: Any, n: int, name: str, op: str, *, repeat_one: bool = True) -> tuple[int, ...]:
    """An int or a sequence of n ints, as n ints.

    With ``repeat_one`` (torch's ``expand_param_if_needed``, for the functional ops) a
    sequence of one int is repeated too; the layers, as torch's, take n ints exactly.

    Raises:
        ValueError: naming ``op`` and ``name`` for a sequence of another length.
    """
    if isinstance(v, int | xp.integer):
        t: tuple[int, ...] = (int(v),) * n
    else:
        t = tuple(int(a) for a in v)
        if len(t) == 1 and repeat_one:
            t *= n
    if len(t) != n:
        raise ValueError(f"{op}: {name} must be an int or a tuple of {n} ints, got {v!r}")
    return t


def pair(v: Any, name: str, op: str) -> Pair:
    """An int or a sequence of 1 or 2 ints, as 2 ints."""
    a, b = ntuple(v, 2, name, op)
    return a, b


def check_positive(op: str, **values: tuple[int, ...]) -> None:
    """Raise ValueError naming the first argument with a value below 1."""
    for name, v in values.items():
        if min(v) < 1:
            raise ValueError(f"{op}: {name} must be positive: {name}={v}")


def stride_and_dilation(
    op: str, stride: Any, dilation: Any, groups: int, n: int = 2
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A convolution's stride and dilation as n ints, checked with its groups to be positive."""
    s, d = ntuple(stride, n, "stride", op), ntuple(dilation, n, "dilation", op)
    check_positive(op, stride=s, dilation=d)
    if groups < 1:
        raise ValueError(f"{op}: groups must be a positive integer: groups={groups}")
    return s, d


def shapes(**ts: Tensor | None) -> str:
    """``x=(1, 3, 5, 5), weight=(8, 3, 3, 3)``: the shapes of the tensors given, for messages."""
    return ", ".join(f"{k}={tuple(t.shape)}" for k, t in ts.items() if t is not None)


def check_ndim(op: str, x: Tensor, batched: int) -> None:
    """x must have ``batched`` dims (N, C, *spatial) or one fewer (unbatched)."""
    if x.ndim not in (batched - 1, batched):
        dims = {3: "(N, C, L)", 4: "(N, C, H, W)"}.get(batched, "(N, C, D, H, W)")
        raise ShapeError(
            f"{op}: input must be {batched - 1}-D (unbatched) or {batched}-D {dims}: "
            f"got {x.ndim}-D (x={tuple(x.shape)})"
        )


def check_float(op: str, *ts: Tensor | None) -> None:
    """The tensors given (None skipped) must share one float dtype."""
    dtypes = {t.dtype for t in ts if t is not None}
    if len(dtypes) > 1 or any(d.kind != "f" for d in dtypes):
        names = ", ".join(str(d) for d in dtypes)
        raise RuntimeError(f"{op}: input, weight and bias must share one float dtype: {names}")


def unbatched(fn: Callable[..., Tensor], x: Tensor, *args: Any) -> Tensor:
    """``fn`` on an unbatched input (C, *spatial): run as a batch of one, then unwrapped."""
    return squeeze(fn(unsqueeze(x, 0), *args), 0)


__all__ = [
    "check_float",
    "check_ndim",
    "check_positive",
    "ntuple",
    "pair",
    "shapes",
    "stride_and_dilation",
    "unbatched",
]
