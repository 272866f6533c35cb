"""Trains a small model; killed mid-run in "kill" mode, continued in "resume" mode.

With "workers" as third argument, the loader shuffles from the global generator (no
``generator=``) and loads in two worker processes.
"""

import os
import signal
import sys
from pathlib import Path

import numpy as np

import scratchgrad as sg
from scratchgrad import nn, optim
from scratchgrad.data import DataLoader, TensorDataset
from scratchgrad.train.callbacks import Callback
from scratchgrad.train.module import Supervised
from scratchgrad.train.trainer import Trainer


def main(mode: str, out: Path, workers: bool = False) -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((96, 4)).astype(np.float32)
    y = (x.sum(1) > 0).astype(np.int64)

    class Kill(Callback):
        def on_train_batch_end(self, trainer, module, loss):  # type: ignore[no-untyped-def]
            if mode == "kill" and trainer.global_step == 11:  # mid-epoch, after the step-10 save
                os.kill(os.getpid(), signal.SIGKILL)

    sg.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 2))
    if workers:
        loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True, num_workers=2)
    else:
        gen = sg.Generator(1)
        loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True, generator=gen)
    val = DataLoader(TensorDataset(x[:32], y[:32]), batch_size=32)
    module = Supervised(
        model,
        nn.CrossEntropyLoss(),
        lambda ps: optim.Adam(ps, lr=1e-2),
        scheduler=lambda o: optim.lr_scheduler.StepLR(o, 1, 0.5),
        task="classification",
        num_classes=2,
    )
    trainer = Trainer(
        max_epochs=4,
        out_dir=out,
        run_name="r",
        checkpoint_every_n_steps=5,
        progress=False,
        callbacks=[Kill()],
    )
    ckpt = next(out.iterdir()) if mode == "resume" else None
    trainer.fit(module, loader, val, ckpt_path=ckpt)
    sg.save(model.state_dict(), out / f"final-{mode}.safetensors")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), sys.argv[3:] == ["workers"])
