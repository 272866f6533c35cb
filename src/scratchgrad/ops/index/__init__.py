"""Indexing: reading and writing by index.

``indexing`` (x[...], x[...] = v, masked_fill, one_hot), ``gather`` (gather,
scatter, index_select) and ``scatter`` (scatter_reduce, index_add, ...).
"""

from scratchgrad.ops.index.gather import (
    gather,
    index_select,
    scatter,
    scatter_add,
    take,
    take_along_dim,
)
from scratchgrad.ops.index.indexing import (
    argwhere,
    getitem,
    masked_fill,
    masked_select,
    one_hot,
    setitem,
    unravel_index,
)
from scratchgrad.ops.index.scatter_reduce import (
    index_add,
    index_add_,
    index_copy,
    index_copy_,
    index_fill,
    index_fill_,
    scatter_reduce,
    scatter_reduce_,
)

__all__ = [
    "argwhere",
    "gather",
    "getitem",
    "index_add",
    "index_add_",
    "index_copy",
    "index_copy_",
    "index_fill",
    "index_fill_",
    "index_select",
    "masked_fill",
    "masked_select",
    "one_hot",
    "scatter",
    "scatter_add",
    "scatter_reduce",
    "scatter_reduce_",
    "setitem",
    "take",
    "take_along_dim",
    "unravel_index",
]
