"""Saving and loading indexes, FAISS's ``write_index``/``read_index``: safetensors, no pickle.

The arrays (vectors, ids, centroids, list offsets) are tensors of a safetensors file;
the kind of index and its settings are JSON in the file's metadata.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from scratchgrad.retrieval.flat import IndexFlat, IndexFlatIP, IndexFlatL2
from scratchgrad.retrieval.index import METRIC_L2, Index
from scratchgrad.retrieval.ivf import IndexIVFFlat
from scratchgrad.serialization import load, load_metadata, save

_KEY = "scratchgrad.retrieval"


def _flat_arrays(index: IndexFlat, prefix: str = "") -> dict[str, Any]:
    return {f"{prefix}vectors": index.reconstruct_n(), f"{prefix}ids": index.ids.copy()}


def write_index(index: Index, path: str | Path, metadata: dict[str, str] | None = None) -> None:
    """Write ``index`` to a safetensors file at ``path``.

    Args:
        index: an IndexFlatL2, IndexFlatIP or IndexIVFFlat.
        path: the file to write (conventionally ``*.safetensors``).
        metadata: extra str -> str entries to keep in the header (read them back with
            ``scratchgrad.serialization.load_metadata``).

    Raises:
        TypeError: for another kind of index.
    """
    if not isinstance(index, IndexIVFFlat | IndexFlat):
        raise TypeError(f"write_index: cannot save a {type(index).__name__}")
    info: dict[str, Any] = {"type": type(index).__name__, "d": index.d, "metric": index.metric_type}
    if isinstance(index, IndexIVFFlat):
        arrays = _flat_arrays(index.quantizer, "centroids.")
        arrays |= {"codes": index.codes, "ids": index.list_ids, "offsets": index.offsets}
        info |= {"nlist": index.nlist, "nprobe": index.nprobe, "is_trained": index.is_trained}
    else:
        arrays = _flat_arrays(index)
    save(arrays, path, metadata={**(metadata or {}), _KEY: json.dumps(info)})


def read_index(path: str | Path) -> Index:
    """The index that :func:`write_index` wrote to ``path``.

    Raises:
        FileNotFoundError: if there is no such file.
        ValueError: if the file is not an index file or is damaged.
    """
    meta = load_metadata(path)
    if _KEY not in meta:
        raise ValueError(f"read_index: {path} is not an index file (no {_KEY} metadata)")
    try:
        info = json.loads(meta[_KEY])
        arrays = {k: np.asarray(v.numpy()) for k, v in load(path).items()}
        return _rebuild(info, arrays)
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
        raise ValueError(f"read_index: {path} is damaged ({e})") from e


def _flat(d: int, metric: int) -> IndexFlat:
    return IndexFlatL2(d) if metric == METRIC_L2 else IndexFlatIP(d)


def _rebuild(info: dict[str, Any], arrays: dict[str, Any]) -> Index:
    kind, d, metric = info["type"], int(info["d"]), int(info["metric"])
    if kind in ("IndexFlatL2", "IndexFlatIP", "IndexFlat"):
        flat = _flat(d, metric)
        flat.add_with_ids(arrays["vectors"].reshape(-1, d), arrays["ids"])
        return flat
    if kind != "IndexIVFFlat":
        raise ValueError(f"unknown index type {kind!r}")
    quantizer = _flat(d, metric)
    quantizer.add_with_ids(arrays["centroids.vectors"].reshape(-1, d), arrays["centroids.ids"])
    ivf = IndexIVFFlat(quantizer, d, int(info["nlist"]), metric)
    ivf.nprobe, ivf.is_trained = int(info["nprobe"]), bool(info["is_trained"])
    offsets = arrays["offsets"]
    if offsets.shape != (ivf.nlist + 1,) or offsets[-1] != arrays["ids"].shape[0]:
        raise ValueError("the list offsets do not fit the stored vectors")
    lists = np.repeat(np.arange(ivf.nlist), np.diff(offsets))
    ivf._pack(arrays["codes"].reshape(-1, d), arrays["ids"], lists)
    return ivf


__all__ = ["read_index", "write_index"]
