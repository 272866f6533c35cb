"""The built-in data sets: shapes, dtypes, splits, sources, geometry, files and errors."""

import gzip
import shutil
from pathlib import Path

import numpy as np
import pytest
import sklearn.datasets

from scratchgrad.data import IDXError, TensorDataset, datasets, load_mnist
from scratchgrad.data.splits import split_sizes

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
MNIST = SHARED / "mnist-t10k"
SHAKESPEARE = SHARED / "tinyshakespeare.txt"
needs_mnist = pytest.mark.skipif(not MNIST.is_dir(), reason="../shared/data is absent")
needs_text = pytest.mark.skipif(not SHAKESPEARE.exists(), reason="../shared/data is absent")


def _arrays(ds: TensorDataset) -> list[np.ndarray]:
    return [t.numpy() for t in ds.tensors]


def _all(splits: datasets.DataSplits, k: int) -> np.ndarray:
    """Tensor k of the three splits, concatenated."""
    return np.concatenate([s.tensors[k].numpy() for s in (splits.train, splits.val, splits.test)])


def _check_layout(splits: datasets.DataSplits, n: int, x_shape: tuple, y_shape: tuple) -> None:
    assert tuple(len(s) for s in splits.splits.values()) == split_sizes(n)
    for s in (splits.train, splits.val, splits.test):
        x, y = _arrays(s)[:2]
        assert x.shape[1:] == x_shape and y.shape[1:] == y_shape
        assert x.dtype == np.float32 or splits.task == "ranking"


# ----------------------------------------------------------------- scikit-learn sets
@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer"])
def test_tabular_classification_matches_scikit_learn(name: str) -> None:
    source = getattr(sklearn.datasets, f"load_{name}")()
    splits = datasets.load(name)
    n, d = source.data.shape
    assert splits.task == "classification" and splits.num_classes == len(source.target_names)
    _check_layout(splits, n, (d,), ())
    y = _all(splits, 1)
    assert y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), np.bincount(source.target))
    assert splits.feature_names == tuple(source.feature_names)
    assert splits.class_names == tuple(source.target_names)
    for s in (splits.train, splits.val, splits.test):  # stratified: every class everywhere
        assert len(np.unique(s.tensors[1].numpy())) == splits.num_classes


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "diabetes"])
def test_standardisation_uses_the_train_split_only(name: str) -> None:
    scaled, raw = datasets.load(name), datasets.load(name, standardize=False)
    x_train, x_val, x_test = (s.tensors[0].numpy() for s in scaled.splits.values())
    np.testing.assert_allclose(x_train.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(x_train.std(axis=0), 1, atol=1e-4)
    assert np.abs(x_val.mean(axis=0)).max() > 1e-3  # val and test are not centred on their own
    assert np.abs(x_test.std(axis=0) - 1).max() > 1e-3
    raw_train, raw_val = raw.train.tensors[0].numpy(), raw.val.tensors[0].numpy()
    np.testing.assert_allclose(scaled.info["mean"], raw_train.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(scaled.info["std"], raw_train.std(axis=0), rtol=1e-5)
    expected_val = (raw_val - raw_train.mean(axis=0)) / raw_train.std(axis=0)
    np.testing.assert_allclose(x_val, expected_val, rtol=1e-4, atol=1e-4)
    assert "mean" not in raw.info


def test_diabetes_is_regression_on_the_unscaled_source() -> None:
    source = sklearn.datasets.load_diabetes(scaled=False)
    splits = datasets.diabetes(standardize=False)
    assert splits.task == "regression" and splits.num_classes is None
    _check_layout(splits, 442, (10,), (1,))
    y = _all(splits, 1)
    assert y.dtype == np.float32 and y.shape == (442, 1)
    np.testing.assert_array_equal(np.sort(y[:, 0]), np.sort(source.target).astype(np.float32))
    x = _all(splits, 0)
    np.testing.assert_allclose(np.sort(x, axis=0), np.sort(source.data, axis=0), rtol=1e-6)
    assert splits.feature_names[:3] == ("age", "sex", "bmi")


def test_digits_are_images_scaled_to_unit_range() -> None:
    source = sklearn.datasets.load_digits()
    splits = datasets.digits()
    _check_layout(splits, 1797, (1, 8, 8), ())
    x, y = _all(splits, 0), _all(splits, 1)
    assert x.min() == 0.0 and x.max() == 1.0
    np.testing.assert_array_equal(x * 16, np.round(x * 16))  # grey levels 0-16 divided by 16
    assert y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), np.bincount(source.target))
    # each split's images keep their labels: the first train image is a source image
    first, label = splits.train.tensors[0].numpy()[0, 0], splits.train.tensors[1].numpy()[0]
    match = np.flatnonzero((source.images == first * 16).all(axis=(1, 2)))
    assert label in source.target[match]


def test_same_seed_same_data_other_seed_other_split() -> None:
    a, b, c = datasets.iris(seed=3), datasets.iris(seed=3), datasets.iris(seed=4)
    np.testing.assert_array_equal(a.test.tensors[0].numpy(), b.test.tensors[0].numpy())
    assert not np.array_equal(a.test.tensors[0].numpy(), c.test.tensors[0].numpy())
    again = [datasets.spirals(seed=2).train.tensors[0].numpy() for _ in range(2)]
    np.testing.assert_array_equal(again[0], again[1])


def test_fractions_are_passed_on() -> None:
    splits = datasets.iris(fractions=(0.6, 0.2, 0.2))
    assert [len(s) for s in splits.splits.values()] == [90, 30, 30]


# ------------------------------------------------------------------- synthetic sets
def test_xor_labels_are_the_xor_of_the_signs() -> None:
    splits = datasets.xor(n_samples=300, noise=0.4, seed=1)
    _check_layout(splits, 300, (2,), ())
    x, y = _all(splits, 0), _all(splits, 1)
    np.testing.assert_array_equal(y, (x[:, 0] > 0) ^ (x[:, 1] > 0))
    assert 0.35 < y.mean() < 0.65


def test_moons_lie_on_their_half_circles_without_noise() -> None:
    x, y = (
        _all(datasets.moons(n_samples=101, noise=0.0), 0),
        _all(datasets.moons(n_samples=101, noise=0.0), 1),
    )
    top, bottom = x[y == 0], x[y == 1]
    assert len(top) == 50 and len(bottom) == 51
    np.testing.assert_allclose(np.hypot(*top.T), 1, atol=1e-6)
    np.testing.assert_allclose(np.hypot(bottom[:, 0] - 1, bottom[:, 1] - 0.5), 1, atol=1e-6)
    assert top[:, 1].min() >= -1e-6 and bottom[:, 1].max() <= 0.5 + 1e-6


def test_circles_radii_per_class() -> None:
    exact = datasets.circles(n_samples=200, noise=0.0, factor=0.3)
    x, y = _all(exact, 0), _all(exact, 1)
    np.testing.assert_allclose(np.hypot(*x[y == 0].T), 1, atol=1e-6)
    np.testing.assert_allclose(np.hypot(*x[y == 1].T), 0.3, atol=1e-6)
    noisy = datasets.circles(n_samples=400, noise=0.05, factor=0.5, seed=2)
    x, y = _all(noisy, 0), _all(noisy, 1)
    r0, r1 = np.hypot(*x[y == 0].T), np.hypot(*x[y == 1].T)
    assert abs(r0.mean() - 1) < 0.02 and abs(r1.mean() - 0.5) < 0.02 and r0.std() > 0.01


def test_spiral_points_lie_on_their_arm() -> None:
    splits = datasets.spirals(n_samples=301, n_arms=4, noise=0.0)
    assert splits.num_classes == 4
    x, y = _all(splits, 0), _all(splits, 1)
    r, angle = np.hypot(*x.T), np.arctan2(x[:, 1], x[:, 0])
    offset = angle - 2 * np.pi * (y / 4 + r)  # a multiple of 2 pi on arm y
    np.testing.assert_allclose(np.cos(offset), 1, atol=1e-5)
    assert r.max() <= 1 + 1e-6 and np.bincount(y).tolist() == [76, 75, 75, 75]


def test_blobs_gather_around_their_centres() -> None:
    splits = datasets.blobs(n_samples=900, n_features=3, centers=4, noise=0.5, seed=1)
    centers = splits.info["centers"]
    assert centers.shape == (4, 3) and np.abs(centers).max() <= 10
    x, y = _all(splits, 0), _all(splits, 1)
    for k in range(4):
        assert np.linalg.norm(x[y == k].mean(axis=0) - centers[k]) < 0.2


@pytest.mark.parametrize(("noise", "tol"), [(0.0, 1e-5), (0.1, 0.05)])
def test_linear_regression_recovers_w_and_b_by_least_squares(noise: float, tol: float) -> None:
    splits = datasets.linear_regression(n_samples=400, n_features=4, noise=noise, seed=3)
    _check_layout(splits, 400, (4,), (1,))
    x, y = _all(splits, 0).astype(np.float64), _all(splits, 1)[:, 0]
    design = np.c_[x, np.ones(len(x))]
    solution = np.linalg.lstsq(design, y, rcond=None)[0]
    np.testing.assert_allclose(solution[:4], splits.info["w"], atol=tol)
    assert abs(solution[4] - splits.info["b"]) < tol
    assert str(round(splits.info["b"], 3)) in splits.description


def test_tags_are_multi_hot_and_decided_by_their_words() -> None:
    exact = datasets.tags(n_samples=400, n_tags=6, words_per_tag=3, noise=0.0)
    assert exact.task == "multilabel" and exact.num_classes == 6
    _check_layout(exact, 400, (18,), (6,))
    x, y = _all(exact, 0), _all(exact, 1)
    assert y.dtype == np.float32 and set(np.unique(y)) == {0.0, 1.0}
    assert y.sum(axis=1).min() >= 1 and y.sum(axis=1).max() > 1  # one or more tags each
    word_blocks = x.reshape(400, 6, 3).sum(axis=2)
    np.testing.assert_array_equal(word_blocks > 0, y == 1)
    noisy = datasets.tags(n_samples=400, noise=0.5, seed=1)
    x, y = _all(noisy, 0), _all(noisy, 1)
    blocks = x.reshape(400, 5, 4).sum(axis=2)
    assert np.all(blocks[y == 1] > 0) and np.any(blocks[y == 0] > 0)  # chance words too
    assert noisy.class_names[:2] == ("sports", "politics")


def test_ratings_are_user_item_pairs_with_implicit_relevance() -> None:
    splits = datasets.ratings(n_users=30, n_items=25, items_per_user=12, noise=0.0, seed=2)
    assert splits.task == "ranking" and splits.num_classes is None
    pairs, relevant, rating = _all(splits, 0), _all(splits, 1), _all(splits, 2)
    assert pairs.dtype == np.int64 and pairs.shape == (360, 2)
    assert len({tuple(p) for p in pairs.tolist()}) == 360  # each (user, item) rated once
    np.testing.assert_array_equal(np.bincount(pairs[:, 0]), [12] * 30)
    np.testing.assert_array_equal(relevant, (rating >= 4).astype(np.float32))
    scores = splits.info["scores"][pairs[:, 0], pairs[:, 1]]
    np.testing.assert_array_equal(rating, np.clip(np.rint(3 + 1.25 * scores), 1, 5))
    for s in (splits.train, splits.val, splits.test):  # stratified by user
        assert set(s.tensors[0].numpy()[:, 0].tolist()) == set(range(30))


def test_synthetic_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="spirals: n_arms must be at least 2"):
        datasets.spirals(n_arms=1)
    with pytest.raises(ValueError, match="circles: factor must be between 0 and 1"):
        datasets.circles(factor=1.5)
    with pytest.raises(ValueError, match="moons: noise must be >= 0"):
        datasets.moons(noise=-0.1)
    with pytest.raises(ValueError, match="blobs: centers must be >= 1"):
        datasets.blobs(centers=0)
    with pytest.raises(ValueError, match=r"ratings: items_per_user must be in 1..10"):
        datasets.ratings(n_items=10, items_per_user=11)


# ------------------------------------------------------------------- describe, load
def test_describe_shows_shapes_and_class_balance() -> None:
    text = datasets.iris().describe()
    assert text.splitlines()[0] == "iris (classification, 3 classes)"
    assert "Task: classification" in text and "stratified by class" in text
    assert "(105, 4) float32" in text and "setosa=35, versicolor=35, virginica=35" in text
    assert "target mean" in datasets.diabetes().describe()
    assert datasets.tags().describe().startswith("tags (multilabel, 5 tags)\n")
    assert "tag counts: sports=" in datasets.tags().describe()
    assert "relevant " in datasets.ratings().describe()


def test_load_by_name_and_unknown_names() -> None:
    assert set(datasets.DATASETS) >= {"iris", "digits", "diabetes", "tags", "ratings", "mnist"}
    splits = datasets.load("moons", n_samples=60, seed=1)
    assert isinstance(splits, datasets.DataSplits) and len(splits.train) == 42
    with pytest.raises(ValueError, match="unknown data set 'mnsit'; known: blobs, breast_cancer"):
        datasets.load("mnsit")


# ------------------------------------------------------------------------- MNIST
def _idx(values: np.ndarray) -> bytes:
    header = bytes([0, 0, 0x08, values.ndim])
    header += b"".join(int(n).to_bytes(4, "big") for n in values.shape)
    return header + values.astype(np.uint8).tobytes()


def _write_mnist(folder: Path, prefix: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    images, labels = rng.integers(0, 256, (n, 28, 28)), np.arange(n) % 10
    (folder / f"{prefix}-images-idx3-ubyte").write_bytes(_idx(images))
    (folder / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(gzip.compress(_idx(labels)))
    return images, labels


@needs_mnist
def test_mnist_test_only_folder_uses_the_shared_convention() -> None:
    splits = datasets.mnist(MNIST)
    assert [len(s) for s in splits.splits.values()] == [7200, 800, 2000]
    x, y = _all(splits, 0), _all(splits, 1)
    assert x.shape == (10000, 1, 28, 28) and x.dtype == np.float32 and y.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0
    raw_images, raw_labels = load_mnist(MNIST, "test")
    np.testing.assert_array_equal(y, raw_labels)  # file order: train, val, then the last 2000
    np.testing.assert_allclose(splits.test.tensors[0].numpy()[-1, 0], raw_images[-1] / 255)
    assert "first 8000 train and val, last 2000 test" in splits.description


@needs_mnist
def test_mnist_wrong_magic_copy_is_refused(tmp_path: Path) -> None:
    shutil.copy(MNIST / "t10k-images-idx3-ubyte.gz", tmp_path)
    raw = bytearray(gzip.decompress((MNIST / "t10k-labels-idx1-ubyte.gz").read_bytes()))
    raw[3] = 3  # labels claim 3 dims: magic 2051 instead of 2049
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(bytes(raw))
    with pytest.raises(IDXError, match="t10k-labels-idx1-ubyte: magic number 2051, expected 2049"):
        datasets.mnist(tmp_path)


def test_mnist_with_train_files_takes_val_from_train(tmp_path: Path) -> None:
    train_images, _ = _write_mnist(tmp_path, "train", 50, seed=0)
    test_images, _ = _write_mnist(tmp_path, "t10k", 20, seed=1)
    splits = datasets.mnist(tmp_path, fashion=True, val_fraction=0.2)
    assert [len(s) for s in splits.splits.values()] == [40, 10, 20]
    assert splits.name == "fashion_mnist" and splits.class_names[-1] == "Ankle boot"
    np.testing.assert_allclose(splits.val.tensors[0].numpy()[:, 0], train_images[40:] / 255)
    np.testing.assert_allclose(splits.test.tensors[0].numpy()[:, 0], test_images / 255)
    assert splits.train.tensors[1].numpy().tolist() == [i % 10 for i in range(40)]


def test_mnist_missing_or_invalid_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="mnist: no folder"):
        datasets.mnist(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte"):
        datasets.mnist(tmp_path)
    _write_mnist(tmp_path, "t10k", 10, seed=0)
    good = (tmp_path / "t10k-images-idx3-ubyte").read_bytes()
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(good[:1000])
    with pytest.raises(IDXError, match="t10k-images-idx3-ubyte: truncated"):
        datasets.mnist(tmp_path)
    with pytest.raises(ValueError, match="val_fraction must be between 0 and 1"):
        datasets.mnist(tmp_path, val_fraction=1.0)


# -------------------------------------------------------------------------- text
@needs_text
def test_tinyshakespeare_first_90_percent_train() -> None:
    corpus = datasets.text_corpus(SHAKESPEARE)
    assert (len(corpus.train), len(corpus.val)) == (1_003_854, 111_540)
    assert corpus.train + corpus.val == SHAKESPEARE.read_text(encoding="utf-8")
    assert len(corpus.chars) == 65 and corpus.train.startswith("First Citizen")
    assert "1,115,394 characters, 65 distinct" in corpus.description
    assert "65 distinct" in corpus.describe()


def test_text_corpus_on_a_small_file(tmp_path: Path) -> None:
    path = tmp_path / "poem.txt"
    path.write_text("héllo wörld!" * 10, encoding="utf-8")  # 120 characters, not 120 bytes
    corpus = datasets.load("text_corpus", path=path, val_fraction=0.25)
    assert isinstance(corpus, datasets.TextCorpus)
    assert (len(corpus.train), len(corpus.val)) == (90, 30)
    assert corpus.train + corpus.val == "héllo wörld!" * 10 and corpus.chars == " !dhlorwéö"


def test_text_corpus_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="text_corpus: no file .*missing.txt"):
        datasets.text_corpus(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="empty.txt is empty"):
        datasets.text_corpus(empty)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9 au lait".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin1.txt is not UTF-8 text \(invalid .* at byte 3\)"):
        datasets.text_corpus(latin1)
    one = tmp_path / "one.txt"
    one.write_text("x")
    with pytest.raises(ValueError, match="1 characters, too few to split"):
        datasets.text_corpus(one)
    with pytest.raises(ValueError, match="val_fraction must be between 0 and 1"):
        datasets.text_corpus(one, val_fraction=0)


def test_sonnets_are_built_in() -> None:
    corpus = datasets.load("sonnets")
    assert isinstance(corpus, datasets.TextCorpus)
    assert len(corpus.train) == int(len(corpus.train + corpus.val) * 0.9)
    assert corpus.train.startswith("From fairest creatures") and corpus.val.endswith("compare.\n")
    assert corpus.describe().startswith("sonnets.txt (text)")
