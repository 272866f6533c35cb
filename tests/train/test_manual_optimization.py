"""Manual optimization (Lightning's ``automatic_optimization = False``) in the Trainer."""

import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad import nn, optim
from scratchgrad.data import DataLoader, TensorDataset
from scratchgrad.nn import functional as F  # noqa: N812
from scratchgrad.train import Trainer
from scratchgrad.train.module import Supervised, TrainModule

HERE = Path(__file__).parent


def _loader() -> DataLoader:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 3)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5]], np.float32)).astype(np.float32)
    return DataLoader(TensorDataset(x, y), batch_size=8)


class _Manual(TrainModule):
    automatic_optimization = False

    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Linear(3, 1)

    def training_step(self, batch, batch_idx):  # type: ignore[no-untyped-def]
        x, y = batch
        opt = self.optimizers()
        loss = F.mse_loss(self.net(x), y)
        opt.zero_grad()
        self.manual_backward(loss)
        opt.step()
        self.log("doubled", 2 * loss.item())
        return loss

    def configure_optimizers(self):  # type: ignore[no-untyped-def]
        return optim.SGD(self.net.parameters(), lr=0.05)


class _Auto(_Manual):
    automatic_optimization = True

    def training_step(self, batch, batch_idx):  # type: ignore[no-untyped-def]
        x, y = batch
        return F.mse_loss(self.net(x), y)


def test_a_manual_step_trains_exactly_as_the_automatic_loop() -> None:
    modules = []
    for cls in (_Manual, _Auto):
        sg.manual_seed(0)
        module = cls()
        trainer = Trainer(max_epochs=3, write_run=False, progress=False)
        trainer.fit(module, _loader())
        assert trainer.global_step == 12
        modules.append(module)
    w = [m.net.weight.detach().numpy() for m in modules]
    np.testing.assert_array_equal(w[0], w[1])


def test_logged_values_are_averaged_into_the_epochs_metrics() -> None:
    sg.manual_seed(0)
    trainer = Trainer(max_epochs=1, write_run=False, progress=False)
    metrics = trainer.fit(_Manual(), _loader())
    assert metrics["train_doubled"] == pytest.approx(2 * metrics["train_loss"], rel=1e-6)


def test_optimizers_outside_a_fit_and_unsupported_settings_are_refused() -> None:
    with pytest.raises(RuntimeError, match="not attached"):
        _Manual().optimizers()
    trainer = Trainer(max_epochs=1, write_run=False, progress=False, gradient_clip_val=1.0)
    with pytest.raises(ValueError, match="gradient_clip_val"):
        trainer.fit(_Manual(), _loader())


def _run(mode: str, out: Path) -> int:
    cmd = [sys.executable, str(HERE / "_manual_resume_script.py"), mode, str(out)]
    return subprocess.run(cmd, capture_output=True, timeout=120, check=False).returncode


def test_a_killed_two_optimizer_run_resumes_to_exactly_the_uninterrupted_weights(
    tmp_path: Path,
) -> None:
    assert _run("full", tmp_path / "a") == 0
    assert _run("kill", tmp_path / "b") == -signal.SIGKILL
    assert _run("resume", tmp_path / "b") == 0
    full = sg.load(tmp_path / "a" / "final-full.safetensors")
    resumed = sg.load(tmp_path / "b" / "final-resume.safetensors")
    assert full.keys() == resumed.keys()
    for k in full:
        np.testing.assert_array_equal(full[k].numpy(), resumed[k].numpy(), err_msg=k)


def test_values_logged_by_a_classifier_sit_beside_its_accuracy() -> None:
    class Logging(Supervised):
        def training_step(self, batch, batch_idx):  # type: ignore[no-untyped-def]
            out = super().training_step(batch, batch_idx)
            self.log("half_loss", out.loss / 2)
            return out

    rng = np.random.default_rng(0)
    x = rng.standard_normal((40, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    sg.manual_seed(0)
    module = Logging(
        nn.Linear(2, 2), nn.CrossEntropyLoss(), lambda ps: optim.SGD(ps, lr=0.1),
        task="classification", num_classes=2,
    )  # fmt: skip
    loader = DataLoader(TensorDataset(x, y), batch_size=10)
    metrics = Trainer(max_epochs=2, write_run=False, progress=False).fit(module, loader, loader)
    assert metrics["train_half_loss"] == pytest.approx(metrics["train_loss"] / 2, rel=1e-6)
    assert metrics["val_half_loss"] == pytest.approx(metrics["val_loss"] / 2, rel=1e-6)
    assert 0 <= metrics["val_accuracy"] <= 1


def test_the_learning_rate_monitor_lists_every_optimizers_rate() -> None:
    from scratchgrad.train.callbacks import LearningRateMonitor

    class Two(_Manual):
        def optimizers(self):  # type: ignore[no-untyped-def]
            return super().optimizers()[0]  # the step uses the first

        def configure_optimizers(self):  # type: ignore[no-untyped-def]
            return [optim.SGD(self.net.parameters(), lr=0.05), optim.SGD([self.net.bias], lr=0.2)]

    sg.manual_seed(0)
    trainer = Trainer(
        max_epochs=1, write_run=False, progress=False, callbacks=[LearningRateMonitor()]
    )
    metrics = trainer.fit(Two(), _loader())
    assert (metrics["lr"], metrics["lr_1"]) == (0.05, 0.2)
