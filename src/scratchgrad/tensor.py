"""Tensor: an array, whether it requires a gradient, its gradient, and the node that made it.

The class holds no math. Its operators and methods come from one mixin per op family in
:mod:`scratchgrad.tensor_methods`, each a call to an op in ``scratchgrad.ops``: a
:class:`scratchgrad.autograd.Function` whose forward and backward sit side by side.
This file keeps the attributes, autograd and conversion to Python and NumPy. Create
tensors with :func:`scratchgrad.tensor`, :func:`scratchgrad.zeros`, ...; ``Tensor(array)``
wraps an existing array as is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from scratchgrad.backend import Array, xp
from scratchgrad.devices import CPU, device, require_available
from scratchgrad.dtypes import DType, as_dtype
from scratchgrad.size import Size
from scratchgrad.tensor_methods import (
    ArithmeticMethods,
    CompareMethods,
    ConvertMethods,
    IndexMethods,
    LinalgMethods,
    MathMethods,
    OperatorMethods,
    ReduceMethods,
    SamplingMethods,
    ShapeMethods,
    bind_ops,
)
from scratchgrad.types import Scalar, _bool, _float, _int


class Tensor(
    OperatorMethods,
    ArithmeticMethods,
    MathMethods,
    CompareMethods,
    ConvertMethods,
    ReduceMethods,
    ShapeMethods,
    IndexMethods,
    LinalgMethods,
    SamplingMethods,
):
    """An n-dimensional array that records the operations made on it, for autograd.

    Args:
        data: the array to wrap, used as is (no copy, no dtype change).
        requires_grad: record operations on this tensor so ``backward`` fills ``grad``.

    >>> import scratchgrad as sg
    >>> x = sg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    tensor([2., 4., 6.])
    """

    __slots__ = ("array", "requires_grad", "grad", "grad_fn")
    __array_priority__ = 1000  # NumPy defers to our reflected operators

    # ----------------------------- attributes, autograd and conversion
    def __init__(self, *args: Any, requires_grad: _bool = False) -> None:
        data = args[0] if len(args) == 1 else None
        if type(data) is xp.ndarray:
            self.array: Array = data  # the library's own use: wrap the array as it is
        else:
            self.array = _legacy_array(args)
        self.grad: Tensor | None = None
        self.grad_fn: Any = None
        self.requires_grad: bool = False
        if requires_grad:
            self.requires_grad_(True)

    @property
    def data(self) -> Tensor:
        """This tensor's values outside the graph, as PyTorch's ``.data``.

        A tensor that shares this one's memory and requires no grad: writing into it
        changes this tensor without recording anything. ``x.data = t`` gives ``x`` the
        values (and shape and dtype) of ``t``, keeping ``x``'s identity, grad and graph
        flag, as in PyTorch. The NumPy array itself is ``x.array``.
        """
        return wrap(self.array)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(
                f"data: expected a Tensor to take the values of, got {type(value).__name__}"
            )
        self.array = value.array

    @property
    def shape(self) -> tuple[int, ...]:
        """The size of each dimension, e.g. ``(N, C, H, W)``."""
        return self.array.shape

    @property
    def ndim(self) -> _int:
        """The number of dimensions."""
        return self.array.ndim

    @property
    def dtype(self) -> DType:
        """The element type (a NumPy dtype: ``scratchgrad.float32`` ...)."""
        return self.array.dtype

    @property
    def device(self) -> device:
        """Where the data lives: ``device(type='cpu')`` with the NumPy backend."""
        return CPU

    @property
    def is_cuda(self) -> _bool:
        """False: the data is on the CPU."""
        return False

    @property
    def is_cpu(self) -> _bool:
        """True: the data is on the CPU."""
        return True

    @property
    def is_leaf(self) -> _bool:
        """True for tensors made by the user rather than by a recorded operation."""
        return self.grad_fn is None

    def size(self, dim: _int | None = None) -> Any:
        """The shape as a :class:`~scratchgrad.size.Size`, or the size of one dimension."""
        return Size(self.array.shape) if dim is None else self.array.shape[dim]

    def nelement(self) -> _int:
        """The number of elements (same as ``numel``)."""
        return int(self.array.size)

    def ndimension(self) -> _int:
        """The number of dimensions (same as ``ndim``)."""
        return self.array.ndim

    @property
    def nbytes(self) -> _int:
        """Bytes held by the elements."""
        return int(self.array.nbytes)

    @property
    def itemsize(self) -> _int:
        """Bytes per element."""
        return int(self.array.itemsize)

    def stride(self, dim: _int | None = None) -> Any:
        """Steps in elements between neighbours along each dim, as PyTorch counts them."""
        steps = tuple(s // self.array.itemsize for s in self.array.strides)
        return steps if dim is None else steps[dim]

    def data_ptr(self) -> _int:
        """The address of the first element."""
        return int(self.array.ctypes.data)

    def get_device(self) -> _int:
        """-1: the CPU, as PyTorch numbers it."""
        return -1

    def pin_memory(self) -> Tensor:
        """This tensor: pinned memory only matters for copies to a GPU."""
        return self

    def is_pinned(self) -> _bool:
        """False: nothing is pinned on a CPU-only build."""
        return False

    def share_memory_(self) -> Tensor:
        """This tensor (processes share it through the DataLoader's workers)."""
        return self

    def is_shared(self) -> _bool:
        """False."""
        return False

    def numel(self) -> _int:
        """The number of elements."""
        return int(self.array.size)

    def dim(self) -> _int:
        """The number of dimensions (same as ``ndim``)."""
        return self.array.ndim

    def element_size(self) -> _int:
        """Bytes per element."""
        return int(self.array.itemsize)

    def is_floating_point(self) -> _bool:
        """True for float16/32/64 tensors."""
        return self.array.dtype.kind == "f"

    def __len__(self) -> _int:
        if self.array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return int(self.array.shape[0])

    def __hash__(self) -> _int:
        return id(self)

    def __bool__(self) -> _bool:
        if self.array.size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with {self.array.size} elements is ambiguous"
            )
        return bool(self.array)

    def requires_grad_(self, requires_grad: _bool = True) -> Tensor:
        """Set whether autograd records operations on this leaf tensor; returns self.

        Raises:
            RuntimeError: for a non-leaf tensor, or a non-float tensor asked to require grad.
        """
        if self.grad_fn is not None:
            if requires_grad:
                return self  # already requires grad, as every non-leaf does
            raise RuntimeError(
                "requires_grad_: only leaf tensors can change requires_grad; "
                "use detach() to get a leaf"
            )
        if requires_grad and self.array.dtype.kind != "f":
            raise RuntimeError(
                f"requires_grad_: only tensors of floating point dtype can require "
                f"gradients, got {self.array.dtype}"
            )
        self.requires_grad = requires_grad
        return self

    def backward(self, gradient: Tensor | None = None, retain_graph: _bool = False) -> None:
        """Compute the gradient of this tensor with respect to every leaf that requires it.

        Args:
            gradient: d(loss)/d(self), same shape as self; may be omitted for a scalar.
            retain_graph: keep the graph so backward can run through it again.
        """
        autograd.backward(self, gradient, retain_graph=retain_graph)

    def retain_grad(self) -> None:
        """Keep ``grad`` on this non-leaf tensor after backward."""
        autograd.retain_grad(self)

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> autograd.RemovableHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; see ``register_hook``.

        Args:
            hook: receives the gradient (self's shape); a tensor returned replaces it.

        Returns:
            A handle whose ``remove()`` takes the hook off.
        """
        return autograd.register_hook(self, hook)

    def detach(self) -> Tensor:
        """A new leaf sharing this tensor's data, cut from the graph."""
        return Tensor(self.array)

    def detach_(self) -> Tensor:
        """Cut this tensor from the graph in place; returns self."""
        self.grad_fn = None
        self.requires_grad = False
        return self

    def numpy(self) -> Array:
        """The data as a NumPy array, sharing memory.

        Raises:
            RuntimeError: if the tensor requires grad (call ``detach()`` first).
        """
        if self.requires_grad:
            raise RuntimeError(
                "numpy: can't call numpy() on a tensor that requires grad; "
                "use tensor.detach().numpy()"
            )
        return self.array

    def __array__(self, dtype: Any = None, copy: _bool | None = None) -> Array:
        if self.requires_grad:
            raise RuntimeError(
                "can't convert a tensor that requires grad to an array; use tensor.detach().numpy()"
            )
        if copy:
            return self.array.astype(dtype or self.array.dtype, copy=True)
        return self.array if dtype is None else self.array.astype(dtype, copy=False)

    def __format__(self, spec: str) -> str:
        if self.array.ndim == 0:
            return format(self.array.item(), spec)
        return format(repr(self), spec)

    def tolist(self) -> Any:
        """The data as (nested) Python lists of Python numbers."""
        return self.array.tolist()

    def item(self) -> Any:
        """The single value of a one-element tensor as a Python number.

        Raises:
            RuntimeError: if the tensor has more than one element.
        """
        if self.array.size != 1:
            raise RuntimeError(
                f"item: a Tensor with {self.array.size} elements cannot be converted to Scalar"
            )
        return self.array.item()

    def __float__(self) -> _float:
        return float(self.item())

    def __int__(self) -> _int:
        return int(self.item())

    def __index__(self) -> _int:
        if self.array.dtype.kind not in "iub" or self.array.size != 1:
            raise TypeError("only integer tensors of a single element can be an index")
        return int(self.array.item())

    def cuda(self, device: Any = None, non_blocking: _bool = False) -> Tensor:
        """Raises: there is no CUDA device (as PyTorch's CPU build)."""
        require_available("cuda" if device is None else device, "cuda")
        return self  # pragma: no cover - never reached

    def new_tensor(self, data: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
        """A new tensor from ``data`` with this tensor's dtype unless ``dtype`` is given."""
        return _new("new_tensor", xp.array(data), dtype or self.dtype, kwargs)

    def new_zeros(self, *size: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
        """Zeros of ``size`` with this tensor's dtype unless ``dtype`` is given."""
        return _new("new_zeros", xp.zeros(shape_arg(size)), dtype or self.dtype, kwargs)

    def new_ones(self, *size: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
        """Ones of ``size`` with this tensor's dtype unless ``dtype`` is given."""
        return _new("new_ones", xp.ones(shape_arg(size)), dtype or self.dtype, kwargs)

    def new_empty(self, *size: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
        """An uninitialised tensor of ``size`` (zeros here) with this tensor's dtype."""
        return _new("new_empty", xp.zeros(shape_arg(size)), dtype or self.dtype, kwargs)

    def new_full(self, size: Any, fill_value: Scalar, dtype: Any = None, **kwargs: Any) -> Tensor:
        """``fill_value`` in every element of ``size``, with this tensor's dtype by default."""
        return _new("new_full", xp.full(shape_arg(size), fill_value), dtype or self.dtype, kwargs)

    def cpu(self) -> Tensor:
        """This tensor (the NumPy backend keeps everything on the CPU)."""
        return self

    def __repr__(self) -> str:
        return _format.tensor_repr(self)

    def __pos__(self) -> Tensor:
        return self

    def is_contiguous(self) -> _bool:
        """True if the data is C-contiguous."""
        return bool(self.array.flags.c_contiguous)


def _legacy_array(args: tuple[Any, ...]) -> Array:
    """PyTorch's legacy ``Tensor(...)``: sizes give zeros, data a float32 copy.

    ``Tensor(2, 3)`` is (2, 3) (uninitialised in PyTorch, zeros here), ``Tensor([[1, 2]])``
    the float32 data, ``Tensor()`` an empty (0,) tensor; a 0-d or other array-like is
    converted as NumPy converts it.
    """
    if not args:
        return xp.zeros((0,), xp.float32)
    if all(isinstance(a, _int) and not isinstance(a, _bool) for a in args):
        return xp.zeros(args, xp.float32)
    if len(args) == 1 and isinstance(args[0], Size):
        return xp.zeros(tuple(args[0]), xp.float32)
    if len(args) == 1 and isinstance(args[0], list | tuple):
        return xp.array(args[0], dtype=xp.float32)
    if len(args) == 1:
        return xp.asarray(args[0])
    raise TypeError(f"Tensor(): expected sizes or one array-like, got {args!r}")


def _new(op: str, array: Array, dtype: Any, options: dict[str, Any]) -> Tensor:
    """A new tensor for the ``new_*`` methods: dtype, device and requires_grad applied."""
    unknown = set(options) - {"device", "requires_grad", "layout", "pin_memory"}
    if unknown:
        raise TypeError(f"{op}() got an unexpected keyword argument '{sorted(unknown)[0]}'")
    require_available(options.get("device"), op)
    out = Tensor(array.astype(as_dtype(dtype), copy=False))
    return out.requires_grad_(True) if options.get("requires_grad") else out


_new_object = object.__new__
_ndarray = xp.ndarray
_asarray = xp.asarray


def wrap(data: Array) -> Tensor:
    """A tensor around ``data`` that requires no grad: the fast constructor ops use."""
    t: Tensor = _new_object(Tensor)
    t.array = data if type(data) is _ndarray else _asarray(data)
    t.grad = t.grad_fn = None
    t.requires_grad = False
    return t


class MaxMin(NamedTuple):
    """The (values, indices) pair of ``max``/``min``/``sort`` along a dim."""

    values: Tensor
    indices: Tensor


# The one seam to the ops: they import Tensor from this module, so they load after it.
from scratchgrad import _format, autograd  # noqa: E402
from scratchgrad.ops.dims import shape_arg  # noqa: E402

bind_ops()  # the method modules (scratchgrad/tensor_methods/) get the ops they call
