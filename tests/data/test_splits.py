"""train_val_test_split and its helpers: sizes, coverage, stratification, seeds, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import train_test_split

import scratchgrad as sg
from scratchgrad.data.splits import (
    split_indices,
    split_sizes,
    stratified_indices,
    train_val_test_split,
)


def _labels(counts: list[int]) -> np.ndarray:
    return np.repeat(np.arange(len(counts)), counts)


def _assert_partition(parts: tuple[np.ndarray, ...], n: int) -> None:
    joined = np.concatenate(parts)
    assert all(p.dtype == np.int64 for p in parts)
    assert len(joined) == n and len(np.unique(joined)) == n  # disjoint
    np.testing.assert_array_equal(np.sort(joined), np.arange(n))  # complete


# ------------------------------------------------------------------------------ sizes
@pytest.mark.parametrize(
    ("n", "fractions", "expected"),
    [
        (10, None, (7, 2, 1)),  # 7, 1.5, 1.5: the first of the tied remainders gets it
        (100, None, (70, 15, 15)),
        (150, None, (105, 23, 22)),
        (100, (0.8, 0.1, 0.1), (80, 10, 10)),
        (7, (1 / 3, 1 / 3, 1 / 3), (3, 2, 2)),
        (1000, [0.6, 0.2, 0.2], (600, 200, 200)),
    ],
)
def test_sizes_from_fractions(n: int, fractions: list[float] | None, expected: tuple) -> None:
    assert split_sizes(n, fractions) == expected


@pytest.mark.parametrize("n", [7, 17, 99, 1001])
def test_sizes_add_up_and_stay_within_one_of_the_exact_share(n: int) -> None:
    fractions = (0.55, 0.3, 0.15)
    sizes = split_sizes(n, fractions)
    assert sum(sizes) == n
    assert all(abs(s - n * f) < 1 for s, f in zip(sizes, fractions, strict=True))


def test_sizes_given_directly() -> None:
    assert split_sizes(100, sizes=(80, 15, 5)) == (80, 15, 5)
    x = np.arange(100)
    ((tr, va, te),) = train_val_test_split(x, sizes=(80, 15, 5))
    assert (len(tr), len(va), len(te)) == (80, 15, 5)


# --------------------------------------------------------------------------- coverage
@pytest.mark.parametrize("shuffle", [True, False])
@pytest.mark.parametrize("stratified", [True, False])
def test_indices_are_disjoint_and_complete(shuffle: bool, stratified: bool) -> None:
    y = _labels([40, 25, 15])
    parts = split_indices(80, stratify=y if stratified else None, shuffle=shuffle, seed=3)
    _assert_partition(parts, 80)
    assert tuple(len(p) for p in parts) == split_sizes(80)


def test_no_shuffle_gives_consecutive_blocks() -> None:
    tr, va, te = split_indices(20, shuffle=False)
    assert tr.tolist() == list(range(14)) and va.tolist() == [14, 15, 16]
    assert te.tolist() == [17, 18, 19]


def test_arrays_keep_their_kind_and_rows_stay_aligned() -> None:
    x = np.arange(60.0).reshape(30, 2)
    y = sg.arange(30)
    (x_tr, x_va, x_te), (y_tr, y_va, y_te) = train_val_test_split(x, y, seed=5)
    for xs, ys in [(x_tr, y_tr), (x_va, y_va), (x_te, y_te)]:
        assert isinstance(xs, np.ndarray) and isinstance(ys, sg.Tensor)
        np.testing.assert_array_equal(xs[:, 0] / 2, ys.numpy())  # row i of x is 2i, 2i+1
    assert sorted(np.concatenate([y_tr.numpy(), y_va.numpy(), y_te.numpy()])) == list(range(30))


def test_three_arrays_and_tensor_labels() -> None:
    a, b, c = np.arange(10), np.arange(10) * 10, np.arange(10) * 100
    labels = sg.tensor([0, 1] * 5)
    out = train_val_test_split(a, b, c, sizes=(4, 3, 3), stratify=labels)
    assert len(out) == 3
    for s in range(3):
        np.testing.assert_array_equal(out[1][s], out[0][s] * 10)
        np.testing.assert_array_equal(out[2][s], out[0][s] * 100)


# --------------------------------------------------------------------- stratification
@pytest.mark.parametrize(
    ("counts", "fractions"),
    [
        ([50, 50, 50], (0.7, 0.15, 0.15)),
        ([212, 357], (0.7, 0.15, 0.15)),
        ([59, 71, 48], (0.6, 0.2, 0.2)),
        ([500, 30, 7, 120, 9], (0.5, 0.25, 0.25)),
        ([13, 17, 19, 23], (1 / 3, 1 / 3, 1 / 3)),
    ],
)
def test_stratified_counts_stay_within_one_sample_of_each_share(
    counts: list[int], fractions: tuple[float, float, float]
) -> None:
    y = _labels(counts)
    n, parts = len(y), split_indices(len(y), fractions=fractions, stratify=y, seed=1)
    sizes = split_sizes(n, fractions)
    assert tuple(len(p) for p in parts) == sizes  # the same sizes as an unstratified split
    for size, part in zip(sizes, parts, strict=True):
        got = np.bincount(y[part], minlength=len(counts))
        expected = np.asarray(counts) * size / n  # the exact share of each class
        assert np.all(np.abs(got - expected) < 1), (got, expected)
        assert np.all(got >= 1)


def test_stratified_train_part_agrees_with_scikit_learn() -> None:
    y = _labels([212, 357])
    (tr, _, _) = split_indices(len(y), stratify=y, seed=0)
    rest = len(y) - len(tr)
    sk_train, _ = train_test_split(y, test_size=rest, stratify=y, random_state=0)
    ours = np.bincount(y[tr])
    theirs = np.bincount(sk_train)
    assert len(sk_train) == len(tr)
    assert np.all(np.abs(ours - theirs) <= 1), (ours, theirs)


@settings(max_examples=40, deadline=None)
@given(
    counts=st.lists(st.integers(4, 80), min_size=1, max_size=12),
    weights=st.tuples(st.integers(2, 8), st.integers(1, 4), st.integers(1, 4)),
    seed=st.integers(0, 1000),
)
def test_stratified_property(counts: list[int], weights: tuple[int, int, int], seed: int) -> None:
    y = _labels(counts)
    fractions = [w / sum(weights) for w in weights]
    try:
        parts = split_indices(len(y), fractions=fractions, stratify=y, seed=seed)
    except ValueError as err:  # a class or a split too small: refused, never mis-split
        assert "too few" in str(err) or "would be empty" in str(err)
        return
    _assert_partition(parts, len(y))
    for size, part in zip(split_sizes(len(y), fractions), parts, strict=True):
        share = np.asarray(counts) * size / len(y)
        got = np.bincount(y[part], minlength=len(counts))
        assert abs(len(part) - size) <= 2  # exact unless tiny classes make it impossible
        assert np.all(np.abs(got - share) < 1) and np.all(got >= 1)


def test_tiny_classes_move_a_split_size_rather_than_leave_a_split() -> None:
    # Shares (2.5, 0.75, 0.75) twice and (5, 1.5, 1.5): with sizes (10, 3, 3) some class
    # would miss val or test, so train gets 9 and every class stays in every split.
    y = _labels([4, 4, 8])
    parts = stratified_indices(y, (10, 3, 3), seed=0)
    _assert_partition(parts, 16)
    assert sorted(len(p) for p in parts) == [3, 4, 9]
    for size, part in zip((10, 3, 3), parts, strict=True):
        got = np.bincount(y[part], minlength=3)
        assert np.all(got >= 1) and np.all(np.abs(got - np.array([4, 4, 8]) * size / 16) < 1)


def test_string_labels_and_no_shuffle() -> None:
    y = np.array(["cat", "dog"] * 10)
    tr, va, te = stratified_indices(y, (10, 5, 5), shuffle=False)
    assert tr.tolist() == sorted(tr.tolist()) and va.tolist() == sorted(va.tolist())
    assert (y[tr] == "cat").sum() == 5
    assert sorted([(y[va] == "cat").sum(), (y[te] == "cat").sum()]) == [2, 3]


# ------------------------------------------------------------------------ determinism
def test_same_seed_same_split_other_seed_other_split() -> None:
    y = _labels([30, 30, 40])
    a = split_indices(100, stratify=y, seed=7)
    b = split_indices(100, stratify=y, seed=7)
    c = split_indices(100, stratify=y, seed=8)
    assert all(np.array_equal(p, q) for p, q in zip(a, b, strict=True))
    assert not np.array_equal(a[0], c[0])
    d, e = split_indices(100, seed=7), split_indices(100, seed=7)
    assert all(np.array_equal(p, q) for p, q in zip(d, e, strict=True))
    assert not np.array_equal(d[0], split_indices(100, seed=8)[0])


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fractions": (0.7, 0.2, 0.2)}, r"sum to 1.1, not 1"),
        ({"fractions": (0.5, 0.5)}, "three numbers"),
        ({"fractions": (1.2, -0.1, -0.1)}, "three numbers >= 0"),
        ({"fractions": (0.98, 0.01, 0.01)}, "the val split would be empty"),
        ({"fractions": (0.9, 0.1, 0.0)}, "the test split would be empty"),
        ({"sizes": (5, 3, 3)}, r"sum to 11, not 10 samples"),
        ({"sizes": (5, 5)}, "three ints"),
        ({"sizes": (10, 0, 0)}, "the val split would be empty"),
        ({"sizes": (8, 1, 1), "fractions": (0.8, 0.1, 0.1)}, "not both"),
    ],
)
def test_bad_sizes_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        train_val_test_split(np.arange(10), **kwargs)


def test_bad_stratify_labels_are_refused() -> None:
    with pytest.raises(ValueError, match=r"labels must have shape \(10,\).*got \(9,\)"):
        train_val_test_split(np.arange(10), stratify=np.zeros(9))
    with pytest.raises(ValueError, match=r"got \(10, 2\)"):
        train_val_test_split(np.arange(10), stratify=np.zeros((10, 2)))


def test_class_too_small_is_named() -> None:
    y = np.array(["common"] * 40 + ["rare"] * 2)
    with pytest.raises(ValueError, match="class 'rare' has 2 samples, too few to appear in every"):
        train_val_test_split(np.arange(42), stratify=y)


def test_split_too_small_for_every_class() -> None:
    y = _labels([4] * 10)  # ten classes, but the val split has only 6 places
    with pytest.raises(ValueError, match="the val split has 6 samples, too few to hold every"):
        split_indices(40, stratify=y)


def test_no_arrays_or_different_lengths() -> None:
    with pytest.raises(ValueError, match="no arrays"):
        train_val_test_split()
    with pytest.raises(ValueError, match=r"differ in first dim: shapes \[\(10,\), \(9, 2\)\]"):
        train_val_test_split(np.arange(10), np.zeros((9, 2)))
