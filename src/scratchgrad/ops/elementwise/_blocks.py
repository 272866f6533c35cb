"""Elementwise work in cache-sized blocks.

A chain of NumPy passes over a large array reads and writes memory once per pass; done
block by block, each block and its temporaries stay in the L2 cache between passes. The
results are the same bits: every element is computed by the same operations.
"""

from __future__ import annotations

from collections.abc import Callable

from scratchgrad.backend import Array, xp

BLOCK = 1 << 16
"""Elements per block: a float32 block and a few temporaries fit in a 1 MiB L2 cache."""


def map_blocks(fn: Callable[..., Array], *arrays: Array) -> Array:
    """``fn(*arrays)`` computed on aligned blocks of same-shape arrays, joined again.

    ``fn`` must be elementwise (its output shaped like its inputs). Small or
    non-contiguous inputs go through ``fn`` whole.
    """
    first = arrays[0]
    if first.size <= BLOCK or not all(a.flags.c_contiguous for a in arrays):
        return fn(*arrays)
    flats = [a.reshape(-1) for a in arrays]
    out: Array | None = None
    for start in range(0, first.size, BLOCK):
        part = fn(*(f[start : start + BLOCK] for f in flats))
        if out is None:
            out = xp.empty(first.size, part.dtype)
        out[start : start + BLOCK] = part
    assert out is not None
    return out.reshape(first.shape)


__all__ = ["BLOCK", "map_blocks"]
