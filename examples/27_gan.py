"""D18: a DCGAN learns to draw digits by fooling a discriminator.

Two networks train in turn (the Trainer's manual optimization, as in Lightning): the
discriminator D learns to tell real 8x8 digits from the generator's, and the generator G
learns to make D call its images real (the non-saturating loss -log D(G(z))). The same
noise is drawn after each epoch, so the saved grids show the samples improving.
"""

import matplotlib
import matplotlib.pyplot as plt
from _common import out_dir, section

import scratchgrad as sg
from scratchgrad.data import DataLoader
from scratchgrad.data.builtin import load
from scratchgrad.models import GAN, Discriminator, Generator
from scratchgrad.recipes.figures import save_image_grid
from scratchgrad.train import Trainer
from scratchgrad.train.callbacks import Callback

EPOCHS = 12


class SaveSamples(Callback):
    """A grid of 30 samples from the same noise after every epoch, and the two losses."""

    def __init__(self) -> None:
        self.losses: list[tuple[float, float]] = []

    def on_epoch_end(self, trainer, module, metrics):  # type: ignore[no-untyped-def]
        epoch = trainer.current_epoch + 1
        grid = module.sample(30, sg.Generator(0)).numpy()
        save_image_grid(out_dir() / f"gan_epoch_{epoch:02d}.png", grid)
        self.losses.append((metrics["train_d_loss"], metrics["train_g_loss"]))
        print(f"epoch {epoch:2d}: D loss {self.losses[-1][0]:.3f}, G loss {self.losses[-1][1]:.3f}")


section("a DCGAN for 8x8 digits: 32 noise numbers -> 8x8 image -> real or not")
digits = load("digits")
sg.manual_seed(0)
gan = GAN(Generator(32, (1, 8, 8), width=32), Discriminator((1, 8, 8), width=32), lr=2e-3)
print(f"G: {sum(p.numel() for p in gan.generator.parameters()):,} parameters, "
      f"D: {sum(p.numel() for p in gan.discriminator.parameters()):,}")  # fmt: skip

section("training: one D step and one G step per batch")
saver = SaveSamples()
trainer = Trainer(max_epochs=EPOCHS, write_run=False, progress=False, callbacks=[saver])
trainer.fit(gan, DataLoader(digits.train, 32, shuffle=True, generator=sg.Generator(0)))

section("the two losses on one plot")
matplotlib.use("Agg")
fig, ax = plt.subplots(figsize=(5, 3.5))
epochs = range(1, EPOCHS + 1)
ax.plot(epochs, [d for d, _ in saver.losses], marker="o", label="discriminator")
ax.plot(epochs, [g for _, g in saver.losses], marker="o", label="generator")
ax.set_xlabel("epoch")
ax.set_ylabel("loss (nats)")
ax.legend()
fig.tight_layout()
fig.savefig(out_dir() / "gan_losses.png")
print(f"sample grids gan_epoch_01.png ... gan_epoch_{EPOCHS}.png and gan_losses.png in {out_dir()}")
