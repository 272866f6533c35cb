"""The IDX reader on the real MNIST test files and broken copies; the MNIST data set."""

import gzip
import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from scratchgrad.data import IDXError, load_mnist, read_idx
from scratchgrad.data.builtin.mnist import mnist
from tests.data.builtin._common import MNIST, _all

IMAGES = MNIST / "t10k-images-idx3-ubyte.gz"
LABELS = MNIST / "t10k-labels-idx1-ubyte.gz"
needs_data = pytest.mark.skipif(not IMAGES.exists(), reason="../shared/data is absent")


def _idx(values: np.ndarray, magic_code: int = 0x08) -> bytes:
    header = bytes([0, 0, magic_code, values.ndim])
    header += b"".join(int(n).to_bytes(4, "big") for n in values.shape)
    return header + values.astype(np.uint8).tobytes()


@needs_data
def test_real_files_match_their_published_checksums_and_shapes() -> None:
    assert hashlib.md5(IMAGES.read_bytes()).hexdigest() == "9fb629c4189551a2d022fa330f9573f3"
    images, labels = load_mnist(MNIST, "test")
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and set(np.unique(labels)) == set(range(10))
    # the body is the bytes after a 16-byte header: compare with an independent read
    raw = gzip.decompress(IMAGES.read_bytes())
    np.testing.assert_array_equal(images.reshape(-1), np.frombuffer(raw[16:], np.uint8))


@needs_data
def test_truncated_copy_is_refused_with_the_file_and_sizes(tmp_path: Path) -> None:
    raw = gzip.decompress(IMAGES.read_bytes())
    bad = tmp_path / "t10k-images-idx3-ubyte"
    bad.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(
        IDXError, match=r"t10k-images-idx3-ubyte: truncated: header \(10000, 28, 28\)"
    ):
        read_idx(bad, 2051)


@needs_data
def test_wrong_magic_is_refused(tmp_path: Path) -> None:
    raw = bytearray(gzip.decompress(LABELS.read_bytes()))
    raw[3] = 3  # labels claim 3 dims: magic 2051 instead of 2049
    bad = tmp_path / "labels"
    bad.write_bytes(bytes(raw))
    with pytest.raises(IDXError, match="magic number 2051, expected 2049"):
        read_idx(bad, 2049)


def test_not_an_idx_file(tmp_path: Path) -> None:
    bad = tmp_path / "x"
    bad.write_bytes(b"PK\x03\x04 a zip file")
    with pytest.raises(IDXError, match="is not an IDX header"):
        read_idx(bad)


def test_corrupt_gzip(tmp_path: Path) -> None:
    bad = tmp_path / "x.gz"
    bad.write_bytes(gzip.compress(_idx(np.zeros((2, 3))))[:-10])
    with pytest.raises(IDXError, match="corrupt or truncated gzip"):
        read_idx(bad)


def test_body_longer_than_header(tmp_path: Path) -> None:
    f = tmp_path / "x"
    f.write_bytes(_idx(np.zeros((2, 3))) + b"\x00")
    with pytest.raises(IDXError, match="longer than its header says"):
        read_idx(f)


def test_plain_and_gzipped_files_read_the_same(tmp_path: Path) -> None:
    values = np.arange(24).reshape(2, 3, 4)
    (tmp_path / "a").write_bytes(_idx(values))
    (tmp_path / "b.gz").write_bytes(gzip.compress(_idx(values)))
    np.testing.assert_array_equal(read_idx(tmp_path / "a"), values)
    np.testing.assert_array_equal(read_idx(tmp_path / "b.gz"), values)


def test_image_and_label_counts_must_agree(tmp_path: Path) -> None:
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(_idx(np.zeros((3, 28, 28))))
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(_idx(np.zeros(2)))
    with pytest.raises(IDXError, match=r"holds \(3, 28, 28\) images but .* holds \(2,\) labels"):
        load_mnist(tmp_path, "test")


def test_missing_file_and_bad_split(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte"):
        load_mnist(tmp_path, "test")
    with pytest.raises(ValueError, match="split must be"):
        load_mnist(tmp_path, "validation")


# ------------------------------------------------------------------- the data set
def _write_mnist(folder: Path, prefix: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    images, labels = rng.integers(0, 256, (n, 28, 28)), np.arange(n) % 10
    (folder / f"{prefix}-images-idx3-ubyte").write_bytes(_idx(images))
    (folder / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(gzip.compress(_idx(labels)))
    return images, labels


@needs_data
def test_mnist_test_only_folder_uses_the_shared_convention() -> None:
    splits = mnist(MNIST)
    assert [len(s) for s in splits.splits.values()] == [7200, 800, 2000]
    x, y = _all(splits, 0), _all(splits, 1)
    assert x.shape == (10000, 1, 28, 28) and x.dtype == np.float32 and y.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0
    raw_images, raw_labels = load_mnist(MNIST, "test")
    np.testing.assert_array_equal(y, raw_labels)  # file order: train, val, then the last 2000
    np.testing.assert_allclose(splits.test.tensors[0].numpy()[-1, 0], raw_images[-1] / 255)
    assert "first 8000 train and val, last 2000 test" in splits.description


@needs_data
def test_mnist_wrong_magic_copy_is_refused(tmp_path: Path) -> None:
    shutil.copy(MNIST / "t10k-images-idx3-ubyte.gz", tmp_path)
    raw = bytearray(gzip.decompress((MNIST / "t10k-labels-idx1-ubyte.gz").read_bytes()))
    raw[3] = 3  # labels claim 3 dims: magic 2051 instead of 2049
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(bytes(raw))
    with pytest.raises(IDXError, match="t10k-labels-idx1-ubyte: magic number 2051, expected 2049"):
        mnist(tmp_path)


def test_mnist_with_train_files_takes_val_from_train(tmp_path: Path) -> None:
    train_images, _ = _write_mnist(tmp_path, "train", 50, seed=0)
    test_images, _ = _write_mnist(tmp_path, "t10k", 20, seed=1)
    splits = mnist(tmp_path, fashion=True, val_fraction=0.2)
    assert [len(s) for s in splits.splits.values()] == [40, 10, 20]
    assert splits.name == "fashion_mnist" and splits.class_names[-1] == "Ankle boot"
    np.testing.assert_allclose(splits.val.tensors[0].numpy()[:, 0], train_images[40:] / 255)
    np.testing.assert_allclose(splits.test.tensors[0].numpy()[:, 0], test_images / 255)
    assert splits.train.tensors[1].numpy().tolist() == [i % 10 for i in range(40)]


def test_mnist_missing_or_invalid_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="mnist: no folder"):
        mnist(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte"):
        mnist(tmp_path)
    _write_mnist(tmp_path, "t10k", 10, seed=0)
    good = (tmp_path / "t10k-images-idx3-ubyte").read_bytes()
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(good[:1000])
    with pytest.raises(IDXError, match="t10k-images-idx3-ubyte: truncated"):
        mnist(tmp_path)
    with pytest.raises(ValueError, match="val_fraction must be between 0 and 1"):
        mnist(tmp_path, val_fraction=1.0)
