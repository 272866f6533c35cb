"""Spatial ops on (N, C, *spatial) inputs.

``conv`` (1-d, 2-d, 3-d, transposed), ``pool``,
``pool3d``, ``unpool``, ``pad``, ``fold`` (unfold/fold), ``resample`` (interpolate,
pixel shuffle); ``im2col`` holds the memory layouts the convolutions share.
"""

from scratchgrad.ops.spatial import im2col  # noqa: F401 - registers its ops
from scratchgrad.ops.spatial.channel_shuffle import (
    channel_shuffle,
)
from scratchgrad.ops.spatial.conv import (
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
)
from scratchgrad.ops.spatial.fold import (
    fold,
)
from scratchgrad.ops.spatial.pad import (
    pad,
)
from scratchgrad.ops.spatial.pool import (
    adaptive_avg_pool2d,
    avg_pool2d,
    max_pool2d,
)
from scratchgrad.ops.spatial.pool1d import (
    adaptive_avg_pool1d,
    avg_pool1d,
    max_pool1d,
)
from scratchgrad.ops.spatial.pool3d import (
    avg_pool3d,
    max_pool3d,
)
from scratchgrad.ops.spatial.resample import (
    interpolate,
    pixel_shuffle,
    pixel_unshuffle,
)
from scratchgrad.ops.spatial.unpool import (
    adaptive_max_pool2d,
    max_unpool2d,
)

__all__ = [
    "channel_shuffle",
    "adaptive_avg_pool2d",
    "adaptive_max_pool2d",
    "avg_pool2d",
    "avg_pool3d",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "fold",
    "interpolate",
    "adaptive_avg_pool1d",
    "avg_pool1d",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "max_unpool2d",
    "pad",
    "pixel_shuffle",
    "pixel_unshuffle",
]
