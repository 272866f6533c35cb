"""Checkpoints: safetensors weights plus a JSON of everything else, committed atomically.

A checkpoint named ``last`` at step 120 is three files in the run's ``checkpoints/``:
``last-00000120.safetensors`` (model weights and optimizer arrays), ``last-00000120.json``
(trainer, optimizer, scheduler, callback, random-number and data-loader state) and the
pointer ``last.json``, replaced atomically last. A save interrupted at any point leaves
the pointer on the previous, complete checkpoint; older versions are removed only after
the pointer moved.

The pointer records the SHA-256 of the weight file; loading recomputes it and refuses a
file that was changed or damaged since, and refuses weights that are NaN or infinite.
Pointers written before checksums existed still load, with a warning.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from loguru import logger

from scratchgrad._io import atomic_write_text
from scratchgrad.backend import xp
from scratchgrad.errors import CheckpointError
from scratchgrad.serialization import load, save
from scratchgrad.tensor import Tensor

_FORMAT = "scratchgrad-checkpoint/1"


def split_arrays(tree: Any, prefix: str, arrays: dict[str, Tensor]) -> Any:
    """Move every tensor/array of a nested state into ``arrays``; leave JSON-able values.

    A tensor at path ``a.b.0`` becomes ``{"__tensor__": "<prefix>a.b.0"}`` in the result.
    """
    if isinstance(tree, Tensor | xp.ndarray):
        key = prefix.rstrip(".")
        arrays[key] = tree if isinstance(tree, Tensor) else Tensor(tree)
        return {"__tensor__": key}
    if isinstance(tree, Mapping):
        return {str(k): split_arrays(v, f"{prefix}{k}.", arrays) for k, v in tree.items()}
    if isinstance(tree, list | tuple):
        return [split_arrays(v, f"{prefix}{i}.", arrays) for i, v in enumerate(tree)]
    if isinstance(tree, xp.generic):
        return tree.item()
    return tree


def join_arrays(tree: Any, arrays: Mapping[str, Tensor]) -> Any:
    """The inverse of :func:`split_arrays`: put the tensors back in place."""
    if isinstance(tree, Mapping):
        if set(tree) == {"__tensor__"}:
            return arrays[tree["__tensor__"]]
        return {k: join_arrays(v, arrays) for k, v in tree.items()}
    if isinstance(tree, list):
        return [join_arrays(v, arrays) for v in tree]
    return tree


def save_checkpoint(folder: Path, tag: str, step: int, state: Mapping[str, Any]) -> Path:
    """Write ``state`` (nested dicts/lists of JSON values and tensors) as checkpoint ``tag``.

    Returns:
        The path of the pointer file ``<folder>/<tag>.json``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, Tensor] = {}
    tree = split_arrays(dict(state), "", arrays)
    stem = f"{tag}-{step:08d}"
    try:
        save(arrays, folder / f"{stem}.safetensors", metadata={"step": str(step)})
        atomic_write_text(folder / f"{stem}.json", json.dumps(tree, indent=1))
    except BaseException:  # a full disk: no orphan half of a checkpoint is left
        for suffix in (".safetensors", ".json"):
            if not _pointed_at(folder / f"{tag}.json", f"{stem}{suffix}"):
                (folder / f"{stem}{suffix}").unlink(missing_ok=True)
        raise
    pointer = folder / f"{tag}.json"
    previous = _read_pointer(pointer) if pointer.exists() else None
    record = {
        "format": _FORMAT,
        "step": step,
        "weights": f"{stem}.safetensors",
        "weights_sha256": _sha256(folder / f"{stem}.safetensors"),
        "state": f"{stem}.json",
    }
    atomic_write_text(pointer, json.dumps(record, indent=1))  # the commit point
    if previous and previous["state"] != record["state"]:
        for name in (previous["weights"], previous["state"]):
            (folder / name).unlink(missing_ok=True)
    return pointer


def _pointed_at(pointer: Path, name: str) -> bool:
    """Whether the current pointer file names ``name`` (then it must stay)."""
    try:
        return name in json.loads(pointer.read_text(encoding="utf-8")).values()
    except (OSError, ValueError):
        return False


def _sha256(path: Path) -> str:
    """The hex SHA-256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _verify_checksum(weights: Path, record: Mapping[str, Any], pointer: Path) -> None:
    """Raise if ``weights`` no longer has the SHA-256 its pointer recorded.

    Raises:
        CheckpointError: naming the file, on a mismatch.
    """
    expected = record.get("weights_sha256")
    if expected is None:
        logger.warning("{}: no checksum recorded (an older checkpoint); not verified", pointer)
        return
    actual = _sha256(weights)
    if actual != expected:
        raise CheckpointError(
            f"{weights}: checksum mismatch (sha256 {actual[:16]}..., {pointer.name} "
            f"recorded {str(expected)[:16]}...): the file was changed or damaged after it "
            "was saved"
        )


def _check_finite(weights: Path, arrays: Mapping[str, Tensor]) -> None:
    """Raise on the first tensor that holds a NaN or an infinity.

    Raises:
        CheckpointError: naming the file, the tensor and the first bad element.
    """
    for key, t in arrays.items():
        a = t.array
        if a.dtype.kind in "fc" and not bool(xp.isfinite(a).all()):
            index = tuple(int(i) for i in xp.argwhere(~xp.isfinite(a))[0])
            raise CheckpointError(
                f"{weights}: tensor {key!r} holds non-finite values ({a[index]} at index "
                f"{index}, shape {a.shape}); refusing to load it"
            )


def _read_pointer(pointer: Path) -> dict[str, Any]:
    try:
        record = json.loads(pointer.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CheckpointError(f"{pointer}: unreadable checkpoint pointer ({e})") from e
    if not isinstance(record, dict):
        raise CheckpointError(f"{pointer}: damaged: expected a JSON object, got {record!r:.40}")
    if record.get("format") != _FORMAT:
        raise CheckpointError(f"{pointer}: format {record.get('format')!r}, expected {_FORMAT!r}")
    for key in ("weights", "state"):
        if not isinstance(record.get(key), str):
            raise CheckpointError(f"{pointer}: damaged: no file name under {key!r}")
    return record


def load_checkpoint(path: str | Path) -> dict[str, Any]:
    """The state saved by :func:`save_checkpoint`, from its pointer file (or its folder + tag).

    Args:
        path: ``.../checkpoints/last.json``, or a run folder (its ``checkpoints/last.json``).

    Raises:
        CheckpointError: naming the file that is missing or does not match, whose checksum
            differs from the recorded one, or the tensor that is NaN or infinite.
    """
    pointer = Path(path)
    if pointer.is_dir():
        pointer = pointer / "checkpoints" / "last.json"
    if not pointer.exists():
        raise CheckpointError(f"no checkpoint at {pointer}")
    record = _read_pointer(pointer)
    weights, state_file = pointer.parent / record["weights"], pointer.parent / record["state"]
    for f in (weights, state_file):
        if not f.exists():
            raise CheckpointError(f"{pointer}: points to {f.name}, which is missing")
    _verify_checksum(weights, record, pointer)
    try:
        arrays = load(weights)
    except (ValueError, TypeError, OSError) as e:  # truncated, bad header, ...
        raise CheckpointError(f"damaged weight file: {e}") from e
    _check_finite(weights, arrays)
    try:
        tree = json.loads(state_file.read_text(encoding="utf-8"))
        state: dict[str, Any] = join_arrays(tree, arrays)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CheckpointError(f"{state_file}: damaged, not JSON ({e})") from e
    except (KeyError, TypeError) as e:
        raise CheckpointError(f"{state_file}: names tensor {e} that {weights.name} lacks") from e
    return state


__all__ = ["join_arrays", "load_checkpoint", "save_checkpoint", "split_arrays"]
