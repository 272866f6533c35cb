"""Fused neural-network ops, one node each.

``linear`` (+ embedding), ``softmax``,
``dropout``, activations (``piecewise``, ``smooth``, ``shrink``, ``stochastic``), ``norm``
(and ``rms_norm``, ``channel_norm``), ``similarity``, ``attention`` and ``rnn``.
"""

from scratchgrad.ops.neural import rnn  # noqa: F401 - registers its ops
from scratchgrad.ops.neural.attention import (
    scaled_dot_product_attention,
)
from scratchgrad.ops.neural.dropout import (
    dropout,
)
from scratchgrad.ops.neural.linear import (
    bilinear,
    linear,
)
from scratchgrad.ops.neural.norm import (
    layer_norm,
)
from scratchgrad.ops.neural.piecewise import (
    hardsigmoid,
    hardswish,
    hardtanh,
    heaviside,
    leaky_relu,
    prelu,
    relu,
    relu6,
    threshold,
)
from scratchgrad.ops.neural.rms_norm import (
    rms_norm,
)
from scratchgrad.ops.neural.shrink import (
    hardshrink,
)
from scratchgrad.ops.neural.similarity import (
    cosine_similarity,
    pairwise_distance,
)
from scratchgrad.ops.neural.smooth import (
    celu,
    elu,
    gelu,
    glu,
    logsigmoid,
    mish,
    selu,
    sigmoid,
    silu,
    softplus,
    softsign,
)
from scratchgrad.ops.neural.softmax import (
    log_softmax,
    softmax,
    softmin,
)
from scratchgrad.ops.neural.stochastic import (
    alpha_dropout,
    feature_alpha_dropout,
    rrelu,
)

__all__ = [
    "alpha_dropout",
    "bilinear",
    "celu",
    "cosine_similarity",
    "dropout",
    "elu",
    "feature_alpha_dropout",
    "gelu",
    "glu",
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "heaviside",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_softmax",
    "logsigmoid",
    "mish",
    "pairwise_distance",
    "prelu",
    "relu",
    "relu6",
    "rms_norm",
    "rrelu",
    "scaled_dot_product_attention",
    "selu",
    "sigmoid",
    "silu",
    "softmax",
    "softmin",
    "softplus",
    "softsign",
    "threshold",
]
