"""Tensor: an array, whether it requires a gradient, its gradient, and the node that made it.

The class holds no math. Operators and methods dispatch to the ops in
``scratchgrad.ops``, each a :class:`scratchgrad.autograd.Function` whose forward and
backward sit side by side. Create tensors with :func:`scratchgrad.tensor`,
:func:`scratchgrad.zeros`, ...; ``Tensor(array)`` wraps an existing array as is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple, TypeAlias

from scratchgrad.backend import Array, xp
from scratchgrad.devices import CPU, device, is_device_like, require_available
from scratchgrad.dtypes import DType, as_dtype
from scratchgrad.size import Size

# Builtin names under other names: Tensor has methods called int, float and bool.
_int: TypeAlias = int
_float: TypeAlias = float
_bool: TypeAlias = bool
Scalar: TypeAlias = bool | int | float
Operand: TypeAlias = "Tensor | Scalar"
DimArg: TypeAlias = int | Sequence[int] | None


class Tensor:
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

    # ------------ elementwise: arithmetic, math, comparisons, in-place
    def to(self, *args: Any, dtype: Any = None, copy: _bool = False, **kwargs: Any) -> Tensor:
        """The tensor on a device and/or of a dtype, as ``torch.Tensor.to``.

        Takes ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)`` (other's
        dtype) and the keywords ``device``, ``dtype``, ``copy``, ``non_blocking``,
        ``memory_format``. Returns self when nothing changes and ``copy`` is False.

        Raises:
            RuntimeError: for a device other than the CPU.
        """
        for a in args:
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif is_device_like(a) or (isinstance(a, _int) and not isinstance(a, _bool)):
                require_available(a, "to")
            else:
                dtype = a
        if kwargs.get("device") is not None:
            require_available(kwargs["device"], "to")
        if dtype is None and not copy:
            return self
        return _elementwise.cast(self, as_dtype(dtype or self.dtype), copy=copy)

    def type(self, dtype: Any = None, non_blocking: _bool = False) -> Any:
        """Without ``dtype`` the type's name (``"torch.FloatTensor"``), else converted to it.

        ``dtype`` is a dtype or a name such as ``"torch.LongTensor"``.
        """
        if dtype is None:
            return _TENSOR_TYPES.get(self.dtype, f"torch.{self.dtype}Tensor")
        if isinstance(dtype, str) and dtype in _TENSOR_TYPE_DTYPES:
            dtype = _TENSOR_TYPE_DTYPES[dtype]
        return _elementwise.cast(self, as_dtype(dtype))

    def type_as(self, other: Tensor) -> Tensor:
        """The tensor converted to ``other``'s dtype."""
        return _elementwise.cast(self, other.dtype)

    def float(self) -> Tensor:
        """Converted to float32."""
        return _elementwise.cast(self, xp.dtype(xp.float32))

    def double(self) -> Tensor:
        """Converted to float64."""
        return _elementwise.cast(self, xp.dtype(xp.float64))

    def half(self) -> Tensor:
        """Converted to float16."""
        return _elementwise.cast(self, xp.dtype(xp.float16))

    def byte(self) -> Tensor:
        """Converted to uint8."""
        return _elementwise.cast(self, xp.dtype(xp.uint8))

    def char(self) -> Tensor:
        """Converted to int8."""
        return _elementwise.cast(self, xp.dtype(xp.int8))

    def short(self) -> Tensor:
        """Converted to int16."""
        return _elementwise.cast(self, xp.dtype(xp.int16))

    def bfloat16(self) -> Tensor:
        """Raises: scratchgrad has no bfloat16 dtype (NumPy has none)."""
        return _elementwise.cast(self, as_dtype("bfloat16"))

    def long(self) -> Tensor:
        """Converted to int64."""
        return _elementwise.cast(self, xp.dtype(xp.int64))

    def int(self) -> Tensor:
        """Converted to int32."""
        return _elementwise.cast(self, xp.dtype(xp.int32))

    def bool(self) -> Tensor:
        """Converted to bool."""
        return _elementwise.cast(self, xp.dtype(xp.bool_))

    def clone(self) -> Tensor:
        """A copy with its own memory, still in the graph."""
        return _elementwise.cast(self, self.array.dtype, copy=True)

    def __add__(self, other: Operand) -> Tensor:
        return _binary(Add, self, other)

    def __radd__(self, other: Operand) -> Tensor:
        return _binary(Add, other, self)

    def __sub__(self, other: Operand) -> Tensor:
        return _binary(Sub, self, other)

    def __rsub__(self, other: Operand) -> Tensor:
        return _binary(Sub, other, self)

    def __mul__(self, other: Operand) -> Tensor:
        return _binary(Mul, self, other)

    def __rmul__(self, other: Operand) -> Tensor:
        return _binary(Mul, other, self)

    def __truediv__(self, other: Operand) -> Tensor:
        return _elementwise.div(self, other)

    def __rtruediv__(self, other: Operand) -> Tensor:
        return _elementwise.div(other, self)

    def __floordiv__(self, other: Operand) -> Tensor:
        return _elementwise.floor_divide(self, other)

    def __rfloordiv__(self, other: Operand) -> Tensor:
        return _elementwise.floor_divide(other, self)

    def __mod__(self, other: Operand) -> Tensor:
        return _elementwise.remainder(self, other)

    def __rmod__(self, other: Operand) -> Tensor:
        return _elementwise.remainder(other, self)

    def __pow__(self, other: Operand) -> Tensor:
        return _elementwise.pow(self, other)

    def __rpow__(self, other: Operand) -> Tensor:
        return _elementwise.pow(other, self)

    def __neg__(self) -> Tensor:
        return _elementwise.neg(self)

    def __abs__(self) -> Tensor:
        return _elementwise.abs(self)

    def __invert__(self) -> Tensor:
        return _elementwise.bitwise_not(self)

    def __and__(self, other: Operand) -> Tensor:
        return _elementwise.bitwise_and(self, other)

    def __or__(self, other: Operand) -> Tensor:
        return _elementwise.bitwise_or(self, other)

    def __xor__(self, other: Operand) -> Tensor:
        return _elementwise.bitwise_xor(self, other)

    def __eq__(self, other: object) -> Tensor:  # type: ignore[override]
        return _elementwise.eq(self, other)  # type: ignore[arg-type]

    def __ne__(self, other: object) -> Tensor:  # type: ignore[override]
        return _elementwise.ne(self, other)  # type: ignore[arg-type]

    def __lt__(self, other: Operand) -> Tensor:
        return _elementwise.lt(self, other)

    def __le__(self, other: Operand) -> Tensor:
        return _elementwise.le(self, other)

    def __gt__(self, other: Operand) -> Tensor:
        return _elementwise.gt(self, other)

    def __ge__(self, other: Operand) -> Tensor:
        return _elementwise.ge(self, other)

    def __iadd__(self, other: Operand) -> Tensor:
        return _elementwise.inplace(self, _elementwise.add, other)

    def __isub__(self, other: Operand) -> Tensor:
        return _elementwise.inplace(self, _elementwise.sub, other)

    def __imul__(self, other: Operand) -> Tensor:
        return _elementwise.inplace(self, _elementwise.mul, other)

    def __itruediv__(self, other: Operand) -> Tensor:
        return _elementwise.inplace(self, _elementwise.div, other)

    def add(self, other: Operand, alpha: Scalar = 1) -> Tensor:
        """self + alpha * other, broadcast."""
        return _elementwise.add(self, other if alpha == 1 else _elementwise.mul(other, alpha))

    def sub(self, other: Operand, alpha: Scalar = 1) -> Tensor:
        """self - alpha * other, broadcast."""
        return _elementwise.sub(self, other if alpha == 1 else _elementwise.mul(other, alpha))

    def mul(self, other: Operand) -> Tensor:
        """Elementwise (Hadamard) product, broadcast."""
        return _elementwise.mul(self, other)

    def div(self, other: Operand, rounding_mode: str | None = None) -> Tensor:
        """Elementwise division; ``rounding_mode`` None, "trunc" or "floor"."""
        return _elementwise.div(self, other, rounding_mode=rounding_mode)

    def pow(self, exponent: Operand) -> Tensor:
        """Elementwise power."""
        return _elementwise.pow(self, exponent)

    def add_(self, other: Operand, alpha: Scalar = 1) -> Tensor:
        """In-place ``self += alpha * other``; returns self."""
        return _elementwise.inplace(
            self, _elementwise.add, other if alpha == 1 else _elementwise.mul(other, alpha)
        )

    def sub_(self, other: Operand, alpha: Scalar = 1) -> Tensor:
        """In-place ``self -= alpha * other``; returns self."""
        return _elementwise.inplace(
            self, _elementwise.sub, other if alpha == 1 else _elementwise.mul(other, alpha)
        )

    def mul_(self, other: Operand) -> Tensor:
        """In-place ``self *= other``; returns self."""
        return _elementwise.inplace(self, _elementwise.mul, other)

    def div_(self, other: Operand) -> Tensor:
        """In-place ``self /= other``; returns self."""
        return _elementwise.inplace(self, _elementwise.div, other)

    def pow_(self, exponent: Operand) -> Tensor:
        """In-place ``self **= exponent``; returns self."""
        return _elementwise.inplace(self, _elementwise.pow, exponent)

    def clamp_(self, min: Operand | None = None, max: Operand | None = None) -> Tensor:  # noqa: A002
        """In-place clamp; returns self."""
        return _elementwise.inplace(self, _elementwise.clamp, min, max)

    def zero_(self) -> Tensor:
        """Fill with zeros in place; returns self."""
        return _elementwise.fill_(self, 0)

    def fill_(self, value: Scalar) -> Tensor:
        """Fill with ``value`` in place; returns self."""
        return _elementwise.fill_(self, value)

    def copy_(self, src: Tensor) -> Tensor:
        """Copy ``src`` (broadcast) into self in place; returns self."""
        return _elementwise.copy_(self, src)

    def neg(self) -> Tensor:
        """-x."""
        return _elementwise.neg(self)

    def abs(self) -> Tensor:
        """|x|."""
        return _elementwise.abs(self)

    def exp(self) -> Tensor:
        """e**x."""
        return _elementwise.exp(self)

    def log(self) -> Tensor:
        """Natural logarithm."""
        return _elementwise.log(self)

    def log1p(self) -> Tensor:
        """log(1 + x), accurate for small x."""
        return _elementwise.log1p(self)

    def sqrt(self) -> Tensor:
        """Square root."""
        return _elementwise.sqrt(self)

    def rsqrt(self) -> Tensor:
        """1 / sqrt(x)."""
        return _elementwise.rsqrt(self)

    def sin(self) -> Tensor:
        """Sine."""
        return _elementwise.sin(self)

    def cos(self) -> Tensor:
        """Cosine."""
        return _elementwise.cos(self)

    def tanh(self) -> Tensor:
        """Hyperbolic tangent."""
        return _elementwise.tanh(self)

    def sign(self) -> Tensor:
        """-1, 0 or 1 by the sign of x."""
        return _elementwise.sign(self)

    def trunc(self) -> Tensor:
        """Round toward zero."""
        return _elementwise.trunc(self)

    def abs_(self) -> Tensor:
        """In-place abs; returns self."""
        return _elementwise.inplace(self, _elementwise.abs)

    def neg_(self) -> Tensor:
        """In-place negation; returns self."""
        return _elementwise.inplace(self, _elementwise.neg)

    def exp_(self) -> Tensor:
        """In-place e**x; returns self."""
        return _elementwise.inplace(self, _elementwise.exp)

    def log_(self) -> Tensor:
        """In-place natural log; returns self."""
        return _elementwise.inplace(self, _elementwise.log)

    def sqrt_(self) -> Tensor:
        """In-place square root; returns self."""
        return _elementwise.inplace(self, _elementwise.sqrt)

    def square_(self) -> Tensor:
        """In-place x**2; returns self."""
        return _elementwise.inplace(self, _elementwise.square)

    def tanh_(self) -> Tensor:
        """In-place tanh; returns self."""
        return _elementwise.inplace(self, _elementwise.tanh)

    def sigmoid_(self) -> Tensor:
        """In-place sigmoid; returns self."""
        return _elementwise.inplace(self, _neural.sigmoid)

    def relu_(self) -> Tensor:
        """In-place max(x, 0); returns self."""
        return _elementwise.inplace(self, _neural.relu)

    def trunc_(self) -> Tensor:
        """In-place rounding toward zero; returns self."""
        return _elementwise.inplace(self, _elementwise.trunc)

    def clip_(self, min: Operand | None = None, max: Operand | None = None) -> Tensor:  # noqa: A002
        """In-place clamp (``clip`` is its alias); returns self."""
        return _elementwise.inplace(self, _elementwise.clamp, min, max)

    def floor(self) -> Tensor:
        """Round down."""
        return _elementwise.floor(self)

    def ceil(self) -> Tensor:
        """Round up."""
        return _elementwise.ceil(self)

    def round(self, decimals: _int = 0) -> Tensor:
        """Round half to even, as PyTorch."""
        return _elementwise.round(self, decimals=decimals)

    def clamp(self, min: Operand | None = None, max: Operand | None = None) -> Tensor:  # noqa: A002
        """Limit values to [min, max]."""
        return _elementwise.clamp(self, min, max)

    def maximum(self, other: Tensor) -> Tensor:
        """Elementwise maximum."""
        return _elementwise.maximum(self, other)

    def minimum(self, other: Tensor) -> Tensor:
        """Elementwise minimum."""
        return _elementwise.minimum(self, other)

    def where(self, condition: Tensor, other: Operand) -> Tensor:
        """``self`` where condition is true, else ``other``."""
        return _elementwise.where(condition, self, other)

    def eq(self, other: Operand) -> Tensor:
        """Elementwise ==."""
        return _elementwise.eq(self, other)

    def ne(self, other: Operand) -> Tensor:
        """Elementwise !=."""
        return _elementwise.ne(self, other)

    def lt(self, other: Operand) -> Tensor:
        """Elementwise <."""
        return _elementwise.lt(self, other)

    def le(self, other: Operand) -> Tensor:
        """Elementwise <=."""
        return _elementwise.le(self, other)

    def gt(self, other: Operand) -> Tensor:
        """Elementwise >."""
        return _elementwise.gt(self, other)

    def ge(self, other: Operand) -> Tensor:
        """Elementwise >=."""
        return _elementwise.ge(self, other)

    def logical_and(self, other: Operand) -> Tensor:
        """Elementwise logical and (nonzero is true)."""
        return _elementwise.logical_and(self, other)

    def logical_or(self, other: Operand) -> Tensor:
        """Elementwise logical or."""
        return _elementwise.logical_or(self, other)

    def logical_xor(self, other: Operand) -> Tensor:
        """Elementwise logical xor."""
        return _elementwise.logical_xor(self, other)

    def logical_not(self) -> Tensor:
        """Elementwise logical not."""
        return _elementwise.logical_not(self)

    def isnan(self) -> Tensor:
        """True where NaN."""
        return _elementwise.isnan(self)

    def isfinite(self) -> Tensor:
        """True where neither NaN nor infinite."""
        return _elementwise.isfinite(self)

    def max(self, dim: _int | Tensor | None = None, keepdim: _bool = False) -> Any:
        """The maximum; with ``dim``, a (values, indices) pair; with a tensor, elementwise."""
        if isinstance(dim, Tensor):
            return _elementwise.maximum(self, dim)
        return _reduce.max(self, dim, keepdim)

    def min(self, dim: _int | Tensor | None = None, keepdim: _bool = False) -> Any:
        """The minimum; with ``dim``, a (values, indices) pair; with a tensor, elementwise."""
        if isinstance(dim, Tensor):
            return _elementwise.minimum(self, dim)
        return _reduce.min(self, dim, keepdim)

    def masked_fill_(self, mask: Tensor, value: Operand) -> Tensor:
        """In-place masked_fill; returns self."""
        return _elementwise.inplace(self, _index.masked_fill, mask, value)

    def tan(self) -> Tensor:
        """Tangent."""
        return _elementwise.tan(self)

    def asin(self) -> Tensor:
        """Inverse sine."""
        return _elementwise.asin(self)

    def acos(self) -> Tensor:
        """Inverse cosine."""
        return _elementwise.acos(self)

    def atan(self) -> Tensor:
        """Inverse tangent."""
        return _elementwise.atan(self)

    def sinh(self) -> Tensor:
        """Hyperbolic sine."""
        return _elementwise.sinh(self)

    def cosh(self) -> Tensor:
        """Hyperbolic cosine."""
        return _elementwise.cosh(self)

    def asinh(self) -> Tensor:
        """Inverse hyperbolic sine."""
        return _elementwise.asinh(self)

    def acosh(self) -> Tensor:
        """Inverse hyperbolic cosine."""
        return _elementwise.acosh(self)

    def atanh(self) -> Tensor:
        """Inverse hyperbolic tangent."""
        return _elementwise.atanh(self)

    def erf(self) -> Tensor:
        """The error function."""
        return _elementwise.erf(self)

    def erfc(self) -> Tensor:
        """1 - erf(x)."""
        return _elementwise.erfc(self)

    def erfinv(self) -> Tensor:
        """The inverse error function."""
        return _elementwise.erfinv(self)

    def exp2(self) -> Tensor:
        """2**x."""
        return _elementwise.exp2(self)

    def expm1(self) -> Tensor:
        """e**x - 1, accurate near 0."""
        return _elementwise.expm1(self)

    def log2(self) -> Tensor:
        """Base-2 logarithm."""
        return _elementwise.log2(self)

    def log10(self) -> Tensor:
        """Base-10 logarithm."""
        return _elementwise.log10(self)

    def logit(self, eps: _float | None = None) -> Tensor:
        """log(x / (1 - x)), x clamped to [eps, 1 - eps] when eps is given."""
        return _elementwise.logit(self, eps)

    def frac(self) -> Tensor:
        """x - trunc(x)."""
        return _elementwise.frac(self)

    def reciprocal(self) -> Tensor:
        """1 / x."""
        return _elementwise.reciprocal(self)

    def square(self) -> Tensor:
        """x * x."""
        return _elementwise.square(self)

    def nan_to_num(
        self, nan: _float = 0.0, posinf: _float | None = None, neginf: _float | None = None
    ) -> Tensor:
        """NaN, +inf and -inf replaced by finite values."""
        return _elementwise.nan_to_num(self, nan, posinf, neginf)

    def isinf(self) -> Tensor:
        """True where +inf or -inf."""
        return _elementwise.isinf(self)

    def isposinf(self) -> Tensor:
        """True where +inf."""
        return _elementwise.isposinf(self)

    def isneginf(self) -> Tensor:
        """True where -inf."""
        return _elementwise.isneginf(self)

    def atan2(self, other: Operand) -> Tensor:
        """The angle of the point (other, self), broadcast."""
        return _elementwise.atan2(self, other)

    def copysign(self, other: Operand) -> Tensor:
        """|self| with the sign of other, broadcast."""
        return _elementwise.copysign(self, other)

    def fmod(self, other: Operand) -> Tensor:
        """Remainder with self's sign (C's fmod), broadcast."""
        return _elementwise.fmod(self, other)

    def hypot(self, other: Operand) -> Tensor:
        """sqrt(self**2 + other**2), broadcast."""
        return _elementwise.hypot(self, other)

    def logaddexp(self, other: Operand) -> Tensor:
        """log(exp(self) + exp(other)), broadcast."""
        return _elementwise.logaddexp(self, other)

    def logaddexp2(self, other: Operand) -> Tensor:
        """log2(2**self + 2**other), broadcast."""
        return _elementwise.logaddexp2(self, other)

    def xlogy(self, other: Operand) -> Tensor:
        """self * log(other), 0 where self == 0, broadcast."""
        return _elementwise.xlogy(self, other)

    def lerp(self, end: Tensor, weight: Tensor | _float) -> Tensor:
        """self + weight * (end - self), broadcast."""
        return _elementwise.lerp(self, end, weight)

    def isclose(
        self, other: Tensor, rtol: _float = 1e-05, atol: _float = 1e-08, equal_nan: _bool = False
    ) -> Tensor:
        """True where |self - other| <= atol + rtol * |other|."""
        return _elementwise.isclose(self, other, rtol, atol, equal_nan)

    def allclose(
        self, other: Tensor, rtol: _float = 1e-05, atol: _float = 1e-08, equal_nan: _bool = False
    ) -> _bool:
        """Whether isclose holds everywhere."""
        return _elementwise.allclose(self, other, rtol, atol, equal_nan)

    def bitwise_and(self, other: Operand) -> Tensor:
        """Bitwise and (integer and bool tensors)."""
        return _elementwise.bitwise_and(self, other)

    def bitwise_or(self, other: Operand) -> Tensor:
        """Bitwise or."""
        return _elementwise.bitwise_or(self, other)

    def bitwise_xor(self, other: Operand) -> Tensor:
        """Bitwise xor."""
        return _elementwise.bitwise_xor(self, other)

    def bitwise_not(self) -> Tensor:
        """Bitwise not (logical not for bools)."""
        return _elementwise.bitwise_not(self)

    def bitwise_left_shift(self, other: Operand) -> Tensor:
        """self << other."""
        return _elementwise.bitwise_left_shift(self, other)

    def bitwise_right_shift(self, other: Operand) -> Tensor:
        """self >> other."""
        return _elementwise.bitwise_right_shift(self, other)

    def __rand__(self, other: Operand) -> Tensor:
        return _elementwise.bitwise_and(other, self)

    def __ror__(self, other: Operand) -> Tensor:
        return _elementwise.bitwise_or(other, self)

    def __rxor__(self, other: Operand) -> Tensor:
        return _elementwise.bitwise_xor(other, self)

    def __lshift__(self, other: Operand) -> Tensor:
        return _elementwise.bitwise_left_shift(self, other)

    def __rlshift__(self, other: Operand) -> Tensor:
        return _elementwise.bitwise_left_shift(other, self)

    def __rshift__(self, other: Operand) -> Tensor:
        return _elementwise.bitwise_right_shift(self, other)

    def __rrshift__(self, other: Operand) -> Tensor:
        return _elementwise.bitwise_right_shift(other, self)

    # ----------------------- reductions, statistics, sorting and scans
    def sum(self, dim: DimArg = None, keepdim: _bool = False, dtype: Any = None) -> Tensor:
        """Sum over ``dim`` (all dims when None)."""
        return _reduce.sum(self, dim, keepdim, dtype=dtype)

    def mean(self, dim: DimArg = None, keepdim: _bool = False, dtype: Any = None) -> Tensor:
        """Mean over ``dim`` (all dims when None)."""
        return _reduce.mean(self, dim, keepdim, dtype=dtype)

    def prod(self, dim: _int | None = None, keepdim: _bool = False, dtype: Any = None) -> Tensor:
        """Product over ``dim`` (all elements when None)."""
        return _reduce.prod(self, dim, keepdim, dtype=dtype)

    def argmax(self, dim: _int | None = None, keepdim: _bool = False) -> Tensor:
        """Index of the maximum (of the flattened tensor when ``dim`` is None)."""
        return _reduce.argmax(self, dim, keepdim)

    def argmin(self, dim: _int | None = None, keepdim: _bool = False) -> Tensor:
        """Index of the minimum (of the flattened tensor when ``dim`` is None)."""
        return _reduce.argmin(self, dim, keepdim)

    def var(self, dim: DimArg = None, *, correction: _int = 1, keepdim: _bool = False) -> Tensor:
        """Variance with Bessel's ``correction`` (1 = unbiased)."""
        return _reduce.var(self, dim, correction=correction, keepdim=keepdim)

    def std(self, dim: DimArg = None, *, correction: _int = 1, keepdim: _bool = False) -> Tensor:
        """Standard deviation with Bessel's ``correction``."""
        return _reduce.std(self, dim, correction=correction, keepdim=keepdim)

    def norm(self, p: Any = "fro", dim: DimArg = None, keepdim: _bool = False) -> Tensor:
        """Vector or Frobenius norm: p in 1, 2, inf, -inf, "fro", or any float."""
        return _reduce.norm(self, p, dim, keepdim)

    def logsumexp(self, dim: DimArg, keepdim: _bool = False) -> Tensor:
        """log(sum(exp(x))) over ``dim``, computed without overflow."""
        return _reduce.logsumexp(self, dim, keepdim)

    def cumsum(self, dim: _int) -> Tensor:
        """Running sum along ``dim``."""
        return _reduce.cumsum(self, dim)

    def any(self, dim: _int | None = None, keepdim: _bool = False) -> Tensor:
        """True if any element (along ``dim``) is nonzero."""
        return _reduce.any(self, dim, keepdim)

    def all(self, dim: _int | None = None, keepdim: _bool = False) -> Tensor:
        """True if every element (along ``dim``) is nonzero."""
        return _reduce.all(self, dim, keepdim)

    def amax(self, dim: DimArg = (), keepdim: _bool = False) -> Tensor:
        """The maximum over ``dim`` (all dims for ()); ties share the gradient."""
        return _reduce.amax(self, dim, keepdim)

    def amin(self, dim: DimArg = (), keepdim: _bool = False) -> Tensor:
        """The minimum over ``dim`` (all dims for ()); ties share the gradient."""
        return _reduce.amin(self, dim, keepdim)

    def aminmax(self, *, dim: _int | None = None, keepdim: _bool = False) -> Any:
        """(min, max) over ``dim`` (all elements when None), a named tuple."""
        return _reduce.aminmax(self, dim=dim, keepdim=keepdim)

    def sort(self, dim: _int = -1, descending: _bool = False, *, stable: _bool = False) -> MaxMin:
        """Sorted values and their indices along ``dim`` (stable)."""
        return _reduce.sort(self, dim, descending, stable=stable)

    def argsort(
        self, dim: _int = -1, descending: _bool = False, *, stable: _bool = False
    ) -> Tensor:
        """Indices that sort the tensor along ``dim`` (stable)."""
        return _reduce.argsort(self, dim, descending, stable=stable)

    def msort(self) -> Tensor:
        """Values sorted along dim 0."""
        return _reduce.msort(self)

    def topk(self, k: _int, dim: _int = -1, largest: _bool = True, sorted: _bool = True) -> MaxMin:
        """The k largest (or smallest) values along ``dim`` and their indices."""
        return _reduce.topk(self, k, dim, largest, sorted)

    def kthvalue(self, k: _int, dim: _int = -1, keepdim: _bool = False) -> MaxMin:
        """The k-th smallest value along ``dim`` and its index."""
        return _reduce.kthvalue(self, k, dim, keepdim)

    def median(self, dim: _int | None = None, keepdim: _bool = False) -> Any:
        """Lower median of all elements, or (values, indices) along ``dim``."""
        return _reduce.median(self, dim, keepdim)

    def mode(self, dim: _int = -1, keepdim: _bool = False) -> MaxMin:
        """Smallest most frequent value along ``dim`` and its last index."""
        return _reduce.mode(self, dim, keepdim)

    def unique(
        self,
        sorted: _bool = True,
        return_inverse: _bool = False,
        return_counts: _bool = False,
        dim: _int | None = None,
    ) -> Any:
        """Sorted distinct values, with inverse indices and counts on request."""
        return _reduce.unique(self, sorted, return_inverse, return_counts, dim)

    def nonzero(self, *, as_tuple: _bool = False) -> Any:
        """Indices of nonzero elements: (nnz, ndim), or a tuple of (nnz,) tensors."""
        return _reduce.nonzero(self, as_tuple=as_tuple)

    def cumprod(self, dim: _int, *, dtype: Any = None) -> Tensor:
        """Running product along ``dim``."""
        return _reduce.cumprod(self, dim, dtype=dtype)

    def cummax(self, dim: _int) -> MaxMin:
        """Running maximum along ``dim`` and its indices."""
        return _reduce.cummax(self, dim)

    def cummin(self, dim: _int) -> MaxMin:
        """Running minimum along ``dim`` and its indices."""
        return _reduce.cummin(self, dim)

    def logcumsumexp(self, dim: _int) -> Tensor:
        """log(cumsum(exp(x))) along ``dim``, without overflow."""
        return _reduce.logcumsumexp(self, dim)

    # ------------------------------- shape: views, joins and structure
    @property
    def T(self) -> Tensor:  # noqa: N802 - PyTorch's name
        """All dimensions reversed; for a matrix (M, N) -> (N, M)."""
        return _shape.permute(self, *range(self.ndim - 1, -1, -1))

    @property
    def mT(self) -> Tensor:  # noqa: N802 - PyTorch's name
        """The last two dimensions swapped: (..., M, N) -> (..., N, M)."""
        if self.array.ndim < 2:
            raise RuntimeError(
                f"tensor.mT is only supported on matrices or batches of matrices. "
                f"Got {self.array.ndim}-D tensor."
            )
        return _shape.transpose(self, -2, -1)

    def __iter__(self) -> Iterator[Tensor]:
        if self.array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(_shape.unbind(self, 0))

    def reshape(self, *shape: Any) -> Tensor:
        """Same data, new shape (one size may be -1); copies only when it must."""
        return _shape.reshape(self, *shape)

    def view_as(self, other: Tensor) -> Tensor:
        """Same data in ``other``'s shape (a view)."""
        return _shape.view(self, other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        """Same data in ``other``'s shape, copied only when it must be."""
        return _shape.reshape(self, other.shape)

    def t(self) -> Tensor:
        """The transpose of a matrix (a 0-d or 1-d tensor as it is)."""
        return _shape.t(self)

    def view(self, *shape: Any) -> Tensor:
        """Same data, new shape; fails when that needs a copy."""
        return _shape.view(self, *shape)

    def flatten(self, start_dim: _int = 0, end_dim: _int = -1) -> Tensor:
        """Merge dims start_dim..end_dim into one."""
        return _shape.flatten(self, start_dim, end_dim)

    def unflatten(self, dim: _int, sizes: Sequence[_int]) -> Tensor:
        """Split dim ``dim`` into ``sizes``."""
        return _shape.unflatten(self, dim, sizes)

    def squeeze(self, dim: DimArg = None) -> Tensor:
        """Remove dims of size 1 (only ``dim`` if given)."""
        return _shape.squeeze(self, dim)

    def unsqueeze(self, dim: _int) -> Tensor:
        """Insert a dim of size 1 at ``dim``."""
        return _shape.unsqueeze(self, dim)

    def transpose(self, dim0: _int, dim1: _int) -> Tensor:
        """Swap two dims."""
        return _shape.transpose(self, dim0, dim1)

    def permute(self, *dims: Any) -> Tensor:
        """Reorder dims."""
        return _shape.permute(self, *dims)

    def expand(self, *sizes: Any) -> Tensor:
        """Broadcast to ``sizes`` without copying; -1 keeps a size."""
        return _shape.expand(self, *sizes)

    def expand_as(self, other: Tensor) -> Tensor:
        """Broadcast to ``other``'s shape."""
        return _shape.expand(self, *other.shape)

    def broadcast_to(self, shape: Sequence[_int]) -> Tensor:
        """Broadcast to ``shape``."""
        return _shape.broadcast_to(self, shape)

    def repeat(self, *sizes: Any) -> Tensor:
        """Tile the tensor ``sizes`` times along each dim."""
        return _shape.repeat(self, *sizes)

    def tile(self, dims: Sequence[_int]) -> Tensor:
        """Like ``repeat``; missing leading dims count as 1."""
        return _shape.tile(self, dims)

    def flip(self, dims: Sequence[_int]) -> Tensor:
        """Reverse the order along ``dims``."""
        return _shape.flip(self, dims)

    def roll(self, shifts: _int | Sequence[_int], dims: DimArg = None) -> Tensor:
        """Rotate elements along ``dims`` (flattened when None)."""
        return _shape.roll(self, shifts, dims)

    def contiguous(self) -> Tensor:
        """A C-contiguous tensor with the same values."""
        return _shape.contiguous(self)

    def narrow(self, dim: _int, start: _int, length: _int) -> Tensor:
        """The slice start:start+length along ``dim`` (a view)."""
        return _shape.narrow(self, dim, start, length)

    def select(self, dim: _int, index: _int) -> Tensor:
        """The slice at ``index`` along ``dim``, that dim removed (a view)."""
        return _shape.select(self, dim, index)

    def split(
        self, split_size_or_sections: _int | Sequence[_int], dim: _int = 0
    ) -> tuple[Tensor, ...]:
        """Pieces of ``split_size`` (or the listed sizes) along ``dim``."""
        return _shape.split(self, split_size_or_sections, dim)

    def chunk(self, chunks: _int, dim: _int = 0) -> tuple[Tensor, ...]:
        """At most ``chunks`` near-equal pieces along ``dim``."""
        return _shape.chunk(self, chunks, dim)

    def unbind(self, dim: _int = 0) -> tuple[Tensor, ...]:
        """The slices along ``dim``, with that dim removed."""
        return _shape.unbind(self, dim)

    def tril(self, diagonal: _int = 0) -> Tensor:
        """The lower triangle of each matrix (..., M, N); entries above ``diagonal`` zeroed."""
        return _shape.tril(self, diagonal)

    def triu(self, diagonal: _int = 0) -> Tensor:
        """The upper triangle of each matrix (..., M, N); entries below ``diagonal`` zeroed."""
        return _shape.triu(self, diagonal)

    def diagonal(self, offset: _int = 0, dim1: _int = 0, dim2: _int = 1) -> Tensor:
        """The ``offset`` diagonal of dims (dim1, dim2), as the last dim (a view)."""
        return _shape.diagonal(self, offset, dim1, dim2)

    def diag(self, diagonal: _int = 0) -> Tensor:
        """1-d: a matrix with self on a diagonal; 2-d: that diagonal as 1-d."""
        return _shape.diag(self, diagonal)

    def diag_embed(self, offset: _int = 0, dim1: _int = -2, dim2: _int = -1) -> Tensor:
        """Matrices whose ``offset`` diagonal is self's last dim."""
        return _shape.diag_embed(self, offset, dim1, dim2)

    def trace(self) -> Tensor:
        """The sum of a matrix's main diagonal."""
        return _shape.trace(self)

    def kron(self, other: Tensor) -> Tensor:
        """The Kronecker product."""
        return _shape.kron(self, other)

    def cross(self, other: Tensor, dim: _int | None = None) -> Tensor:
        """Cross product of 3-vectors along ``dim`` (the first dim of size 3 when None)."""
        return _shape.cross(self, other, dim)

    def unfold(self, dimension: _int, size: _int, step: _int) -> Tensor:
        """Windows of ``size`` every ``step`` along ``dimension``, as a new last dim (a view)."""
        return _shape.unfold(self, dimension, size, step)

    def repeat_interleave(
        self, repeats: Any = None, dim: _int | None = None, *, output_size: _int | None = None
    ) -> Tensor:
        """Each element (slice along ``dim``) repeated ``repeats`` times, in place."""
        return _shape.repeat_interleave(self, repeats, dim, output_size=output_size)

    def movedim(self, source: Any, destination: Any) -> Tensor:
        """Dims ``source`` moved to ``destination`` (a view)."""
        return _shape.movedim(self, source, destination)

    def swapaxes(self, axis0: _int, axis1: _int) -> Tensor:
        """Two dims swapped (a view)."""
        return _shape.swapaxes(self, axis0, axis1)

    # ------------------------------------ indexing, gather and scatter
    def __getitem__(self, index: Any) -> Tensor:
        return _index.getitem(self, index)

    def __setitem__(self, index: Any, value: Operand) -> None:
        _index.setitem(self, index, value)

    def gather(self, dim: _int, index: Tensor) -> Tensor:
        """out[i][j] = self[index[i][j]][j] for dim 0, and so on."""
        return _index.gather(self, dim, index)

    def scatter(self, dim: _int, index: Tensor, src: Operand) -> Tensor:
        """A copy with ``src`` written at ``index`` along ``dim``."""
        return _index.scatter(self, dim, index, src)

    def scatter_add(self, dim: _int, index: Tensor, src: Tensor) -> Tensor:
        """A copy with ``src`` added at ``index`` along ``dim``."""
        return _index.scatter_add(self, dim, index, src)

    def index_select(self, dim: _int, index: Tensor) -> Tensor:
        """The entries at ``index`` (1-d integer) along ``dim``."""
        return _index.index_select(self, dim, index)

    def masked_fill(self, mask: Tensor, value: Operand) -> Tensor:
        """A copy with ``value`` where ``mask`` (broadcast) is true."""
        return _index.masked_fill(self, mask, value)

    def take_along_dim(self, indices: Tensor, dim: _int | None = None) -> Tensor:
        """Values at ``indices`` along ``dim`` (flattened when None)."""
        return _index.take_along_dim(self, indices, dim)

    def take(self, index: Tensor) -> Tensor:
        """Entries of the flattened tensor at ``index`` (int64, any shape)."""
        return _index.take(self, index)

    def scatter_reduce(
        self, dim: _int, index: Tensor, src: Tensor, reduce: str, *, include_self: _bool = True
    ) -> Tensor:
        """A copy with ``src`` reduced in at ``index`` along ``dim`` (sum/prod/mean/amax/amin)."""
        return _index.scatter_reduce(self, dim, index, src, reduce, include_self=include_self)

    def scatter_reduce_(
        self, dim: _int, index: Tensor, src: Tensor, reduce: str, *, include_self: _bool = True
    ) -> Tensor:
        """In-place scatter_reduce; returns self."""
        return _index.scatter_reduce_(self, dim, index, src, reduce, include_self=include_self)

    def index_add(self, dim: _int, index: Tensor, source: Tensor, *, alpha: Scalar = 1) -> Tensor:
        """A copy with ``alpha * source`` added at ``index`` along ``dim``."""
        return _index.index_add(self, dim, index, source, alpha=alpha)

    def index_add_(self, dim: _int, index: Tensor, source: Tensor, *, alpha: Scalar = 1) -> Tensor:
        """In-place index_add; returns self."""
        return _index.index_add_(self, dim, index, source, alpha=alpha)

    def index_copy(self, dim: _int, index: Tensor, source: Tensor) -> Tensor:
        """A copy with the slices of ``source`` written at ``index`` along ``dim``."""
        return _index.index_copy(self, dim, index, source)

    def index_copy_(self, dim: _int, index: Tensor, source: Tensor) -> Tensor:
        """In-place index_copy; returns self."""
        return _index.index_copy_(self, dim, index, source)

    def index_fill(self, dim: _int, index: Tensor, value: Operand) -> Tensor:
        """A copy with ``value`` at ``index`` along ``dim``."""
        return _index.index_fill(self, dim, index, value)

    def index_fill_(self, dim: _int, index: Tensor, value: Operand) -> Tensor:
        """In-place index_fill; returns self."""
        return _index.index_fill_(self, dim, index, value)

    # -------------------------------------------------- linear algebra
    def __matmul__(self, other: Tensor) -> Tensor:
        return _linalg.matmul(self, other)

    def __rmatmul__(self, other: Tensor) -> Tensor:
        return _linalg.matmul(other, self)

    def mm(self, other: Tensor) -> Tensor:
        """Matrix product of two matrices: (n, m) @ (m, p) -> (n, p)."""
        return _linalg.mm(self, other)

    def addmm(self, m1: Tensor, m2: Tensor, *, beta: Scalar = 1, alpha: Scalar = 1) -> Tensor:
        """beta * self + alpha * (m1 @ m2)."""
        return _linalg.addmm(self, m1, m2, beta=beta, alpha=alpha)

    def matmul(self, other: Tensor) -> Tensor:
        """Matrix product with broadcast batch dims (``@``)."""
        return _linalg.matmul(self, other)

    def dot(self, other: Tensor) -> Tensor:
        """Inner product of two 1-d tensors."""
        return _linalg.dot(self, other)

    def outer(self, other: Tensor) -> Tensor:
        """Outer product of two 1-d tensors: (M,), (N,) -> (M, N)."""
        return _linalg.outer(self, other)

    # ----------------------------------------- activations and softmax
    def sigmoid(self) -> Tensor:
        """1 / (1 + e**-x)."""
        return _neural.sigmoid(self)

    def relu(self) -> Tensor:
        """max(x, 0)."""
        return _neural.relu(self)

    # ------------------------------------------------- random sampling
    def normal_(self, mean: _float = 0.0, std: _float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with N(mean, std^2) draws in place."""
        return _sampling.normal_(self, mean, std, generator=generator)

    def uniform_(self, from_: _float = 0.0, to: _float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with U[from_, to) draws in place."""
        return _sampling.uniform_(self, from_, to, generator=generator)

    def exponential_(self, lambd: _float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with Exponential(lambd) draws in place."""
        return _sampling.exponential_(self, lambd, generator=generator)

    def random_(
        self, from_: _int | None = None, to: _int | None = None, *, generator: Any = None
    ) -> Tensor:
        """Fill with integers drawn uniformly in place: [0, from_) or [from_, to)."""
        return _sampling.random_(self, from_, to, generator=generator)

    def bernoulli_(self, p: _float | Tensor = 0.5, *, generator: Any = None) -> Tensor:
        """Fill with 0/1 draws in place, 1 with probability p."""
        return _sampling.bernoulli_(self, p, generator=generator)

    def geometric_(self, p: _float, *, generator: Any = None) -> Tensor:
        """Fill with Geometric(p) draws (trials to the first success) in place."""
        return _sampling.geometric_(self, p, generator=generator)

    def bernoulli(self, p: _float | None = None, *, generator: Any = None) -> Tensor:
        """0/1 draws, 1 with probability self (or p)."""
        return _sampling.bernoulli(self, p, generator=generator)

    def multinomial(
        self, num_samples: _int, replacement: _bool = False, *, generator: Any = None
    ) -> Tensor:
        """Category indices drawn from rows of weights: (C,) or (N, C) -> (..., num_samples)."""
        return _sampling.multinomial(self, num_samples, replacement, generator=generator)

    # --------------------- PyTorch's other names for the methods above
    clip = clamp
    moveaxis = movedim
    swapdims = swapaxes
    arcsin, arccos, arctan = asin, acos, atan
    arcsinh, arccosh, arctanh = asinh, acosh, atanh
    arctan2 = atan2


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


# torch's legacy tensor type names: x.type() -> "torch.FloatTensor"
_TENSOR_TYPES = {
    xp.dtype(xp.float32): "torch.FloatTensor",
    xp.dtype(xp.float64): "torch.DoubleTensor",
    xp.dtype(xp.float16): "torch.HalfTensor",
    xp.dtype(xp.int64): "torch.LongTensor",
    xp.dtype(xp.int32): "torch.IntTensor",
    xp.dtype(xp.int16): "torch.ShortTensor",
    xp.dtype(xp.int8): "torch.CharTensor",
    xp.dtype(xp.uint8): "torch.ByteTensor",
    xp.dtype(xp.bool_): "torch.BoolTensor",
}
_TENSOR_TYPE_DTYPES = {name: d for d, name in _TENSOR_TYPES.items()}


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
from scratchgrad import sampling as _sampling  # noqa: E402
from scratchgrad.ops import elementwise as _elementwise  # noqa: E402
from scratchgrad.ops import index as _index  # noqa: E402
from scratchgrad.ops import linalg as _linalg  # noqa: E402
from scratchgrad.ops import neural as _neural  # noqa: E402
from scratchgrad.ops import reduce as _reduce  # noqa: E402
from scratchgrad.ops import shape as _shape  # noqa: E402
from scratchgrad.ops.dims import shape_arg  # noqa: E402
from scratchgrad.ops.elementwise._dispatch import _binary  # noqa: E402
from scratchgrad.ops.elementwise.arithmetic import Add, Mul, Sub  # noqa: E402
