"""Next-token sampling: temperature, top-k, and the draw's distribution."""

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.models._sampling import check_sampling, sample_next


def test_draws_follow_the_softmax_of_logits_over_temperature() -> None:
    logits = np.log(np.array([[0.1, 0.2, 0.3, 0.4]]))
    gen = sg.Generator(0)
    draws = np.concatenate([sample_next(logits, 1.0, None, gen) for _ in range(20000)])
    freq = np.bincount(draws[:, 0], minlength=4) / 20000
    np.testing.assert_allclose(freq, [0.1, 0.2, 0.3, 0.4], atol=0.015)
    hot = np.concatenate([sample_next(logits, 0.5, None, gen) for _ in range(20000)])
    p = np.array([0.1, 0.2, 0.3, 0.4]) ** 2  # temperature 0.5 squares the probabilities
    np.testing.assert_allclose(np.bincount(hot[:, 0], minlength=4) / 20000, p / p.sum(), atol=0.015)


def test_top_k_keeps_only_the_k_likeliest() -> None:
    logits = np.array([[0.0, 3.0, 1.0, 2.0], [5.0, 0.0, 0.0, 4.0]])
    gen = sg.Generator(1)
    draws = np.concatenate([sample_next(logits, 1.0, 2, gen) for _ in range(500)], axis=1)
    assert set(draws[0]) == {1, 3}
    assert set(draws[1]) == {0, 3}
    assert (sample_next(logits, 1.0, 1, gen)[:, 0] == logits.argmax(1)).all()


def test_check_sampling_names_the_bad_argument() -> None:
    check_sampling((2, 1), 0.5, 3)
    check_sampling((1, 4), 1.0, None)
    with pytest.raises(ValueError, match="generate: temperature must be > 0, got 0"):
        check_sampling((1, 4), 0, None)
    with pytest.raises(ValueError, match="generate: top_k must be >= 1 or None, got 0"):
        check_sampling((1, 4), 1.0, 0)
    for shape in [(4,), (1, 0), (1, 2, 3)]:
        with pytest.raises(ValueError, match=r"generate: idx must be \(B, T\) with T >= 1, got"):
            check_sampling(shape, 1.0, None)
