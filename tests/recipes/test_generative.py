"""Generative recipes end to end: runs, their figures and metrics, reloading, refusals."""

import csv
from pathlib import Path

import numpy as np
import pytest

from scratchgrad.config import resolve_settings
from scratchgrad.errors import SettingsError
from scratchgrad.recipes import RecipeError, get_recipe, load_run
from scratchgrad.recipes.generative import GENERATIVE_RECIPES


def _run(name: str, out: Path, epochs: int = 1, **extra: object):  # type: ignore[no-untyped-def]
    recipe = get_recipe(name)
    cli = {"epochs": epochs, "out_dir": out, "extra": extra}
    return recipe.run(resolve_settings(recipe.defaults, cli=cli, extra=recipe.extra,
                                       inputs=recipe.inputs), progress=False)  # fmt: skip


def _rows(run_dir: Path) -> list[dict[str, str]]:
    with (run_dir / "metrics.csv").open() as f:
        return list(csv.DictReader(f))


def test_the_registry_holds_the_six_recipes() -> None:
    assert set(GENERATIVE_RECIPES) == {
        "digits-autoencoder", "digits-denoise", "digits-vae", "digits-gan",
        "mnist-vae", "mnist-gan",
    }  # fmt: skip


def test_an_autoencoder_run_draws_its_figures_and_encodes(tmp_path: Path) -> None:
    result = _run("digits-autoencoder", tmp_path, latent_dim=4, hidden=8)
    for name in ("reconstructions.png", "latent_space.png", "interpolation.png", "loss.png"):
        assert (result.run_dir / name).is_file(), name
    recipe, settings, module = load_run(result.run_dir)
    codes = recipe.predict(module, np.zeros((3, 1, 8, 8), np.float32))
    assert codes.shape == (3, 4)
    assert recipe.evaluate(module, settings) == pytest.approx(result.test_metrics)
    with pytest.raises(RecipeError, match="only VAE and GAN runs sample"):
        recipe.sample(module, 2)  # type: ignore[attr-defined]
    with pytest.raises(RecipeError, match=r"do not match"):
        recipe.predict(module, np.zeros((3, 64), np.float32))


def test_denoising_logs_the_noisy_inputs_error(tmp_path: Path) -> None:
    result = _run("digits-denoise", tmp_path, hidden=8, noise=0.3)
    row = _rows(result.run_dir)[-1]
    assert float(row["val_noisy_mse"]) > 0
    assert "test_noisy_mse" in result.test_metrics


def test_a_vae_run_reports_the_elbo_terms_and_judges_samples(tmp_path: Path) -> None:
    result = _run("digits-vae", tmp_path, hidden=32)
    rows = _rows(result.run_dir)
    for row in rows:
        total = float(row["val_reconstruction"]) + float(row["val_kl"])
        assert float(row["val_loss"]) == pytest.approx(total, rel=1e-5)
        assert 0 < float(row["val_confidence"]) <= 1 and float(row["val_frechet"]) >= 0
    assert (result.run_dir / "samples" / "epoch-001.png").is_file()
    recipe, settings, module = load_run(result.run_dir)
    images = recipe.sample(module, 5, seed=1)  # type: ignore[attr-defined]
    assert images.shape == (5, 1, 8, 8) and images.dtype == np.float32
    metrics = recipe.evaluate(module, settings)
    assert {"test_frechet", "test_classes", "test_confidence", "judge_accuracy"} <= set(metrics)
    assert metrics["judge_accuracy"] > 0.9  # the judge is a real digits classifier


def test_a_gan_run_plots_both_losses_and_keeps_the_nearest_epoch(tmp_path: Path) -> None:
    result = _run("digits-gan", tmp_path, epochs=2, width=8)
    assert result.monitor == "val_frechet"
    assert (result.run_dir / "gan_losses.png").is_file()
    assert (result.run_dir / "interpolation.png").is_file()
    frechets = [float(r["val_frechet"]) for r in _rows(result.run_dir)]
    assert result.best_score == min(frechets)
    recipe, _, module = load_run(result.run_dir)
    with pytest.raises(RecipeError, match="no encoder"):
        recipe.predict(module, np.zeros((1, 1, 8, 8), np.float32))
    with pytest.raises(RecipeError, match="not a language model; use `sample`"):
        recipe.generate(module, result.run_dir, "x", 1)


def _idx(values: np.ndarray, magic_code: int = 0x08) -> bytes:
    header = bytes([0, 0, magic_code, values.ndim])
    header += b"".join(int(n).to_bytes(4, "big") for n in values.shape)
    return header + values.astype(np.uint8).tobytes()


@pytest.mark.parametrize("name", ["mnist-vae", "mnist-gan"])
def test_mnist_recipes_read_idx_files(name: str, tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    for split, n in (("train", 100), ("t10k", 20)):
        (tmp_path / f"{split}-images-idx3-ubyte").write_bytes(
            _idx(rng.integers(0, 256, (n, 28, 28)))
        )
        (tmp_path / f"{split}-labels-idx1-ubyte").write_bytes(_idx(np.arange(n) % 10))
    recipe = get_recipe(name)
    extra = {"hidden": 16} if name == "mnist-vae" else {"width": 4}
    cli = {"epochs": 1, "out_dir": tmp_path / "runs", "data_dir": tmp_path, "extra": extra}
    settings = resolve_settings(recipe.defaults, cli=cli, extra=recipe.extra, inputs=recipe.inputs)
    result = recipe.run(settings, progress=False)
    _, _, module = load_run(result.run_dir)
    assert recipe.sample(module, 2).shape == (2, 1, 28, 28)  # type: ignore[attr-defined]
    with pytest.raises(RecipeError, match="needs --data-dir"):
        recipe.run(resolve_settings(recipe.defaults, cli={"out_dir": tmp_path}), progress=False)


def test_bad_extra_settings_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="noise"):
        _run("digits-denoise", tmp_path, noise=-0.5)


def test_a_short_denoising_run_already_halves_the_error(tmp_path: Path) -> None:
    # noise 0.4 clipped to [0, 1]; the defaults (30 epochs) are checked in the slow suite
    metrics = _run("digits-denoise", tmp_path, epochs=10).test_metrics
    assert metrics["test_loss"] <= 0.5 * metrics["test_noisy_mse"]
