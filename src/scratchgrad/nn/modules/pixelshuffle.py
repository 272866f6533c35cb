"""Compatibility facade for ``torch.nn.modules.pixelshuffle``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.upsampling import PixelShuffle, PixelUnshuffle

__all__ = ["PixelShuffle", "PixelUnshuffle"]
