"""Run folders: unique names, metrics.csv, plots."""

from pathlib import Path

import numpy as np

from scratchgrad.train.runs import RunFolder, new_run_dir, read_rows

PNG = b"\x89PNG\r\n\x1a\n"


def test_new_run_dirs_are_unique(tmp_path: Path) -> None:
    a, b = new_run_dir(tmp_path, "x"), new_run_dir(tmp_path, "x")
    assert a != b and a.name.startswith("x-") and a.is_dir() and b.is_dir()


def test_rows_csv_and_plots(tmp_path: Path) -> None:
    run = RunFolder(tmp_path / "r")
    run.write_config({"lr": 0.1, "path": Path("a")})
    run.add_row({"epoch": 0, "train_loss": 1.0, "train_accuracy": 0.5})
    run.add_row({"epoch": 1, "train_loss": 0.5, "train_accuracy": 0.7, "val_loss": 0.6})
    assert read_rows(run.path / "metrics.csv") == [
        {"epoch": 0.0, "train_loss": 1.0, "train_accuracy": 0.5},
        {"epoch": 1.0, "train_loss": 0.5, "train_accuracy": 0.7, "val_loss": 0.6},
    ]
    run.plot_curves()
    run.plot_confusion(np.array([[3, 1], [0, 4]]), ["cat", "dog"])
    for name in ("loss.png", "metrics.png", "confusion_matrix.png"):
        assert (run.path / name).read_bytes()[:8] == PNG
    assert '"lr": 0.1' in (run.path / "config.json").read_text()


def test_read_rows_of_a_missing_file(tmp_path: Path) -> None:
    assert read_rows(tmp_path / "none.csv") == []
