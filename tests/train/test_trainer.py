"""The Trainer: learning, hook order, accumulation, non-finite losses, exact resume."""

import json
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pydantic
import pytest

import scratchgrad as sg
from scratchgrad import nn, optim
from scratchgrad.data import DataLoader, TensorDataset
from scratchgrad.errors import NonFiniteLossError
from scratchgrad.train.callbacks import Callback, EarlyStopping
from scratchgrad.train.module import Supervised, TrainModule
from scratchgrad.train.trainer import TrainConfig, Trainer

HERE = Path(__file__).parent


def _blobs(n: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centers = np.array([[2.0, 0.0], [-2.0, 2.0], [0.0, -2.0]])
    x = centers[y] + 0.5 * rng.standard_normal((n, 2))
    return x.astype(np.float32), y.astype(np.int64)


def _module(lr: float = 0.05) -> Supervised:
    sg.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 3))
    return Supervised(
        model,
        nn.CrossEntropyLoss(),
        lambda ps: optim.SGD(ps, lr=lr),
        task="classification",
        num_classes=3,
    )


def _loaders() -> tuple[DataLoader, DataLoader]:
    x, y = _blobs()
    train = DataLoader(TensorDataset(x[:150], y[:150]), batch_size=16, shuffle=True)
    val = DataLoader(TensorDataset(x[150:], y[150:]), batch_size=50)
    return train, val


def test_fit_reduces_the_loss_and_writes_a_run(tmp_path: Path) -> None:
    train, val = _loaders()
    trainer = Trainer(max_epochs=8, out_dir=tmp_path, run_name="blobs", progress=False)
    first = trainer.validate(_module(), val)
    module = _module()
    last = trainer.fit(module, train, val)
    assert last["val_loss"] < 0.5 * first["val_loss"]
    assert last["val_accuracy"] > 0.9
    tested = trainer.test(module, val)
    assert tested["test_accuracy"] > 0.9
    run = trainer.run.path
    assert json.loads((run / "test_metrics.json").read_text()) == pytest.approx(tested)
    for name in ("config.json", "metrics.csv", "loss.png", "metrics.png", "confusion_matrix.png"):
        assert (run / name).stat().st_size > 0, name
    lines = (run / "metrics.csv").read_text().splitlines()
    assert len(lines) == 1 + 8 and lines[0].startswith("epoch,train_loss")
    assert (run / "checkpoints" / "last.json").exists()
    assert (run / "checkpoints" / "best.json").exists()


class Recorder(Callback):
    def __init__(self) -> None:
        self.calls: list[str] = []

    def on_fit_start(self, trainer, module):  # type: ignore[no-untyped-def]
        self.calls.append("fit_start")

    def on_train_epoch_start(self, trainer, module):  # type: ignore[no-untyped-def]
        self.calls.append("epoch_start")

    def on_train_batch_end(self, trainer, module, loss):  # type: ignore[no-untyped-def]
        self.calls.append("batch_end")

    def on_epoch_end(self, trainer, module, metrics):  # type: ignore[no-untyped-def]
        self.calls.append(f"epoch_end:{sorted(metrics)[:2]}")

    def on_fit_end(self, trainer, module):  # type: ignore[no-untyped-def]
        self.calls.append("fit_end")


def test_hook_order() -> None:
    x, y = _blobs(24)
    loader = DataLoader(TensorDataset(x, y), batch_size=12)
    rec = Recorder()
    Trainer(max_epochs=2, write_run=False, progress=False, callbacks=[rec]).fit(
        _module(), loader, loader
    )
    epoch = ["epoch_start", "batch_end", "batch_end", "epoch_end:['epoch', 'step']"]
    assert rec.calls == ["fit_start", *epoch, *epoch, "fit_end"]


def test_accumulating_two_half_batches_equals_one_full_batch() -> None:
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((32, 3)).astype(np.float32), rng.standard_normal((3, 1))
    y = (x @ w).astype(np.float32)
    results = []
    for batch, k in ((16, 1), (8, 2)):
        sg.manual_seed(0)
        model = nn.Linear(3, 1)
        module = Supervised(model, nn.MSELoss(), lambda ps: optim.SGD(ps, lr=0.1))
        loader = DataLoader(TensorDataset(x, y), batch_size=batch)
        Trainer(max_epochs=3, accumulate_grad_batches=k, write_run=False, progress=False).fit(
            module, loader
        )
        results.append(model.weight.detach().numpy().copy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-5)


def test_gradient_clipping_bounds_each_step() -> None:
    x, y = _blobs(16)
    module = _module(lr=1.0)
    before = [p.detach().numpy().copy() for p in module.parameters()]
    loader = DataLoader(TensorDataset(x * 100, y), batch_size=16)
    Trainer(max_epochs=1, gradient_clip_val=0.01, write_run=False, progress=False).fit(
        module, loader
    )
    moved = np.sqrt(
        sum(
            ((p.detach().numpy() - b) ** 2).sum()
            for p, b in zip(module.parameters(), before, strict=True)
        )
    )
    assert moved <= 0.01 * 1.0 + 1e-6  # one SGD step of lr 1 with the gradient norm clipped to 0.01


class Exploding(TrainModule):
    def __init__(self) -> None:
        super().__init__()
        self.w = nn.Parameter(sg.ones(2))

    def training_step(self, batch, batch_idx):  # type: ignore[no-untyped-def]
        x, _ = batch
        return ((x @ self.w) ** 2).mean()

    def configure_optimizers(self):  # type: ignore[no-untyped-def]
        return optim.SGD(self.parameters(), lr=1e30)


def test_a_non_finite_loss_stops_naming_the_step_and_parameter() -> None:
    x = np.full((8, 2), 1e10, dtype=np.float32)
    loader = DataLoader(TensorDataset(x, np.zeros(8)), batch_size=4)
    with pytest.raises(
        NonFiniteLossError,
        match=r"loss is (inf|nan) in epoch 1, after step 1 \(batch 1\); "
        r"first non-finite: parameter 'w'",
    ):
        Trainer(max_epochs=1, write_run=False, progress=False).fit(Exploding(), loader)


def test_early_stopping_ends_the_fit() -> None:
    train, val = _loaders()
    stop = EarlyStopping(monitor="val_loss", patience=1)
    trainer = Trainer(max_epochs=50, write_run=False, progress=False, callbacks=[stop])
    trainer.fit(_module(lr=0.0), train, val)  # lr 0: no improvement after the first epoch
    assert trainer.current_epoch == 2


def test_invalid_settings_name_the_field_and_value() -> None:
    with pytest.raises(pydantic.ValidationError, match="max_epochs"):
        TrainConfig(max_epochs=0)
    with pytest.raises(pydantic.ValidationError, match="gradient_clip_val"):
        Trainer(gradient_clip_val=-1.0)
    with pytest.raises(pydantic.ValidationError, match="extra"):
        Trainer(max_epoch=3)


def test_predict_returns_outputs_in_order() -> None:
    x, y = _blobs(10)
    outs = Trainer(write_run=False).predict(
        _module(), DataLoader(TensorDataset(x, y), batch_size=4)
    )
    assert [o.shape for o in outs] == [(4, 3), (4, 3), (2, 3)]


def _run(mode: str, out: Path, *extra: str) -> int:
    cmd = [sys.executable, str(HERE / "_resume_script.py"), mode, str(out), *extra]
    return subprocess.run(cmd, capture_output=True, timeout=120, check=False).returncode


@pytest.mark.parametrize("extra", [(), ("workers",)], ids=["loader-generator", "workers"])
def test_a_killed_run_resumes_to_exactly_the_uninterrupted_weights(
    tmp_path: Path, extra: tuple[str, ...]
) -> None:
    assert _run("full", tmp_path / "a", *extra) == 0
    assert _run("kill", tmp_path / "b", *extra) == -signal.SIGKILL
    assert not (tmp_path / "b" / "final-kill.safetensors").exists()
    assert _run("resume", tmp_path / "b", *extra) == 0
    full = sg.load(tmp_path / "a" / "final-full.safetensors")
    resumed = sg.load(tmp_path / "b" / "final-resume.safetensors")
    assert full.keys() == resumed.keys()
    for k in full:
        np.testing.assert_array_equal(full[k].numpy(), resumed[k].numpy(), err_msg=k)


def test_a_leftover_accumulation_is_stepped_at_the_epoch_end() -> None:
    x, y = _blobs(30)
    steps = []

    class Count(Callback):
        def on_train_batch_end(self, trainer, module, loss):  # type: ignore[no-untyped-def]
            steps.append(trainer.global_step)

    loader = DataLoader(TensorDataset(x, y), batch_size=10)  # 3 batches, 2 per step
    trainer = Trainer(max_epochs=2, accumulate_grad_batches=2, write_run=False, callbacks=[Count()])
    module = _module()
    trainer.fit(module, loader)
    assert steps == [1, 2, 3, 4]
    assert all(p.grad is None for p in module.parameters())  # nothing left over


def test_reduce_on_plateau_steps_on_the_monitored_metric() -> None:
    train, val = _loaders()
    sg.manual_seed(0)
    module = Supervised(
        nn.Linear(2, 3),
        nn.CrossEntropyLoss(),
        lambda ps: optim.SGD(ps, lr=1e-12),
        scheduler=lambda o: optim.lr_scheduler.ReduceLROnPlateau(o, factor=0.5, patience=0),
    )
    trainer = Trainer(max_epochs=3, write_run=False, progress=False)
    trainer.fit(module, train, val)  # lr 1e-12: val_loss stays put, a plateau
    assert trainer.optimizer.param_groups[0]["lr"] == pytest.approx(0.25e-12)


def test_resuming_from_an_epoch_end_checkpoint_keeps_that_epochs_row(tmp_path: Path) -> None:
    import csv

    train, val = _loaders()
    first = Trainer(max_epochs=2, out_dir=tmp_path, run_name="a", progress=False)
    first.fit(_module(), train, val)
    run = first.run.path
    resumed = Trainer(max_epochs=3, out_dir=tmp_path, run_name="a", progress=False)
    train, val = _loaders()
    resumed.fit(_module(), train, val, ckpt_path=str(run))
    with (run / "metrics.csv").open() as f:
        epochs = [float(r["epoch"]) for r in csv.DictReader(f)]
    assert epochs == [0.0, 1.0, 2.0]  # no epoch lost, none repeated: no bridged gap
