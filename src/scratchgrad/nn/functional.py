"""Functional forms of the layers, as ``torch.nn.functional`` (``import ... as F``).

Every name here is implemented in ``scratchgrad.ops``; this module only gathers them.
"""

from scratchgrad.ops.activation import elu, gelu, heaviside, leaky_relu, silu, softplus
from scratchgrad.ops.attention import scaled_dot_product_attention
from scratchgrad.ops.conv import (
    adaptive_avg_pool2d,
    avg_pool2d,
    conv1d,
    conv2d,
    conv_transpose2d,
    max_pool2d,
    pad,
)
from scratchgrad.ops.conv3d import conv3d
from scratchgrad.ops.elementwise import relu, sigmoid, tanh
from scratchgrad.ops.fold import fold, unfold
from scratchgrad.ops.index import one_hot
from scratchgrad.ops.loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    multi_margin_loss,
    nll_loss,
    smooth_l1_loss,
)
from scratchgrad.ops.nn import dropout, embedding, linear, log_softmax, softmax
from scratchgrad.ops.norm import batch_norm, layer_norm
from scratchgrad.ops.piecewise import hardsigmoid, hardswish, hardtanh, prelu, relu6, threshold
from scratchgrad.ops.pool3d import avg_pool3d, max_pool3d
from scratchgrad.ops.resample import interpolate, pixel_shuffle, pixel_unshuffle
from scratchgrad.ops.smooth import celu, glu, logsigmoid, mish, selu, softmin, softsign
from scratchgrad.ops.unpool import adaptive_max_pool2d, max_unpool2d

__all__ = [
    "celu",
    "glu",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "interpolate",
    "logsigmoid",
    "mish",
    "pixel_shuffle",
    "pixel_unshuffle",
    "prelu",
    "relu6",
    "selu",
    "softmin",
    "softsign",
    "threshold",
    "adaptive_avg_pool2d",
    "adaptive_max_pool2d",
    "avg_pool2d",
    "avg_pool3d",
    "conv3d",
    "fold",
    "max_pool3d",
    "max_unpool2d",
    "unfold",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "conv1d",
    "conv2d",
    "conv_transpose2d",
    "cross_entropy",
    "dropout",
    "elu",
    "embedding",
    "gelu",
    "heaviside",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_softmax",
    "max_pool2d",
    "mse_loss",
    "multi_margin_loss",
    "nll_loss",
    "one_hot",
    "pad",
    "relu",
    "scaled_dot_product_attention",
    "sigmoid",
    "silu",
    "smooth_l1_loss",
    "softmax",
    "softplus",
    "tanh",
]
