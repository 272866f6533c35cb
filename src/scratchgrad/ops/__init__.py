"""Every differentiable operation, its forward and backward side by side, by family.

- ``elementwise`` (+ ``compare``, ``convert``): arithmetic, unary math, comparisons, casts
- ``reduce`` (+ ``stats``): sum, mean, max, ...; var, std, norm, logsumexp
- ``shape`` (+ ``join``): reshape, transpose, expand, ...; cat, stack, split, narrow
- ``index`` (+ ``gather``): indexing, masked_fill, one_hot; gather, scatter, index_select
- ``linalg``: matmul, dot, outer, einsum
- ``nn``, ``activation``, ``norm``: fused linear, softmax, dropout, embedding, GELU, norms
- ``conv``, ``pool``, ``pad``: convolution via im2col, pooling, padding
- ``loss``, ``bce``, ``pointwise_loss``: cross-entropy and the other losses

Each op is one :class:`~scratchgrad.autograd.Function` subclass, registered by name in
``OPS`` (see ``_registry``), plus a function users call. ``docs/ops.md`` lists them all.
"""

from scratchgrad.ops._registry import OPS, register

__all__ = ["OPS", "register"]
