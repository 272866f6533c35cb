"""VAE: a variational autoencoder (Kingma & Welling, 2014) with MLP encoder and decoder.

The encoder maps an image x (N, C, H, W) to a Gaussian q(z | x) = N(mu, diag(exp(logvar)))
over codes z (N, L); a code is drawn by reparameterisation, z = mu + exp(logvar / 2) * eps
with eps ~ N(0, I), so gradients flow through mu and logvar. The decoder maps z to the
parameters of p(x | z): Bernoulli probabilities (binary cross-entropy) or Gaussian means
with a fixed standard deviation ``sigma``. Training minimises the negative ELBO,

    -ELBO(x) = E_q[-log p(x | z)] + beta * KL(q(z | x) || N(0, I)),

estimated with one z per sample; ``beta = 1`` is the true bound (beta-VAE otherwise).
New images come from the prior: z ~ N(0, I), decoded (:meth:`VAE.sample`).

>>> import scratchgrad as sg
>>> _ = sg.manual_seed(0)
>>> vae = VAE((1, 8, 8), latent_dim=2, hidden=32)
>>> out = vae.loss(sg.rand(4, 1, 8, 8))
>>> out.loss.shape, vae.sample(3).shape
((), (3, 1, 8, 8))
"""

from __future__ import annotations

import math
from typing import Literal, NamedTuple

from scratchgrad import nn
from scratchgrad.autograd import no_grad
from scratchgrad.creation import randn, randn_like
from scratchgrad.models.autoencoder import check_image_shape
from scratchgrad.nn import functional as F  # noqa: N812 - PyTorch's alias
from scratchgrad.random import Generator
from scratchgrad.tensor import Tensor

Likelihood = Literal["bernoulli", "gaussian"]


class VAELoss(NamedTuple):
    """The negative ELBO and its two terms, each a mean over the batch (nats per sample).

    Attributes:
        loss: reconstruction + beta * kl, a scalar tensor (what is minimised).
        reconstruction: E_q[-log p(x | z)], one z per sample, a scalar tensor.
        kl: KL(q(z | x) || N(0, I)), a scalar tensor.
    """

    loss: Tensor
    reconstruction: Tensor
    kl: Tensor


class VAE(nn.Module):
    """A variational autoencoder for images (C, H, W) with values in [0, 1].

    Args:
        input_shape: one image's shape (C, H, W).
        latent_dim: L, the size of the code.
        hidden: units of the encoder's and decoder's hidden layer.
        likelihood: "bernoulli" (binary cross-entropy) or "gaussian" (squared error).
        beta: the KL term's weight; 1 gives the true negative ELBO.
        sigma: the Gaussian decoder's fixed standard deviation (> 0).
    """

    def __init__(
        self,
        input_shape: tuple[int, int, int] = (1, 8, 8),
        latent_dim: int = 2,
        hidden: int = 256,
        likelihood: Likelihood = "bernoulli",
        beta: float = 1.0,
        sigma: float = 0.1,
    ) -> None:
        super().__init__()
        check_image_shape(input_shape, "VAE", conv=False)
        if likelihood not in ("bernoulli", "gaussian"):
            raise ValueError(f"VAE: likelihood must be 'bernoulli' or 'gaussian', got "
                             f"{likelihood!r}")  # fmt: skip
        if beta < 0 or sigma <= 0:
            raise ValueError(f"VAE: need beta >= 0 and sigma > 0, got {beta}, {sigma}")
        d = math.prod(input_shape)
        self.input_shape, self.latent_dim = input_shape, latent_dim
        self.likelihood, self.beta, self.sigma = likelihood, beta, sigma
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(d, hidden), nn.ReLU())
        self.mu = nn.Linear(hidden, latent_dim)
        self.logvar = nn.Linear(hidden, latent_dim)
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, hidden), nn.ReLU(), nn.Linear(hidden, d),
            nn.Unflatten(1, input_shape),
        )  # fmt: skip

    def encode(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """The mean and log-variance (N, L), (N, L) of q(z | x) for images x (N, C, H, W)."""
        h = self.encoder(x)  # (N, hidden)
        return self.mu(h), self.logvar(h)

    def reparameterize(self, mu: Tensor, logvar: Tensor) -> Tensor:
        """A code z = mu + exp(logvar / 2) * eps (N, L), eps from the global generator."""
        return mu + (0.5 * logvar).exp() * randn_like(mu)

    def decode(self, z: Tensor) -> Tensor:
        """The decoder's logits (N, C, H, W) for codes z (N, L); sigmoid gives the mean."""
        out: Tensor = self.decoder(z)
        return out

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """Logits of the reconstruction (N, C, H, W), and mu, logvar (N, L) of q(z | x)."""
        mu, logvar = self.encode(x)
        return self.decode(self.reparameterize(mu, logvar)), mu, logvar

    def loss(self, x: Tensor) -> VAELoss:
        """The negative ELBO per sample for images x (N, C, H, W), and its two terms."""
        logits, mu, logvar = self(x)
        n = x.shape[0]
        recon = self._nll(logits, x) / n
        kl = -0.5 * (1 + logvar - mu * mu - logvar.exp()).sum() / n
        return VAELoss(recon + self.beta * kl, recon, kl)

    def _nll(self, logits: Tensor, x: Tensor) -> Tensor:
        """-log p(x | z) summed over the batch and pixels."""
        if self.likelihood == "bernoulli":
            return F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        d = x.numel()
        sq = ((x - logits.sigmoid()) ** 2).sum()
        return sq / (2 * self.sigma**2) + d * (math.log(self.sigma) + 0.5 * math.log(2 * math.pi))

    def sample(self, n: int, generator: Generator | None = None) -> Tensor:
        """n images (n, C, H, W) in [0, 1]: decoder means for codes drawn from N(0, I).

        Args:
            n: how many images (>= 1).
            generator: draws the codes; by default the global generator.
        """
        if n < 1:
            raise ValueError(f"VAE.sample: n must be >= 1, got {n}")
        with no_grad():
            return self.decode(randn(n, self.latent_dim, generator=generator)).sigmoid()


__all__ = ["VAE", "VAELoss"]
