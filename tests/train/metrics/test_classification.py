"""Accuracy and top-k accuracy: vs scikit-learn, streaming vs one-shot, errors."""

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.train.metrics.classification import (
    Accuracy,
    TopKAccuracy,
    accuracy,
    top_k_accuracy,
)
from scratchgrad.train.metrics.confusion import (
    ConfusionMatrix,
    confusion_matrix,
    precision,
)
from tests.train.metrics._common import (
    CUTS,
    SEED,
    SEEDS,
    STREAM,
    N,
    _logits,
    _raises,
    _stream,
)


# ---------------------------------------------------------------- classification vs sklearn
@pytest.mark.parametrize("seed", SEEDS)
def test_accuracy_matches_sklearn_on_logits_labels_and_tensors(seed: int) -> None:
    logits, targets = _logits(seed)
    expected = skm.accuracy_score(targets, logits.argmax(1))
    assert accuracy(logits, targets) == expected
    assert accuracy(logits.argmax(1), targets) == expected
    assert accuracy(sg.tensor(logits, requires_grad=True), sg.tensor(targets)) == expected
    assert isinstance(accuracy(logits, targets), float)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [1, 2, 3, 5, 6])
def test_top_k_accuracy_matches_sklearn(seed: int, k: int) -> None:
    scores, targets = _logits(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns that k == C is a perfect score
        expected = skm.top_k_accuracy_score(targets, scores, k=k, labels=np.arange(6))
    assert top_k_accuracy(scores, targets, k=k) == pytest.approx(expected, abs=1e-15)


def test_top_1_equals_accuracy_even_with_ties() -> None:
    scores = np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0], [3.0, 3.0, 3.0], [0.0, 0.0, 1.0]])
    targets = np.array([1, 1, 2, 2])
    assert top_k_accuracy(scores, targets, k=1) == accuracy(scores, targets) == 0.5
    assert top_k_accuracy(scores, targets, k=2) == 0.75  # [3, 3, 3]: class 2 ranks third


@STREAM
@given(seed=SEED, cuts=CUTS)
def test_streaming_accuracy_top_k_and_confusion_equal_one_shot(seed: int, cuts: list[int]) -> None:
    logits, targets = _logits(seed, N, 5)
    assert _stream(Accuracy(), logits, targets, cuts) == accuracy(logits, targets)
    assert _stream(TopKAccuracy(3), logits, targets, cuts) == top_k_accuracy(logits, targets, 3)
    np.testing.assert_array_equal(
        _stream(ConfusionMatrix(5), logits, targets, cuts), confusion_matrix(logits, targets)
    )


def test_error_wrong_ranks_for_classification() -> None:
    _raises(
        ShapeError,
        "accuracy: targets must be labels (N,), got (3, 2) (preds=(3, 2))",
        lambda: accuracy(np.zeros((3, 2)), np.zeros((3, 2), dtype=int)),
    )
    _raises(
        ShapeError,
        "precision: predictions must be logits (N, C) or labels (N,), got (2, 3, 4) (targets=(2,))",
        lambda: precision(np.zeros((2, 3, 4)), [0, 1]),
    )
    _raises(
        ShapeError,
        "top_k_accuracy: expects scores (N, C) and labels (N,), got preds=(3,), targets=(3,)",
        lambda: top_k_accuracy([0, 1, 2], [0, 1, 2], k=1),
    )


def test_error_k_outside_one_to_num_classes() -> None:
    message = "top_k_accuracy: k must be in [1, C], the number of classes: k=4, C=3 (preds=(2, 3))"
    _raises(ValueError, message, lambda: top_k_accuracy(np.zeros((2, 3)), [0, 1], k=4))
    _raises(ValueError, "k=0, C=3", lambda: top_k_accuracy(np.zeros((2, 3)), [0, 1], k=0))
    _raises(
        ValueError,
        "TopKAccuracy.update: k must be in [1, C]",
        lambda: TopKAccuracy(5).update(np.zeros((1, 2)), [0]),
    )
