"""Token windows and the digit-sorting task."""

import numpy as np
import pytest

from scratchgrad.data import DataLoader
from scratchgrad.data.sequences import IGNORE_INDEX, TokenWindows, sort_digits


def test_windows_are_shifted_by_one_token() -> None:
    tokens = np.arange(100) * 3
    w = TokenWindows(tokens, block_size=8)
    assert len(w) == 92
    x, y = w.__getitems__([0, 91, -1])
    np.testing.assert_array_equal(x.numpy()[0], tokens[:8])
    np.testing.assert_array_equal(y.numpy()[1], tokens[92:100])
    np.testing.assert_array_equal(x.numpy()[2], x.numpy()[1])
    assert x.dtype == y.dtype


def test_non_overlapping_windows_cover_the_text_once() -> None:
    tokens = np.arange(50)
    w = TokenWindows(tokens, block_size=8, stride=8)
    xs = np.concatenate([w[i][0].numpy() for i in range(len(w))])
    np.testing.assert_array_equal(xs, tokens[: len(xs)])
    assert len(w) == 6  # 6 * 8 + 1 <= 50 tokens


def test_windows_batch_through_the_loader() -> None:
    w = TokenWindows(np.arange(40), block_size=4)
    x, y = next(iter(DataLoader(w, batch_size=5)))
    assert x.shape == y.shape == (5, 4)
    np.testing.assert_array_equal(y.numpy() - x.numpy(), np.ones((5, 4)))


def test_windows_refuse_bad_input() -> None:
    with pytest.raises(ValueError, match="too few"):
        TokenWindows(np.arange(4), block_size=4)
    with pytest.raises(ValueError, match="1-d"):
        TokenWindows(np.zeros((2, 9)), block_size=4)
    with pytest.raises(IndexError, match="out of range"):
        TokenWindows(np.arange(10), 4)[6]


def test_sort_digits_scores_only_the_sorted_half() -> None:
    data, vocab = sort_digits(50, length=5, seed=3)
    x, y = data.tensors[0].numpy(), data.tensors[1].numpy()
    assert x.shape == y.shape == (50, 10)
    assert (y[:, :5] == IGNORE_INDEX).all()
    prompt, answer = x[:, :5], y[:, 5:]
    np.testing.assert_array_equal(np.sort(prompt, axis=1), answer)
    assert (x[:, 5] == vocab.index(">")).all()
    again, _ = sort_digits(50, length=5, seed=3)
    np.testing.assert_array_equal(again.tensors[0].numpy(), x)
