"""Fused neural-network ops, one node each.

``linear`` (+ embedding), ``softmax``,
``dropout``, activations (``piecewise``, ``smooth``), ``norm``, ``attention`` and ``rnn``.
"""

from scratchgrad.ops.neural import rnn  # noqa: F401 - registers its ops
from scratchgrad.ops.neural.attention import (
    scaled_dot_product_attention,
)
from scratchgrad.ops.neural.dropout import (
    dropout,
)
from scratchgrad.ops.neural.linear import (
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

__all__ = [
    "celu",
    "dropout",
    "elu",
    "gelu",
    "glu",
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
    "prelu",
    "relu",
    "relu6",
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
