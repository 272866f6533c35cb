"""Every differentiable operation, its forward and backward side by side, by family.

- ``elementwise``: arithmetic, unary math, comparisons, casts, in-place updates
- ``reduce``: sum, mean, max, var, norm, logsumexp, cumsum, ...
- ``shape``: reshape, transpose, expand, cat, stack, split, ...
- ``index``: indexing, gather, scatter, masked_fill, one_hot, ...
- ``linalg``: matmul, dot, outer, einsum

Each op is one :class:`~scratchgrad.autograd.Function` subclass, registered by name in
``OPS`` (see ``_registry``), plus a function users call.
"""

from scratchgrad.ops._registry import OPS, register

__all__ = ["OPS", "register"]
