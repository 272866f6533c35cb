"""``save`` and ``load`` as PyTorch's, in the safetensors format: nothing is executed on load.

A flat ``name -> tensor`` dict (a state dict) is written as a plain safetensors file:
``safetensors.torch`` reads what :func:`save` writes, and :func:`load` reads what
``safetensors.torch.save_file`` writes. Anything else a PyTorch program saves (a
checkpoint dict with model and optimizer state, the epoch, a list of tensors) is the same
file with its structure added to the header metadata as a JSON tree (see
``scratchgrad._object_tree``). PyTorch's own save format holds serialized Python objects,
whose loading could run code, so :func:`load` refuses it and says how to convert such a
file to safetensors.

Saving to a path writes a temporary file next to the target and renames it into place,
so an interrupted save leaves any previous file intact.

>>> import tempfile, pathlib
>>> import scratchgrad as sg
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder) / "w.safetensors"
...     save({"w": sg.ones(2, 3)}, path)
...     print(load(path)["w"].shape)
(2, 3)
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import IO, Any, TypeGuard

import numpy as np

from scratchgrad import _object_tree
from scratchgrad._io import atomic_write
from scratchgrad._map_location import MapLocation, check_map_location, restore_location
from scratchgrad.backend import Array
from scratchgrad.tensor import Tensor

StrPath = str | os.PathLike[str]

SUPPORTED_DTYPES = tuple(
    np.dtype(d)
    for d in (
        "bool",
        "uint8",
        "int8",
        "uint16",
        "int16",
        "uint32",
        "int32",
        "uint64",
        "int64",
        "float16",
        "float32",
        "float64",
    )
)
"""The dtypes a weight file can hold (those both safetensors' NumPy API and PyTorch read)."""

_ORDER_KEY = "scratchgrad.keys"  # metadata entry that remembers the state dict's key order
_TREE_KEY = "scratchgrad.tree"  # metadata entry with the structure of a saved object (JSON)


def _safetensors() -> ModuleType:
    """``safetensors.numpy``, imported on first use, so the package imports without it."""
    try:
        import safetensors.numpy
    except ImportError as e:  # pragma: no cover - the dependency is declared
        raise ImportError(
            "scratchgrad.save/load need the 'safetensors' package: pip install safetensors"
        ) from e
    return safetensors.numpy


def _array(key: str, value: Any) -> Array:
    """The value as a C-contiguous, native-order array of a supported dtype.

    Raises:
        TypeError: for values that are not tensors or arrays, or an unsupported dtype.
    """
    if not isinstance(value, Tensor | np.ndarray):
        raise TypeError(f"save: {key!r} is a {type(value).__name__}, not a Tensor or array")
    a: Array = value.array if isinstance(value, Tensor) else value
    if a.dtype.newbyteorder("=") not in SUPPORTED_DTYPES:
        names = ", ".join(d.name for d in SUPPORTED_DTYPES)
        raise TypeError(
            f"save: {key!r} has dtype {a.dtype}, which a weight file cannot hold ({names})"
        )
    return np.asarray(a, dtype=a.dtype.newbyteorder("="), order="C")


def _metadata(keys: list[str], metadata: Mapping[str, str] | None) -> dict[str, str]:
    out = dict(metadata or {})
    for k, v in out.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise TypeError(f"save: metadata must map str to str, got {k!r}: {v!r}")
    for reserved in (_ORDER_KEY, _TREE_KEY):
        if reserved in out:
            raise ValueError(f"save: metadata key {reserved!r} is reserved")
    out[_ORDER_KEY] = json.dumps(keys)
    return out


def _is_flat(obj: object) -> TypeGuard[Mapping[str, Tensor | Array]]:
    """Whether ``obj`` is a state dict, saved as a plain safetensors file.

    That is str keys, each value a different tensor or array; a tensor that requires grad
    (a Parameter) needs the structure tree to come back as one.
    """
    if not isinstance(obj, Mapping) or len({id(v) for v in obj.values()}) != len(obj):
        return False
    return all(
        isinstance(k, str)
        and isinstance(v, Tensor | np.ndarray)
        and not (isinstance(v, Tensor) and v.requires_grad)
        for k, v in obj.items()
    )


def _encode(
    obj: object, metadata: Mapping[str, str] | None
) -> tuple[dict[str, Array], dict[str, str]]:
    """The arrays and the header metadata that hold ``obj``."""
    if _is_flat(obj):
        arrays = {k: _array(k, v) for k, v in obj.items()}
        return arrays, _metadata(list(arrays), metadata)
    tree, tensors = _object_tree.flatten(obj)
    arrays = {k: _array(k, v) for k, v in tensors.items()}
    header = _metadata(list(arrays), metadata)
    header[_TREE_KEY] = json.dumps(tree, allow_nan=False)
    return arrays, header


def save(obj: object, f: StrPath | IO[bytes], metadata: Mapping[str, str] | None = None) -> None:
    """Write ``obj`` to a safetensors file, as ``torch.save`` would (but as data only).

    A state dict (str -> Tensor or array) becomes a plain safetensors file that any
    safetensors reader loads. Anything else a training program saves, such as
    ``{"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 3}``, is the same
    kind of file with the structure kept as JSON in its metadata; :func:`load` rebuilds it.
    Tensors that share memory are saved as separate copies (one Tensor object reached
    twice is saved once). Saving to a path writes a temporary file in the same directory,
    flushed to disk and renamed over ``f``: readers see the old file or the new one.

    Args:
        obj: a state dict, or nested dicts (str, int, float, bool or None keys), lists and
            tuples of Tensors, NumPy arrays and scalars, ints, floats, bools, None, strings.
        f: a path (conventionally ``*.safetensors``; ``*.pt`` works too) or a binary file
            object with ``write``.
        metadata: optional text to store in the header, str -> str.

    Raises:
        TypeError: for a whole Module (save ``model.state_dict()``), an object of another
            type (naming where it is: ``obj['opt']['state'][0]``), an unsupported dtype
            (see ``SUPPORTED_DTYPES``; cast first, e.g. ``t.float()``) or non-str metadata.
    """
    arrays, header = _encode(obj, metadata)
    if isinstance(f, str | os.PathLike):
        atomic_write(f, lambda tmp: _safetensors().save_file(arrays, str(tmp), metadata=header))
    elif callable(getattr(f, "write", None)):
        f.write(_safetensors().save(arrays, metadata=header))
    else:
        raise TypeError(f"save: f must be a path or a binary file object, got {type(f).__name__}")


_FILE_DTYPES = {"BOOL", "U8", "I8", "U16", "I16", "U32", "I32", "U64", "I64", "F16", "F32", "F64"}
_ZIP_MAGIC = b"PK\x03\x04"  # torch.save's format since torch 1.6


def _check_dtypes(dtypes: Mapping[str, str], name: str) -> None:
    unsupported = {k: d for k, d in dtypes.items() if d not in _FILE_DTYPES}
    if unsupported:
        raise TypeError(
            f"load: {name} holds tensors of dtypes NumPy cannot represent "
            f"({unsupported}); convert them, e.g. to float32, before saving"
        )


def _invalid(name: str, head: bytes, e: Exception) -> ValueError:
    hint = ""
    if head[:1] == b"\x80":
        hint = (
            " (it looks like serialized Python objects, such as PyTorch's format before "
            "1.6: scratchgrad never loads those; save the tensors as safetensors instead)"
        )
    return ValueError(f"load: {name} is not a valid safetensors file{hint}: {e}")


def _read(path: StrPath) -> tuple[dict[str, Array], dict[str, str]]:
    """The arrays and the metadata of a safetensors file.

    Raises:
        FileNotFoundError: if there is no file at ``path``.
        ValueError: if the file is not a valid safetensors file.
        TypeError: if it holds a dtype NumPy has no type for (bfloat16, float8, ...).
    """
    _safetensors()
    from safetensors import SafetensorError, safe_open

    try:
        with safe_open(os.fspath(path), framework="np") as f:
            keys: list[str] = list(f.keys())
            _check_dtypes({k: f.get_slice(k).get_dtype() for k in keys}, os.fspath(path))
            return {k: f.get_tensor(k) for k in keys}, dict(f.metadata() or {})
    except SafetensorError as e:
        with Path(path).open("rb") as file:
            head = file.read(1)
        raise _invalid(os.fspath(path), head, e) from e


def _read_bytes(data: bytes, name: str) -> tuple[dict[str, Array], dict[str, str]]:
    """The arrays and the metadata of a safetensors file's bytes (read from a file object)."""
    from safetensors import SafetensorError, deserialize

    try:
        entries = deserialize(data)  # type: ignore[no-untyped-call]  # validates the header and that the data covers it
    except SafetensorError as e:
        raise _invalid(name, data, e) from e
    _check_dtypes({k: info["dtype"] for k, info in entries}, name)
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + size]).get("__metadata__") or {}
    return dict(_safetensors().load(data)), dict(header)


def _source(f: StrPath | IO[bytes]) -> tuple[str, bytes | None]:
    """The file's name for messages and, for a file object, its bytes."""
    if isinstance(f, str | os.PathLike):
        return os.fspath(f), None
    if not callable(getattr(f, "read", None)):
        raise TypeError(f"load: f must be a path or a binary file object, got {type(f).__name__}")
    data = f.read()
    if not isinstance(data, bytes):
        raise TypeError(f"load: f must be opened in binary mode ('rb'), got {type(data).__name__}")
    name = getattr(f, "name", None)
    return (name if isinstance(name, str) else f"<{type(f).__name__}>"), data


def _is_zip(name: str, data: bytes | None) -> bool:
    if data is not None:
        return data[:4] == _ZIP_MAGIC
    with Path(name).open("rb") as file:
        return file.read(4) == _ZIP_MAGIC


def load(
    f: StrPath | IO[bytes],
    map_location: MapLocation = None,
    *,
    weights_only: bool | None = None,
    mmap: bool | None = None,
) -> Any:
    """Read what :func:`save` wrote or any safetensors file; nothing else, nothing run.

    A plain safetensors file (a state dict) loads as name -> Tensor in the saved order;
    load it into a model with ``model.load_state_dict(load(path))``, which reports every
    missing, unexpected or mismatched tensor at once. A file :func:`save` wrote from a
    nested object loads as that object. A PyTorch ``.pt``/``.pth`` file is refused with
    a ValueError saying how to save it as safetensors instead.

    Args:
        f: a path or a binary file object with ``read``.
        map_location: as in PyTorch's loader on a machine without a GPU: ``None``,
            ``"cpu"``, a device object, a dict (``{"cuda:0": "cpu"}``) or a function
            ``(storage, location) -> storage | None``; tensors must end up on the CPU.
        weights_only: accepted for torch's signature. Loading never runs code from the
            file, whatever its value: only safetensors files (data) are read.
        mmap: accepted for torch's signature; tensors are always read into memory.

    Returns:
        The saved object; every tensor has its own writable memory.

    Raises:
        FileNotFoundError: if there is no file at ``f``.
        ValueError: if the file is not valid (bad header, truncated), naming it.
        TypeError: if it holds a dtype NumPy has no type for (bfloat16, float8, ...).
        RuntimeError: for ``map_location="cuda"`` or tensors saved on a GPU without a
            ``map_location`` to the CPU.
        ValueError: for PyTorch's own ``.pt`` files (serialized objects), never loaded.
    """
    check_map_location(map_location)
    del weights_only, mmap  # see the docstring: they change nothing here
    name, data = _source(f)
    if _is_zip(name, data):
        raise ValueError(
            f"load: {name} is PyTorch's zip format of serialized objects, which scratchgrad "
            "never loads: "
            "it could run code. Save the state dict as safetensors from torch "
            "(safetensors.torch.save_file(model.state_dict(), path)) and load that."
        )
    arrays, header = _read(name) if data is None else _read_bytes(data, name)
    arrays = {k: restore_location(a, "cpu", map_location, name) for k, a in arrays.items()}
    if _TREE_KEY in header:
        try:
            return _object_tree.unflatten(json.loads(header[_TREE_KEY]), arrays)
        except (json.JSONDecodeError, ValueError) as e:
            raise ValueError(f"load: {name}: {e}") from e
    out: dict[str, Tensor] = {}
    for k in _saved_order(header, arrays):
        a = arrays[k]
        out[k] = Tensor(a if a.flags.writeable else a.copy())
    return out


def load_metadata(path: StrPath) -> dict[str, str]:
    """The str -> str metadata stored in a safetensors file's header.

    Raises:
        FileNotFoundError: if there is no file at ``path``.
        ValueError: if the file is not a valid safetensors file.
    """
    header = _read(path)[1]
    header.pop(_ORDER_KEY, None)
    header.pop(_TREE_KEY, None)
    return header


def _saved_order(header: Mapping[str, str], arrays: Mapping[str, Array]) -> list[str]:
    """The keys in the order they were saved, when the file recorded it; else sorted."""
    try:
        order = json.loads(header.get(_ORDER_KEY, "null"))
    except json.JSONDecodeError:
        order = None
    if isinstance(order, list) and sorted(map(str, order)) == sorted(arrays):
        return [str(k) for k in order]
    return sorted(arrays)


__all__ = ["SUPPORTED_DTYPES", "load", "load_metadata", "save"]
