"""Compatibility facade for ``torch.nn.modules.channelshuffle``: re-exports from scratchgrad.nn."""

from scratchgrad.nn.bilinear import ChannelShuffle

__all__ = ["ChannelShuffle"]
