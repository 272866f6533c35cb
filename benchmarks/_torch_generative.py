"""The autoencoder, VAE and DCGAN of ``scratchgrad.models`` written in PyTorch, layer for layer.

Parameter names match ours, so :func:`torch_copy` moves our weights into them: the parity
tests and the GAN quality comparison start both frameworks from the same weights.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F  # noqa: N812


def torch_copy(ours: Any, ref: nn.Module) -> nn.Module:
    """``ref`` holding the weights and buffers of our module ``ours`` (same names)."""
    state = {k: torch.from_numpy(v.detach().numpy().copy()) for k, v in ours.state_dict().items()}
    ref.load_state_dict(state)
    return ref


class TorchVAE(nn.Module):
    """``scratchgrad.models.VAE`` (Bernoulli decoder), eps given explicitly."""

    def __init__(self, shape: tuple[int, int, int], latent: int, hidden: int) -> None:
        super().__init__()
        d = math.prod(shape)
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(d, hidden), nn.ReLU())
        self.mu, self.logvar = nn.Linear(hidden, latent), nn.Linear(hidden, latent)
        self.decoder = nn.Sequential(
            nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, d), nn.Unflatten(1, shape)
        )

    def loss(self, x: torch.Tensor, eps: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """(negative ELBO, reconstruction, KL), means over the batch."""
        h = self.encoder(x)
        mu, logvar = self.mu(h), self.logvar(h)
        logits = self.decoder(mu + torch.exp(0.5 * logvar) * eps)
        n = x.shape[0]
        recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / n
        kl = -0.5 * torch.sum(1 + logvar - mu**2 - logvar.exp()) / n
        return recon + kl, recon, kl


class TorchGenerator(nn.Module):
    """``scratchgrad.models.Generator``."""

    def __init__(self, latent: int, shape: tuple[int, int, int], width: int) -> None:
        super().__init__()
        c, start = shape[0], shape[1] // 4
        self.net = nn.Sequential(
            nn.Unflatten(1, (latent, 1, 1)),
            nn.ConvTranspose2d(latent, 2 * width, start, bias=False),
            nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False),
            nn.BatchNorm2d(width), nn.ReLU(),
            nn.ConvTranspose2d(width, c, 4, 2, 1), nn.Tanh(),
        )  # fmt: skip

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Images in [-1, 1]."""
        out: torch.Tensor = self.net(z)
        return out


class TorchDiscriminator(nn.Module):
    """``scratchgrad.models.Discriminator``."""

    def __init__(self, shape: tuple[int, int, int], width: int) -> None:
        super().__init__()
        c, end = shape[0], shape[1] // 4
        self.net = nn.Sequential(
            nn.Conv2d(c, width, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False),
            nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * width, 1, end), nn.Flatten(0),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (N,)."""
        out: torch.Tensor = self.net(x)
        return out


def gan_step(
    g: nn.Module,
    d: nn.Module,
    opts: tuple[torch.optim.Optimizer, torch.optim.Optimizer],
    real: torch.Tensor,
    noise: tuple[torch.Tensor, torch.Tensor],
) -> tuple[float, float]:
    """One step of ``scratchgrad.models.GAN``: D on real and G(z1), then G on G(z2).

    Args:
        g: the generator; d: the discriminator; opts: (G's Adam, D's Adam).
        real: real images in [0, 1]; noise: (z1, z2).

    Returns:
        (D's loss, G's loss).
    """
    real = real * 2 - 1
    opt_g, opt_d = opts
    bce = F.binary_cross_entropy_with_logits
    fake = g(noise[0]).detach()
    real_logits, fake_logits = d(real), d(fake)
    d_loss = bce(real_logits, torch.ones_like(real_logits)) + bce(
        fake_logits, torch.zeros_like(fake_logits)
    )
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
    logits = d(g(noise[1]))
    g_loss = bce(logits, torch.ones_like(logits))
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    return float(d_loss.detach()), float(g_loss.detach())
