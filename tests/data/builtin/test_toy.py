"""The generated sets: shapes, dtypes, geometry, seeds and argument checks."""

import numpy as np
import pytest

from scratchgrad.data.builtin import toy
from tests.data.builtin._common import _all, _check_layout


def test_xor_labels_are_the_xor_of_the_signs() -> None:
    splits = toy.xor(n_samples=300, noise=0.4, seed=1)
    _check_layout(splits, 300, (2,), ())
    x, y = _all(splits, 0), _all(splits, 1)
    np.testing.assert_array_equal(y, (x[:, 0] > 0) ^ (x[:, 1] > 0))
    assert 0.35 < y.mean() < 0.65


def test_moons_lie_on_their_half_circles_without_noise() -> None:
    x, y = (
        _all(toy.moons(n_samples=101, noise=0.0), 0),
        _all(toy.moons(n_samples=101, noise=0.0), 1),
    )
    top, bottom = x[y == 0], x[y == 1]
    assert len(top) == 50 and len(bottom) == 51
    np.testing.assert_allclose(np.hypot(*top.T), 1, atol=1e-6)
    np.testing.assert_allclose(np.hypot(bottom[:, 0] - 1, bottom[:, 1] - 0.5), 1, atol=1e-6)
    assert top[:, 1].min() >= -1e-6 and bottom[:, 1].max() <= 0.5 + 1e-6


def test_circles_radii_per_class() -> None:
    exact = toy.circles(n_samples=200, noise=0.0, factor=0.3)
    x, y = _all(exact, 0), _all(exact, 1)
    np.testing.assert_allclose(np.hypot(*x[y == 0].T), 1, atol=1e-6)
    np.testing.assert_allclose(np.hypot(*x[y == 1].T), 0.3, atol=1e-6)
    noisy = toy.circles(n_samples=400, noise=0.05, factor=0.5, seed=2)
    x, y = _all(noisy, 0), _all(noisy, 1)
    r0, r1 = np.hypot(*x[y == 0].T), np.hypot(*x[y == 1].T)
    assert abs(r0.mean() - 1) < 0.02 and abs(r1.mean() - 0.5) < 0.02 and r0.std() > 0.01


def test_spiral_points_lie_on_their_arm() -> None:
    splits = toy.spirals(n_samples=301, n_arms=4, noise=0.0)
    assert splits.num_classes == 4
    x, y = _all(splits, 0), _all(splits, 1)
    r, angle = np.hypot(*x.T), np.arctan2(x[:, 1], x[:, 0])
    offset = angle - 2 * np.pi * (y / 4 + r)  # a multiple of 2 pi on arm y
    np.testing.assert_allclose(np.cos(offset), 1, atol=1e-5)
    assert r.max() <= 1 + 1e-6 and np.bincount(y).tolist() == [76, 75, 75, 75]


def test_blobs_gather_around_their_centres() -> None:
    splits = toy.blobs(n_samples=900, n_features=3, centers=4, noise=0.5, seed=1)
    centers = splits.info["centers"]
    assert centers.shape == (4, 3) and np.abs(centers).max() <= 10
    x, y = _all(splits, 0), _all(splits, 1)
    for k in range(4):
        assert np.linalg.norm(x[y == k].mean(axis=0) - centers[k]) < 0.2


@pytest.mark.parametrize(("noise", "tol"), [(0.0, 1e-5), (0.1, 0.05)])
def test_linear_regression_recovers_w_and_b_by_least_squares(noise: float, tol: float) -> None:
    splits = toy.linear_regression(n_samples=400, n_features=4, noise=noise, seed=3)
    _check_layout(splits, 400, (4,), (1,))
    x, y = _all(splits, 0).astype(np.float64), _all(splits, 1)[:, 0]
    design = np.c_[x, np.ones(len(x))]
    solution = np.linalg.lstsq(design, y, rcond=None)[0]
    np.testing.assert_allclose(solution[:4], splits.info["w"], atol=tol)
    assert abs(solution[4] - splits.info["b"]) < tol
    assert str(round(splits.info["b"], 3)) in splits.description


def test_tags_are_multi_hot_and_decided_by_their_words() -> None:
    exact = toy.tags(n_samples=400, n_tags=6, words_per_tag=3, noise=0.0)
    assert exact.task == "multilabel" and exact.num_classes == 6
    _check_layout(exact, 400, (18,), (6,))
    x, y = _all(exact, 0), _all(exact, 1)
    assert y.dtype == np.float32 and set(np.unique(y)) == {0.0, 1.0}
    assert y.sum(axis=1).min() >= 1 and y.sum(axis=1).max() > 1  # one or more tags each
    word_blocks = x.reshape(400, 6, 3).sum(axis=2)
    np.testing.assert_array_equal(word_blocks > 0, y == 1)
    noisy = toy.tags(n_samples=400, noise=0.5, seed=1)
    x, y = _all(noisy, 0), _all(noisy, 1)
    blocks = x.reshape(400, 5, 4).sum(axis=2)
    assert np.all(blocks[y == 1] > 0) and np.any(blocks[y == 0] > 0)  # chance words too
    assert noisy.class_names[:2] == ("sports", "politics")


def test_ratings_are_user_item_pairs_with_implicit_relevance() -> None:
    splits = toy.ratings(n_users=30, n_items=25, items_per_user=12, noise=0.0, seed=2)
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
        toy.spirals(n_arms=1)
    with pytest.raises(ValueError, match="circles: factor must be between 0 and 1"):
        toy.circles(factor=1.5)
    with pytest.raises(ValueError, match="moons: noise must be >= 0"):
        toy.moons(noise=-0.1)
    with pytest.raises(ValueError, match="blobs: centers must be >= 1"):
        toy.blobs(centers=0)
    with pytest.raises(ValueError, match=r"ratings: items_per_user must be in 1..10"):
        toy.ratings(n_items=10, items_per_user=11)
