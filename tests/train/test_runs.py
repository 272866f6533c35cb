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


def test_plots_carry_the_run_name_and_count_epochs_from_one(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from scratchgrad.train import runs

    saved = []
    monkeypatch.setattr(runs, "_save", lambda fig, path: saved.append((fig, path)))
    folder = runs.RunFolder(tmp_path / "digits-mlp-20261207-120000")
    for epoch in range(3):
        folder.add_row({"epoch": float(epoch), "train_loss": 1.0 / (epoch + 1), "val_acc": 0.5})
    folder.plot_curves()
    folder.plot_confusion([[3, 1], [0, 4]])
    loss_fig = saved[0][0]
    assert loss_fig._suptitle.get_text() == "digits-mlp-20261207-120000"
    assert list(loss_fig.axes[0].lines[0].get_xdata()) == [1.0, 2.0, 3.0]
    assert "digits-mlp-20261207-120000" in saved[-1][0].axes[0].get_title()
