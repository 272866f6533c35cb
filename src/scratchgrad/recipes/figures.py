"""Pictures of images for generative runs: grids, reconstructions, latent spaces, PNG files.

Images arrive as NumPy arrays (N, C, H, W) with values in [0, 1] (C = 1 grey, C = 3
colour). Every file is written atomically with matplotlib's Agg backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scratchgrad._io import atomic_write
from scratchgrad.train.runs import _pyplot, _save  # the run folder's matplotlib helpers

Images = NDArray[np.floating[Any]]


def image_grid(images: Images, ncol: int = 10, pad: int = 1) -> Images:
    """Tile images (N, C, H, W) into one picture, ``ncol`` per row, rows filled in order.

    Args:
        images: (N, C, H, W) in [0, 1].
        ncol: images per row (fewer if N is smaller).
        pad: pixels of white between images.

    Returns:
        (rows*(H+pad)-pad, ncol*(W+pad)-pad) for C = 1, with a trailing C axis otherwise.

    >>> image_grid(np.zeros((3, 1, 2, 2)), ncol=2).shape
    (5, 5)
    """
    n, c, h, w = images.shape
    ncol = max(1, min(ncol, n))
    nrow = -(-n // ncol)
    grid = np.ones((c, nrow * (h + pad) - pad, ncol * (w + pad) - pad), np.float32)
    for i, img in enumerate(images):
        r, k = divmod(i, ncol)
        grid[:, r * (h + pad) : r * (h + pad) + h, k * (w + pad) : k * (w + pad) + w] = img
    return grid[0] if c == 1 else np.moveaxis(grid, 0, -1)


def save_image_grid(path: Path, images: Images, ncol: int = 10) -> None:
    """A PNG of images (N, C, H, W) in [0, 1] tiled ``ncol`` per row.

    Small images are enlarged by a whole factor (8x8 digits 4 times) to be seen.
    """
    scale = max(1, 32 // images.shape[-1])
    grid = np.clip(image_grid(images, ncol), 0.0, 1.0).repeat(scale, 0).repeat(scale, 1)
    plt = _pyplot()
    atomic_write(path, lambda tmp: plt.imsave(tmp, grid, cmap="gray", vmin=0, vmax=1, format="png"))


def save_image_rows(
    path: Path, rows: Sequence[tuple[str, Images]], title: str, ncol: int = 10
) -> None:
    """A figure with one labelled row per image set (input / noisy input / output).

    Args:
        path: the PNG to write.
        rows: (label, images (N, C, H, W) in [0, 1]) for each row; N up to ``ncol``.
        title: the figure's title.
        ncol: images per row.
    """
    plt = _pyplot()
    fig, axes = plt.subplots(len(rows), 1, figsize=(ncol * 0.6, 0.8 * len(rows) + 0.5))
    axes = np.atleast_1d(axes)
    for ax, (label, images) in zip(axes, rows, strict=True):
        ax.imshow(image_grid(images[:ncol], ncol), cmap="gray", vmin=0, vmax=1)
        ax.set_ylabel(label, rotation=0, ha="right", va="center")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(title)
    _save(fig, path)


def project_2d(codes: NDArray[Any]) -> NDArray[np.float64]:
    """Codes (N, L) in 2-d: unchanged for L <= 2, else their first two principal components.

    >>> project_2d(np.eye(3)).shape
    (3, 2)
    """
    x = np.asarray(codes, np.float64)
    if x.shape[1] <= 2:
        return np.pad(x, ((0, 0), (0, 2 - x.shape[1])))
    x = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    projected: NDArray[np.float64] = x @ vt[:2].T
    return projected


def save_latent_space(path: Path, codes: NDArray[Any], labels: NDArray[Any], title: str) -> None:
    """A scatter plot of codes (N, L) in 2-d (PCA above 2), coloured by labels (N,)."""
    xy = project_2d(codes)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    points = ax.scatter(xy[:, 0], xy[:, 1], c=labels, cmap="tab10", s=6, vmin=-0.5, vmax=9.5)
    fig.colorbar(points, ax=ax, ticks=range(10), label="label")
    pca = np.asarray(codes).shape[1] > 2
    ax.set_xlabel("PC 1" if pca else "z 1")
    ax.set_ylabel("PC 2" if pca else "z 2")
    ax.set_title(title)
    _save(fig, path)


def interpolate(a: NDArray[Any], b: NDArray[Any], steps: int = 10) -> NDArray[np.float32]:
    """``steps`` points on the straight line from a (L,) to b (L,), ends included: (steps, L).

    >>> interpolate(np.zeros(2), np.ones(2), 3)[:, 0].tolist()
    [0.0, 0.5, 1.0]
    """
    t = np.linspace(0.0, 1.0, steps)[:, None]
    line: NDArray[np.float32] = ((1 - t) * np.asarray(a)[None] + t * np.asarray(b)[None]).astype(
        np.float32
    )
    return line


__all__ = [
    "image_grid",
    "interpolate",
    "project_2d",
    "save_image_grid",
    "save_image_rows",
    "save_latent_space",
]
