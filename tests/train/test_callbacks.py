"""Callbacks on their own, with a stand-in trainer."""

from types import SimpleNamespace

import pytest

from scratchgrad.train.callbacks import (
    Callback,
    EarlyStopping,
    LearningRateMonitor,
    ModelCheckpoint,
    TensorBoardLogger,
)


def _trainer(**kw):  # type: ignore[no-untyped-def]
    saved: list[str] = []
    t = SimpleNamespace(should_stop=False, global_step=0, saved=saved, optimizer=None, **kw)
    t.save_checkpoint = lambda tag, epoch_done=False: saved.append(tag)
    return t


def test_early_stopping_counts_epochs_without_improvement() -> None:
    t, es = _trainer(), EarlyStopping("val_loss", patience=2)
    for value, stop in [(1.0, False), (0.9, False), (0.95, False), (0.91, True)]:
        es.on_epoch_end(t, None, {"val_loss": value})
        assert t.should_stop is stop
    assert es.state_dict() == {"best": 0.9, "wait": 2}


def test_early_stopping_max_mode_and_missing_metric() -> None:
    t, es = _trainer(), EarlyStopping("val_accuracy", patience=1, mode="max")
    es.on_epoch_end(t, None, {"val_accuracy": 0.5})
    es.on_epoch_end(t, None, {"val_accuracy": 0.4})
    assert t.should_stop
    with pytest.raises(KeyError, match="'val_f1' not in"):
        EarlyStopping("val_f1").on_epoch_end(t, None, {"val_loss": 1.0})
    with pytest.raises(ValueError, match="mode must be 'min' or 'max'"):
        EarlyStopping(mode="up")  # type: ignore[arg-type]


def test_model_checkpoint_saves_best_only_on_improvement_and_every_n_steps() -> None:
    t, mc = _trainer(), ModelCheckpoint("val_loss", every_n_steps=3)
    for loss in (1.0, 0.8, 0.9):
        mc.on_epoch_end(t, None, {"val_loss": loss})
    assert t.saved == ["best", "last", "best", "last", "last"]
    t.saved.clear()
    for step in range(1, 8):
        t.global_step = step
        mc.on_train_batch_end(t, None, 0.0)
    assert t.saved == ["last", "last"]


def test_learning_rate_monitor() -> None:
    t = _trainer()
    t.optimizer = SimpleNamespace(param_groups=[{"lr": 0.1}, {"lr": 0.01}])
    metrics: dict[str, float] = {}
    LearningRateMonitor().on_epoch_end(t, None, metrics)
    assert metrics == {"lr": 0.1, "lr_1": 0.01}


def test_base_callback_hooks_do_nothing() -> None:
    cb, t = Callback(), _trainer()
    cb.on_fit_start(t, None)
    cb.on_epoch_end(t, None, {})
    assert cb.state_dict() == {} and not t.should_stop


def test_tensorboard_logger_writes_each_epochs_metrics(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    t = _trainer(run=SimpleNamespace(path=tmp_path), current_epoch=0)
    tb = TensorBoardLogger()
    tb.on_fit_start(t, None)
    for epoch, loss in enumerate((0.9, 0.5)):
        tb.on_epoch_end(t, None, {"epoch": float(epoch), "train_loss": loss, "step": 4.0})
    tb.on_fit_end(t, None)
    acc = EventAccumulator(str(tmp_path / "tensorboard"))
    acc.Reload()
    assert sorted(acc.Tags()["scalars"]) == ["step", "train_loss"]
    events = acc.Scalars("train_loss")
    assert [(e.step, e.value) for e in events] == [(0, pytest.approx(0.9)), (1, 0.5)]
    assert [e.step for e in acc.Scalars("step")] == [0, 1]


def test_tensorboard_logger_in_a_trainer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import numpy as np
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    import scratchgrad as sg
    from scratchgrad import nn, optim
    from scratchgrad.data import DataLoader, TensorDataset
    from scratchgrad.train import Supervised, Trainer

    x = np.random.default_rng(0).standard_normal((32, 3)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    sg.manual_seed(0)
    module = Supervised(
        nn.Linear(3, 2),
        nn.CrossEntropyLoss(),
        lambda ps: optim.SGD(ps, lr=0.1),
        task="classification",
        num_classes=2,
    )
    loader = DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True)
    logger = TensorBoardLogger(tmp_path / "tb")
    Trainer(max_epochs=2, write_run=False, progress=False, callbacks=[logger]).fit(module, loader)
    acc = EventAccumulator(str(tmp_path / "tb"))
    acc.Reload()
    assert [e.step for e in acc.Scalars("train_loss")] == [0, 1]
    assert "train_accuracy" in acc.Tags()["scalars"]
