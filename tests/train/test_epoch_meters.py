import numpy as np
from sklearn.metrics import accuracy_score

import scratchgrad as sg
from scratchgrad.train.epoch_meters import EpochMeters
from scratchgrad.train.metrics import Accuracy, MeanMetric
from scratchgrad.train.module import StepOutput


def _batch(rng: np.random.Generator, n: int) -> tuple[StepOutput, np.ndarray, np.ndarray]:
    logits, target = rng.normal(size=(n, 3)).astype(np.float32), rng.integers(0, 3, n)
    return StepOutput(sg.tensor(0.0), sg.tensor(logits), sg.tensor(target)), logits, target


def test_update_weights_the_loss_by_batch_size_and_scores_the_task() -> None:
    rng = np.random.default_rng(0)
    meters = EpochMeters({"loss": MeanMetric(), "accuracy": Accuracy()})
    preds, targets = [], []
    for n, loss in ((4, 1.0), (2, 4.0)):
        out, logits, target = _batch(rng, n)
        meters.update(out, loss, {"lr": 0.1})
        preds.append(logits.argmax(1))
        targets.append(target)
    got = meters.compute("train")
    assert got["train_loss"] == (4 * 1.0 + 2 * 4.0) / 6 and abs(got["train_lr"] - 0.1) < 1e-12
    expected = accuracy_score(np.concatenate(targets), np.concatenate(preds))
    assert got["train_accuracy"] == expected


def test_a_restored_state_continues_as_if_unbroken() -> None:
    rng = np.random.default_rng(1)
    batches = [_batch(rng, 5)[0] for _ in range(4)]
    whole = EpochMeters({"loss": MeanMetric(), "accuracy": Accuracy()})
    for i, out in enumerate(batches):
        whole.update(out, float(i), {"g_loss": 2.0 * i})
    first = EpochMeters({"loss": MeanMetric(), "accuracy": Accuracy()})
    for i, out in enumerate(batches[:2]):
        first.update(out, float(i), {"g_loss": 2.0 * i})
    second = EpochMeters({"loss": MeanMetric(), "accuracy": Accuracy()})
    second.load_state_dict(first.state_dict())
    for i, out in enumerate(batches[2:], start=2):
        second.update(out, float(i), {"g_loss": 2.0 * i})
    assert second.compute("train") == whole.compute("train")
