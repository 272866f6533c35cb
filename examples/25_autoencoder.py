"""D17: an autoencoder squeezes digits into a few numbers, rebuilds them, and cleans noise.

The encoder maps an 8x8 digit (64 pixels) to a code of 2 numbers; the decoder rebuilds
the image from the code alone. Trained to reproduce its input, the code keeps what
matters most: the autoencoder "does its own PCA", a non-linear one. We compare its 2-d
codes with PCA's 2-d projection, then train a second one on noisy inputs with the clean
image as target: a denoising autoencoder.
"""

import numpy as np
from _common import out_dir, section

import scratchgrad as sg
from scratchgrad.data import DataLoader
from scratchgrad.data.builtin import load
from scratchgrad.ml import PCA
from scratchgrad.models import Autoencoder
from scratchgrad.recipes.figures import save_image_rows, save_latent_space
from scratchgrad.recipes.generative import Reconstruction
from scratchgrad.train import Trainer

section("data: 8x8 digits, pixels in [0, 1]")
digits = load("digits")
x_test, y_test = (t.numpy() for t in digits.test.tensors)
print(f"{len(digits.train)} train, {len(digits.test)} test images")


def train(noise: float, latent_dim: int, epochs: int) -> Reconstruction:
    sg.manual_seed(0)
    module = Reconstruction(Autoencoder((1, 8, 8), latent_dim, 64), lr=3e-3, noise=noise)
    loader = DataLoader(digits.train, 32, shuffle=True, generator=sg.Generator(0))
    trainer = Trainer(max_epochs=epochs, write_run=False, progress=False)
    metrics = trainer.fit(module, loader, DataLoader(digits.val, 256))
    print(f"after {epochs} epochs: val MSE per pixel {metrics['val_loss']:.4f}")
    module.eval()
    return module


section("a dense representation: 64 pixels -> 2 numbers -> 64 pixels")
ae = train(noise=0.0, latent_dim=2, epochs=25)
with sg.no_grad():
    codes = ae.model.encode(sg.tensor(x_test)).numpy()
pca = PCA(n_components=2).fit(digits.train.tensors[0].numpy().reshape(-1, 64))
projected = pca.transform(x_test.reshape(-1, 64))
rebuilt = pca.inverse_transform(projected).reshape(x_test.shape)
with sg.no_grad():
    ae_mse = float(((ae(sg.tensor(x_test)).numpy() - x_test) ** 2).mean())
print(
    f"test MSE from 2 numbers: autoencoder {ae_mse:.4f}, PCA {((rebuilt - x_test) ** 2).mean():.4f}"
)
save_latent_space(out_dir() / "ae_latent.png", codes, y_test, "autoencoder codes (test)")
save_latent_space(out_dir() / "pca_latent.png", projected, y_test, "PCA's 2-d projection (test)")

section("denoising: Gaussian noise 0.4, clipped to [0, 1]")
denoiser = train(noise=0.4, latent_dim=16, epochs=15)
sg.manual_seed(1)
with sg.no_grad():
    noisy = denoiser.corrupt(sg.tensor(x_test))
    cleaned = denoiser(noisy).numpy()
noisy_mse = float(((noisy.numpy() - x_test) ** 2).mean())
clean_mse = float(((cleaned - x_test) ** 2).mean())
print(f"MSE to the clean images: noisy input {noisy_mse:.4f}, output {clean_mse:.4f} "
      f"({clean_mse / noisy_mse:.0%} of the noise's)")  # fmt: skip
rows = [("input", x_test[:10]), ("noisy", noisy.numpy()[:10]), ("cleaned", cleaned[:10])]
save_image_rows(out_dir() / "denoised.png", rows, "denoising autoencoder (test)")
print(f"pictures in {out_dir()}")
assert np.isfinite(clean_mse)
