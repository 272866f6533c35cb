"""Parsing ``x[index]`` as torch does, and explaining, as torch does, an index that fails.

:func:`parse` turns a user index into NumPy items and the one or two steps that apply
them like torch (:class:`_Index`); :func:`raise_index_error` gives torch's IndexError for
an index NumPy refused. Also the dim and bound checks that the indexing ops share.
"""

from __future__ import annotations

from typing import Any

from scratchgrad.backend import Array, xp
from scratchgrad.tensor import Tensor

INDEX_DTYPES = ("int32", "int64")  # what torch accepts for gather/scatter/index_select


class _Index:
    """A parsed index, applied in two steps: ``a[first]``, then ``[second]`` on that.

    ``second`` is None when one NumPy indexing does what torch does. Otherwise ``first``
    holds the ints, slices and Nones (a view) and ``second`` the arrays, placed on the
    view's dims: torch selects with ints before it applies integer arrays.
    ``accumulate`` is true when integer arrays may repeat a position, so backward
    must add (np.add.at) rather than assign.
    """

    __slots__ = ("accumulate", "first", "items", "second")

    def __init__(self, items: tuple[Any, ...], first: Any, second: Any, accumulate: bool) -> None:
        self.items, self.first, self.second, self.accumulate = items, first, second, accumulate

    @property
    def advanced(self) -> bool:
        """True when the index holds arrays or bools (torch's index_put path)."""
        return any(isinstance(i, xp.ndarray | bool) for i in self.items)

    def split(self, a: Array) -> tuple[Array, Any]:
        """The array the last step indexes (``a`` or a view of it) and that step's index."""
        if self.second is None:
            return a, self.first
        return a[self.first], self.second

    def place(self, target: Array, grad: Array) -> None:
        """Put ``grad`` (the indexing result's shape) into ``target`` at the index.

        Assigns, or adds when integer arrays may repeat a position.
        """
        view, i = self.split(target)
        if self.accumulate:
            xp.add.at(view, i, grad)
        else:
            view[i] = grad


def parse(index: Any) -> _Index:
    """Turn a user index into NumPy items and the steps that apply them like torch."""
    if type(index) is int or type(index) is slice:  # the commonest: x[i], x[a:b]
        index = _item(index)  # (checks a slice's step)
        return _Index((index,), (index, ...), None, False)  # `...` keeps a 0-d result a view
    if type(index) is not tuple:
        index = tuple(index) if _list_as_tuple(index) else (index,)
    items = tuple(_item(obj) for obj in index)
    arrays = [i for i in items if isinstance(i, xp.ndarray)]
    has_bool = any(type(i) is bool for i in items)
    if not arrays and not has_bool:
        ellipsis = any(i is Ellipsis for i in items)
        return _Index(items, items if ellipsis else (*items, ...), None, False)
    accumulate = any(a.dtype != bool for a in arrays)
    if not has_bool and not any(type(i) is int for i in items):
        return _Index(items, items, None, accumulate)
    first: list[Any] = []
    second: list[Any] = []
    for i in items:
        if type(i) is int:
            first.append(i)
        elif type(i) is bool:  # torch: unsqueeze, then index that dim with arange(i)
            first.append(None)
            second.append(xp.arange(int(i)))
        elif isinstance(i, xp.ndarray):
            first.extend([slice(None)] * (i.ndim if i.dtype == bool else 1))
            second.append(i)
        else:  # slice, None, Ellipsis: already applied by `first`
            first.append(i)
            second.append(Ellipsis if i is Ellipsis else slice(None))
    return _Index(items, tuple(first), tuple(second), accumulate)


def _list_as_tuple(index: Any) -> bool:
    """Torch's legacy rule: a short list holding sequences, slices, tensors or None."""
    if not isinstance(index, list) or len(index) >= 32:
        return False
    seqs = (list, tuple, slice, Tensor, xp.ndarray)
    return any(isinstance(o, seqs) or o is None or o is Ellipsis for o in index)


def _item(obj: Any) -> Any:
    """One index entry as a Python int/bool, slice, None, Ellipsis or NumPy array."""
    if type(obj) is slice and obj.step is not None and obj.step < 0:
        raise ValueError("step must be greater than zero")
    if obj is None or obj is Ellipsis or type(obj) is slice:
        return obj
    if isinstance(obj, bool | xp.bool_):
        return bool(obj)
    if isinstance(obj, int | xp.integer):
        return int(obj)
    if isinstance(obj, Tensor):
        d = obj.array
        if str(d.dtype) not in ("bool", "uint8", "int32", "int64"):
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return _from_array(d)
    if isinstance(obj, range):  # torch reads a range as the long tensor of its values
        return _from_array(xp.arange(obj.start, obj.stop, obj.step, dtype=xp.int64))
    if isinstance(obj, xp.ndarray | list | tuple):  # data: torch makes a long tensor of it
        d = xp.asarray(obj)
        if d.dtype.kind not in "biuf":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return _from_array(d if d.dtype.kind in "bu" else d.astype(xp.int64))
    raise IndexError(
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
        f"valid indices (got {type(obj).__name__})"
    )


def _from_array(d: Array) -> Any:
    """Byte arrays are masks (torch's legacy rule); 0-d arrays act as scalars."""
    if d.dtype == xp.uint8:
        d = d.astype(bool)
    elif d.dtype.kind == "u":
        d = d.astype(xp.int64)
    if d.ndim == 0:
        return bool(d) if d.dtype == bool else int(d)
    return d


def raise_index_error(shape: tuple[int, ...], items: tuple[Any, ...]) -> None:
    """Raise torch's IndexError for an index that NumPy refused (if it is one we know)."""
    if sum(i is Ellipsis for i in items) > 1:
        return  # NumPy's own error says it
    used = sum(_dims_used(i) for i in items)
    if not shape and items and (type(items[0]) is int or type(items[0]) is slice):
        raise IndexError(
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
            "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
            if type(items[0]) is int
            else "slice() cannot be applied to a 0-dim tensor."
        )
    if used > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    view: list[int] = []  # the shape after ints, slices and Nones
    arrays: list[tuple[int, Array]] = []  # (dim in view, array)
    d = 0
    for pos, i in enumerate(items):
        k = len(shape) - used if i is Ellipsis else _dims_used(i)
        if type(i) is int and not -shape[d] <= i < shape[d]:
            raise IndexError(f"index {i} is out of bounds for dimension {pos} with size {shape[d]}")
        if isinstance(i, xp.ndarray):
            arrays.append((len(view), i))
        if i is None or type(i) is bool:
            view.append(1)
        elif type(i) is slice:
            view.append(len(range(*i.indices(shape[d]))))
        elif type(i) is not int:
            view.extend(shape[d : d + k])
        d += k
    view.extend(shape[d:])
    _check_arrays(view, arrays)


def _dims_used(i: Any) -> int:
    """How many dims of x an index entry consumes."""
    if isinstance(i, xp.ndarray):
        return int(i.ndim) if i.dtype == bool else 1
    return 0 if i is None or i is Ellipsis or type(i) is bool else 1


def _check_arrays(view: list[int], arrays: list[tuple[int, Array]]) -> None:
    """Torch's checks on the index tensors: mask shapes, broadcasting, bounds."""
    tensors: list[tuple[Array, int]] = []  # (integer index, size of its dim)
    for at, a in arrays:
        if a.dtype != bool:
            tensors.append((a, view[at]))
            continue
        for j, n in enumerate(a.shape):
            if n != view[at + j]:
                raise IndexError(
                    f"The shape of the mask {list(a.shape)} at index {j} does not match the "
                    f"shape of the indexed tensor {view} at index {at + j}"
                )
        tensors.extend((nz, view[at + j]) for j, nz in enumerate(xp.nonzero(a)))
    try:
        xp.broadcast_shapes(*(t.shape for t, _ in tensors))
    except ValueError:
        shapes = ", ".join(str(list(t.shape)) for t, _ in tensors)
        raise IndexError(
            f"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}"
        ) from None
    for k, (t, n) in enumerate(tensors):
        check_bounds(t, n, k, IndexError)


def check_bounds(index: Array, n: int, dim: int, error: type[Exception], low: int = -1) -> None:
    """Raise ``error`` naming the first entry outside [low * n, n) (C order)."""
    bad = (index < low * n) | (index >= n)
    if bad.any():
        raise error(f"index {index[bad][0]} is out of bounds for dimension {dim} with size {n}")


__all__ = ["check_bounds", "parse", "raise_index_error"]
