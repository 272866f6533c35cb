"""Precision, recall, F1, confusion matrix: vs scikit-learn, streaming, errors."""

import math
import warnings
from typing import Any

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.train.metrics.confusion import (
    F1Score,
    Recall,
    confusion_matrix,
    f1,
    precision,
)
from tests.train.metrics._common import (
    CUTS,
    PRF,
    PRF_CLASSES,
    SEED,
    SEEDS,
    SK_PRF,
    STREAM,
    N,
    _labels,
    _logits,
    _raises,
    _same,
    _stream,
)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", PRF)
@pytest.mark.parametrize("average", ["macro", "micro", "weighted"])
@pytest.mark.parametrize("zero_division", [0.0, 1.0, np.nan])
def test_prf_averages_match_sklearn(
    seed: int, name: str, average: Any, zero_division: float
) -> None:
    preds, targets = _labels(seed)
    expected = SK_PRF[name](targets, preds, average=average, zero_division=zero_division)
    got = PRF[name](preds, targets, average=average, zero_division=zero_division)
    assert isinstance(got, float)
    _same(got, expected)
    # Classes absent from both targets and predictions do not change an average.
    _same(PRF[name](preds, targets, 9, average=average, zero_division=zero_division), expected)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", PRF)
@pytest.mark.parametrize("zero_division", [0.0, 1.0, np.nan])
def test_prf_per_class_matches_sklearn_over_all_classes(
    seed: int, name: str, zero_division: float
) -> None:
    preds, targets = _labels(seed)
    labels = np.arange(8)
    expected = SK_PRF[name](
        targets, preds, labels=labels, average=None, zero_division=zero_division
    )
    got = PRF[name](preds, targets, 8, average=None, zero_division=zero_division)
    assert isinstance(got, np.ndarray) and got.shape == (8,)
    _same(got, expected)


def test_prf_default_zero_division_is_sklearns_warn_value_zero() -> None:
    preds, targets = np.array([0, 0, 2]), np.array([0, 1, 1])  # 1 never predicted, 2 never true
    for name, fn in PRF.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # UndefinedMetricWarning
            expected = SK_PRF[name](targets, preds, average="macro")
        assert fn(preds, targets) == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize("seed", SEEDS)
def test_prf_from_logits_match_sklearn_on_their_argmax(seed: int) -> None:
    logits, targets = _logits(seed)
    for name, fn in PRF.items():
        expected = SK_PRF[name](targets, logits.argmax(1), average="weighted", zero_division=0.0)
        assert fn(sg.tensor(logits), targets, average="weighted") == pytest.approx(expected)


@pytest.mark.parametrize("seed", SEEDS)
def test_confusion_matrix_matches_sklearn(seed: int) -> None:
    preds, targets = _labels(seed)
    got = confusion_matrix(preds, targets, 7)
    np.testing.assert_array_equal(got, skm.confusion_matrix(targets, preds, labels=np.arange(7)))
    assert got.dtype == np.int64 and got.sum() == 50
    logits, y = _logits(seed)
    np.testing.assert_array_equal(
        confusion_matrix(logits, y), skm.confusion_matrix(y, logits.argmax(1), labels=range(6))
    )


@STREAM
@given(seed=SEED, cuts=CUTS, average=st.sampled_from(["macro", "micro", "weighted", None]))
def test_streaming_precision_recall_f1_equal_one_shot(
    seed: int, cuts: list[int], average: Any
) -> None:
    preds, targets = _labels(seed, N, 6)
    for name, cls in PRF_CLASSES.items():
        for zd in (0.0, 1.0, math.nan):
            got = _stream(cls(7, average=average, zero_division=zd), preds, targets, cuts)
            _same(got, PRF[name](preds, targets, 7, average=average, zero_division=zd))


def test_reset_forgets_earlier_batches() -> None:
    m = F1Score(3, average=None)
    m.update([0, 0, 0], [1, 2, 0])
    m.reset()
    m.update([0, 1, 2], [0, 1, 2])
    np.testing.assert_array_equal(m.compute(), [1.0, 1.0, 1.0])


def test_error_logit_width_and_num_classes() -> None:
    _raises(
        ShapeError,
        "f1: logits must have one column per class: C=3 != num_classes=4 (preds=(2, 3))",
        lambda: f1(np.zeros((2, 3)), [0, 1], 4),
    )
    _raises(
        ValueError,
        "confusion_matrix: num_classes must be >= 1, got 0",
        lambda: confusion_matrix([0], [0], 0),
    )
    _raises(ValueError, "F1Score: num_classes must be >= 1, got -2", lambda: F1Score(-2))


def test_error_average_and_zero_division() -> None:
    _raises(
        ValueError,
        "f1: average must be one of ('macro', 'micro', 'weighted', None), got 'binary'",
        lambda: f1([0], [0], average="binary"),  # type: ignore[arg-type]
    )
    _raises(
        ValueError,
        "precision: zero_division must be 0.0, 1.0 or nan, got 0.5",
        lambda: precision([0], [0], zero_division=0.5),
    )
    _raises(ValueError, "Recall: average must be one of", lambda: Recall(3, average="samples"))  # type: ignore[arg-type]
