"""Supervised recipes: classification and regression of tabular data and images.

A recipe knows its data, its model and its defaults; ``run(settings)`` trains with the
:class:`~scratchgrad.train.Trainer`, writes ``recipe.json`` into the run folder (so the
model can be rebuilt later), and judges the best checkpoint once on the test split.

>>> sorted(SUPERVISED_RECIPES)[:2]
['diabetes-regression', 'digits-cnn']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from scratchgrad import nn, optim
from scratchgrad.autograd import no_grad
from scratchgrad.config import RecipeSettings
from scratchgrad.data.builtin import DataSplits, load
from scratchgrad.data.dataset import TensorDataset
from scratchgrad.data.loader import DataLoader
from scratchgrad.errors import RecipeError, SettingsError
from scratchgrad.random import manual_seed
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
from scratchgrad.train.module import Supervised, TrainModule
from scratchgrad.train.trainer import TrainConfig, Trainer

Task = Literal["classification", "regression"]


@dataclass(frozen=True)
class SupervisedRecipe:
    """A named supervised training: data, model, loss and defaults (a :class:`Recipe`).

    Attributes:
        name: the registry name, e.g. "digits-cnn".
        description: one line on what it trains.
        task: "classification" or "regression".
        input_shape: one sample's input shape, e.g. (1, 8, 8).
        data: the data splits for the settings.
        model: a fresh model (weights drawn from the global generator).
        defaults: settings this recipe overrides (epochs, lr, batch_size, ...).
        monitor: the validation metric that picks the best checkpoint.
        num_classes: classes, for classification.
        extra: this recipe's own ``--set`` keys and their defaults.
        inputs: which of ``data`` and ``data_dir`` it reads (others are refused).
    """

    name: str
    description: str
    task: Task
    input_shape: tuple[int, ...]
    data: Callable[[RecipeSettings], DataSplits]
    model: Callable[[RecipeSettings], nn.Module]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    monitor: str = "val_accuracy"
    num_classes: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()

    @property
    def mode(self) -> Literal["min", "max"]:
        """Whether the monitored metric is better when lower ("min") or higher ("max")."""
        return "min" if self.monitor.endswith("loss") or "mse" in self.monitor else "max"

    def module(self, settings: RecipeSettings) -> Supervised:
        """The model, seeded with ``settings.seed``, wrapped with its loss and Adam."""
        manual_seed(settings.seed)
        loss: Callable[[Tensor, Tensor], Tensor] = (
            nn.CrossEntropyLoss() if self.task == "classification" else nn.MSELoss()
        )
        return Supervised(
            self.model(settings),
            loss,
            lambda params: optim.Adam(params, lr=settings.lr),
            task=self.task,
            num_classes=self.num_classes,
        )

    def run(
        self,
        settings: RecipeSettings,
        progress: bool | None = None,
        resume: Path | None = None,
        callbacks: Sequence[Callback] = (),
    ) -> RunResult:
        """Train with ``settings``; returns the run folder and the val and test metrics.

        Args:
            settings: the resolved settings.
            progress: progress bars (True), lines (False), or automatic (None).
            resume: a run folder of this recipe to continue from its last checkpoint.
            callbacks: more Trainer callbacks.
        """
        pointer = resume_point(resume, settings)
        data = self.data(settings)
        module = self.module(settings)
        _fit_to_train_split(module, data)
        save = SaveRecipe(self, settings, split_record_sizes(data))
        trainer = Trainer(self._train_config(settings, progress), [save, *callbacks])
        return fit_and_judge(trainer, module, data, settings, pointer)

    def _train_config(self, settings: RecipeSettings, progress: bool | None) -> TrainConfig:
        return train_config(self.name, self.monitor, self.mode, settings, progress)

    def rebuild(self, settings: RecipeSettings, run_dir: Path) -> Supervised:
        """A fresh module for a run's settings (weights to be loaded)."""
        return self.module(settings)

    def evaluate(self, module: TrainModule, settings: RecipeSettings) -> dict[str, float]:
        """The module's metrics on this recipe's test split (no run folder is written)."""
        data = self.data(settings)
        trainer = Trainer(write_run=False, progress=False)
        return trainer.test(module, DataLoader(data.test, batch_size=256))

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
        """Only language models generate text: see ``scratchgrad predict``.

        Raises:
            RecipeError: always.
        """
        raise RecipeError(f"{self.name} is not a language model; use `predict`")

    def predict(self, module: TrainModule, inputs: NDArray[Any]) -> NDArray[Any]:
        """Predicted classes (N,) or values (N, ...) for inputs (N, *input_shape).

        A single sample of ``input_shape`` is accepted too.

        Raises:
            RecipeError: if the inputs do not have the recipe's input shape.
        """
        x = np.asarray(inputs, dtype=np.float32)
        if x.shape == self.input_shape:
            x = x[None]
        if x.shape[1:] != self.input_shape:
            raise RecipeError(
                f"{self.name}: inputs of shape {x.shape} do not match "
                f"(N, {', '.join(map(str, self.input_shape))})"
            )
        module.eval()
        with no_grad():
            out = np.asarray(module(Tensor(x)).detach().numpy())
        return out.argmax(axis=1) if self.task == "classification" else out


class Standardize(nn.Module):
    """(x - mean) / std per feature, with the TRAIN split's statistics kept as buffers.

    The first layer of a tabular recipe's model: the statistics are saved with the
    weights (safetensors, no pickle), so ``predict`` and ``eval`` take raw features and
    apply the same scaling the model was trained with. Shape (N, F) -> (N, F).

    Args:
        features: F, the number of input features.
    """

    mean: Tensor
    std: Tensor

    def __init__(self, features: int) -> None:
        super().__init__()
        self.register_buffer("mean", Tensor(np.zeros(features, np.float32)))
        self.register_buffer("std", Tensor(np.ones(features, np.float32)))

    def fit(self, x: Tensor) -> None:
        """Take the mean and std of the training inputs x (N, F); a constant feature keeps 1."""
        std = x.array.std(axis=0)
        self.mean.array[...] = x.array.mean(axis=0)
        self.std.array[...] = np.where(std > 0, std, 1.0)

    def forward(self, x: Tensor) -> Tensor:
        """Scaled inputs, (N, F) -> (N, F)."""
        return (x - self.mean) / self.std


def _fit_to_train_split(module: Supervised, data: DataSplits) -> None:
    """Fit what a model learns from data before training, from the TRAIN split only.

    A leading :class:`Standardize` takes the train inputs' statistics; a regression
    model's last bias starts at the train targets' mean.
    """
    inputs, targets = data.train.tensors[0], data.train.tensors[1]
    first = next(iter(module.model.children()), None)
    if isinstance(first, Standardize):
        first.fit(inputs)
    if data.task == "regression":
        last = [m for m in module.model.modules() if isinstance(m, nn.Linear)][-1]
        if last.bias is not None:
            last.bias.array[...] = targets.array.mean(axis=0)


# ------------------------------------------------------------------------- recipes
def _splits(name: str, **kwargs: Any) -> DataSplits:
    data = load(name, **kwargs)
    if not isinstance(data, DataSplits):  # pragma: no cover - only text corpora differ
        raise RecipeError(f"{name} is not a split data set")
    return data


def _mlp(n_in: int, hidden: int, n_out: int) -> nn.Module:
    return nn.Sequential(
        nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
        nn.Linear(hidden, n_out),
    )  # fmt: skip


def _hidden(settings: RecipeSettings, default: int) -> int:
    value = settings.extra.get("hidden", default)
    if not isinstance(value, int) or value < 1:
        raise SettingsError(f"extra.hidden: got {value!r}; must be an integer >= 1")
    return value


def _cnn(side: int) -> nn.Module:
    """conv(1->16)-ReLU-pool-conv(16->32)-ReLU-pool-linear, for (1, side, side) images."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * (side // 4) ** 2, 10),
    )  # fmt: skip


def _mnist_data(settings: RecipeSettings) -> DataSplits:
    if settings.data_dir is None:
        raise RecipeError("mnist-cnn needs --data-dir: a folder with the MNIST IDX files")
    try:
        return _splits("mnist", folder=settings.data_dir)
    except (FileNotFoundError, ValueError) as e:
        raise RecipeError(f"mnist-cnn: {e}") from e


def _flat_digits(settings: RecipeSettings) -> DataSplits:
    """Digits with images flattened to 64 features."""
    d = _splits("digits", seed=settings.seed)
    train, val, test = (
        TensorDataset(s.tensors[0].numpy().reshape(len(s), 64), s.tensors[1])
        for s in (d.train, d.val, d.test)
    )
    return replace(d, train=train, val=val, test=test)


SUPERVISED_RECIPES: dict[str, SupervisedRecipe] = {
    r.name: r
    for r in (
        SupervisedRecipe(
            "xor-mlp", "MLP (2-16-16-2) on 400 noisy XOR points", "classification", (2,),
            lambda s: _splits("xor", seed=s.seed), lambda s: _mlp(2, _hidden(s, 16), 2),
            {"epochs": 20, "lr": 0.01, "batch_size": 32}, num_classes=2, extra={"hidden": 16},
        ),
        SupervisedRecipe(
            "digits-mlp", "MLP (64-64-64-10) on scikit-learn's 8x8 digits, flattened",
            "classification", (64,), _flat_digits, lambda s: _mlp(64, _hidden(s, 64), 10),
            {"epochs": 20, "lr": 0.003, "batch_size": 32}, num_classes=10, extra={"hidden": 64},
        ),
        SupervisedRecipe(
            "digits-cnn", "two-conv CNN on scikit-learn's 8x8 digits (>= 97% test accuracy)",
            "classification", (1, 8, 8), lambda s: _splits("digits", seed=s.seed),
            lambda s: _cnn(8), {"epochs": 15, "lr": 0.003, "batch_size": 32}, num_classes=10,
        ),
        SupervisedRecipe(
            "mnist-cnn", "two-conv CNN on MNIST IDX files from --data-dir", "classification",
            (1, 28, 28), _mnist_data, lambda s: _cnn(28),
            {"epochs": 3, "lr": 0.002, "batch_size": 64}, num_classes=10, inputs=("data_dir",),
        ),
        SupervisedRecipe(
            "diabetes-regression", "MLP regression (MSE) of diabetes progression, 10 features",
            "regression", (10,), lambda s: _splits("diabetes", seed=s.seed, standardize=False),
            lambda s: nn.Sequential(Standardize(10), _mlp(10, _hidden(s, 32), 1)),
            {"epochs": 100, "lr": 0.01, "batch_size": 32},
            monitor="val_loss", extra={"hidden": 32},
        ),
    )
}  # fmt: skip
"""The classification and regression recipes by name."""

__all__ = ["SUPERVISED_RECIPES", "SupervisedRecipe"]
