"""Autoencoder: encode images to a small dense code, decode the code back to images.

The encoder squeezes an image (N, C, H, W) into ``latent_dim`` numbers (N, L); the
decoder rebuilds the image from them, through a sigmoid so outputs lie in [0, 1] as the
data do. Trained to reproduce its input, the code keeps what matters most in the data,
a learned, non-linear PCA; trained to reproduce CLEAN images from noisy ones, it learns
to remove noise (a denoising autoencoder).

Two layouts: an MLP (flatten, ``hidden`` units, the code) and a convolutional one (two
stride-2 convolutions down, two stride-2 transposed convolutions up), for images whose
side is a multiple of 4 (8x8 digits, 28x28 MNIST).

>>> import scratchgrad as sg
>>> _ = sg.manual_seed(0)
>>> ae = Autoencoder((1, 8, 8), latent_dim=2, conv=True)
>>> ae.encode(sg.zeros(5, 1, 8, 8)).shape, ae(sg.zeros(5, 1, 8, 8)).shape
((5, 2), (5, 1, 8, 8))
"""

from __future__ import annotations

import math

from scratchgrad import nn
from scratchgrad.tensor import Tensor


def check_image_shape(shape: tuple[int, ...], who: str, conv: bool = True) -> None:
    """Refuse an image shape a model cannot take: (C, H, W), H = W, side a multiple of 4.

    Args:
        shape: one image's shape (C, H, W).
        who: the model's name, for the message.
        conv: whether the side must be a multiple of 4 (two stride-2 layers).

    Raises:
        ValueError: naming the rule and the shape.
    """
    if len(shape) != 3 or min(shape) < 1:
        raise ValueError(f"{who}: input_shape must be (C, H, W) with sizes >= 1, got {shape}")
    if conv and (shape[1] != shape[2] or shape[1] % 4):
        raise ValueError(
            f"{who}: images must be square with a side divisible by 4, got {shape[1:]}"
        )


class Autoencoder(nn.Module):
    """An MLP or convolutional autoencoder for images (C, H, W) with values in [0, 1].

    Args:
        input_shape: one image's shape (C, H, W).
        latent_dim: L, the size of the code.
        hidden: units of the MLP's hidden layer, or channels of the first convolution
            (the second has twice as many).
        conv: convolutional (True) or MLP (False) encoder and decoder.
    """

    def __init__(
        self,
        input_shape: tuple[int, int, int] = (1, 8, 8),
        latent_dim: int = 16,
        hidden: int = 128,
        conv: bool = False,
    ) -> None:
        super().__init__()
        check_image_shape(input_shape, "Autoencoder", conv)
        if latent_dim < 1 or hidden < 1:
            raise ValueError(f"Autoencoder: latent_dim and hidden must be >= 1, got "
                             f"{latent_dim}, {hidden}")  # fmt: skip
        self.input_shape, self.latent_dim = input_shape, latent_dim
        make = _conv_halves if conv else _mlp_halves
        self.encoder, self.decoder = make(input_shape, latent_dim, hidden)

    def encode(self, x: Tensor) -> Tensor:
        """The codes (N, L) of images x (N, C, H, W)."""
        z: Tensor = self.encoder(x)
        return z

    def decode(self, z: Tensor) -> Tensor:
        """Images (N, C, H, W) in [0, 1] rebuilt from codes z (N, L)."""
        out: Tensor = self.decoder(z).sigmoid()
        return out

    def forward(self, x: Tensor) -> Tensor:
        """The reconstruction (N, C, H, W) of images x (N, C, H, W)."""
        return self.decode(self.encode(x))


def _mlp_halves(
    shape: tuple[int, int, int], latent: int, hidden: int
) -> tuple[nn.Module, nn.Module]:
    """Flatten -> hidden -> L, and L -> hidden -> C*H*W -> (C, H, W) (logits)."""
    d = math.prod(shape)
    encoder = nn.Sequential(
        nn.Flatten(), nn.Linear(d, hidden), nn.ReLU(), nn.Linear(hidden, latent)
    )
    decoder = nn.Sequential(
        nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, d), nn.Unflatten(1, shape)
    )
    return encoder, decoder


def _conv_halves(
    shape: tuple[int, int, int], latent: int, width: int
) -> tuple[nn.Module, nn.Module]:
    """Two stride-2 convolutions to (2w, H/4, W/4) -> L, and back with transposed ones."""
    c, side = shape[0], shape[1] // 4
    flat = 2 * width * side * side
    encoder = nn.Sequential(
        nn.Conv2d(c, width, 3, stride=2, padding=1), nn.ReLU(),  # (w, H/2, W/2)
        nn.Conv2d(width, 2 * width, 3, stride=2, padding=1), nn.ReLU(),  # (2w, H/4, W/4)
        nn.Flatten(), nn.Linear(flat, latent),
    )  # fmt: skip
    decoder = nn.Sequential(
        nn.Linear(latent, flat), nn.ReLU(), nn.Unflatten(1, (2 * width, side, side)),
        nn.ConvTranspose2d(2 * width, width, 3, stride=2, padding=1, output_padding=1),
        nn.ReLU(),  # (w, H/2, W/2)
        nn.ConvTranspose2d(width, c, 3, stride=2, padding=1, output_padding=1),  # (C, H, W)
    )  # fmt: skip
    return encoder, decoder


__all__ = ["Autoencoder", "check_image_shape"]
