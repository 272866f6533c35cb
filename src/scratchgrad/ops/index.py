"""Indexing: x[...], x[...] = v, gather, scatter, index_select, masked_fill, one_hot, ...

Semantics and error messages are PyTorch's. ``x[index]`` follows torch where it differs
from NumPy: Python ints select before integer arrays are applied (``x[0, :, [0, 2]]`` has
shape (3, 2) for x of shape (2, 3, 4), NumPy gives (2, 3)), a bool scalar adds a dim,
lists of floats are truncated to integer indices, and a short list holding lists,
slices, tensors or None is read as a tuple. Basic indexing (ints, slices, None,
Ellipsis) returns a view of x, as in torch; advanced indexing returns a copy.
"""

from __future__ import annotations

from typing import Any

from scratchgrad import autograd
from scratchgrad.autograd import Function
from scratchgrad.backend import Array, xp
from scratchgrad.ops._registry import register
from scratchgrad.ops.convert import _alias, _check_inplace_allowed, _write, cast
from scratchgrad.tensor import Tensor, wrap

# dtype -> (torch ScalarType name, C++ type name): torch's error messages use both
_TORCH_NAMES = {
    "bool": ("Bool", "bool"),
    "uint8": ("Byte", "unsigned char"),
    "int8": ("Char", "signed char"),
    "int16": ("Short", "short int"),
    "int32": ("Int", "int"),
    "int64": ("Long", "long int"),
    "float16": ("Half", "c10::Half"),
    "float32": ("Float", "float"),
    "float64": ("Double", "double"),
}
_INDEX_DTYPES = ("int32", "int64")  # what torch accepts for gather/scatter/index_select


def _torch_name(dtype: Any, cpp: bool = False) -> str:
    names = _TORCH_NAMES.get(str(dtype), (str(dtype), str(dtype)))
    return names[1] if cpp else names[0]


def _wrap_dim(dim: int, ndim: int) -> int:
    """``dim`` in [0, ndim) (a 0-d tensor counts as 1-d, as in torch)."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return dim % n


# ------------------------------------------------------------------ parsing x[index]
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


def _parse(index: Any) -> _Index:
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
        d = obj.data
        if str(d.dtype) not in ("bool", "uint8", "int32", "int64"):
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return _from_array(d)
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


def _raise_index_error(shape: tuple[int, ...], items: tuple[Any, ...]) -> None:
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
        _check_bounds(t, n, k, IndexError)


def _check_bounds(index: Array, n: int, dim: int, error: type[Exception], low: int = -1) -> None:
    """Raise ``error`` naming the first entry outside [low * n, n) (C order)."""
    bad = (index < low * n) | (index >= n)
    if bad.any():
        raise error(f"index {index[bad][0]} is out of bounds for dimension {dim} with size {n}")


# ------------------------------------------------------------------ x[index]
@register("getitem")
class GetItem(Function):
    """out = x[index]; the gradient goes back to the indexed positions.

    Basic indexing writes it (``g[index] = grad``); integer arrays add it, so repeated
    positions accumulate.
    """

    def forward(self, x: Array, index: _Index) -> Array:
        self.in_shape, self.index = x.shape, index
        view, i = index.split(x)
        out: Array = view[i]
        return out

    def backward(self, grad: Array) -> tuple[Array]:
        g = xp.zeros(self.in_shape, dtype=grad.dtype)
        self.index.place(g, grad)
        return (g,)


def getitem(x: Tensor, index: Any) -> Tensor:
    """x[index] with ints, slices, None, Ellipsis, integer and bool arrays, as torch.

    Args:
        x: any tensor, shape (*).
        index: one entry or a tuple; tensors, arrays and lists are integer or bool indices.

    Returns:
        The selected entries: a view for basic indexing, a copy for advanced indexing.

    Raises:
        IndexError: out-of-range positions, float index tensors, masks of the wrong shape.

    >>> import scratchgrad as sg
    >>> sg.arange(12).reshape(3, 4)[1:, [0, 2]].tolist()
    [[4, 6], [8, 10]]
    """
    idx = _parse(index)
    try:
        return GetItem.apply(x, index=idx)
    except IndexError:
        _raise_index_error(x.shape, idx.items)
        raise


@register("index_put")
class IndexPut(Function):
    """out = copy of x with out[index] = value; value broadcast to x[index]'s shape.

    Gradients: x gets grad with zeros at index; value gets grad[index], summed back to
    value's shape.
    """

    def forward(self, x: Array, value: Any, index: _Index) -> Array:
        self.index, self.value_shape = index, xp.shape(value)
        out = x.copy()
        view, i = index.split(out)
        view[i] = value
        return out

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        gx = gv = None
        if self.needs_input_grad[0]:
            gx = grad.copy()
            view, i = self.index.split(gx)
            view[i] = 0
        if self.needs_input_grad[1]:
            view, i = self.index.split(grad)
            gv = view[i]  # x[index]'s shape
            lead = len(self.value_shape) - gv.ndim
            if lead > 0:  # value had extra leading 1-dims, as torch allows
                gv = autograd.unbroadcast(gv, self.value_shape[lead:]).reshape(self.value_shape)
        return gx, gv


def setitem(x: Tensor, index: Any, value: Any) -> None:
    """x[index] = value, in place; value (tensor or scalar) broadcast and cast to x's dtype.

    Outside the graph the values are written into x's memory (views of x see them).
    In the graph (x a non-leaf that requires grad, or value requiring grad) x takes the
    result of a differentiable IndexPut.

    Raises:
        RuntimeError: on a leaf that requires grad (unless grad is off), for a value
            tensor of another dtype with advanced indexing, or a value of the wrong shape.
        IndexError: as ``getitem``.
    """
    idx = _parse(index)
    _check_inplace_allowed(x)
    try:
        _put(x, idx, value)
    except IndexError:
        _raise_index_error(x.shape, idx.items)
        raise
    except ValueError:
        _check_value_shape(x, idx, xp.shape(value))
        raise


def _put(x: Tensor, idx: _Index, value: Any) -> None:
    """Setitem's work: into x's memory outside the graph, through IndexPut inside it."""
    if isinstance(value, Tensor) and value.data.dtype != x.data.dtype:
        if idx.advanced:  # torch's index_put_ casts nothing (after its shape check)
            _check_value_shape(x, idx, value.shape)
            raise RuntimeError(
                f"Index put requires the source and destination dtypes match, got "
                f"{_torch_name(x.dtype)} for the destination and {_torch_name(value.dtype)} "
                f"for the source."
            )
        value = cast(value, x.data.dtype)
    in_graph = x.requires_grad or (isinstance(value, Tensor) and value.requires_grad)
    if in_graph and autograd.is_grad_enabled():
        _write(x, IndexPut.apply(_alias(x), value, index=idx))
    else:
        view, i = idx.split(x.data)
        view[i] = value.data if isinstance(value, Tensor) else value


def _check_value_shape(x: Tensor, idx: _Index, value: tuple[int, ...]) -> None:
    """Raise torch's error if ``value`` does not broadcast to x[index]'s shape."""
    view, i = idx.split(x.data)
    target = view[i].shape
    while len(value) > len(target) and value[0] == 1:  # torch drops leading 1-dims
        value = value[1:]
    bad = [d for d in range(-min(len(value), len(target)), 0) if value[d] not in (1, target[d])]
    if not bad and len(value) <= len(target):
        return
    if idx.advanced:
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {list(value)} cannot be broadcast to "
            f"indexing result of shape {list(target)}"
        )
    if bad:
        raise RuntimeError(
            f"The expanded size of the tensor ({target[bad[-1]]}) must match the existing size "
            f"({value[bad[-1]]}) at non-singleton dimension {len(target) + bad[-1]}.  Target "
            f"sizes: {list(target)}.  Tensor sizes: {list(value)}"
        )


# ------------------------------------------------------------------ along a dim
def _block(shape: tuple[int, ...], dim: int) -> tuple[slice, ...]:
    """The leading block of that ``shape`` outside ``dim``: torch uses only that part."""
    return tuple(slice(None) if d == dim else slice(0, n) for d, n in enumerate(shape))


def _along(index: Array, dim: int) -> tuple[Array, ...]:
    """Full fancy index for x[..., index[i, j, ...], ...] along ``dim`` (for np.add.at)."""
    grids = []
    for d, n in enumerate(index.shape):
        shape = [1] * index.ndim
        shape[d] = n
        grids.append(index if d == dim else xp.arange(n).reshape(shape))
    return tuple(grids)


def _head(src: Any, shape: tuple[int, ...]) -> Any:
    """The leading block of ``src`` with ``shape`` (a scalar as is)."""
    if isinstance(src, xp.ndarray) and src.shape != shape:
        return src[tuple(slice(0, n) for n in shape)]
    return src


def _pad(g: Array, shape: tuple[int, ...]) -> Array:
    """``g`` placed in the leading block of zeros of ``shape``."""
    if g.shape == shape:
        return g
    out = xp.zeros(shape, dtype=g.dtype)
    out[tuple(slice(0, n) for n in g.shape)] = g
    return out


@register("gather")
class Gather(Function):
    """out[i][j] = x[index[i][j]][j] for dim 0 (and so on); out has index's shape.

    x: (*), index: same ndim, no larger outside ``dim``. The gradient is added back at
    the gathered positions (repeats accumulate).
    """

    def forward(self, x: Array, dim: int, index: Array) -> Array:
        self.in_shape, self.dim, self.index = x.shape, dim, index
        return xp.take_along_axis(x[_block(index.shape, dim)], index, axis=dim)

    def backward(self, grad: Array) -> tuple[Array]:
        g = xp.zeros(self.in_shape, dtype=grad.dtype)
        xp.add.at(g[_block(self.index.shape, self.dim)], _along(self.index, self.dim), grad)
        return (g,)


@register("scatter")
class Scatter(Function):
    """out = copy of x with out[index[i][j]][j] = src[i][j] for dim 0; out: x's shape.

    src: a scalar, or a tensor at least index's size (its leading block is used).
    Gradients: x gets grad with zeros where written; src gets grad gathered at index.
    """

    def forward(self, x: Array, src: Any, dim: int, index: Array) -> Array:
        self.dim, self.index, self.src_shape = dim, index, xp.shape(src)
        out = x.copy()
        xp.put_along_axis(out[_block(index.shape, dim)], index, _head(src, index.shape), dim)
        return out

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        block, gx, gs = _block(self.index.shape, self.dim), None, None
        if self.needs_input_grad[0]:
            gx = grad.copy()
            xp.put_along_axis(gx[block], self.index, 0, self.dim)
        if self.needs_input_grad[1]:
            gs = _pad(xp.take_along_axis(grad[block], self.index, self.dim), self.src_shape)
        return gx, gs


@register("scatter_add")
class ScatterAdd(Function):
    """out = copy of x with src[i][j] added at out[index[i][j]][j] for dim 0.

    Repeated positions accumulate. Gradients: x gets grad; src gets grad gathered at index.
    """

    def forward(self, x: Array, src: Array, dim: int, index: Array) -> Array:
        self.dim, self.index, self.src_shape = dim, index, src.shape
        out = x.copy()
        xp.add.at(out[_block(index.shape, dim)], _along(index, dim), _head(src, index.shape))
        return out

    def backward(self, grad: Array) -> tuple[Array, Array | None]:
        gs = None
        if self.needs_input_grad[1]:
            block = _block(self.index.shape, self.dim)
            gs = _pad(xp.take_along_axis(grad[block], self.index, self.dim), self.src_shape)
        return grad, gs


def _check_along(op: str, x: Tensor, dim: int, index: Tensor, src: Any = None) -> int:
    """Torch's checks for gather/scatter; returns ``dim`` wrapped into [0, ndim)."""
    dim = _wrap_dim(dim, x.ndim)
    i = index.data
    if str(i.dtype) not in _INDEX_DTYPES:
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index")
    if isinstance(src, Tensor) and src.data.dtype != x.data.dtype:
        raise RuntimeError(f"{op}(): Expected self.dtype to be equal to src.dtype")
    if i.ndim != x.ndim:
        what = "input" if op == "gather" else "self"
        raise RuntimeError(f"Index tensor must have the same number of dimensions as {what} tensor")
    if isinstance(src, Tensor) and src.ndim != i.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    over = [d for d, (n, m) in enumerate(zip(i.shape, x.shape, strict=True)) if d != dim and n > m]
    if op == "gather" and over:
        raise RuntimeError(
            f"Size does not match at dimension {over[0]} expected index {list(i.shape)} to be "
            f"no larger than self {list(x.shape)} apart from dimension {dim}"
        )
    src_small = isinstance(src, Tensor) and any(
        n > m for n, m in zip(i.shape, src.shape, strict=True)
    )
    if over or src_small:
        tail = f" and to be no larger size than src {list(src.shape)}" if src_small else ""
        raise RuntimeError(
            f"Expected index {list(i.shape)} to be no larger than self {list(x.shape)} apart "
            f"from dimension {dim}{tail}"
        )
    _check_bounds(i, x.shape[dim], dim, RuntimeError, low=0)
    return dim


def _as_1d(t: Tensor) -> Tensor:
    """A 0-d tensor as shape (1,): torch treats 0-d as 1-d along a dim."""
    return t.reshape(1) if t.ndim == 0 else t


def gather(x: Tensor, dim: int, index: Tensor) -> Tensor:
    """Values of x picked by ``index`` along ``dim``: out[i][j] = x[index[i][j]][j] (dim 0).

    Args:
        x: any tensor, shape (*).
        dim: the dim to pick along.
        index: int64/int32, same ndim as x, no larger than x outside ``dim``.

    Returns:
        A tensor of index's shape.

    Raises:
        RuntimeError: a wrong index dtype, ndim or size, or an index out of range.

    >>> import scratchgrad as sg
    >>> sg.tensor([[1, 2], [3, 4]]).gather(1, sg.tensor([[1], [0]])).tolist()
    [[2], [3]]
    """
    if x.ndim == 0 or index.ndim == 0:
        return gather(_as_1d(x), dim, _as_1d(index)).reshape(index.shape)
    dim = _check_along("gather", x, dim, index)
    return Gather.apply(x, dim=dim, index=index.data)


def scatter(x: Tensor, dim: int, index: Tensor, src: Any) -> Tensor:
    """A copy of x with ``src`` (tensor or scalar) written at ``index`` along ``dim``.

    out[index[i][j]][j] = src[i][j] for dim 0. Where index repeats a position, which
    value lands there is unspecified (as in torch).

    Args:
        x: any tensor, shape (*).
        dim: the dim to write along.
        index: int64/int32, same ndim as x, no larger than x outside ``dim``.
        src: a Python scalar, or a tensor of x's dtype at least index's size.

    Returns:
        A tensor of x's shape and dtype.
    """
    if x.ndim == 0 or index.ndim == 0 or (isinstance(src, Tensor) and src.ndim == 0):
        src = _as_1d(src) if isinstance(src, Tensor) else src
        return scatter(_as_1d(x), dim, _as_1d(index), src).reshape(x.shape)
    dim = _check_along("scatter", x, dim, index, src)
    return Scatter.apply(x, src, dim=dim, index=index.data)


def scatter_add(x: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of x with ``src`` added at ``index`` along ``dim``; repeats accumulate.

    Args:
        x: any tensor, shape (*).
        dim: the dim to add along.
        index: int64/int32, same ndim as x, no larger than x outside ``dim``.
        src: a tensor of x's dtype, at least index's size.

    Returns:
        A tensor of x's shape and dtype.
    """
    if not isinstance(src, Tensor):
        raise TypeError(
            f"scatter_add(): argument 'src' (position 3) must be Tensor, not {type(src).__name__}"
        )
    if x.ndim == 0 or index.ndim == 0 or src.ndim == 0:
        return scatter_add(_as_1d(x), dim, _as_1d(index), _as_1d(src)).reshape(x.shape)
    dim = _check_along("scatter", x, dim, index, src)
    return ScatterAdd.apply(x, src, dim=dim, index=index.data)


@register("index_select")
class IndexSelect(Function):
    """out = the entries of x at ``index`` (1-d) along ``dim``.

    x: (..., n, ...) -> out: (..., len(index), ...). The gradient is added back at index.
    """

    def forward(self, x: Array, dim: int, index: Array) -> Array:
        self.in_shape, self.dim, self.index = x.shape, dim, index
        return xp.take(x, index, axis=dim)

    def backward(self, grad: Array) -> tuple[Array]:
        g = xp.zeros(self.in_shape, dtype=grad.dtype)
        xp.add.at(xp.moveaxis(g, self.dim, 0), self.index, xp.moveaxis(grad, self.dim, 0))
        return (g,)


def index_select(x: Tensor, dim: int, index: Tensor) -> Tensor:
    """The entries at ``index`` (1-d or 0-d, int64/int32) along ``dim``.

    Raises:
        RuntimeError: for an index of another dtype.
        IndexError: for an index of more than one dim, or one out of range.
    """
    d = _wrap_dim(dim, x.ndim)
    i = index.data
    if str(i.dtype) not in _INDEX_DTYPES:
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if i.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if x.ndim == 0:
        if i.size != 1:
            raise RuntimeError(
                f"index_select(): Index to scalar can have only 1 value, got {i.size} value(s)"
            )
        return index_select(x.reshape(1), 0, index).reshape(())
    i = i.reshape(-1)
    if ((i < 0) | (i >= x.shape[d])).any():
        raise IndexError("index out of range in self")
    return IndexSelect.apply(x, dim=d, index=i)


def take_along_dim(x: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """Values at ``indices`` along ``dim``, as torch.take_along_dim (a gather).

    With ``dim``, x and indices broadcast outside ``dim`` and, as in torch 2.13, every
    index is taken modulo x.shape[dim] (so -1 is the last entry). With ``dim=None``,
    x is flattened: out = x.reshape(-1)[indices.reshape(-1)], checked like gather.

    Args:
        x: any tensor, shape (*).
        indices: int64, same ndim as x (any shape when ``dim`` is None).
        dim: the dim to take along, or None.

    Returns:
        Shape broadcast(x, indices) with indices' size at ``dim``; (indices.numel(),)
        when ``dim`` is None.
    """
    from scratchgrad.ops.shape import broadcast_shapes, broadcast_to

    if dim is None:
        return gather(x.reshape(-1), 0, indices.reshape(-1))
    if indices.ndim != x.ndim:
        raise RuntimeError(
            f"torch.take_along_dim(): input and indices should have the same number of "
            f"dimensions, but got {x.ndim} dimensions for input, and {indices.ndim} "
            f"dimensions for indices"
        )
    if indices.data.dtype != xp.int64:
        raise RuntimeError(
            f"torch.take_along_dim(): dtype of indices should be Long but got "
            f"{_torch_name(indices.dtype)}"
        )
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    i = indices.data % n if n else indices.data
    shape = list(x.shape)
    shape[d] = i.shape[d]
    out_shape = broadcast_shapes(shape, i.shape)
    shape = list(out_shape)
    shape[d] = n
    xb = x if x.shape == tuple(shape) else broadcast_to(x, shape)
    return gather(xb, d, wrap(xp.broadcast_to(i, out_shape)))


# ------------------------------------------------------------------ masks
@register("masked_fill")
class MaskedFill(Function):
    """out = value where mask else x; x (*) and mask (*) broadcast to out's shape.

    Gradients: x gets grad with zeros where filled; value (a 0-d tensor) gets the sum of
    grad where filled.
    """

    def forward(self, x: Array, value: Any, mask: Array) -> Array:
        self.mask = mask
        return xp.where(mask, xp.asarray(value, dtype=x.dtype), x)

    def backward(self, grad: Array) -> tuple[Array | None, Array | None]:
        zero = xp.zeros((), dtype=grad.dtype)
        gx = xp.where(self.mask, zero, grad) if self.needs_input_grad[0] else None
        gv = xp.where(self.mask, grad, zero).sum() if self.needs_input_grad[1] else None
        return gx, None if gv is None else xp.asarray(gv)


def masked_fill(x: Tensor, mask: Tensor, value: Any) -> Tensor:
    """A copy of x with ``value`` where ``mask`` is true.

    Args:
        x: any tensor, shape (*).
        mask: bool, broadcastable with x.
        value: a Python scalar or a 0-d tensor, cast to x's dtype.

    Returns:
        x's dtype, shape broadcast(x, mask).

    Raises:
        RuntimeError: for a mask that is not bool, or a value tensor with dims.
        BroadcastError: when x and mask do not broadcast.

    >>> import scratchgrad as sg
    >>> x = sg.tensor([1.0, -2.0, 3.0])
    >>> x.masked_fill(x < 0, 0.0).tolist()
    [1.0, 0.0, 3.0]
    """
    m = mask.data if isinstance(mask, Tensor) else xp.asarray(mask)
    if m.dtype != bool:
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype "
            f"{_torch_name(m.dtype, cpp=True)}"
        )
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(
                f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor "
                f"with {value.ndim} dimension(s)."
            )
        value = cast(value, x.data.dtype)
    try:
        return MaskedFill.apply(x, value, mask=m)
    except ValueError:
        from scratchgrad.ops.shape import broadcast_shapes

        broadcast_shapes(x.shape, m.shape)
        raise


@register("one_hot")
class OneHot(Function):
    """out[..., c] = 1 if x[...] == c else 0; int64 (*) -> int64 (*, num_classes)."""

    differentiable = False

    def forward(self, x: Array, num_classes: int) -> Array:
        out: Array = (x[..., None] == xp.arange(num_classes)).astype(xp.int64)
        return out


def one_hot(x: Tensor, num_classes: int = -1) -> Tensor:
    """Class indices (*) -> int64 one-hot (*, num_classes); -1 infers max + 1.

    Raises:
        TypeError: if x is not a tensor.
        RuntimeError: x not int64, a negative class, one >= num_classes, or an empty x
            with num_classes=-1.

    >>> import scratchgrad as sg
    >>> sg.one_hot(sg.tensor([0, 2]), 3).tolist()
    [[1, 0, 0], [0, 0, 1]]
    """
    if not isinstance(x, Tensor):
        raise TypeError(
            f"one_hot(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}"
        )
    if x.data.dtype != xp.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1:
        if x.data.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(x.data.max()) + 1
    if x.data.size and x.data.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if x.data.size and x.data.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return OneHot.apply(x, num_classes=num_classes)


__all__ = [
    "gather",
    "getitem",
    "index_select",
    "masked_fill",
    "one_hot",
    "scatter",
    "scatter_add",
    "setitem",
    "take_along_dim",
]
