"""The text form of a tensor, laid out like PyTorch's ``repr``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scratchgrad.tensor import Tensor

_IMPLICIT = {np.dtype(np.int64), np.dtype(np.bool_)}  # PyTorch omits these and the default float


def tensor_repr(t: Tensor) -> str:
    """``tensor([[1., 2.], [3., 4.]], requires_grad=True)`` style text."""
    from scratchgrad.dtypes import get_default_dtype

    data = t.data
    body = np.array2string(
        data,
        separator=", ",
        prefix="tensor(",
        precision=4,
        threshold=1000,
        edgeitems=3,
        formatter={"bool": lambda b: "True" if b else "False"},
    )
    extras = []
    if data.dtype not in _IMPLICIT and data.dtype != get_default_dtype():
        extras.append(f"dtype=scratchgrad.{data.dtype}")
    if data.size == 0:
        extras.insert(0, f"size={data.shape}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn={t.grad_fn!r}")
    elif t.requires_grad:
        extras.append("requires_grad=True")
    return "tensor(" + ", ".join([body, *extras]) + ")"
