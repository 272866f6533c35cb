"""Weight files in the safetensors format: a JSON header and raw little-endian arrays.

Nothing is executed on load (no pickle), and files interoperate with PyTorch: the
``safetensors.torch`` module reads what :func:`save` writes, and :func:`load` reads
what ``safetensors.torch.save_file`` writes. :func:`save` writes a temporary file next
to the target and renames it into place, so an interrupted save leaves any previous
file intact.

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
from types import ModuleType
from typing import Any

import numpy as np

from scratchgrad._io import atomic_write
from scratchgrad.backend import Array
from scratchgrad.nn.module import Module
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
    a: Array = value.data if isinstance(value, Tensor) else value
    if a.dtype.newbyteorder("=") not in SUPPORTED_DTYPES:
        names = ", ".join(d.name for d in SUPPORTED_DTYPES)
        raise TypeError(
            f"save: {key!r} has dtype {a.dtype}, which a weight file cannot hold ({names})"
        )
    return np.asarray(a, dtype=a.dtype.newbyteorder("="), order="C")


def _key(key: object) -> str:
    if not isinstance(key, str):
        raise TypeError(f"save: tensor names must be str, got {key!r}")
    return key


def _metadata(keys: list[str], metadata: Mapping[str, str] | None) -> dict[str, str]:
    out = dict(metadata or {})
    for k, v in out.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise TypeError(f"save: metadata must map str to str, got {k!r}: {v!r}")
    if _ORDER_KEY in out:
        raise ValueError(f"save: metadata key {_ORDER_KEY!r} is reserved")
    out[_ORDER_KEY] = json.dumps(keys)
    return out


def save(
    state: Module | Mapping[str, Tensor | Array],
    path: StrPath,
    metadata: Mapping[str, str] | None = None,
) -> None:
    """Write a module's state dict (or any name -> tensor mapping) to a safetensors file.

    The file is first written to a temporary file in the same directory, flushed to disk
    and renamed over ``path``: readers see the old file or the new one, never half of one.

    Args:
        state: a Module (its ``state_dict()`` is saved) or a mapping of name -> Tensor or
            NumPy array, any shapes.
        path: the file to write, conventionally ``*.safetensors``.
        metadata: optional text to store in the header, str -> str.

    Raises:
        TypeError: for a value that is not a tensor, an unsupported dtype (see
            ``SUPPORTED_DTYPES``; cast first, e.g. ``t.float()``) or non-str metadata.
    """
    tensors = state.state_dict() if isinstance(state, Module) else state
    arrays = {_key(k): _array(k, v) for k, v in tensors.items()}
    header = _metadata(list(arrays), metadata)
    atomic_write(path, lambda tmp: _safetensors().save_file(arrays, str(tmp), metadata=header))


_FILE_DTYPES = {"BOOL", "U8", "I8", "U16", "I16", "U32", "I32", "U64", "I64", "F16", "F32", "F64"}


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
            dtypes = {k: f.get_slice(k).get_dtype() for k in keys}
            unsupported = {k: d for k, d in dtypes.items() if d not in _FILE_DTYPES}
            if unsupported:
                raise TypeError(
                    f"load: {os.fspath(path)} holds tensors of dtypes NumPy cannot represent "
                    f"({unsupported}); convert them, e.g. to float32, before saving"
                )
            return {k: f.get_tensor(k) for k in keys}, dict(f.metadata() or {})
    except SafetensorError as e:
        raise ValueError(f"load: {os.fspath(path)} is not a valid safetensors file: {e}") from e


def load(path: StrPath) -> dict[str, Tensor]:
    """Read a safetensors file into name -> Tensor, in the order the tensors were saved.

    Load into a model with ``model.load_state_dict(load(path))``, which reports every
    missing, unexpected or mismatched tensor at once.

    Args:
        path: a file written by :func:`save` or by any safetensors writer.

    Returns:
        The tensors (each with its own writable memory), keyed by name.

    Raises:
        FileNotFoundError: if there is no file at ``path``.
        ValueError: if the file is not a valid safetensors file (bad header, truncated).
        TypeError: if it holds a dtype NumPy has no type for (bfloat16, float8, ...).
    """
    arrays, header = _read(path)
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
