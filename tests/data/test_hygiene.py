"""Data-split hygiene: each problem is found, named, counted; clean data gives nothing."""

import numpy as np
import pytest
from sklearn.preprocessing import StandardScaler

import scratchgrad as sg
from scratchgrad.data import load_dataset, train_val_test_split
from scratchgrad.data.hygiene import (
    duplicate_samples,
    model_selection_monitors,
    scaler_outside_train,
    selection_on_test_metric,
    vocabulary_leak,
    warn_findings,
)
from scratchgrad.errors import DataLeakageWarning
from scratchgrad.train import EarlyStopping, Trainer

rng = np.random.default_rng(0)


def test_duplicates_counted_per_pair_with_rows():
    train = rng.normal(size=(20, 3))
    val = np.vstack([rng.normal(size=(4, 3)), train[[3, 7]]])
    test = np.vstack([val[[0]], rng.normal(size=(5, 3))])
    found = {f.problem: f for f in duplicate_samples({"train": train, "val": val, "test": test})}
    assert found["identical samples in train and val"].rows == 2
    assert "val rows 4, 5" in found["identical samples in train and val"].detail
    assert found["identical samples in val and test"].rows == 1
    assert "identical samples in train and test" not in found
    assert duplicate_samples({"train": train, "test": rng.normal(size=(3, 3))}) == []


def test_duplicates_in_tensors_datasets_and_images():
    imgs = sg.randn(6, 1, 4, 4)
    ds = sg.data.TensorDataset(imgs, sg.arange(6))
    (f,) = duplicate_samples({"train": ds, "test": imgs[2:4]})
    assert f.rows == 2


def test_split_helper_and_builtin_iris_warn():
    x = np.repeat(np.arange(10.0), 2)[:, None]
    with pytest.warns(DataLeakageWarning, match="identical samples in train and"):
        train_val_test_split(x, seed=0)
    with pytest.warns(DataLeakageWarning, match="1 of 23 val rows also occur in train"):
        load_dataset("iris")  # iris really has duplicate flowers


def test_scaler_fitted_on_everything_names_the_rows():
    parts = {
        "train": rng.normal(size=(30, 2)),
        "val": rng.normal(1, size=(10, 2)),
        "test": rng.normal(2, size=(8, 2)),
    }
    all_rows = np.vstack(list(parts.values()))
    (f,) = scaler_outside_train(StandardScaler().fit(all_rows).mean_, parts)
    assert f.rows == 18 and "train + val and test" in f.detail
    (f,) = scaler_outside_train(
        StandardScaler().fit(np.vstack([parts["train"], parts["test"]])).mean_, parts
    )
    assert f.rows == 8 and "test rows were used" in f.detail
    assert scaler_outside_train(StandardScaler().fit(parts["train"]).mean_, parts) == []
    (f,) = scaler_outside_train(np.array([9.0, 9.0]), parts, name="Normalize")
    assert f.problem.startswith("Normalize fitted") and "differs" in f.detail


def test_vocabulary_from_held_out_text():
    texts = {"train": "hello world", "val": "hex", "test": "zzz!"}
    (f,) = vocabulary_leak(sorted(set("".join(texts.values()))), texts)
    assert f.rows == 5 and "'!', 'x', 'z'" in f.detail
    assert vocabulary_leak(set(texts["train"]), texts) == []
    words = {"train": "a cat sat", "test": "a dog sat"}
    (f,) = vocabulary_leak(["a", "cat", "sat", "dog"], words)
    assert f.rows == 1 and "'dog'" in f.detail


def test_test_metric_for_selection_warns_in_the_trainer():
    monitors = model_selection_monitors("val_loss", [EarlyStopping("test_accuracy", mode="max")])
    (f,) = selection_on_test_metric(monitors)
    assert "EarlyStopping monitors 'test_accuracy'" in f.detail
    with pytest.warns(DataLeakageWarning, match="best checkpoint monitors 'test_loss'"):
        Trainer(write_run=False, monitor="test_loss")


def test_warn_findings_one_warning_each():
    with pytest.warns(DataLeakageWarning) as record:
        warn_findings(selection_on_test_metric({"a": "test_x", "b": "val_y"}) * 2)
    assert len(record) == 2
