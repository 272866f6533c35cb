"""Ready-made models: GPT, an LSTM language model, autoencoders, a VAE and a DCGAN."""

from scratchgrad.models.autoencoder import Autoencoder
from scratchgrad.models.char_rnn import CharRNN
from scratchgrad.models.gan import (
    GAN,
    Discriminator,
    Generator,
    discriminator_loss,
    generator_loss,
)
from scratchgrad.models.gpt import GPT, GPTConfig
from scratchgrad.models.vae import VAE, VAELoss

__all__ = [
    "GAN",
    "GPT",
    "VAE",
    "Autoencoder",
    "CharRNN",
    "Discriminator",
    "GPTConfig",
    "Generator",
    "VAELoss",
    "discriminator_loss",
    "generator_loss",
]
