"""DCGAN against the same models in PyTorch: 20 alternating Adam steps through the Trainer."""

import numpy as np
import pytest
import torch
from benchmarks._torch_generative import (
    TorchDiscriminator,
    TorchGenerator,
    gan_step,
    torch_copy,
)

import scratchgrad as sg
from scratchgrad.data import DataLoader, TensorDataset
from scratchgrad.data.builtin import load
from scratchgrad.models import GAN, Discriminator, Generator, discriminator_loss, generator_loss
from scratchgrad.train import Trainer
from scratchgrad.train.callbacks import Callback

LATENT, WIDTH, BATCH, STEPS = 8, 8, 16, 20


class _Losses(Callback):
    def __init__(self) -> None:
        self.losses: list[float] = []

    def on_train_batch_end(self, trainer, module, loss):  # type: ignore[no-untyped-def]
        self.losses.append(loss)


@pytest.mark.parametrize("shape", [(1, 8, 8), (1, 28, 28)])
def test_twenty_steps_give_torchs_losses_and_weights(shape: tuple[int, int, int]) -> None:
    if shape[1] == 8:
        x = load("digits").train.tensors[0].numpy()[: BATCH * STEPS]
    else:  # MNIST-sized stand-in images; only the arithmetic is compared
        x = np.random.default_rng(0).random((BATCH * STEPS, *shape), dtype=np.float32)
    sg.manual_seed(0)
    gan = GAN(Generator(LATENT, shape, WIDTH), Discriminator(shape, WIDTH), lr=2e-3)
    g = torch_copy(gan.generator, TorchGenerator(LATENT, shape, WIDTH))
    d = torch_copy(gan.discriminator, TorchDiscriminator(shape, WIDTH))
    opts = tuple(torch.optim.Adam(m.parameters(), lr=2e-3, betas=(0.5, 0.999)) for m in (g, d))
    record = _Losses()
    trainer = Trainer(max_epochs=1, seed=5, write_run=False, progress=False, callbacks=[record])
    loader = DataLoader(TensorDataset(x), batch_size=BATCH, generator=sg.Generator(0))
    trainer.fit(gan, loader)  # the loader draws its seed from its own generator
    sg.manual_seed(5)  # the noise the GAN drew: two (BATCH, LATENT) draws per step
    noise = [torch.from_numpy(sg.randn(BATCH, LATENT).numpy()) for _ in range(2 * STEPS)]
    for step in range(STEPS):
        real = torch.from_numpy(x[step * BATCH : (step + 1) * BATCH])
        d_loss, g_loss = gan_step(g, d, opts, real, (noise[2 * step], noise[2 * step + 1]))
        assert record.losses[step] == pytest.approx(d_loss + g_loss, rel=1e-4), f"step {step}"
    ours = dict(gan.generator.state_dict()) | {
        f"d.{k}": v for k, v in gan.discriminator.state_dict().items()
    }
    theirs = dict(g.state_dict()) | {f"d.{k}": v for k, v in d.state_dict().items()}
    for k, v in theirs.items():
        np.testing.assert_allclose(ours[k].numpy(), v.numpy(), rtol=1e-3, atol=1e-5, err_msg=k)


def test_the_losses_are_binary_cross_entropies() -> None:
    real, fake = sg.tensor([2.0, -1.0]), sg.tensor([0.5, -3.0, 1.0])
    sig = lambda t: 1 / (1 + np.exp(-t.numpy()))  # noqa: E731
    expected_d = -np.log(sig(real)).mean() - np.log(1 - sig(fake)).mean()
    assert discriminator_loss(real, fake).item() == pytest.approx(expected_d, rel=1e-6)
    assert generator_loss(fake).item() == pytest.approx(-np.log(sig(fake)).mean(), rel=1e-6)


def test_samples_are_images_in_the_unit_interval_and_keep_the_mode() -> None:
    sg.manual_seed(0)
    gan = GAN(Generator(LATENT, (1, 8, 8), WIDTH), Discriminator((1, 8, 8), WIDTH))
    out = gan.sample(6, sg.Generator(0))
    assert out.shape == (6, 1, 8, 8)
    assert out.numpy().min() >= 0 and out.numpy().max() <= 1
    assert gan.generator.training
    np.testing.assert_array_equal(out.numpy(), gan.sample(6, sg.Generator(0)).numpy())
    with pytest.raises(ValueError, match="n must be"):
        gan.sample(0)
