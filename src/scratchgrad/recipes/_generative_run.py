"""The files and figures of a generative run, and the judging of its samples.

After training, a run folder gets ``reconstructions.png`` (input / noisy input / output,
autoencoders and VAEs), ``latent_space.png`` (test codes in 2-d coloured by label),
``interpolation.png`` (a straight line through the latent space between two test digits,
or two noise vectors for a GAN) and, for a GAN, ``gan_losses.png`` (G and D per epoch).
VAE and GAN runs also get ``samples/epoch-NNN.png`` after every epoch.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scratchgrad.autograd import no_grad
from scratchgrad.data.builtin import DataSplits
from scratchgrad.random import Generator
from scratchgrad.recipes import figures
from scratchgrad.recipes._judge import judge_accuracy, judge_samples, train_judge
from scratchgrad.tensor import Tensor
from scratchgrad.train.module import TrainModule
from scratchgrad.train.runs import RunFolder, _plot_series

N_JUDGED = 1000  # samples judged per epoch and by `eval`
Decoder = Callable[[NDArray[Any]], NDArray[Any]]


def decoder(module: TrainModule) -> tuple[Decoder, int]:
    """codes (N, L) -> images (N, C, H, W) in [0, 1] for the module, and L."""
    model: Any = getattr(module, "model", None)
    if model is None:  # a GAN: its generator, in eval mode
        gen: Any = module.generator  # type: ignore[attr-defined]
        return (lambda z: ((gen(Tensor(z)) + 1) / 2).numpy()), gen.latent_dim
    if hasattr(model, "sample"):  # a VAE: the decoder's Bernoulli means
        return (lambda z: model.decode(Tensor(z)).sigmoid().numpy()), model.latent_dim
    return (lambda z: model.decode(Tensor(z)).numpy()), model.latent_dim


def encode_images(module: TrainModule, images: NDArray[Any]) -> NDArray[Any]:
    """Codes (N, L) of images: an autoencoder's code, a VAE's mean."""
    model: Any = module.model  # type: ignore[attr-defined]
    codes = model.encode(Tensor(images))
    return np.asarray((codes[0] if isinstance(codes, tuple) else codes).numpy())


def judge_module(module: TrainModule, data: DataSplits, seed: int, stage: str) -> dict[str, float]:
    """``<stage>_frechet``, ``_classes``, ``_confidence`` of 1,000 seeded samples vs the test set.

    The judge (a digits classifier, its accuracy given as ``judge_accuracy``) is trained
    afresh on the training split with ``seed``: the same judge in a run and in ``eval``.
    """
    judge = train_judge(data.train.tensors[0], data.train.tensors[1], seed)
    test_x, test_y = (t.numpy() for t in data.test.tensors)
    scores = _judge_with(judge, module, test_x, seed)
    out = {f"{stage}_{k}": v for k, v in scores.items()}
    return out | {"judge_accuracy": judge_accuracy(judge, test_x, test_y)}


def sample_images(module: TrainModule, n: int, generator: Generator) -> NDArray[np.float32]:
    """n images (n, C, H, W) float32 in [0, 1] from a VAE's or GAN's module, in eval mode."""
    sampler: Any = module
    was_training = module.training
    module.eval()
    with no_grad():
        images = sampler.sample(n, generator).numpy()
    module.train(was_training)
    return np.asarray(images, dtype=np.float32)


def _judge_with(judge: Any, module: TrainModule, real: NDArray[Any], seed: int) -> dict[str, float]:
    return judge_samples(judge, sample_images(module, N_JUDGED, Generator(seed)), real)


def write_figures(
    module: TrainModule, data: DataSplits, run_dir: Path, run: RunFolder | None
) -> None:
    """The run folder's pictures after training (see the module's docstring)."""
    module.eval()
    x, y = (t.numpy() for t in data.test.tensors)
    decode, latent = decoder(module)
    with no_grad():
        if hasattr(module, "model"):
            _reconstructions(module, x[:10], run_dir)
            codes = encode_images(module, x)
            figures.save_latent_space(run_dir / "latent_space.png", codes, y, "test codes")
            other = int(np.argmax(y != y[0]))  # the first test digit of another class
            line = figures.interpolate(codes[0], codes[other])
        else:
            z = np.random.default_rng(0).standard_normal((2, latent)).astype(np.float32)
            line = figures.interpolate(z[0], z[1])
        figures.save_image_grid(run_dir / "interpolation.png", decode(line))
    if run is not None and any("g_loss" in k for k in run.rows[-1]):
        keys = [k for k in run.rows[-1] if k.endswith(("g_loss", "d_loss"))]
        _plot_series(run_dir / "gan_losses.png", run.rows, [keys], "loss", run_dir.name)


def _reconstructions(module: TrainModule, x: NDArray[Any], run_dir: Path) -> None:
    rows = [("input", x)]
    noisy = x
    if getattr(module, "noise", 0) > 0:
        corrupt: Any = getattr(module, "corrupt")  # noqa: B009 - a Reconstruction's
        noisy = corrupt(Tensor(x)).numpy()
        rows.append(("noisy input", noisy))
    rows.append(("output", module(Tensor(noisy)).numpy()))
    figures.save_image_rows(run_dir / "reconstructions.png", rows, "reconstructions (test)")


def judge_epoch(
    judge: Any, real: NDArray[Any], module: TrainModule, seed: int, folder: Path | None, epoch: int
) -> dict[str, float]:
    """``val_frechet``, ``val_classes``, ``val_confidence`` of an epoch's samples.

    Args:
        judge: the run's digits classifier (``train_judge``).
        real: the test images (N, C, H, W) the samples are compared with.
        module: a VAE or GAN TrainModule.
        seed: seeds the samples (the same noise every epoch).
        folder: where ``epoch-NNN.png`` (50 samples) goes, or None.
        epoch: the epoch, counted from 0.
    """
    scores = _judge_with(judge, module, real, seed)
    if folder is not None:
        folder.mkdir(exist_ok=True)
        grid = sample_images(module, 50, Generator(seed))
        figures.save_image_grid(folder / f"epoch-{epoch + 1:03d}.png", grid)
    return {f"val_{k}": v for k, v in scores.items()}
