"""Generative and unsupervised recipes: autoencoders, denoising, a VAE and a DCGAN on digits.

Each trains on images in [0, 1] (scikit-learn's 8x8 digits built in, or MNIST IDX files
from ``--data-dir``), writes ``recipe.json`` like every recipe, and adds pictures to the
run folder (see :mod:`scratchgrad.recipes._generative_run`). VAE and GAN runs sample new
images (``scratchgrad sample``); their samples are judged every epoch by a digits
classifier trained by scratchgrad (``val_frechet``, ``val_classes``, ``val_confidence``).

>>> sorted(GENERATIVE_RECIPES)[:3]
['digits-autoencoder', 'digits-denoise', 'digits-gan']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from scratchgrad import optim
from scratchgrad.autograd import no_grad
from scratchgrad.config import RecipeSettings
from scratchgrad.creation import randn_like
from scratchgrad.data.builtin import DataSplits, load
from scratchgrad.data.loader import DataLoader
from scratchgrad.errors import RecipeError, SettingsError
from scratchgrad.models.autoencoder import Autoencoder
from scratchgrad.models.gan import GAN, Discriminator, Generator
from scratchgrad.models.vae import VAE
from scratchgrad.nn import functional as F  # noqa: N812 - PyTorch's alias
from scratchgrad.random import Generator as RandomGenerator
from scratchgrad.random import manual_seed
from scratchgrad.recipes import _generative_run as run_files
from scratchgrad.recipes._judge import train_judge
from scratchgrad.recipes.base import (
    RunResult,
    SaveRecipe,
    fit_and_judge,
    resume_point,
    split_record_sizes,
    train_config,
)
from scratchgrad.tensor import Tensor
from scratchgrad.train.callbacks import Callback
from scratchgrad.train.module import StepOutput, TrainModule
from scratchgrad.train.trainer import Trainer

Kind = Literal["autoencoder", "vae", "gan"]


def _images(batch: Any) -> Tensor:
    x: Tensor = batch[0] if isinstance(batch, tuple | list) else batch
    return x


class Reconstruction(TrainModule):
    """An autoencoder trained to rebuild clean images from its inputs (MSE per pixel).

    With ``noise > 0`` the inputs are corrupted first, x + noise * N(0, 1) clipped to
    [0, 1] (a denoising autoencoder), and validation logs ``noisy_mse``, the corrupted
    input's MSE to the clean image, next to the output's (``loss``).

    Args:
        model: the autoencoder.
        lr: Adam's learning rate.
        noise: the standard deviation of the Gaussian noise (0: none).
    """

    def __init__(self, model: Autoencoder, lr: float = 1e-3, noise: float = 0.0) -> None:
        super().__init__()
        self.model, self.lr, self.noise = model, lr, noise

    def forward(self, x: Tensor) -> Tensor:
        """The reconstruction (N, C, H, W) of images x (N, C, H, W)."""
        return self.model(x)  # type: ignore[no-any-return]

    def corrupt(self, x: Tensor) -> Tensor:
        """x (N, C, H, W) with noise added and clipped to [0, 1] (x itself without noise)."""
        return (x + self.noise * randn_like(x)).clamp(0.0, 1.0) if self.noise > 0 else x

    def training_step(self, batch: Any, batch_idx: int) -> StepOutput:
        """The MSE of the reconstruction of the (corrupted) images to the clean ones."""
        x = _images(batch)
        return StepOutput(F.mse_loss(self.model(self.corrupt(x)), x), None, x)

    def validation_step(self, batch: Any, batch_idx: int) -> StepOutput:
        """As training, and ``noisy_mse`` of the corrupted inputs when there is noise."""
        x = _images(batch)
        noisy = self.corrupt(x)
        if self.noise > 0:
            self.log("noisy_mse", F.mse_loss(noisy, x))
        return StepOutput(F.mse_loss(self.model(noisy), x), None, x)

    def configure_optimizers(self) -> optim.Optimizer:
        """Adam."""
        return optim.Adam(self.model.parameters(), lr=self.lr)


class Variational(TrainModule):
    """A VAE trained on its negative ELBO; logs the ``reconstruction`` and ``kl`` terms.

    Args:
        model: the VAE.
        lr: Adam's learning rate.
    """

    def __init__(self, model: VAE, lr: float = 1e-3) -> None:
        super().__init__()
        self.model, self.lr = model, lr

    def forward(self, x: Tensor) -> Tensor:
        """The mean reconstruction (N, C, H, W) of images x: sigmoid(decode(mu))."""
        return self.model.decode(self.model.encode(x)[0]).sigmoid()

    def training_step(self, batch: Any, batch_idx: int) -> StepOutput:
        """The negative ELBO per sample (nats)."""
        x = _images(batch)
        out = self.model.loss(x)
        self.log("reconstruction", out.reconstruction)
        self.log("kl", out.kl)
        return StepOutput(out.loss, None, x)

    def configure_optimizers(self) -> optim.Optimizer:
        """Adam."""
        return optim.Adam(self.model.parameters(), lr=self.lr)

    def sample(self, n: int, generator: RandomGenerator | None = None) -> Tensor:
        """n images (n, C, H, W) in [0, 1] from the prior."""
        return self.model.sample(n, generator)


class JudgeEachEpoch(Callback):
    """Judges a VAE's or GAN's samples after every epoch, and saves a grid of them.

    Adds ``val_frechet``, ``val_classes`` and ``val_confidence`` to the epoch's metrics
    (before the checkpoint callback picks the best epoch) and writes
    ``samples/epoch-NNN.png``. Samples come from their own seeded generator, so the
    training's random numbers, and an exact resume, are untouched.

    Args:
        data: the run's data splits (the judge trains on ``train``, compares with ``test``).
        seed: seeds the judge and the samples.
    """

    def __init__(self, data: DataSplits, seed: int) -> None:
        self.judge = train_judge(data.train.tensors[0], data.train.tensors[1], seed)
        self.real, self.seed = data.test.tensors[0].numpy(), seed

    def on_epoch_end(
        self, trainer: Trainer, module: TrainModule, metrics: dict[str, float]
    ) -> None:
        """Add the scores of this epoch's samples to ``metrics``."""
        folder = trainer.run.path / "samples" if trainer.run is not None else None
        epoch = trainer.current_epoch
        metrics |= run_files.judge_epoch(self.judge, self.real, module, self.seed, folder, epoch)


@dataclass(frozen=True)
class GenerativeRecipe:
    """A named generative or unsupervised training (a :class:`Recipe`).

    Attributes:
        name: the registry name, e.g. "digits-vae".
        description: one line on what it trains.
        kind: "autoencoder", "vae" or "gan".
        data: the image splits for the settings.
        model: a fresh TrainModule for the settings and one image's shape.
        defaults: settings this recipe overrides.
        extra: this recipe's own ``--set`` keys and their defaults.
        inputs: which of ``data`` and ``data_dir`` it reads (others are refused).
    """

    name: str
    description: str
    kind: Kind
    data: Callable[[RecipeSettings], DataSplits]
    model: Callable[[RecipeSettings, tuple[int, int, int]], TrainModule]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()

    @property
    def monitor(self) -> str:
        """GANs keep the epoch whose samples are nearest the test images; others val_loss."""
        return "val_frechet" if self.kind == "gan" else "val_loss"

    @property
    def mode(self) -> Literal["min", "max"]:
        """Lower is better."""
        return "min"

    def module(self, settings: RecipeSettings, data: DataSplits) -> TrainModule:
        """The TrainModule, seeded with ``settings.seed``."""
        manual_seed(settings.seed)
        shape = tuple(data.train.tensors[0].shape[1:])
        return self.model(settings, shape)  # type: ignore[arg-type]

    def run(
        self,
        settings: RecipeSettings,
        progress: bool | None = None,
        resume: Path | None = None,
        callbacks: Sequence[Callback] = (),
    ) -> RunResult:
        """Train; returns the run folder and the last and best-checkpoint metrics.

        ``resume``: a run folder of this recipe to continue from its last checkpoint;
        ``callbacks``: more Trainer callbacks.
        """
        pointer = resume_point(resume, settings)
        data = self.data(settings)
        module = self.module(settings, data)
        hooks: list[Any] = [SaveRecipe(self, settings, split_record_sizes(data)), *callbacks]
        if self.kind != "autoencoder":
            hooks.append(JudgeEachEpoch(data, settings.seed))
        config = train_config(self.name, self.monitor, self.mode, settings, progress)
        trainer = Trainer(config, hooks)
        result = fit_and_judge(trainer, module, data, settings, pointer)
        run_files.write_figures(module, data, result.run_dir, trainer.run)
        return result

    def rebuild(self, settings: RecipeSettings, run_dir: Path) -> TrainModule:
        """A fresh module for a run's settings (weights to be loaded)."""
        return self.module(settings, self.data(settings))

    def evaluate(self, module: TrainModule, settings: RecipeSettings) -> dict[str, float]:
        """Test loss (and noisy input's MSE, ELBO terms); samples judged for VAE and GAN."""
        data = self.data(settings)
        manual_seed(settings.seed)  # the noise of a denoiser's and a VAE's test pass
        trainer = Trainer(write_run=False, progress=False)
        metrics = trainer.test(module, DataLoader(data.test, batch_size=256))
        if self.kind != "autoencoder":
            metrics |= run_files.judge_module(module, data, settings.seed, "test")
        return metrics

    def predict(self, module: TrainModule, inputs: NDArray[Any]) -> NDArray[Any]:
        """The codes (N, L) of images (N, C, H, W) (a VAE's means); GANs have no encoder.

        Raises:
            RecipeError: for a GAN, or inputs of the wrong shape.
        """
        if self.kind == "gan":
            raise RecipeError(f"{self.name} has no encoder; use `sample` for new images")
        x = np.asarray(inputs, dtype=np.float32)
        model: Any = getattr(module, "model")  # noqa: B009 - Reconstruction or Variational
        shape = model.input_shape
        x = x[None] if x.shape == shape else x
        if x.shape[1:] != shape:
            raise RecipeError(f"{self.name}: inputs of shape {x.shape} do not match (N, {shape})")
        module.eval()
        with no_grad():
            return run_files.encode_images(module, x)

    def sample(self, module: TrainModule, n: int, seed: int = 0) -> NDArray[np.float32]:
        """n new images (n, C, H, W) float32 in [0, 1] from a VAE's prior or a GAN.

        Raises:
            RecipeError: for an autoencoder (it does not generate), or n < 1.
        """
        if self.kind == "autoencoder":
            raise RecipeError(f"{self.name} is an autoencoder; only VAE and GAN runs sample")
        if n < 1:
            raise RecipeError(f"the number of images must be >= 1, got {n}")
        return run_files.sample_images(module, n, RandomGenerator(seed))

    def generate(
        self,
        module: TrainModule,
        run_dir: Path,
        prompt: str | None,
        max_new_tokens: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        seed: int = 0,
    ) -> str:
        """Only language models generate text: see ``scratchgrad sample`` for images.

        Raises:
            RecipeError: always.
        """
        raise RecipeError(f"{self.name} is not a language model; use `sample`")


# ------------------------------------------------------------------------- recipes
def _splits(data: Any) -> DataSplits:
    if not isinstance(data, DataSplits):  # pragma: no cover - only text corpora differ
        raise RecipeError("not a split data set")
    return data


def _digits(settings: RecipeSettings) -> DataSplits:
    return _splits(load("digits", seed=settings.seed))


def _mnist(settings: RecipeSettings) -> DataSplits:
    if settings.data_dir is None:
        raise RecipeError("needs --data-dir: a folder with the MNIST IDX files")
    try:
        return _splits(load("mnist", folder=settings.data_dir))
    except (FileNotFoundError, ValueError) as e:
        raise RecipeError(f"MNIST: {e}") from e


def _get(settings: RecipeSettings, key: str, default: Any, low: float = 0.0) -> Any:
    value = settings.extra.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < low:
        raise SettingsError(f"extra.{key}: got {value!r}; must be a number >= {low}")
    return value


def _autoencoder(conv: bool, noise: float) -> Callable[..., TrainModule]:
    def make(s: RecipeSettings, shape: tuple[int, int, int]) -> TrainModule:
        model = Autoencoder(shape, int(_get(s, "latent_dim", 16, 1)), int(_get(s, "hidden", 32, 1)),
                            conv=conv)  # fmt: skip
        return Reconstruction(model, s.lr, float(_get(s, "noise", noise)))

    return make


def _vae(s: RecipeSettings, shape: tuple[int, int, int]) -> TrainModule:
    model = VAE(shape, int(_get(s, "latent_dim", 2, 1)), int(_get(s, "hidden", 256, 1)),
                beta=float(_get(s, "beta", 1.0)))  # fmt: skip
    return Variational(model, s.lr)


def _gan(s: RecipeSettings, shape: tuple[int, int, int]) -> TrainModule:
    latent, width = int(_get(s, "latent_dim", 32, 1)), int(_get(s, "width", 32, 1))
    return GAN(Generator(latent, shape, width), Discriminator(shape, width), s.lr)


_AE_EXTRA = {"latent_dim": 16, "hidden": 32}
GENERATIVE_RECIPES: dict[str, GenerativeRecipe] = {
    r.name: r
    for r in (
        GenerativeRecipe(
            "digits-autoencoder", "conv autoencoder (8x8 -> 16 numbers -> 8x8) on digits",
            "autoencoder", _digits, _autoencoder(True, 0.0),
            {"epochs": 30, "lr": 0.003, "batch_size": 32}, _AE_EXTRA,
        ),
        GenerativeRecipe(
            "digits-denoise", "conv autoencoder cleaning digits with Gaussian noise (--set noise=)",
            "autoencoder", _digits, _autoencoder(True, 0.4),
            {"epochs": 30, "lr": 0.003, "batch_size": 32}, _AE_EXTRA | {"noise": 0.4},
        ),
        GenerativeRecipe(
            "digits-vae", "MLP VAE (2-d latent space, Bernoulli decoder) on digits", "vae",
            _digits, _vae, {"epochs": 60, "lr": 0.002, "batch_size": 32},
            {"latent_dim": 2, "hidden": 256, "beta": 1.0},
        ),
        GenerativeRecipe(
            "digits-gan", "DCGAN (ConvTranspose2d, BatchNorm, LeakyReLU) on 8x8 digits", "gan",
            _digits, _gan, {"epochs": 40, "lr": 0.002, "batch_size": 32},
            {"latent_dim": 32, "width": 32},
        ),
        GenerativeRecipe(
            "mnist-vae", "MLP VAE (20-d latent space) on MNIST IDX files from --data-dir", "vae",
            _mnist, _vae, {"epochs": 5, "lr": 0.001, "batch_size": 128},
            {"latent_dim": 20, "hidden": 400, "beta": 1.0}, ("data_dir",),
        ),
        GenerativeRecipe(
            "mnist-gan", "DCGAN on 28x28 MNIST IDX files from --data-dir", "gan", _mnist, _gan,
            {"epochs": 1, "lr": 0.0005, "batch_size": 64}, {"latent_dim": 64, "width": 16},
            ("data_dir",),
        ),
    )
}  # fmt: skip
"""The autoencoder, denoising, VAE and GAN recipes by name."""

__all__ = [
    "GENERATIVE_RECIPES",
    "GenerativeRecipe",
    "JudgeEachEpoch",
    "Reconstruction",
    "Variational",
]
