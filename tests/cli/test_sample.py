"""``scratchgrad sample``: images from a VAE and a GAN run, and its refusals."""

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from scratchgrad.cli import app
from tests.cli.conftest import run_dir_of

runner = CliRunner()


def _train(out: Path, recipe: str, *extra: str) -> Path:
    result = runner.invoke(app, ["train", recipe, "--epochs", "1", "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return run_dir_of(result.stdout)


@pytest.fixture(scope="module")
def gan_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _train(tmp_path_factory.mktemp("runs"), "digits-gan", "--set", "width=8")


def test_a_gan_run_writes_seeded_images_as_npy_and_png(gan_run: Path, tmp_path: Path) -> None:
    for name, seed in (("a.npy", "3"), ("b.npy", "3"), ("c.npy", "4")):
        args = ["sample", str(gan_run), "--n", "7", "--out", str(tmp_path / name), "--seed", seed]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    a, b, c = (np.load(tmp_path / n, allow_pickle=False) for n in ("a.npy", "b.npy", "c.npy"))
    assert a.shape == (7, 1, 8, 8) and a.dtype == np.float32
    assert a.min() >= 0 and a.max() <= 1
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    result = runner.invoke(
        app, ["sample", str(gan_run), "--n", "12", "--out", str(tmp_path / "g.png")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_vae_run_samples_from_its_prior(tmp_path: Path) -> None:
    run = _train(tmp_path / "runs", "digits-vae", "--set", "hidden=16")
    result = runner.invoke(app, ["sample", str(run), "--n", "3", "--out", str(tmp_path / "v.npy")])
    assert result.exit_code == 0, result.output
    assert np.load(tmp_path / "v.npy").shape == (3, 1, 8, 8)
    result = runner.invoke(app, ["eval", str(run)])
    assert result.exit_code == 0, result.output
    assert "test_kl" in result.stdout and "test_frechet" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--n", "3", "--out", "x.jpg"], "must end in .npy or .png"),
        (["--n", "0", "--out", "x.npy"], "--n must be >= 1"),
        (["--n", "-2", "--out", "x.png"], "--n must be >= 1"),
    ],
)
def test_bad_requests_give_one_line(
    gan_run: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    result = runner.invoke(app, ["sample", str(gan_run), *args])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_a_run_that_does_not_generate_is_refused(xor_run: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["sample", str(xor_run), "--n", "2", "--out", str(tmp_path / "x.npy")]
    )
    assert result.exit_code == 2
    assert "xor-mlp run; only VAE and GAN runs sample" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_run_folder_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["sample", str(tmp_path / "nope"), "--n", "2", "--out", str(tmp_path / "x.npy")]
    )
    assert result.exit_code == 2
    assert "no run folder" in result.stderr
