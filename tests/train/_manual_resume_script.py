"""A two-optimizer module trained with manual optimization; killed mid-run, then resumed.

Modes as in ``_resume_script.py``: "full", "kill" (SIGKILL at step 11, after the step-10
save) and "resume" (continue the killed run's folder).
"""

import os
import signal
import sys
from pathlib import Path

import numpy as np

import scratchgrad as sg
from scratchgrad import nn, optim
from scratchgrad.data import DataLoader, TensorDataset
from scratchgrad.nn import functional as F  # noqa: N812
from scratchgrad.train.callbacks import Callback
from scratchgrad.train.module import TrainModule
from scratchgrad.train.trainer import Trainer


class TwoPlayers(TrainModule):
    """``a`` fits y from x plus noise, ``b`` fits y from a's detached output, in turn."""

    automatic_optimization = False

    def __init__(self) -> None:
        super().__init__()
        self.a, self.b = nn.Linear(4, 4), nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):  # type: ignore[no-untyped-def]
        x, y = batch
        opt_a, opt_b = self.optimizers()
        h = self.a(x + 0.1 * sg.randn(*x.shape))  # noise from the global generator
        loss_a = F.mse_loss(h.sum(1, keepdim=True), y)
        opt_a.zero_grad()
        self.manual_backward(loss_a)
        opt_a.step()
        loss_b = F.mse_loss(self.b(h.detach()), y)
        opt_b.zero_grad()
        self.manual_backward(loss_b)
        opt_b.step()
        self.log("a_loss", loss_a)
        self.log("b_loss", loss_b)
        return loss_a + loss_b

    def validation_step(self, batch, batch_idx):  # type: ignore[no-untyped-def]
        x, y = batch
        return F.mse_loss(self.b(self.a(x)), y)

    def configure_optimizers(self):  # type: ignore[no-untyped-def]
        return [optim.Adam(self.a.parameters(), lr=1e-2), optim.SGD(self.b.parameters(), 0.05, 0.9)]


def main(mode: str, out: Path) -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((96, 4)).astype(np.float32)
    y = x.sum(1, keepdims=True).astype(np.float32)

    class Kill(Callback):
        def on_train_batch_end(self, trainer, module, loss):  # type: ignore[no-untyped-def]
            if mode == "kill" and trainer.global_step == 11:
                os.kill(os.getpid(), signal.SIGKILL)

    sg.manual_seed(0)
    module = TwoPlayers()
    loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True, generator=sg.Generator(1))
    val = DataLoader(TensorDataset(x[:32], y[:32]), batch_size=32)
    trainer = Trainer(
        max_epochs=3, out_dir=out, run_name="r", checkpoint_every_n_steps=5, progress=False,
        callbacks=[Kill()],
    )  # fmt: skip
    ckpt = next(out.iterdir()) if mode == "resume" else None
    trainer.fit(module, loader, val, ckpt_path=ckpt)
    sg.save(module.state_dict(), out / f"final-{mode}.safetensors")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
