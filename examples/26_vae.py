"""D18: a variational autoencoder draws new digits from its prior and morphs one into another.

A VAE encodes each image as a Gaussian over a 2-d code and is trained on the negative
ELBO: the reconstruction's negative log-likelihood plus the KL divergence that pulls the
codes towards N(0, I). Because the codes fill that prior, decoding random N(0, I) codes
gives new digits, and a straight line between two codes passes through plausible images.
"""

import numpy as np
from _common import out_dir, section

import scratchgrad as sg
from scratchgrad.data import DataLoader
from scratchgrad.data.builtin import load
from scratchgrad.models import VAE
from scratchgrad.recipes.figures import interpolate, save_image_grid
from scratchgrad.recipes.generative import Variational
from scratchgrad.train import Trainer

section("training: negative ELBO = reconstruction + KL (nats per image)")
digits = load("digits")
sg.manual_seed(0)
module = Variational(VAE((1, 8, 8), latent_dim=2, hidden=256), lr=2e-3)
trainer = Trainer(max_epochs=30, write_run=False, progress=False)
loader = DataLoader(digits.train, 32, shuffle=True, generator=sg.Generator(0))
m = trainer.fit(module, loader, DataLoader(digits.val, 256))
print(f"held out: -ELBO {m['val_loss']:.2f} = reconstruction {m['val_reconstruction']:.2f} "
      f"+ KL {m['val_kl']:.2f}")  # fmt: skip

section("samples: codes drawn from the prior N(0, I), decoded")
module.eval()
samples = module.sample(40, sg.Generator(0)).numpy()
save_image_grid(out_dir() / "vae_samples.png", samples)
print(f"40 samples, pixels in [{samples.min():.2f}, {samples.max():.2f}]")

section("interpolation: from a test 0 to a test 1 through the latent space")
x, y = (t.numpy() for t in digits.test.tensors)
with sg.no_grad():
    mu = module.model.encode(sg.tensor(x))[0].numpy()
a, b = mu[np.argmax(y == 0)], mu[np.argmax(y == 1)]
line = interpolate(a, b, steps=10)
with sg.no_grad():
    frames = module.model.decode(sg.tensor(line)).sigmoid().numpy()
save_image_grid(out_dir() / "vae_interpolation.png", frames)
print(f"codes {np.round(a, 2)} -> {np.round(b, 2)}; pictures in {out_dir()}")
