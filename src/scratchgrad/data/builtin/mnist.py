"""MNIST and Fashion-MNIST from a local folder of IDX files: the reader and the data set.

The IDX format: two zero bytes, a type code (0x08 = uint8), the number of dims, then
one big-endian uint32 per dim, then the values. MNIST images have magic number 2051
(uint8, 3 dims: N x 28 x 28) and labels 2049 (uint8, 1 dim: N). Files may be gzipped.
Every check names the file and what is wrong; nothing is executed on load.
:func:`read_idx` reads one file, :func:`load_mnist` one split's images and labels, and
:func:`mnist` the registered data set: train / validation / test splits scaled to [0, 1].
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from scratchgrad.data.builtin.registry import DataSplits, register, task_sentence
from scratchgrad.data.dataset import TensorDataset
from scratchgrad.errors import IDXError

_DTYPES: dict[int, str | type[np.generic]] = {
    0x08: np.uint8,
    0x09: np.int8,
    0x0B: ">i2",
    0x0C: ">i4",
    0x0D: ">f4",
    0x0E: ">f8",
}
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049
_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def _read_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":  # gzip's own magic
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError) as e:
            raise IDXError(f"{path}: corrupt or truncated gzip data ({e})") from e
    return raw


def read_idx(path: str | Path, expected_magic: int | None = None) -> NDArray[np.generic]:
    """The array stored in one IDX file (optionally gzipped).

    Args:
        path: the file.
        expected_magic: refuse a file whose magic number differs (2051 images, 2049 labels).

    Returns:
        An array of the file's shape, e.g. (N, 28, 28) uint8.

    Raises:
        IDXError: naming the file and the problem: magic number, type code, or a body
            shorter or longer than the header's sizes say.
    """
    path = Path(path)
    data = _read_bytes(path)
    if len(data) < 4:
        raise IDXError(f"{path}: {len(data)} bytes, too short for an IDX header")
    magic = int.from_bytes(data[:4], "big")
    if expected_magic is not None and magic != expected_magic:
        raise IDXError(f"{path}: magic number {magic}, expected {expected_magic}")
    code, ndim = data[2], data[3]
    if data[:2] != b"\x00\x00" or code not in _DTYPES:
        raise IDXError(f"{path}: magic number {magic} is not an IDX header")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise IDXError(f"{path}: header needs {header} bytes, file has {len(data)}")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_DTYPES[code])
    need = header + int(np.prod(shape)) * dtype.itemsize
    if len(data) != need:
        kind = "truncated" if len(data) < need else "longer than its header says"
        raise IDXError(f"{path}: {kind}: header {shape} needs {need} bytes, file has {len(data)}")
    return (
        np.frombuffer(data, dtype=dtype, offset=header)
        .reshape(shape)
        .astype(dtype.newbyteorder("="))
    )


def _find(folder: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"MNIST: neither {stem} nor {stem}.gz in {folder}")


def load_mnist(
    folder: str | Path, split: str = "test"
) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
    """Images (N, 28, 28) uint8 and labels (N,) uint8 of one split from IDX files.

    Args:
        folder: a folder with the standard file names (gzipped or not).
        split: "train" or "test".

    Raises:
        FileNotFoundError: if a file is missing.
        IDXError: if a file is invalid, or the image and label counts differ.
    """
    if split not in _FILES:
        raise ValueError(f"load_mnist: split must be 'train' or 'test', got {split!r}")
    folder = Path(folder)
    img_path, lbl_path = (_find(folder, stem) for stem in _FILES[split])
    images = read_idx(img_path, IMAGES_MAGIC)
    labels = read_idx(lbl_path, LABELS_MAGIC)
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise IDXError(
            f"MNIST: {img_path.name} holds {images.shape} images but {lbl_path.name} "
            f"holds {labels.shape} labels"
        )
    return images.astype(np.uint8), labels.astype(np.uint8)


_FASHION = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


def _mnist_arrays(folder: Path) -> tuple[NDArray[np.uint8], NDArray[np.uint8], int, str]:
    """Images, labels, where the test part starts, and which layout the folder has."""
    if any((folder / f"train-images-idx3-ubyte{gz}").exists() for gz in ("", ".gz")):
        x_train, y_train = load_mnist(folder, "train")
        x_test, y_test = load_mnist(folder, "test")
        x, y = np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test])
        return x, y, len(x_train), "the train files (train, val) and the t10k files (test)"
    x, y = load_mnist(folder, "test")  # raises FileNotFoundError naming the t10k file
    cut = len(x) - len(x) // 5  # 8000 of the 10,000 t10k images
    return x, y, cut, f"the t10k files only: first {cut} train and val, last {len(x) - cut} test"


@register
def mnist(folder: str | Path, fashion: bool = False, val_fraction: float = 0.1) -> DataSplits:
    """MNIST (or Fashion-MNIST) from a local folder of IDX files, pixels scaled to [0, 1].

    With the train files (train-images-idx3-ubyte, train-labels-idx1-ubyte, gzipped or
    not), train and val come from them and test from the t10k files. A folder with the
    t10k files only (as ../shared/data/mnist-t10k) is split by the shared convention: the
    first 80% (8000 of 10,000) train and val, the last 20% (2000) test. Val is the last
    ``val_fraction`` of the train part, in file order; no shuffling, so no seed.

    Args:
        folder: the folder holding the IDX files.
        fashion: the files are Fashion-MNIST (same format; class names differ).
        val_fraction: the share of the train part held out for validation.

    Returns:
        Splits of images (N, 1, 28, 28) float32 in [0, 1] and labels (N,) int64 in 0-9.

    Raises:
        FileNotFoundError: if the folder or a file is missing (the message names it).
        IDXError: if a file is invalid: wrong magic number, truncated (names the file).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"mnist: no folder {folder}")
    if not 0 < val_fraction < 1:
        raise ValueError(f"mnist: val_fraction must be between 0 and 1, got {val_fraction}")
    x, y, cut, layout = _mnist_arrays(folder)
    n_val = round(cut * val_fraction)
    parts = [slice(0, cut - n_val), slice(cut - n_val, cut), slice(cut, len(x))]
    images = [(x[p].astype(np.float32) / 255.0)[:, None] for p in parts]  # (N, 1, 28, 28)
    train, val, test = (
        TensorDataset(i, y[p].astype(np.int64)) for i, p in zip(images, parts, strict=True)
    )
    name = "fashion_mnist" if fashion else "mnist"
    what = "Zalando's Fashion-MNIST clothing" if fashion else "MNIST handwritten digit"
    text = (
        f"{what} images from {folder}: 28x28 grey levels 0-255 divided by 255 into [0, 1], "
        f"10 classes. {task_sentence('classification')} Split from {layout}: "
        f"{len(train)}/{len(val)}/{len(test)} (train/val/test; val the last "
        f"{val_fraction:.0%} of the train part)."
    )
    return DataSplits(
        name,
        "classification",
        train,
        val,
        test,
        text,
        num_classes=10,
        class_names=_FASHION if fashion else tuple("0123456789"),
    )


__all__ = ["load_mnist", "mnist", "read_idx"]
