"""Image transforms and augmentation for one sample at a time, as ``torchvision.transforms``.

Every transform takes one image, a Tensor or a NumPy array of shape (C, H, W) or (H, W),
and returns the same kind and shape (``ToTensor`` is the exception: it makes the Tensor).
Pixel (0, 0) is the top-left corner; rows go down, columns go right. Random transforms
draw from the ``generator=`` given at construction, else from the global generator at call
time, so one seeded ``Generator`` shared by a whole pipeline makes it reproducible.
Transforms work on the data, outside autograd: the result never requires a gradient.

For (image, label) samples use ``OnInput``::

    pipeline = Compose([RandomRotation(15), GaussianNoise(std=0.05)])
    loader = DataLoader(dataset, batch_size=32, transform=OnInput(pipeline))

Differences from torchvision: rotation samples bilinearly (torchvision's default is
nearest) and has no ``expand``/``center``; ``RandomResizedCrop`` resizes with plain
bilinear interpolation (``antialias=False``: the same when enlarging, no low-pass filter
when shrinking); ``ToTensor`` always returns float32 and also accepts (C, H, W) arrays;
``GaussianNoise`` calls its spread ``std`` (torchvision v2: ``sigma``) and clips only when
asked. Random draws use scratchgrad's PCG64, not torch's generator.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, overload

import numpy as np

from scratchgrad.backend import Array
from scratchgrad.errors import ShapeError
from scratchgrad.random import Generator, numpy_generator
from scratchgrad.tensor import Tensor

Fill = float | Sequence[float]


# ----------------------------------------------------------------------------- helpers
def _chw(img: Array, name: str) -> Array:
    """A (C, H, W) view of a (C, H, W) or (H, W) image."""
    if img.ndim not in (2, 3):
        raise ShapeError(
            f"{name}: image must be (C, H, W) or (H, W): got ndim={img.ndim} (shape={img.shape})"
        )
    return img[None] if img.ndim == 2 else img


def _to_float(img: Array) -> Array:
    """Floats as they are; other dtypes as float32 (interpolation needs fractions)."""
    return img if np.issubdtype(img.dtype, np.floating) else img.astype(np.float32)


def _like(out: Array, img: Array) -> Array:
    """``out`` back in ``img``'s dtype and rank; integers are rounded, as torchvision."""
    if not np.issubdtype(img.dtype, np.floating):
        info = np.iinfo(img.dtype) if np.issubdtype(img.dtype, np.integer) else None
        out = np.round(out) if info is None else np.clip(np.round(out), info.min, info.max)
        out = out.astype(img.dtype)
    return out[0] if img.ndim == 2 else out


def sample_bilinear(img: Array, y: Array, x: Array) -> Array:
    """Bilinear samples of ``img`` at fractional pixel positions; zero outside the image.

    The same as ``torch.nn.functional.grid_sample(mode="bilinear", padding_mode="zeros")``
    with the grid given in pixel units: the 4 neighbours of (y, x) are weighted by their
    closeness, and a neighbour outside the image counts as 0.

    Args:
        img: float image, shape (C, H, W).
        y: row positions, shape (Ho, Wo); integer values hit pixel centres.
        x: column positions, shape (Ho, Wo).

    Returns:
        Shape (C, Ho, Wo), ``img``'s dtype.
    """
    _, h, w = img.shape
    y0, x0 = np.floor(y), np.floor(x)
    fy, fx = (y - y0).astype(img.dtype), (x - x0).astype(img.dtype)  # (Ho, Wo) weights
    iy, ix = y0.astype(np.intp), x0.astype(np.intp)
    out = np.zeros((img.shape[0], *y.shape), dtype=img.dtype)
    for dy, wy in ((0, 1 - fy), (1, fy)):  # the 4 neighbours, each for all pixels at once
        for dx, wx in ((0, 1 - fx), (1, fx)):
            yy, xx = iy + dy, ix + dx
            inside = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
            out += img[:, np.clip(yy, 0, h - 1), np.clip(xx, 0, w - 1)] * (wy * wx * inside)
    return out


def rotate(img: Array, angle: float, fill: Fill = 0.0) -> Array:
    """Rotate counter-clockwise by ``angle`` degrees about the image centre, as torchvision.

    Each output pixel is inverse-mapped to where it came from in the input and sampled
    bilinearly; places that come from outside the input get ``fill``. The centre is
    ((H - 1) / 2, (W - 1) / 2) in pixel indices, so a multiple of 90 degrees moves pixel
    centres onto pixel centres: ``rotate(img, 90)`` equals ``np.rot90(img, axes=(-2, -1))``
    for a square image.

    Args:
        img: shape (C, H, W) or (H, W); integer images are rounded back to their dtype.
        angle: degrees, counter-clockwise as displayed (rows going down).
        fill: value for the uncovered area: one number, or one per channel.

    Returns:
        Same shape and dtype as ``img``.

    >>> rotate(np.array([[1.0, 2.0], [3.0, 4.0]]), 90).round(6)
    array([[2., 4.],
           [1., 3.]])
    """
    x = _to_float(_chw(img, "rotate"))
    c, h, w = x.shape
    t = math.radians(angle)
    cos, sin = math.cos(t), math.sin(t)
    yo = (np.arange(h) - (h - 1) / 2)[:, None]  # output coordinates about the centre
    xo = (np.arange(w) - (w - 1) / 2)[None, :]
    x_in = cos * xo - sin * yo + (w - 1) / 2  # (H, W): the inverse rotation
    y_in = sin * xo + cos * yo + (h - 1) / 2
    fills = np.asarray(fill, dtype=x.dtype).reshape(-1, 1, 1)
    if fills.shape[0] not in (1, c):
        raise ValueError(f"rotate: fill needs 1 or {c} values, got {fills.shape[0]}")
    out = sample_bilinear(x, y_in, x_in)  # outside counts as 0: done when fill is 0
    if np.any(fills != 0):  # blend by coverage, as torchvision: 1 inside, 0 outside
        mask = sample_bilinear(np.ones((1, h, w), dtype=x.dtype), y_in, x_in)
        out = out * mask + (1 - mask) * fills
    return _like(out, img)


def _linear_index(n_in: int, n_out: int) -> tuple[Array, Array, Array]:
    """Neighbours and weights of linear resizing, as PyTorch with align_corners=False."""
    src = np.maximum((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(np.intp), n_in - 1)
    return i0, np.minimum(i0 + 1, n_in - 1), src - i0


def resize(img: Array, size: tuple[int, int]) -> Array:
    """Bilinear resize to ``size``, as ``F.interpolate(mode="bilinear", align_corners=False)``.

    Args:
        img: shape (C, h, w) or (h, w).
        size: (H, W) of the result.

    Returns:
        Shape (C, H, W) or (H, W), ``img``'s dtype.

    >>> resize(np.array([[0.0, 1.0]]), (1, 4))
    array([[0.  , 0.25, 0.75, 1.  ]])
    """
    x = _to_float(_chw(img, "resize"))
    y0, y1, fy = _linear_index(x.shape[1], size[0])
    x0, x1, fx = _linear_index(x.shape[2], size[1])
    fy, fx = fy.astype(x.dtype)[:, None], fx.astype(x.dtype)
    rows = x[:, y0] * (1 - fy) + x[:, y1] * fy  # (C, H, w): along the height first
    return _like(rows[:, :, x0] * (1 - fx) + rows[:, :, x1] * fx, img)


# -------------------------------------------------------------------------- transforms
class Transform(ABC):
    """A transform of one image: subclasses write ``apply`` on arrays.

    Calling it with a Tensor gives a Tensor, with an array an array.
    """

    @overload
    def __call__(self, img: Tensor) -> Tensor: ...
    @overload
    def __call__(self, img: Array) -> Array: ...
    def __call__(self, img: Tensor | Array) -> Tensor | Array:
        """Transform ``img``: shape (C, H, W) or (H, W) -> the same kind of object."""
        if isinstance(img, Tensor):
            return Tensor(self.apply(img.array))
        return self.apply(np.asarray(img))

    @abstractmethod
    def apply(self, img: Array) -> Array:
        """The transform on an array of shape (C, H, W) or (H, W)."""

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k != "generator")
        return f"{type(self).__name__}({args})"


class Compose:
    """Apply transforms one after another, as ``torchvision.transforms.Compose``.

    Args:
        transforms: callables, applied in order.

    >>> flip = Compose([RandomHorizontalFlip(p=1.0), RandomVerticalFlip(p=1.0)])
    >>> flip(np.array([[1, 2], [3, 4]])).tolist()
    [[4, 3], [2, 1]]
    """

    def __init__(self, transforms: Sequence[Callable[[Any], Any]]) -> None:
        self.transforms = list(transforms)

    def __call__(self, img: Any) -> Any:
        """Each transform in turn on the output of the one before."""
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self) -> str:
        return "Compose(\n" + "".join(f"    {t!r},\n" for t in self.transforms) + ")"


class OnInput:
    """Apply ``transform`` to the first element of a sample tuple, e.g. (image, label).

    Args:
        transform: the image transform.

    >>> OnInput(RandomHorizontalFlip(p=1.0))((np.array([[1, 2]]), 7))
    (array([[2, 1]]), 7)
    """

    def __init__(self, transform: Callable[[Any], Any]) -> None:
        self.transform = transform

    def __call__(self, sample: Sequence[Any]) -> Any:
        """(x, *rest) -> (transform(x), *rest), keeping tuple or list."""
        out = [self.transform(sample[0]), *sample[1:]]
        return out if isinstance(sample, list) else tuple(out)

    def __repr__(self) -> str:
        return f"OnInput({self.transform!r})"


class ToTensor:
    """uint8 pixels -> a float32 Tensor (C, H, W) in [0, 1], as torchvision's ToTensor.

    (H, W) becomes (1, H, W); (H, W, C) is moved to (C, H, W). A 3-d array is read as
    (H, W, C), as torchvision does, unless its first dim is 1, 3 or 4 and its last is
    not: then it is already (C, H, W). ``channels_last`` overrides the guess. uint8
    values are divided by 255; other dtypes are cast to float32 unscaled.

    Args:
        channels_last: True: (H, W, C); False: (C, H, W); None: guess as above.

    >>> ToTensor()(np.full((2, 2, 3), 255, dtype=np.uint8)).shape
    (3, 2, 2)
    """

    def __init__(self, channels_last: bool | None = None) -> None:
        self.channels_last = channels_last

    def __call__(self, pic: Tensor | Array) -> Tensor:
        """Pixels of shape (H, W), (H, W, C) or (C, H, W) -> float32 Tensor (C, H, W)."""
        x = pic.array if isinstance(pic, Tensor) else np.asarray(pic)
        if x.ndim == 2:
            x = x[None]
        elif x.ndim == 3:
            last = self.channels_last
            if last is None:
                last = not (x.shape[0] in (1, 3, 4) and x.shape[-1] not in (1, 3, 4))
            x = x.transpose(2, 0, 1) if last else x
        else:
            raise ShapeError(
                f"ToTensor: image must be (H, W), (H, W, C) or (C, H, W): "
                f"got ndim={x.ndim} (shape={x.shape})"
            )
        out = x.astype(np.float32)
        if x.dtype == np.uint8:
            out /= np.float32(255)
        return Tensor(np.ascontiguousarray(out))

    def __repr__(self) -> str:
        return f"ToTensor(channels_last={self.channels_last})"


class Normalize(Transform):
    """(x - mean[c]) / std[c] for each channel c, as ``torchvision.transforms.Normalize``.

    Args:
        mean: one value per channel (or one for all).
        std: one value per channel (or one for all), none zero.

    >>> Normalize([0.5], [0.5])(np.array([[0.0, 1.0]], dtype=np.float32))
    array([[-1.,  1.]], dtype=float32)
    """

    def __init__(self, mean: Sequence[float] | float, std: Sequence[float] | float) -> None:
        self.mean = [float(m) for m in np.atleast_1d(mean)]
        self.std = [float(s) for s in np.atleast_1d(std)]
        if any(s == 0 for s in self.std):
            raise ValueError(f"Normalize: std must not be zero, got {self.std}")

    def apply(self, img: Array) -> Array:
        """Float (C, H, W) or (H, W) -> the same, normalised per channel."""
        if not np.issubdtype(img.dtype, np.floating):
            raise TypeError(f"Normalize: needs a float image, got {img.dtype} (use ToTensor)")
        x = _chw(img, "Normalize")
        c = x.shape[0]
        for name, values in (("mean", self.mean), ("std", self.std)):
            if len(values) not in (1, c):
                raise ShapeError(
                    f"Normalize: one {name} per channel: {len(values)} values "
                    f"for {c} channels (image={img.shape})"
                )
        mean = np.asarray(self.mean, dtype=x.dtype).reshape(-1, 1, 1)
        std = np.asarray(self.std, dtype=x.dtype).reshape(-1, 1, 1)
        return _like((x - mean) / std, img)


class _Flip(Transform):
    """Flip along ``axis`` with probability p."""

    axis: int

    def __init__(self, p: float = 0.5, generator: Generator | None = None) -> None:
        self.p, self.generator = p, generator

    def apply(self, img: Array) -> Array:
        """Shape (C, H, W) or (H, W) -> the same, flipped with probability p."""
        _chw(img, type(self).__name__)
        if numpy_generator(self.generator).random() < self.p:
            return np.flip(img, axis=self.axis).copy()
        return img


class RandomHorizontalFlip(_Flip):
    """Mirror left-right (reverse the columns) with probability ``p``.

    Args:
        p: probability of flipping.
        generator: random source; the global generator when None.
    """

    axis = -1


class RandomVerticalFlip(_Flip):
    """Mirror top-bottom (reverse the rows) with probability ``p``.

    Args:
        p: probability of flipping.
        generator: random source; the global generator when None.
    """

    axis = -2


class RandomRotation(Transform):
    """Rotate by an angle drawn uniformly from ``degrees``, counter-clockwise if positive.

    Args:
        degrees: d for the range (-d, d), or (min, max).
        fill: value for the corners uncovered by the rotation (one, or one per channel).
        generator: random source; the global generator when None.
    """

    def __init__(
        self,
        degrees: float | Sequence[float],
        fill: Fill = 0.0,
        generator: Generator | None = None,
    ) -> None:
        if isinstance(degrees, int | float):
            if degrees < 0:
                raise ValueError(f"RandomRotation: a single degrees must be >= 0, got {degrees}")
            degrees = (-degrees, degrees)
        if len(degrees) != 2 or degrees[0] > degrees[1]:
            raise ValueError(f"RandomRotation: degrees must be (min, max), got {degrees}")
        self.degrees = (float(degrees[0]), float(degrees[1]))
        self.fill, self.generator = fill, generator

    @staticmethod
    def get_params(degrees: tuple[float, float], generator: Generator | None = None) -> float:
        """An angle drawn uniformly from [degrees[0], degrees[1]]."""
        return float(numpy_generator(generator).uniform(degrees[0], degrees[1]))

    def apply(self, img: Array) -> Array:
        """Shape (C, H, W) or (H, W) -> the same, rotated."""
        return rotate(img, self.get_params(self.degrees, self.generator), self.fill)


class RandomResizedCrop(Transform):
    """Zoom: crop a random box, then resize it to ``size``, as torchvision.

    The box covers a fraction of the image area drawn uniformly from ``scale``, with an
    aspect ratio (width / height) drawn log-uniformly from ``ratio``; up to 10 tries
    for a box that fits, else a centre crop with the ratio clamped into ``ratio``.

    Args:
        size: output (H, W), or one int for a square.
        scale: range of the box's fraction of the image area.
        ratio: range of the box's width / height.
        generator: random source; the global generator when None.
    """

    def __init__(
        self,
        size: int | Sequence[int],
        scale: tuple[float, float] = (0.08, 1.0),
        ratio: tuple[float, float] = (3 / 4, 4 / 3),
        generator: Generator | None = None,
    ) -> None:
        sizes = [size] if isinstance(size, int) else list(size)
        if len(sizes) == 1:  # one number: a square, as torchvision
            sizes = sizes * 2
        if len(sizes) != 2 or min(sizes) < 1:
            raise ValueError(f"RandomResizedCrop: size must be an int or (H, W) >= 1, got {size}")
        if scale[0] > scale[1] or ratio[0] > ratio[1] or min(*scale, *ratio) <= 0:
            raise ValueError(
                f"RandomResizedCrop: scale and ratio must be positive (min, max), "
                f"got scale={scale}, ratio={ratio}"
            )
        self.size = (int(sizes[0]), int(sizes[1]))
        self.scale, self.ratio, self.generator = scale, ratio, generator

    @staticmethod
    def get_params(
        img: Tensor | Array,
        scale: tuple[float, float],
        ratio: tuple[float, float],
        generator: Generator | None = None,
    ) -> tuple[int, int, int, int]:
        """A random box (top, left, height, width) inside ``img`` (..., H, W)."""
        height, width = img.shape[-2:]
        rng, area = numpy_generator(generator), height * width
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            target = area * rng.uniform(scale[0], scale[1])
            aspect = math.exp(rng.uniform(*log_ratio))
            w, h = round(math.sqrt(target * aspect)), round(math.sqrt(target / aspect))
            if 0 < w <= width and 0 < h <= height:
                top = int(rng.integers(0, height - h + 1))
                return top, int(rng.integers(0, width - w + 1)), h, w
        in_ratio = width / height  # fallback: the centre, as wide a box as ratio allows
        h, w = height, width
        if in_ratio < ratio[0]:
            h = round(w / ratio[0])
        elif in_ratio > ratio[1]:
            w = round(h * ratio[1])
        return (height - h) // 2, (width - w) // 2, h, w

    def apply(self, img: Array) -> Array:
        """Shape (C, H, W) or (H, W) -> (C, *size) or size: a zoomed-in box."""
        _chw(img, "RandomResizedCrop")
        i, j, h, w = self.get_params(img, self.scale, self.ratio, self.generator)
        return resize(img[..., i : i + h, j : j + w], self.size)


class GaussianNoise(Transform):
    """Add noise drawn from N(mean, std^2) to every pixel, optionally clipped.

    Args:
        mean: mean of the noise.
        std: standard deviation of the noise.
        clip: (low, high) to clamp the result to; True means (0, 1); None: no clamp.
        generator: random source; the global generator when None.
    """

    def __init__(
        self,
        mean: float = 0.0,
        std: float = 0.1,
        clip: tuple[float, float] | bool | None = None,
        generator: Generator | None = None,
    ) -> None:
        if std < 0:
            raise ValueError(f"GaussianNoise: std must be >= 0, got {std}")
        self.mean, self.std, self.generator = mean, std, generator
        self.clip: tuple[float, float] | None = None
        if clip is True:
            self.clip = (0.0, 1.0)
        elif isinstance(clip, tuple):
            self.clip = (float(clip[0]), float(clip[1]))

    def apply(self, img: Array) -> Array:
        """Float image of any shape -> the same shape and dtype, noisier."""
        if not np.issubdtype(img.dtype, np.floating):
            raise TypeError(f"GaussianNoise: needs a float image, got {img.dtype} (use ToTensor)")
        dtype = np.float64 if img.dtype == np.float64 else np.float32
        noise = numpy_generator(self.generator).standard_normal(img.shape, dtype=dtype)
        out: Array = img + (noise * self.std + self.mean).astype(img.dtype)
        return out if self.clip is None else np.clip(out, self.clip[0], self.clip[1])


__all__ = [
    "Compose",
    "GaussianNoise",
    "Normalize",
    "OnInput",
    "RandomHorizontalFlip",
    "RandomResizedCrop",
    "RandomRotation",
    "RandomVerticalFlip",
    "ToTensor",
    "Transform",
    "resize",
    "rotate",
    "sample_bilinear",
]
