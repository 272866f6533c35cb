"""The text form of a tensor, laid out by PyTorch's printing rules.

Floats print with 4 decimals, or as ``1.`` when every value is an integer, or in
scientific notation when the values span more than 1000x (or exceed 1e8, or, for
non-integers, fall below 1e-4). Every element is padded to one width; lines wrap at
80 columns; tensors of more than 1000 elements show 3 items at each edge and "...".
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from scratchgrad.backend import Array, xp

if TYPE_CHECKING:
    from scratchgrad.tensor import Tensor

PRECISION, THRESHOLD, EDGEITEMS, LINEWIDTH = 4, 1000, 3, 80
_IMPLICIT = {xp.dtype(xp.int64), xp.dtype(xp.bool_)}  # PyTorch omits these and the default float


class _Formatter:
    """Chooses one number format and width from the values to be shown."""

    def __init__(self, values: Array) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        if not self.floating:
            self.width = max((len(str(v)) for v in values.ravel().tolist()), default=1)
            return
        v = values.astype(xp.float64).ravel()
        v = v[xp.isfinite(v) & (v != 0)]
        if v.size == 0:
            return
        lo, hi = float(xp.abs(v).min()), float(xp.abs(v).max())
        self.int_mode = bool(xp.all(v == xp.ceil(v)))
        wide = hi / lo > 1000.0 or hi > 1.0e8
        self.sci_mode = wide if self.int_mode else wide or lo < 1.0e-4
        if self.sci_mode:
            self.width = max(len(f"{x:.{PRECISION}e}") for x in v.tolist())
        elif self.int_mode:
            self.width = max(len(f"{x:.0f}") + 1 for x in v.tolist())
        else:
            self.width = max(len(f"{x:.{PRECISION}f}") for x in v.tolist())

    def format(self, value: Any) -> str:
        """One element, padded on the left to the common width."""
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.width}.{PRECISION}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{PRECISION}f}"
        return text.rjust(self.width)


def _summarized(a: Array) -> Array:
    """The edge items along every dim, which is all a summarized print shows."""
    if a.ndim == 0:
        return a
    if a.shape[0] > 2 * EDGEITEMS:
        a = xp.concatenate([a[:EDGEITEMS], a[-EDGEITEMS:]])
    return xp.stack([_summarized(row) for row in a]) if a.ndim > 1 else a


def _vector(a: Array, indent: int, summarize: bool, fmt: _Formatter) -> str:
    per_line = max(1, (LINEWIDTH - indent) // (fmt.width + 2))
    if summarize and a.shape[0] > 2 * EDGEITEMS:
        items = [fmt.format(v) for v in a[:EDGEITEMS].tolist()] + [" ..."]
        items += [fmt.format(v) for v in a[-EDGEITEMS:].tolist()]
    else:
        items = [fmt.format(v) for v in a.tolist()]
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _body(a: Array, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        return _vector(a, indent, summarize, fmt)
    rows = range(a.shape[0])
    if summarize and a.shape[0] > 2 * EDGEITEMS:
        head = [_body(a[i], indent + 1, summarize, fmt) for i in rows[:EDGEITEMS]]
        tail = [_body(a[i], indent + 1, summarize, fmt) for i in rows[-EDGEITEMS:]]
        parts = [*head, "...", *tail]
    else:
        parts = [_body(a[i], indent + 1, summarize, fmt) for i in rows]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _suffixes(t: Tensor) -> list[str]:
    from scratchgrad.dtypes import get_default_dtype

    out = []
    dtype_shown = t.array.dtype not in _IMPLICIT and t.array.dtype != get_default_dtype()
    if t.array.size == 0:
        if t.array.ndim != 1:
            out.append(f"size={t.array.shape}")
        dtype_shown = t.array.dtype != get_default_dtype()
    if dtype_shown:
        out.append(f"dtype=scratchgrad.{t.array.dtype}")
    if t.grad_fn is not None:
        out.append(f"grad_fn={t.grad_fn!r}")
    elif t.requires_grad:
        out.append("requires_grad=True")
    return out


def _join(text: str, suffixes: list[str], indent: int) -> str:
    parts, last = [text], len(text) - text.rfind("\n") + 1
    for s in suffixes:
        if last + len(s) + 2 > LINEWIDTH:
            parts.append(",\n" + " " * indent + s)
            last = indent + len(s)
        else:
            parts.append(", " + s)
            last += len(s) + 2
    return "".join(parts) + ")"


def tensor_repr(t: Tensor) -> str:
    """``tensor([[1., 2.], [3., 4.]], requires_grad=True)``, as PyTorch prints it."""
    prefix = "tensor("
    a = t.array
    if a.size == 0:
        body = "[]"
    else:
        summarize = a.size > THRESHOLD
        fmt = _Formatter(_summarized(a) if summarize else a)
        body = _body(a, len(prefix), summarize, fmt)
    return _join(prefix + body, _suffixes(t), len(prefix))
