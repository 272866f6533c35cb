"""PyTorch's ``torch.save`` files (zip format, torch >= 1.6), read without running their code.

Such a ``.pt``/``.pth`` file is a zip archive: ``<archive>/data.pkl`` pickles the saved
object, its tensors refer to raw byte records ``<archive>/data/<key>``, and
``<archive>/byteorder`` says how those bytes are ordered. A pickle is a small program
that can call any function (``os.system``), so this reader does what
``torch.load(weights_only=True)`` does, more strictly: its unpickler resolves only the
few globals a state dict or a training checkpoint uses, each to a constructor of ours
(never to torch's function, never to the global it names), refuses every other global by
name, and receives storages only through ``persistent_load``, read from the zip into
NumPy arrays. Whatever comes out is made of dicts, lists, tuples, sets, numbers,
strings, bytes and Tensors.

Tensors that shared a storage in torch (views, tied weights) come back as separate
copies. Tensors saved on a GPU need ``map_location="cpu"``, as in torch on a machine
without one.
"""

from __future__ import annotations

import inspect
import io
import os
import pickle
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from typing import IO, Any, Literal

import numpy as np

from scratchgrad._map_location import MapLocation, restore_location
from scratchgrad.backend import Array
from scratchgrad.errors import ReportedLoadError, ReportedLoadTypeError, UnsafeCheckpointError
from scratchgrad.nn.parameter import Parameter
from scratchgrad.tensor import Tensor


# ---------------------------------------------------------------- what the pickle may name
class _Sealed:
    """An object the unpickler hands out: no attributes to set, no hash, no BUILD."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]  # keeps it out of sets and dict keys

    def __setstate__(self, state: object) -> None:
        raise UnsafeCheckpointError(
            f"the pickle tries to set the state of a {type(self).__name__.lstrip('_')}"
        )


class _StorageType(_Sealed):
    """``torch.FloatStorage`` and its kin: the dtype of a storage's bytes."""

    __slots__ = ("dtype", "torch_name")

    def __init__(self, torch_name: str, dtype: str | None) -> None:
        self.torch_name = torch_name
        self.dtype = None if dtype is None else np.dtype(dtype)


class _TensorType(_Sealed):
    """``torch.Tensor`` or ``torch.nn.Parameter`` named as a type."""

    __slots__ = ("parameter",)

    def __init__(self, parameter: bool) -> None:
        self.parameter = parameter


class _Storage(_Sealed):
    """A storage read from the zip: a flat, native-order array of its dtype."""

    __slots__ = ("array",)

    def __init__(self, array: Array) -> None:
        self.array = array


class _TensorRecord(_Sealed):
    """A rebuilt tensor, made into a Tensor once the whole pickle is read."""

    __slots__ = ("array", "parameter", "requires_grad")

    def __init__(self, array: Array, requires_grad: bool, parameter: bool = False) -> None:
        self.array, self.requires_grad, self.parameter = array, requires_grad, parameter


class _SafeGlobal(_Sealed):
    """One of our constructors, standing for the global of the same name in the pickle."""

    __slots__ = ("fn", "torch_name")

    def __init__(self, torch_name: str, fn: Callable[..., Any]) -> None:
        self.torch_name, self.fn = torch_name, fn

    def __call__(self, *args: Any) -> Any:
        try:
            inspect.signature(self.fn).bind(*args)
        except TypeError as e:
            raise ValueError(f"{self.torch_name} called with {len(args)} arguments: {e}") from e
        return self.fn(*args)


def _ints(value: object, what: str) -> tuple[int, ...]:
    if not isinstance(value, tuple | list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value
    ):
        raise ValueError(f"tensor {what} {value!r} is not a tuple of non-negative ints")
    return tuple(value)


def _rebuild_tensor_v2(
    storage: object,
    storage_offset: object,
    size: object,
    stride: object,
    requires_grad: object,
    backward_hooks: object,
    metadata: object = None,
) -> _TensorRecord:
    """torch._utils._rebuild_tensor_v2: a view of a storage, here copied out of it."""
    if not isinstance(storage, _Storage):
        raise ValueError(f"a tensor's storage is a {type(storage).__name__}")
    (offset,) = _ints((storage_offset,), "offset")
    shape, steps = _ints(size, "size"), _ints(stride, "stride")
    flat = storage.array
    if len(steps) != len(shape):
        raise ValueError(f"tensor size {shape} and stride {steps} differ in length")
    if 0 in shape:
        return _TensorRecord(np.empty(shape, flat.dtype), bool(requires_grad))
    last = offset + sum((n - 1) * s for n, s in zip(shape, steps, strict=True))
    if last >= flat.size:
        raise ValueError(
            f"tensor of size {shape}, stride {steps}, offset {offset} reads past its "
            f"storage of {flat.size} elements"
        )
    view = np.lib.stride_tricks.as_strided(
        flat[offset:], shape=shape, strides=tuple(s * flat.itemsize for s in steps)
    )
    return _TensorRecord(view.copy(), bool(requires_grad))


def _rebuild_parameter(data: object, requires_grad: object, backward_hooks: object) -> Any:
    """torch._utils._rebuild_parameter: mark a rebuilt tensor as a Parameter."""
    if not isinstance(data, _TensorRecord):
        raise ValueError(f"a Parameter's data is a {type(data).__name__}")
    return _TensorRecord(data.array, bool(requires_grad), parameter=True)


def _rebuild_parameter_with_state(
    data: object, requires_grad: object, backward_hooks: object, state: object
) -> Any:
    """torch._utils._rebuild_parameter_with_state: a Parameter; its Python attributes dropped."""
    return _rebuild_parameter(data, requires_grad, backward_hooks)


def _rebuild_from_type_v2(func: object, new_type: object, args: object, state: object) -> Any:
    """torch._tensor._rebuild_from_type_v2: a tensor with Python attributes (dropped)."""
    if not isinstance(func, _SafeGlobal) or not isinstance(new_type, _TensorType):
        raise ValueError("_rebuild_from_type_v2 with an unexpected function or type")
    if not isinstance(args, tuple):
        raise ValueError("_rebuild_from_type_v2 without an argument tuple")
    record = func(*args)
    if not isinstance(record, _TensorRecord):
        raise ValueError("_rebuild_from_type_v2 did not rebuild a tensor")
    if new_type.parameter:
        return _TensorRecord(record.array, record.requires_grad, parameter=True)
    return record


def _size(dims: object) -> tuple[int, ...]:
    """torch.Size(dims): a tuple of ints."""
    return _ints(dims, "size")


def _device(kind: object, index: object = None) -> str:
    """torch.device(kind[, index]): the device string (scratchgrad's devices are strings)."""
    if not isinstance(kind, str) or not (index is None or isinstance(index, int)):
        raise ValueError(f"torch.device({kind!r}, {index!r})")
    return kind if index is None else f"{kind}:{index}"


def _encode(text: object, encoding: object = "latin1") -> bytes:
    """_codecs.encode, as protocol 2 pickles bytes: only str in latin-1."""
    if not isinstance(text, str) or encoding not in ("latin1", "latin-1"):
        raise ValueError(f"_codecs.encode({type(text).__name__}, {encoding!r})")
    return text.encode("latin1")


def _ordered_dict(*items: object) -> OrderedDict[Any, Any]:
    """collections.OrderedDict(): empty; the pickle then adds the items."""
    if items:
        raise ValueError("OrderedDict with arguments")
    return OrderedDict()


def _bytes(*args: object) -> bytes:
    """builtins.bytes(), as protocol 2 pickles empty bytes (others go through _codecs)."""
    if args:
        raise ValueError("bytes with arguments")
    return b""


def _set(items: object = ()) -> set[Any]:
    """builtins.set(items) from a list or tuple, as protocol 2 pickles sets."""
    if not isinstance(items, list | tuple):
        raise ValueError(f"set from a {type(items).__name__}")
    return set(items)


_STORAGES = {
    "FloatStorage": "f4",
    "DoubleStorage": "f8",
    "HalfStorage": "f2",
    "LongStorage": "i8",
    "IntStorage": "i4",
    "ShortStorage": "i2",
    "CharStorage": "i1",
    "ByteStorage": "u1",
    "BoolStorage": "?",
    "UInt16Storage": "u2",
    "UInt32Storage": "u4",
    "UInt64Storage": "u8",
    # no NumPy dtype, or none scratchgrad supports: named in the error when used
    "BFloat16Storage": None,
    "ComplexHalfStorage": None,
    "ComplexFloatStorage": None,
    "ComplexDoubleStorage": None,
}

ALLOWED_GLOBALS: dict[str, object] = {
    "torch._utils._rebuild_tensor_v2": _SafeGlobal("_rebuild_tensor_v2", _rebuild_tensor_v2),
    "torch._utils._rebuild_parameter": _SafeGlobal("_rebuild_parameter", _rebuild_parameter),
    "torch._utils._rebuild_parameter_with_state": _SafeGlobal(
        "_rebuild_parameter_with_state", _rebuild_parameter_with_state
    ),
    "torch._tensor._rebuild_from_type_v2": _SafeGlobal(
        "_rebuild_from_type_v2", _rebuild_from_type_v2
    ),
    "torch.Tensor": _TensorType(parameter=False),
    "torch.nn.parameter.Parameter": _TensorType(parameter=True),
    "torch.Size": _SafeGlobal("torch.Size", _size),
    "torch.device": _SafeGlobal("torch.device", _device),
    "collections.OrderedDict": _SafeGlobal("OrderedDict", _ordered_dict),
    "builtins.set": _SafeGlobal("set", _set),
    "builtins.bytes": _SafeGlobal("bytes", _bytes),
    "_codecs.encode": _SafeGlobal("_codecs.encode", _encode),
    **{f"torch.{name}": _StorageType(name, dtype) for name, dtype in _STORAGES.items()},
}
"""Every global a checkpoint may name, ``module.name`` -> the object of ours it becomes."""


# ---------------------------------------------------------------- the archive
class _Archive:
    """The zip's records: the pickle, the byte order, and the storages, each read once."""

    def __init__(self, zf: zipfile.ZipFile, name: str, map_location: MapLocation) -> None:
        self.zf, self.name, self.map_location = zf, name, map_location
        self.prefix = _prefix(zf, name)
        order = self.read("byteorder", missing=b"little")
        if order not in (b"little", b"big"):
            raise ValueError(f"unknown byte order {order!r}")
        self.order: Literal["<", ">"] = "<" if order == b"little" else ">"
        self.storages: dict[str, _Storage] = {}

    def read(self, record: str, missing: bytes | None = None) -> bytes:
        try:
            return self.zf.read(self.prefix + record)
        except KeyError:
            if missing is None:
                raise ValueError(f"the record {self.prefix + record} is missing") from None
            return missing

    def storage(self, pid: object) -> _Storage:
        """persistent_load: ``("storage", storage type, key, location, numel)``."""
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"):
            raise UnsafeCheckpointError(f"load: {self.name}: unexpected persistent id {pid!r}")
        _, kind, key, location, numel = pid
        if not isinstance(kind, _StorageType) or not isinstance(key, str):
            raise ValueError(f"malformed storage reference {pid!r}")
        if key not in self.storages:
            self.storages[key] = self._read_storage(kind, key, location, numel)
        return self.storages[key]

    def _read_storage(
        self, kind: _StorageType, key: str, location: object, numel: object
    ) -> _Storage:
        if kind.dtype is None:
            raise ReportedLoadTypeError(
                f"load: {self.name} holds a {kind.torch_name}, a dtype scratchgrad has no "
                "NumPy type for; convert it in torch (e.g. .float()) before saving"
            )
        if not isinstance(location, str) or not isinstance(numel, int):
            raise ValueError(f"malformed storage reference for data/{key}")
        raw = self.read(f"data/{key}")
        dtype = kind.dtype.newbyteorder(self.order)
        if len(raw) < numel * dtype.itemsize:
            raise ValueError(
                f"data/{key} holds {len(raw)} bytes, fewer than {numel} x {dtype.itemsize}"
            )
        flat = np.frombuffer(raw, dtype, count=numel).astype(dtype.newbyteorder("="))
        return _Storage(restore_location(flat, location, self.map_location, self.name))


def _prefix(zf: zipfile.ZipFile, name: str) -> str:
    """``archive/`` for ``archive/data.pkl``: the folder every record of the file is in."""
    pickles = [n for n in zf.namelist() if n.endswith("/data.pkl") and n.count("/") == 1]
    if len(pickles) != 1:
        raise ValueError(f"a zip archive without one <archive>/data.pkl ({len(pickles)} found)")
    prefix = pickles[0][: -len("data.pkl")]
    if any(n.startswith(prefix + "code/") for n in zf.namelist()):
        raise ValueError("a TorchScript archive (torch.jit.save), which holds code, not data")
    return prefix


class _Unpickler(pickle.Unpickler):
    """The pickle protocol with every global looked up in ``ALLOWED_GLOBALS`` only."""

    def __init__(self, data: bytes, archive: _Archive) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8")
        self.archive = archive

    def find_class(self, module: str, name: str) -> Any:
        """The safe stand-in for ``module.name``; refuses a global outside the allow-list."""
        if module == "__builtin__":  # protocol 2 writes Python 2's name for builtins
            module = "builtins"
        found = ALLOWED_GLOBALS.get(f"{module}.{name}")
        if found is None:
            raise UnsafeCheckpointError(
                f"load: {self.archive.name} refers to the global {module}.{name}, which a "
                "weights file does not need; scratchgrad never runs code from a checkpoint "
                "(whatever weights_only says), so it is refused"
            )
        return found

    def persistent_load(self, pid: Any) -> Any:
        """A storage, read from the zip record its id names."""
        return self.archive.storage(pid)


# ---------------------------------------------------------------- the result
def _finish(obj: Any, seen: dict[int, Any]) -> Any:
    """``obj`` with every tensor record made a Tensor; lists and dicts changed in place."""
    if id(obj) in seen:
        return seen[id(obj)]
    if isinstance(obj, _TensorRecord):
        kind = Parameter if obj.parameter else Tensor
        made = kind(obj.array, requires_grad=obj.requires_grad)
        seen[id(obj)] = made
        return made
    if isinstance(obj, _Sealed):
        raise ValueError(f"the pickle leaves a {type(obj).__name__.lstrip('_')} in the data")
    seen[id(obj)] = obj
    if isinstance(obj, list):
        obj[:] = [_finish(v, seen) for v in obj]
    elif isinstance(obj, dict):
        for k, v in obj.items():
            obj[k] = _finish(v, seen)
    elif isinstance(obj, tuple):
        seen[id(obj)] = tuple(_finish(v, seen) for v in obj)
    return seen[id(obj)]


def load_torch_checkpoint(
    f: str | os.PathLike[str] | IO[bytes], map_location: MapLocation = None, name: str = ""
) -> Any:
    """The object a ``torch.save`` file holds, with torch tensors as scratchgrad Tensors.

    Args:
        f: the path of a file ``torch.save`` wrote (torch >= 1.6's zip format), or a
            binary file object positioned at its start.
        map_location: see :func:`restore_location`; tensors saved on a GPU need ``"cpu"``.
        name: how to name the file in errors (default: the path).

    Returns:
        The saved object: dicts (``OrderedDict`` for a state dict), lists, tuples,
        numbers, strings and Tensors (Parameters where torch saved Parameters).

    Raises:
        UnsafeCheckpointError: if the pickle names any global outside ``ALLOWED_GLOBALS``
            (``os.system``, ``builtins.eval``, a model class): nothing it names is run.
        ValueError: for a file that is not a valid torch checkpoint (truncated, corrupted).
        TypeError: for a tensor of a dtype NumPy has no type for (bfloat16, complex).
        RuntimeError: for tensors that would go to a GPU (see ``map_location``).
    """
    name = name or (os.fspath(f) if isinstance(f, str | os.PathLike) else "<file>")
    try:
        with zipfile.ZipFile(f) as zf:
            archive = _Archive(zf, name, map_location)
            raw = _Unpickler(archive.read("data.pkl"), archive).load()
            return _finish(raw, {})
    except (UnsafeCheckpointError, ReportedLoadError):
        raise
    except Exception as e:  # a corrupted pickle fails in many ways; all of them mean this
        raise ValueError(
            f"load: {name} is not a valid PyTorch checkpoint: {type(e).__name__}: {e}"
        ) from e


__all__ = ["ALLOWED_GLOBALS", "UnsafeCheckpointError", "load_torch_checkpoint"]
