"""Quality goals of the generative recipes at their defaults (slow: ``make quality``).

- digits-denoise: with noise 0.4 (clipped to [0, 1]) the output's MSE to the clean test
  images is at most half the noisy inputs'. A shorter run of the same check is in the
  default suite.
- digits-gan: 1,000 samples of the best checkpoint cover at least 8 of the 10 classes and
  the judge (a digits classifier trained by scratchgrad) gives them a mean top probability
  of at least 0.8; our Frechet distance (mean of the last five epochs) is within 20% of
  the same DCGAN's trained in torch for the same steps from the same weights.
"""

import csv
from pathlib import Path

import pytest
import torch
from benchmarks._torch_generative import (
    TorchDiscriminator,
    TorchGenerator,
    gan_step,
    torch_copy,
)

from scratchgrad.config import resolve_settings
from scratchgrad.recipes import get_recipe
from scratchgrad.recipes._judge import judge_samples, train_judge
from scratchgrad.train.checkpoint import load_checkpoint

pytestmark = pytest.mark.slow


def _settings(name: str, out: Path, **cli: object):  # type: ignore[no-untyped-def]
    recipe = get_recipe(name)
    return recipe, resolve_settings(recipe.defaults, cli={"out_dir": out, **cli},
                                    extra=recipe.extra, inputs=recipe.inputs)  # fmt: skip


def test_denoising_with_defaults_halves_the_error(tmp_path: Path) -> None:
    recipe, settings = _settings("digits-denoise", tmp_path)
    metrics = recipe.run(settings, progress=False).test_metrics
    assert metrics["test_loss"] <= 0.5 * metrics["test_noisy_mse"], metrics


LAST = 5  # GAN samples swing from epoch to epoch: compare the mean of the last five


def _torch_gan_frechets(module, data, settings) -> list[float]:  # type: ignore[no-untyped-def]
    """Train the same DCGAN in torch, from our initial weights, for the same steps.

    Returns the Frechet distance of 1,000 samples after each of the last epochs, judged
    as the recipe judges its own (same judge, same test images).
    """
    shape, latent = (1, 8, 8), module.generator.latent_dim
    g = torch_copy(module.generator, TorchGenerator(latent, shape, settings.extra["width"]))
    d = torch_copy(module.discriminator, TorchDiscriminator(shape, settings.extra["width"]))
    opts = tuple(torch.optim.Adam(m.parameters(), settings.lr, betas=(0.5, 0.999)) for m in (g, d))
    x = torch.from_numpy(data.train.tensors[0].numpy())
    judge = train_judge(data.train.tensors[0], data.train.tensors[1], settings.seed)
    torch.set_num_threads(1)  # tiny layers: one thread is fastest, and fair to scratchgrad's
    torch.manual_seed(settings.seed)
    b, frechets = settings.batch_size, []
    for epoch in range(settings.epochs):
        order = torch.randperm(len(x))
        for i in range(0, len(x), b):
            idx = order[i : i + b]
            gan_step(
                g, d, opts, x[idx], (torch.randn(len(idx), latent), torch.randn(len(idx), latent))
            )
        if epoch >= settings.epochs - LAST:
            g.eval()
            with torch.no_grad():
                samples = ((g(torch.randn(1000, latent)) + 1) / 2).numpy()
            g.train()
            frechets.append(judge_samples(judge, samples, data.test.tensors[0].numpy())["frechet"])
    return frechets


def test_gan_with_defaults_covers_the_classes_and_is_near_torch(tmp_path: Path) -> None:
    recipe, settings = _settings("digits-gan", tmp_path)
    data = recipe.data(settings)
    initial = recipe.module(settings, data)  # the weights the run starts from
    result = recipe.run(settings, progress=False)
    module = recipe.rebuild(settings, result.run_dir)
    module.load_state_dict(load_checkpoint(result.run_dir / "checkpoints" / "best.json")["module"])
    best = recipe.evaluate(module, settings)
    assert best["test_classes"] >= 8 and best["test_confidence"] >= 0.8, best
    with (result.run_dir / "metrics.csv").open() as f:
        ours = [float(r["val_frechet"]) for r in csv.DictReader(f)][-LAST:]
    theirs = _torch_gan_frechets(initial, data, settings)
    assert sum(ours) <= 1.2 * sum(theirs), (ours, theirs)
