"""Every differentiable operation, its forward and backward side by side, by family.

Each family is a package with one file per concept; its ``__init__`` is the family's
export list. ``registry.OPS`` maps every registered op's name to its
:class:`~scratchgrad.autograd.Function`.

- ``elementwise``: arithmetic, math, trig, special, binary, compare, select, bitwise, convert
- ``reduce``: reductions, stats, extrema, count, scan, sort
- ``shape``: view, join, structure
- ``index``: indexing, gather, scatter
- ``linalg``: matmul, decomp, distance
- ``neural``: linear, softmax, dropout, piecewise and smooth activations, norm, attention, rnn
- ``spatial``: im2col, conv, pool, pool3d, unpool, pad, fold, resample
- ``loss``: classification, bce, regression
- ``aten``: torch's top-level signatures where they differ from ``nn.functional``'s
- ``dims``: dims, axes and broadcast shapes as PyTorch takes them
"""

from scratchgrad.ops import (
    aten,
    elementwise,
    index,
    linalg,
    loss,
    neural,
    reduce,
    shape,
    spatial,
)
from scratchgrad.ops.registry import OPS, register

__all__ = [
    "OPS",
    "aten",
    "elementwise",
    "index",
    "linalg",
    "loss",
    "neural",
    "reduce",
    "register",
    "shape",
    "spatial",
]
