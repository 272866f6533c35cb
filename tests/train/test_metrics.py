"""Metrics: functions vs scikit-learn and torch, streaming vs one-shot, every error message."""

import math
import re
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import sklearn.metrics as skm
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import scratchgrad as sg
from scratchgrad.errors import ShapeError
from scratchgrad.train import (
    Accuracy,
    ConfusionMatrix,
    F1Score,
    MeanAbsoluteError,
    MeanMetric,
    MeanSquaredError,
    Metric,
    Perplexity,
    Precision,
    R2Score,
    Recall,
    TopKAccuracy,
    accuracy,
    build_metrics,
    compute_all,
    confusion_matrix,
    f1,
    mae,
    mse,
    perplexity,
    precision,
    r2,
    recall,
    reset_all,
    top_k_accuracy,
    update_all,
)

SEEDS = [0, 1, 2, 3, 4]
PRF = {"precision": precision, "recall": recall, "f1": f1}
SK_PRF = {"precision": skm.precision_score, "recall": skm.recall_score, "f1": skm.f1_score}
PRF_CLASSES: dict[str, Callable[..., Metric]] = {
    "precision": Precision,
    "recall": Recall,
    "f1": F1Score,
}


def _labels(seed: int, n: int = 50, c: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Predicted and true labels, each drawn from a random subset of the C classes, so some
    classes are never predicted, some never true, and some neither."""
    rng = np.random.default_rng(seed)
    pred_classes = rng.choice(c, size=rng.integers(2, c + 1), replace=False)
    true_classes = rng.choice(c, size=rng.integers(2, c + 1), replace=False)
    return rng.choice(pred_classes, n), rng.choice(true_classes, n)


def _logits(seed: int, n: int = 50, c: int = 6) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, c)).astype(np.float32), rng.integers(0, c, n)


def _regression(seed: int, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    targets = rng.standard_normal(shape) * 3 + 10
    return (targets + rng.standard_normal(shape)).astype(np.float32), targets.astype(np.float32)


def _same(a: Any, b: Any) -> None:
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=0, equal_nan=True)


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


# ---------------------------------------------------------------- regression vs sklearn
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", [(40,), (40, 1), (40, 3)])
def test_regression_metrics_match_sklearn(seed: int, shape: tuple[int, ...]) -> None:
    preds, targets = _regression(seed, shape)
    p64, t64 = preds.astype(np.float64), targets.astype(np.float64)
    _same(mse(preds, targets), skm.mean_squared_error(t64, p64))
    _same(mae(preds, targets), skm.mean_absolute_error(t64, p64))
    np.testing.assert_allclose(r2(sg.tensor(preds), targets), skm.r2_score(t64, p64), rtol=1e-10)


def test_r2_edge_cases_follow_sklearn() -> None:
    constant = np.array([[2.0, 5.0], [2.0, 5.0], [2.0, 5.0]])
    preds = np.array([[2.0, 4.0], [2.0, 5.0], [2.0, 6.0]])  # output 0 exact, output 1 not
    assert r2(preds, constant) == skm.r2_score(constant, preds) == 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn: "not well-defined with less than two samples"
        assert math.isnan(skm.r2_score([1.0], [2.0]))
    assert math.isnan(r2([2.0], [1.0]))


# ---------------------------------------------------------------- perplexity vs torch
def _torch_ppl(logits: np.ndarray, targets: np.ndarray, ignore_index: int = -100) -> float:
    x = torch.from_numpy(logits).reshape(-1, logits.shape[-1])
    loss = torch.nn.functional.cross_entropy(
        x, torch.from_numpy(targets).reshape(-1), ignore_index=ignore_index
    )
    return math.exp(loss.item())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_perplexity_matches_exp_of_torch_cross_entropy(seed: int, dtype: Any) -> None:
    rng = np.random.default_rng(seed)
    logits = (rng.standard_normal((4, 9, 30)) * 3).astype(dtype)  # (B, T, V)
    targets = rng.integers(0, 30, (4, 9))
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    expected = _torch_ppl(logits, targets)
    np.testing.assert_allclose(perplexity(logits, targets), expected, rtol=rtol)
    np.testing.assert_allclose(
        perplexity(logits.reshape(36, 30), targets.ravel()), expected, rtol=rtol
    )
    targets[:, -3:] = -100  # padding
    np.testing.assert_allclose(
        perplexity(sg.tensor(logits), targets, ignore_index=-100),
        _torch_ppl(logits, targets),
        rtol=rtol,
    )


def test_perplexity_of_float16_logits_is_computed_in_float32() -> None:
    rng = np.random.default_rng(0)
    logits = (rng.standard_normal((64, 50)) * 4).astype(np.float16)
    targets = rng.integers(0, 50, 64)
    expected = _torch_ppl(logits.astype(np.float32), targets)
    np.testing.assert_allclose(perplexity(logits, targets), expected, rtol=1e-5)


def test_perplexity_of_a_loss_and_extreme_logits() -> None:
    loss = torch.nn.functional.cross_entropy(torch.randn(8, 5), torch.randint(0, 5, (8,)))
    assert perplexity(loss.item()) == pytest.approx(math.exp(loss.item()))
    assert perplexity(sg.tensor(2.0)) == pytest.approx(math.exp(2.0))
    assert perplexity(np.array([math.log(3.0)])) == pytest.approx(3.0)
    logits = np.array([[1000.0, -1000.0], [0.0, 1000.0]], dtype=np.float32)
    assert perplexity(logits, np.array([0, 1])) == 1.0  # no overflow in exp


# ---------------------------------------------------------------- streaming == one-shot
def _batches(n: int, cuts: list[int]) -> Iterator[slice]:
    edges = [0, *sorted(set(cuts)), n]
    return (slice(a, b) for a, b in zip(edges, edges[1:], strict=False))


def _stream(metric: Metric, preds: np.ndarray, targets: np.ndarray, cuts: list[int]) -> Any:
    metric.reset()
    for s in _batches(len(targets), cuts):
        metric.update(preds[s], targets[s])
    return metric.compute()


N = 37
CUTS = st.lists(st.integers(1, N - 1), max_size=8)
SEED = st.integers(0, 2**16)
STREAM = settings(max_examples=25, deadline=None)


@STREAM
@given(seed=SEED, cuts=CUTS)
def test_streaming_accuracy_top_k_and_confusion_equal_one_shot(seed: int, cuts: list[int]) -> None:
    logits, targets = _logits(seed, N, 5)
    assert _stream(Accuracy(), logits, targets, cuts) == accuracy(logits, targets)
    assert _stream(TopKAccuracy(3), logits, targets, cuts) == top_k_accuracy(logits, targets, 3)
    np.testing.assert_array_equal(
        _stream(ConfusionMatrix(5), logits, targets, cuts), confusion_matrix(logits, targets)
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


@STREAM
@given(seed=SEED, cuts=CUTS, outputs=st.sampled_from([(N,), (N, 1), (N, 3)]))
def test_streaming_regression_equals_one_shot(
    seed: int, cuts: list[int], outputs: tuple[int, ...]
) -> None:
    preds, targets = _regression(seed, outputs)
    np.testing.assert_allclose(
        _stream(MeanSquaredError(), preds, targets, cuts), mse(preds, targets), rtol=1e-12
    )
    np.testing.assert_allclose(
        _stream(MeanAbsoluteError(), preds, targets, cuts), mae(preds, targets), rtol=1e-12
    )
    np.testing.assert_allclose(
        _stream(R2Score(), preds, targets, cuts), r2(preds, targets), rtol=1e-10
    )


def test_streaming_r2_is_not_an_average_of_batch_scores() -> None:
    targets = np.arange(10.0)
    preds = targets + np.array([1.0, -1.0] * 5)
    halves = [r2(preds[:5], targets[:5]), r2(preds[5:], targets[5:])]
    assert _stream(R2Score(), preds, targets, [5]) == pytest.approx(r2(preds, targets))
    assert abs(np.mean(halves) - r2(preds, targets)) > 0.1


def test_streaming_r2_stays_accurate_far_from_zero() -> None:
    rng = np.random.default_rng(0)
    targets = 1e8 + rng.standard_normal(1000)  # sum(y²) - (sum y)²/n would lose every digit
    preds = targets + 0.5 * rng.standard_normal(1000)
    got = _stream(R2Score(), preds, targets, list(range(7, 1000, 7)))
    np.testing.assert_allclose(got, skm.r2_score(targets, preds), rtol=1e-6)


@STREAM
@given(seed=SEED, cuts=st.lists(st.integers(1, 11), max_size=5))
def test_streaming_perplexity_equals_one_shot(seed: int, cuts: list[int]) -> None:
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((12, 6, 11)).astype(np.float32)  # batches split along B
    targets = rng.integers(0, 11, (12, 6))
    targets[rng.random((12, 6)) < 0.3] = -1
    got = _stream(Perplexity(ignore_index=-1), logits, targets, cuts)
    np.testing.assert_allclose(got, perplexity(logits, targets, ignore_index=-1), rtol=1e-12)


@STREAM
@given(seed=SEED, cuts=CUTS)
def test_mean_metric_weighted_by_batch_size_is_the_sample_mean(seed: int, cuts: list[int]) -> None:
    losses = np.random.default_rng(seed).random(N)
    by_mean, by_values = MeanMetric(), MeanMetric()
    for s in _batches(N, cuts):
        by_mean.update(sg.tensor(losses[s].mean()), weight=len(losses[s]))
        by_values.update(losses[s])
    assert by_mean.compute() == pytest.approx(losses.mean(), rel=1e-12)
    assert by_values.compute() == pytest.approx(losses.mean(), rel=1e-12)


def test_mean_metric_with_a_weight_per_value() -> None:
    m = MeanMetric()
    m.update([1.0, 3.0], weight=[1.0, 3.0])
    m.update(5.0)
    assert m.compute() == pytest.approx((1 + 9 + 5) / 5)


def test_reset_forgets_earlier_batches() -> None:
    m = F1Score(3, average=None)
    m.update([0, 0, 0], [1, 2, 0])
    m.reset()
    m.update([0, 1, 2], [0, 1, 2])
    np.testing.assert_array_equal(m.compute(), [1.0, 1.0, 1.0])


# ---------------------------------------------------------------- collections and defaults
def test_build_metrics_defaults_and_compute_all() -> None:
    cls = build_metrics("classification", num_classes=3)
    assert {k: type(v) for k, v in cls.items()} == {"accuracy": Accuracy, "f1_macro": F1Score}
    reg = build_metrics("regression")
    assert {k: type(v) for k, v in reg.items()} == {
        "mse": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "r2": R2Score,
    }
    assert {k: type(v) for k, v in build_metrics("language-model").items()} == {
        "perplexity": Perplexity
    }
    update_all(cls, [[0.9, 0.1, 0.0], [0.0, 0.2, 0.8]], [0, 1])
    assert compute_all(cls) == {
        "accuracy": 0.5,
        "f1_macro": pytest.approx(f1([0, 2], [0, 1], 3)),
    }
    reset_all(cls)
    with pytest.raises(ValueError, match="no samples since the last reset"):
        compute_all(cls)
    assert build_metrics("classification", 2) is not build_metrics("classification", 2)


def test_higher_is_better_says_which_way_improves() -> None:
    assert Accuracy.higher_is_better and F1Score.higher_is_better and R2Score.higher_is_better
    assert MeanSquaredError.higher_is_better is False and Perplexity.higher_is_better is False
    assert MeanMetric.higher_is_better is None


# ---------------------------------------------------------------- errors
def _raises(exc: type[Exception], message: str, fn: Callable[[], object]) -> None:
    with pytest.raises(exc, match=re.escape(message)):
        fn()


def test_error_sample_counts_differ() -> None:
    message = (
        "accuracy: predictions and targets must have the same number of samples: 4 != 3 "
        "(preds=(4, 2), targets=(3,))"
    )
    _raises(ShapeError, message, lambda: accuracy(np.zeros((4, 2)), [0, 1, 1]))
    _raises(ShapeError, "5 != 4 (preds=(5,), targets=(4,))", lambda: f1([0] * 5, [0] * 4))
    _raises(
        ShapeError,
        "Accuracy.update: predictions and targets",
        lambda: Accuracy().update([0], [0, 1]),
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


def test_error_labels_out_of_range() -> None:
    _raises(
        ValueError,
        "accuracy: targets must be in [0, num_classes): got min 0, max 3 with num_classes=3",
        lambda: accuracy(np.zeros((2, 3)), [0, 3]),
    )
    _raises(
        ValueError,
        "recall: predictions must be in [0, num_classes): got min 0, max 4 with num_classes=4",
        lambda: recall([0, 4], [0, 1], 4),
    )
    _raises(
        ValueError,
        "f1: targets must be in [0, num_classes): got min -1, max 1",
        lambda: f1([0, 1], [-1, 1]),
    )
    _raises(
        ValueError,
        "ConfusionMatrix.update: targets must be in [0, num_classes): got min 2, max 2 "
        "with num_classes=2",
        lambda: ConfusionMatrix(2).update([0], [2]),
    )
    _raises(
        ValueError,
        "perplexity: targets must be in [0, num_classes): got min 0, max 5 with num_classes=5",
        lambda: perplexity(np.zeros((2, 5)), [0, 5]),
    )


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


def test_error_k_outside_one_to_num_classes() -> None:
    message = "top_k_accuracy: k must be in [1, C], the number of classes: k=4, C=3 (preds=(2, 3))"
    _raises(ValueError, message, lambda: top_k_accuracy(np.zeros((2, 3)), [0, 1], k=4))
    _raises(ValueError, "k=0, C=3", lambda: top_k_accuracy(np.zeros((2, 3)), [0, 1], k=0))
    _raises(
        ValueError,
        "TopKAccuracy.update: k must be in [1, C]",
        lambda: TopKAccuracy(5).update(np.zeros((1, 2)), [0]),
    )


def test_error_labels_must_be_integers() -> None:
    _raises(
        TypeError,
        "accuracy: targets must be integer class labels, got dtype float64",
        lambda: accuracy([0, 1], [0.0, 1.0]),
    )
    _raises(
        TypeError,
        "precision: predictions must be integer class labels, got dtype float32",
        lambda: precision(np.array([0.2, 0.7], dtype=np.float32), [0, 1]),
    )
    _raises(
        TypeError,
        "perplexity: logits must be floating point, got dtype int64",
        lambda: perplexity(np.zeros((2, 3), dtype=np.int64), [0, 1]),
    )


def test_error_empty_input() -> None:
    _raises(
        ValueError,
        "accuracy: empty input: no samples (preds=(0, 3), targets=(0,))",
        lambda: accuracy(np.zeros((0, 3)), np.zeros(0, dtype=int)),
    )
    _raises(
        ValueError, "mse: empty input: no samples (preds=(0,), targets=(0,))", lambda: mse([], [])
    )
    _raises(
        ValueError,
        "r2: empty input: no samples (preds=(4, 0), targets=(4, 0))",
        lambda: r2(np.zeros((4, 0)), np.zeros((4, 0))),
    )
    _raises(
        ValueError,
        "perplexity: empty input: no targets (logits=(0, 5), targets=(0,))",
        lambda: perplexity(np.zeros((0, 5)), np.zeros(0, dtype=int)),
    )
    _raises(
        ValueError,
        "perplexity: empty input: every target equals ignore_index=-100",
        lambda: perplexity(np.zeros((2, 5)), [-100, -100], ignore_index=-100),
    )
    _raises(
        ValueError,
        "MeanMetric.update: empty input: no values (value=(0,))",
        lambda: MeanMetric().update([]),
    )


@pytest.mark.parametrize(
    "metric",
    [
        Accuracy(),
        TopKAccuracy(1),
        ConfusionMatrix(2),
        Precision(2),
        Recall(2),
        F1Score(2),
        MeanSquaredError(),
        MeanAbsoluteError(),
        R2Score(),
        Perplexity(),
        MeanMetric(),
    ],
)
def test_error_compute_before_update(metric: Metric) -> None:
    name = type(metric).__name__
    message = f"{name}.compute: empty input: no samples since the last reset()"
    _raises(ValueError, message, metric.compute)


def test_error_regression_shapes() -> None:
    _raises(
        ShapeError,
        "mse: predictions and targets must have the same shape: (4, 1) != (4,)",
        lambda: mse(np.zeros((4, 1)), np.zeros(4)),
    )
    _raises(
        ShapeError,
        "mae: expects values (N,) or (N, D), got (2, 2, 2)",
        lambda: mae(np.zeros((2, 2, 2)), np.zeros((2, 2, 2))),
    )
    _raises(ShapeError, "r2: expects values (N,) or (N, D), got ()", lambda: r2(1.0, 2.0))
    m = R2Score()
    m.update(np.zeros((3, 2)), np.ones((3, 2)))
    _raises(
        ShapeError,
        "R2Score.update: the number of outputs changed: D=3 != D=2 of earlier batches "
        "(preds=(1, 3), targets=(1, 3))",
        lambda: m.update(np.zeros((1, 3)), np.zeros((1, 3))),
    )


def test_error_perplexity_shapes() -> None:
    _raises(
        ShapeError,
        "perplexity: logits (..., C) and targets (...) must share the leading dims: "
        "logits=(2, 7, 5), targets=(2, 8)",
        lambda: perplexity(np.zeros((2, 7, 5)), np.zeros((2, 8), dtype=int)),
    )
    _raises(
        ShapeError,
        "perplexity: without targets, expects the mean cross-entropy, a scalar; got shape (2, 5)",
        lambda: perplexity(np.zeros((2, 5))),
    )


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


def test_error_mean_metric_weight_shape() -> None:
    _raises(
        ShapeError,
        "MeanMetric.update: weight must be a scalar or match the values: weight=(3,), value=(2,)",
        lambda: MeanMetric().update([1.0, 2.0], weight=[1.0, 1.0, 1.0]),
    )


def test_error_build_metrics() -> None:
    _raises(
        ValueError,
        "build_metrics: classification needs num_classes, got None",
        lambda: build_metrics("classification"),
    )
    _raises(
        ValueError,
        "build_metrics: task must be 'classification', 'regression' or 'language-model', "
        "got 'segmentation'",
        lambda: build_metrics("segmentation"),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_silhouette_matches_sklearn(seed: int) -> None:
    from sklearn.metrics import silhouette_score as sk_silhouette

    from scratchgrad.train import silhouette_score

    rng = np.random.default_rng(seed)
    x = rng.standard_normal((60, 3)) + np.repeat(np.eye(3) * 4, 20, axis=0)
    labels = rng.integers(0, 4, 60)
    labels[0] = 9  # a lone sample counts 0
    assert silhouette_score(x, labels) == pytest.approx(sk_silhouette(x, labels), abs=1e-10)


def test_silhouette_errors() -> None:
    from scratchgrad.train import silhouette_score

    with pytest.raises(ValueError, match="needs 2 to n_samples - 1 clusters, got 1"):
        silhouette_score(np.zeros((4, 2)), [0, 0, 0, 0])
    with pytest.raises(ValueError, match="don't match"):
        silhouette_score(np.zeros((4, 2)), [0, 1])
