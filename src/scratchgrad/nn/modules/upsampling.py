"""Compatibility facade for ``torch.nn.modules.upsampling``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d

__all__ = ["Upsample", "UpsamplingBilinear2d", "UpsamplingNearest2d"]
