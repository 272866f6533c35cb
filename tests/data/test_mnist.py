"""The IDX reader on the real MNIST test files and on broken copies of them."""

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest

from scratchgrad.data import IDXError, load_mnist, read_idx

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "mnist-t10k"
IMAGES = SHARED / "t10k-images-idx3-ubyte.gz"
LABELS = SHARED / "t10k-labels-idx1-ubyte.gz"
needs_data = pytest.mark.skipif(not IMAGES.exists(), reason="../shared/data is absent")


def _idx(values: np.ndarray, magic_code: int = 0x08) -> bytes:
    header = bytes([0, 0, magic_code, values.ndim])
    header += b"".join(int(n).to_bytes(4, "big") for n in values.shape)
    return header + values.astype(np.uint8).tobytes()


@needs_data
def test_real_files_match_their_published_checksums_and_shapes() -> None:
    assert hashlib.md5(IMAGES.read_bytes()).hexdigest() == "9fb629c4189551a2d022fa330f9573f3"
    images, labels = load_mnist(SHARED, "test")
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
