"""DCGAN (Radford et al., 2016): a generator and a discriminator that train against each other.

The generator maps noise z (N, L) to images (N, C, H, W) in [-1, 1] (tanh) with transposed
convolutions, batch norm and ReLU; the discriminator maps images to one logit each (N,)
with stride-2 convolutions, batch norm and LeakyReLU(0.2). Both are sized for square
images whose side is a multiple of 4: 8x8 digits (1x1 -> 2x2 -> 4x4 -> 8x8) and 28x28
MNIST (1x1 -> 7x7 -> 14x14 -> 28x28). Weights start as in the paper: N(0, 0.02).

Training alternates two optimizers (:class:`GAN`, manual optimization): the discriminator
learns to tell real images from generated ones, then the generator learns to fool it
with the non-saturating loss -log D(G(z)) (Goodfellow et al., 2014), which gives strong
gradients while the generator is still bad.

>>> import scratchgrad as sg
>>> _ = sg.manual_seed(0)
>>> g, d = Generator(latent_dim=8, image_shape=(1, 8, 8)), Discriminator((1, 8, 8))
>>> x = g(sg.randn(4, 8))
>>> x.shape, d(x).shape
((4, 1, 8, 8), (4,))
"""

from __future__ import annotations

from typing import Any

from scratchgrad import nn, optim
from scratchgrad.autograd import no_grad
from scratchgrad.creation import ones_like, randn, zeros_like
from scratchgrad.models.autoencoder import check_image_shape
from scratchgrad.nn import functional as F  # noqa: N812 - PyTorch's alias
from scratchgrad.nn.init import normal_, zeros_
from scratchgrad.random import Generator as RandomGenerator
from scratchgrad.tensor import Tensor
from scratchgrad.train.module import TrainModule


def dcgan_init(module: nn.Module) -> None:
    """DCGAN's initialisation: conv weights N(0, 0.02), batch norm scales N(1, 0.02), biases 0.

    Args:
        module: a model; every Conv, ConvTranspose and BatchNorm in it is re-initialised.
    """
    for m in module.modules():
        if isinstance(m, nn.Conv2d | nn.ConvTranspose2d):
            normal_(m.weight, 0.0, 0.02)
        elif isinstance(m, nn.BatchNorm2d) and m.weight is not None and m.bias is not None:
            normal_(m.weight, 1.0, 0.02)
            zeros_(m.bias)


class Generator(nn.Module):
    """Noise z (N, L) -> images (N, C, H, W) in [-1, 1].

    Args:
        latent_dim: L, the size of the noise.
        image_shape: (C, H, W), H = W a multiple of 4.
        width: channels before the last layer (the first has twice as many).
    """

    def __init__(
        self, latent_dim: int = 32, image_shape: tuple[int, int, int] = (1, 8, 8), width: int = 32
    ) -> None:
        super().__init__()
        check_image_shape(image_shape, "Generator")
        c, start = image_shape[0], image_shape[1] // 4
        self.latent_dim, self.image_shape = latent_dim, image_shape
        self.net = nn.Sequential(
            nn.Unflatten(1, (latent_dim, 1, 1)),
            nn.ConvTranspose2d(latent_dim, 2 * width, start, bias=False),  # (2w, H/4, W/4)
            nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False),  # (w, H/2, W/2)
            nn.BatchNorm2d(width), nn.ReLU(),
            nn.ConvTranspose2d(width, c, 4, 2, 1), nn.Tanh(),  # (C, H, W)
        )  # fmt: skip
        dcgan_init(self)

    def forward(self, z: Tensor) -> Tensor:
        """Images (N, C, H, W) in [-1, 1] for noise z (N, L)."""
        out: Tensor = self.net(z)
        return out


class Discriminator(nn.Module):
    """Images (N, C, H, W) -> one logit each (N,): high for real, low for generated.

    Args:
        image_shape: (C, H, W), H = W a multiple of 4.
        width: channels of the first convolution (the second has twice as many).
    """

    def __init__(self, image_shape: tuple[int, int, int] = (1, 8, 8), width: int = 32) -> None:
        super().__init__()
        check_image_shape(image_shape, "Discriminator")
        c, end = image_shape[0], image_shape[1] // 4
        self.net = nn.Sequential(
            nn.Conv2d(c, width, 4, 2, 1), nn.LeakyReLU(0.2),  # (w, H/2, W/2)
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False),  # (2w, H/4, W/4)
            nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * width, 1, end), nn.Flatten(0),  # (N,)
        )  # fmt: skip
        dcgan_init(self)

    def forward(self, x: Tensor) -> Tensor:
        """Logits (N,) that images x (N, C, H, W) are real."""
        out: Tensor = self.net(x)
        return out


def discriminator_loss(real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    """-log D(x) - log(1 - D(G(z))), each averaged over its batch, then added.

    Args:
        real_logits: the discriminator's logits for real images, (N,).
        fake_logits: its logits for generated images, (M,).

    Returns:
        A scalar tensor.
    """
    real = F.binary_cross_entropy_with_logits(real_logits, ones_like(real_logits))
    fake = F.binary_cross_entropy_with_logits(fake_logits, zeros_like(fake_logits))
    return real + fake


def generator_loss(fake_logits: Tensor) -> Tensor:
    """The non-saturating generator loss -log D(G(z)), averaged; fake_logits (M,) -> scalar."""
    return F.binary_cross_entropy_with_logits(fake_logits, ones_like(fake_logits))


class GAN(TrainModule):
    """A generator and a discriminator trained in turn with Adam (manual optimization).

    Each training batch of real images x in [0, 1] (scaled to [-1, 1]) makes one
    discriminator step on x and G(z), then one generator step on fresh G(z); ``g_loss``
    and ``d_loss`` are logged. Noise comes from the global generator, so a resumed run
    draws the same noise as an uninterrupted one.

    Args:
        generator: the generator G.
        discriminator: the discriminator D.
        lr: Adam's learning rate for both (betas 0.5, 0.999 as DCGAN).
    """

    automatic_optimization = False

    def __init__(self, generator: Generator, discriminator: Discriminator, lr: float = 2e-4):
        super().__init__()
        self.generator, self.discriminator, self.lr = generator, discriminator, lr

    def forward(self, z: Tensor) -> Tensor:
        """Generated images (N, C, H, W) in [-1, 1] for noise z (N, L)."""
        return self.generator(z)  # type: ignore[no-any-return]

    def training_step(self, batch: Any, batch_idx: int) -> Tensor:
        """One discriminator step, then one generator step; returns D's loss + G's loss."""
        real = _images(batch) * 2 - 1  # (N, C, H, W) in [-1, 1]
        opt_g, opt_d = self.optimizers()
        fake = self.generator(randn(real.shape[0], self.generator.latent_dim))
        d_loss = discriminator_loss(self.discriminator(real), self.discriminator(fake.detach()))
        opt_d.zero_grad()
        self.manual_backward(d_loss)
        opt_d.step()
        fake = self.generator(randn(real.shape[0], self.generator.latent_dim))
        g_loss = generator_loss(self.discriminator(fake))
        opt_g.zero_grad()
        self.manual_backward(g_loss)
        opt_g.step()
        self.log("d_loss", d_loss)
        self.log("g_loss", g_loss)
        return (d_loss + g_loss).detach()

    def validation_step(self, batch: Any, batch_idx: int) -> Tensor:
        """D's and G's losses on held-out real images and fresh samples (no updates)."""
        real = _images(batch) * 2 - 1
        fake = self.generator(randn(real.shape[0], self.generator.latent_dim))
        fake_logits = self.discriminator(fake)
        d_loss = discriminator_loss(self.discriminator(real), fake_logits)
        g_loss = generator_loss(fake_logits)
        self.log("d_loss", d_loss)
        self.log("g_loss", g_loss)
        return d_loss + g_loss

    def configure_optimizers(self) -> list[optim.Optimizer]:
        """[Adam for G, Adam for D], betas (0.5, 0.999)."""
        return [
            optim.Adam(self.generator.parameters(), lr=self.lr, betas=(0.5, 0.999)),
            optim.Adam(self.discriminator.parameters(), lr=self.lr, betas=(0.5, 0.999)),
        ]

    def sample(self, n: int, generator: RandomGenerator | None = None) -> Tensor:
        """n generated images (n, C, H, W) in [0, 1] (the generator in eval mode).

        Args:
            n: how many images (>= 1).
            generator: draws the noise; by default the global generator.
        """
        if n < 1:
            raise ValueError(f"GAN.sample: n must be >= 1, got {n}")
        was_training = self.generator.training
        self.generator.eval()
        with no_grad():
            z = randn(n, self.generator.latent_dim, generator=generator)
            out: Tensor = (self.generator(z) + 1) / 2
        self.generator.train(was_training)
        return out


def _images(batch: Any) -> Tensor:
    """The images of a batch: the batch itself or the first element of (x, y)."""
    x: Tensor = batch[0] if isinstance(batch, tuple | list) else batch
    return x


__all__ = [
    "GAN",
    "Discriminator",
    "Generator",
    "dcgan_init",
    "discriminator_loss",
    "generator_loss",
]
