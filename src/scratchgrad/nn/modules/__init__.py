"""``torch.nn.modules`` import paths: a compatibility facade, nothing more.

Real PyTorch programs import classes by their module path, ``from torch.nn.modules.loss
import _Loss`` or ``torch.nn.modules.conv.Conv2d``. Each submodule here is named after a
torch module and re-exports the classes scratchgrad has from that module, from where they
live in :mod:`scratchgrad.nn`; it defines nothing (new code should import from
``scratchgrad.nn``).

>>> from scratchgrad.nn.modules.loss import _Loss
>>> from scratchgrad import nn
>>> _Loss is nn.loss._Loss and nn.modules.conv.Conv2d is nn.Conv2d
True
"""

from scratchgrad.nn.modules import (
    activation,
    batchnorm,
    channelshuffle,
    container,
    conv,
    distance,
    dropout,
    flatten,
    fold,
    instancenorm,
    linear,
    loss,
    module,
    normalization,
    padding,
    pixelshuffle,
    pooling,
    rnn,
    sparse,
    transformer,
    upsampling,
)

__all__ = [
    "activation",
    "batchnorm",
    "channelshuffle",
    "container",
    "conv",
    "distance",
    "dropout",
    "flatten",
    "fold",
    "instancenorm",
    "linear",
    "loss",
    "module",
    "normalization",
    "padding",
    "pixelshuffle",
    "pooling",
    "rnn",
    "sparse",
    "transformer",
    "upsampling",
]
