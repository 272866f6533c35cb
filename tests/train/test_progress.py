"""Progress display: plain epoch lines, and bars that run without a terminal."""

import io

from rich.console import Console

from scratchgrad.train.progress import Progress


def test_epoch_line_lists_the_metrics() -> None:
    p = Progress(bars=False)
    p.console = Console(file=io.StringIO(), width=200)
    p.epoch_line(2, 10, {"epoch": 2.0, "train_loss": 0.25, "val_accuracy": 0.9, "step": 30.0})
    assert p.console.file.getvalue().strip() == "epoch 3/10  train_loss 0.2500  val_accuracy 0.9000"


def test_bars_off_and_on() -> None:
    for bars in (False, True):
        p = Progress(bars=bars)
        p.console = Console(file=io.StringIO(), force_terminal=bars)
        with p.bar("epoch 1", 3) as bar:
            for _ in range(3):
                bar.advance(0.5)
        assert p.bars is bars
