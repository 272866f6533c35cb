"""Linear algebra.

``matmul`` (matmul, @, einsum and the BLAS-style shorthands), ``decomp``
(inv, det, solve, cholesky, eigh, svdvals) and ``distance`` (dist, cdist, pdist, renorm).
"""

from scratchgrad.ops.linalg import decomp  # noqa: F401 - registers its ops
from scratchgrad.ops.linalg.distance import (
    cdist,
    dist,
    pdist,
    renorm,
)
from scratchgrad.ops.linalg.matmul import (
    addbmm,
    addmm,
    addmv,
    addr,
    baddbmm,
    bmm,
    dot,
    einsum,
    ger,
    inner,
    matmul,
    mm,
    mv,
    outer,
    tensordot,
    vdot,
)

__all__ = [
    "addbmm",
    "addmm",
    "addmv",
    "addr",
    "baddbmm",
    "bmm",
    "cdist",
    "dist",
    "pdist",
    "dot",
    "einsum",
    "ger",
    "inner",
    "matmul",
    "mm",
    "mv",
    "outer",
    "renorm",
    "tensordot",
    "vdot",
]
