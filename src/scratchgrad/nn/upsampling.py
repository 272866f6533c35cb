"""Resampling layers: Upsample (and its two fixed-mode forms), PixelShuffle, PixelUnshuffle.

Thin wrappers over ``scratchgrad.ops.spatial.resample``, with PyTorch's arguments and reprs. They
hold no parameters.
"""

from __future__ import annotations

from collections.abc import Sequence

from scratchgrad.nn.module import Module
from scratchgrad.ops.spatial.resample import interpolate, pixel_shuffle, pixel_unshuffle
from scratchgrad.tensor import Tensor

Size = int | tuple[int, ...]
Scale = float | tuple[float, ...]


def _as_float_scale(scale_factor: float | Sequence[float] | None) -> Scale | None:
    """As PyTorch stores it: a float, a tuple of floats, or None (also for 0)."""
    if isinstance(scale_factor, Sequence):
        return tuple(float(s) for s in scale_factor)
    return float(scale_factor) if scale_factor else None


class Upsample(Module):
    """Resize the spatial dims, as ``interpolate``. (N, C, *in) -> (N, C, *out).

    Args:
        size: the output's spatial size, an int or one per spatial dim.
        scale_factor: multiplier of each spatial size (give size or scale_factor).
        mode: "nearest", "nearest-exact", "linear" (3-d input), "bilinear" or
            "bicubic" (4-d), "trilinear" (5-d).
        align_corners: interpolating modes only, see ``interpolate``.
        recompute_scale_factor: use in / out rather than the given scale_factor.

    >>> Upsample(scale_factor=2, mode="bilinear")
    Upsample(scale_factor=2.0, mode='bilinear')
    """

    def __init__(
        self,
        size: Size | None = None,
        scale_factor: float | Sequence[float] | None = None,
        mode: str = "nearest",
        align_corners: bool | None = None,
        recompute_scale_factor: bool | None = None,
    ) -> None:
        super().__init__()
        self.size = size
        self.scale_factor = _as_float_scale(scale_factor)
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, x: Tensor) -> Tensor:
        """interpolate(x, size, scale_factor, mode, align_corners, recompute_scale_factor)."""
        return interpolate(
            x,
            self.size,
            self.scale_factor,
            self.mode,
            self.align_corners,
            self.recompute_scale_factor,
        )

    def extra_repr(self) -> str:
        """``scale_factor=2.0, mode='nearest'`` (or ``size=...``)."""
        if self.scale_factor is not None:
            info = f"scale_factor={self.scale_factor!r}"
        else:
            info = f"size={self.size!r}"
        return f"{info}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """``Upsample(size, scale_factor, mode="nearest")`` for (N, C, H, W) inputs.

    >>> UpsamplingNearest2d(scale_factor=2)
    UpsamplingNearest2d(scale_factor=2.0, mode='nearest')
    """

    def __init__(self, size: Size | None = None, scale_factor: Scale | None = None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """``Upsample(size, scale_factor, mode="bilinear", align_corners=True)``, (N, C, H, W).

    >>> UpsamplingBilinear2d(size=4)
    UpsamplingBilinear2d(size=4, mode='bilinear')
    """

    def __init__(self, size: Size | None = None, scale_factor: Scale | None = None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)


class PixelShuffle(Module):
    """(*, C r^2, H, W) -> (*, C, H r, W r), r = upscale_factor.

    >>> PixelShuffle(2)
    PixelShuffle(upscale_factor=2)
    """

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, x: Tensor) -> Tensor:
        """pixel_shuffle(x, upscale_factor)."""
        return pixel_shuffle(x, self.upscale_factor)

    def extra_repr(self) -> str:
        """``upscale_factor=2``."""
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """(*, C, H r, W r) -> (*, C r^2, H, W), r = downscale_factor.

    >>> PixelUnshuffle(2)
    PixelUnshuffle(downscale_factor=2)
    """

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, x: Tensor) -> Tensor:
        """pixel_unshuffle(x, downscale_factor)."""
        return pixel_unshuffle(x, self.downscale_factor)

    def extra_repr(self) -> str:
        """``downscale_factor=2``."""
        return f"downscale_factor={self.downscale_factor}"


__all__ = [
    "PixelShuffle",
    "PixelUnshuffle",
    "Upsample",
    "UpsamplingBilinear2d",
    "UpsamplingNearest2d",
]
