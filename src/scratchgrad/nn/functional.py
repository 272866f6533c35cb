"""Functional forms of the layers, as ``torch.nn.functional`` (``import ... as F``).

Every name here is implemented in ``scratchgrad.ops``; this module only gathers them.
"""

from scratchgrad.ops.elementwise.trig import tanh
from scratchgrad.ops.index.indexing import one_hot
from scratchgrad.ops.linalg.distance import pdist
from scratchgrad.ops.loss.bce import binary_cross_entropy, binary_cross_entropy_with_logits
from scratchgrad.ops.loss.classification import cross_entropy, multi_margin_loss, nll_loss
from scratchgrad.ops.loss.likelihood import gaussian_nll_loss, poisson_nll_loss
from scratchgrad.ops.loss.margin import (
    cosine_embedding_loss,
    hinge_embedding_loss,
    margin_ranking_loss,
    multilabel_margin_loss,
    multilabel_soft_margin_loss,
    soft_margin_loss,
    triplet_margin_loss,
    triplet_margin_with_distance_loss,
)
from scratchgrad.ops.loss.regression import huber_loss, kl_div, l1_loss, mse_loss, smooth_l1_loss
from scratchgrad.ops.neural.attention import scaled_dot_product_attention
from scratchgrad.ops.neural.channel_norm import group_norm, instance_norm, local_response_norm
from scratchgrad.ops.neural.dropout import dropout
from scratchgrad.ops.neural.embedding_bag import embedding_bag
from scratchgrad.ops.neural.feature_dropout import dropout1d, dropout2d, dropout3d
from scratchgrad.ops.neural.linear import bilinear, embedding, linear
from scratchgrad.ops.neural.norm import batch_norm, layer_norm
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
from scratchgrad.ops.neural.rms_norm import rms_norm
from scratchgrad.ops.neural.shrink import hardshrink, softshrink, tanhshrink
from scratchgrad.ops.neural.similarity import cosine_similarity, normalize, pairwise_distance
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
from scratchgrad.ops.neural.softmax import log_softmax, softmax, softmin
from scratchgrad.ops.neural.stochastic import (
    alpha_dropout,
    feature_alpha_dropout,
    gumbel_softmax,
    rrelu,
)
from scratchgrad.ops.spatial.channel_shuffle import channel_shuffle
from scratchgrad.ops.spatial.conv import (
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
)
from scratchgrad.ops.spatial.fold import fold, unfold
from scratchgrad.ops.spatial.lp_pool import lp_pool1d, lp_pool2d, lp_pool3d
from scratchgrad.ops.spatial.pad import pad
from scratchgrad.ops.spatial.pool import adaptive_avg_pool2d, avg_pool2d, max_pool2d
from scratchgrad.ops.spatial.pool1d import (
    adaptive_avg_pool1d,
    adaptive_max_pool1d,
    avg_pool1d,
    max_pool1d,
)
from scratchgrad.ops.spatial.pool3d import avg_pool3d, max_pool3d
from scratchgrad.ops.spatial.resample import interpolate, pixel_shuffle, pixel_unshuffle
from scratchgrad.ops.spatial.unpool import adaptive_max_pool2d, max_unpool2d

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
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "cross_entropy",
    "dropout",
    "dropout1d",
    "dropout2d",
    "dropout3d",
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
    "alpha_dropout",
    "cosine_embedding_loss",
    "cosine_similarity",
    "gaussian_nll_loss",
    "group_norm",
    "gumbel_softmax",
    "hardshrink",
    "hinge_embedding_loss",
    "instance_norm",
    "local_response_norm",
    "margin_ranking_loss",
    "max_pool1d",
    "multilabel_soft_margin_loss",
    "normalize",
    "pairwise_distance",
    "poisson_nll_loss",
    "rms_norm",
    "rrelu",
    "soft_margin_loss",
    "softshrink",
    "tanhshrink",
    "triplet_margin_loss",
    "adaptive_avg_pool1d",
    "adaptive_max_pool1d",
    "avg_pool1d",
    "bilinear",
    "channel_shuffle",
    "feature_alpha_dropout",
    "multilabel_margin_loss",
    "pdist",
    "triplet_margin_with_distance_loss",
    "lp_pool1d",
    "lp_pool2d",
    "lp_pool3d",
    "embedding_bag",
]
