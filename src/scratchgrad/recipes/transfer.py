"""Transfer-learning recipes: a CNN adapted four ways, and LoRA on a trained char GPT.

``digits-transfer`` pre-trains a CNN on digits 0-4, then adapts a copy of it to 5-9 in
four ways and prints (and saves as ``transfer.csv``, ``transfer.json`` and
``transfer.md``) a table: method, trainable parameters, epochs, seconds, test accuracy
on 5-9, accuracy on 0-4 after adaptation (how much of the old task is forgotten), and
accuracy on 0-4 of what is left of the pre-trained model once the adaptation is switched
off. All accuracies are the 10-way argmax.

- full: a new head, and every weight trains (the same process as pre-training).
- partial: the convolutions are frozen; the hidden layer and a new head train.
- additive: the whole CNN is frozen; a Houlsby adapter after the hidden layer and a
  new head are the only weights that train (dropping them gives the CNN back).
- lora: LoRA (r=4) on both convolutions and the hidden layer, a copy of the head
  trained in full (``modules_to_save``); ``disable_adapter`` gives the CNN back.

``shakespeare-lora`` fine-tunes a trained ``shakespeare-gpt`` run (``--base RUN_DIR``)
on another text (``--data``, the built-in sonnets by default) with LoRA on the
attention and MLP input projections. Its run folder works with ``scratchgrad generate``.
"""

from __future__ import annotations

import copy
import csv
import io
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager as ContextManager
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from scratchgrad import nn, optim
from scratchgrad.autograd import no_grad
from scratchgrad.config import RecipeSettings
from scratchgrad.data.builtin import DataSplits, load
from scratchgrad.data.builtin.text import sonnets, text_corpus
from scratchgrad.data.sequences import TokenWindows
from scratchgrad.errors import RecipeError
from scratchgrad.models.gpt import GPT
from scratchgrad.nn import functional as F  # noqa: N812 - PyTorch's alias
from scratchgrad.peft import (
    LoraConfig,
    add_adapters,
    count_parameters,
    freeze,
    get_peft_model,
    trainable_parameters,
)
from scratchgrad.random import manual_seed
from scratchgrad.recipes.base import Recipe, RunResult, write_record
from scratchgrad.recipes.language import LanguageRecipe, TextData, _integer, _number, load_tokenizer
from scratchgrad.tensor import Tensor
from scratchgrad.train.callbacks import Callback
from scratchgrad.train.module import TrainModule
from scratchgrad.train.progress import Progress
from scratchgrad.train.runs import RunFolder, new_run_dir

Arrays = tuple[NDArray[np.float32], NDArray[np.int64]]


# ------------------------------------------------------------------ digits-transfer
def transfer_cnn() -> nn.Sequential:
    """conv(1->16)-ReLU-pool-conv(16->32)-ReLU-pool-flatten-linear(128->64)-ReLU-linear(64->10)."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10),
    )  # fmt: skip


def _subset(data: DataSplits, split: str, digits: range) -> Arrays:
    x, y = (t.numpy() for t in getattr(data, split).tensors)
    keep = np.isin(y, list(digits))
    return x[keep].astype(np.float32), y[keep].astype(np.int64)


def fit(model: nn.Module, data: Arrays, epochs: int, lr: float, batch_size: int, seed: int) -> None:
    """Adam on the trainable parameters, cross-entropy, shuffled minibatches."""
    x, y = data
    opt = optim.Adam(trainable_parameters(model), lr=lr)
    rng = np.random.default_rng(seed)
    model.train()
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for s in range(0, len(y), batch_size):
            b = order[s : s + batch_size]
            loss = F.cross_entropy(model(Tensor(x[b])), Tensor(y[b]))
            opt.zero_grad()
            loss.backward()
            opt.step()


def accuracy(model: nn.Module, data: Arrays) -> float:
    """The share of samples whose 10-way argmax is the label."""
    model.eval()
    with no_grad():
        pred = model(Tensor(data[0])).numpy().argmax(axis=1)
    return float((pred == data[1]).mean())


Adapted = tuple[nn.Module, Callable[[], ContextManager[nn.Module]]]


@contextmanager
def _as_is(model: nn.Module) -> Iterator[nn.Module]:
    yield model


def _full(model: nn.Sequential) -> Adapted:
    model[9] = nn.Linear(64, 10)  # a new head for the new classes; everything trains
    return model, lambda: _as_is(model)


def _partial(model: nn.Sequential) -> Adapted:
    freeze(model, ["0.*", "3.*"])  # the convolutions
    model[9] = nn.Linear(64, 10)
    return model, lambda: _as_is(model)


def _additive(model: nn.Sequential) -> Adapted:
    old_head = model[9]
    add_adapters(model, ["7"], bottleneck=16)  # freezes the CNN; adapter after the hidden layer
    model[9] = nn.Linear(64, 10)  # a new head

    @contextmanager
    def restored() -> Iterator[nn.Module]:  # the frozen CNN without its additions
        adapted: Any = model[7]
        yield nn.Sequential(*[model[i] for i in range(7)], adapted.layer, model[8], old_head)

    return model, restored


def _lora(model: nn.Sequential) -> Adapted:
    config = LoraConfig(r=4, lora_alpha=8, target_modules=["0", "3", "7"], modules_to_save=["9"])
    peft = get_peft_model(model, config)

    @contextmanager
    def restored() -> Iterator[nn.Module]:
        with peft.disable_adapter():
            yield peft

    return peft, restored


METHODS: dict[str, Callable[[nn.Sequential], Adapted]] = {
    "full": _full,
    "partial": _partial,
    "additive": _additive,
    "lora": _lora,
}
"""Each adaptation: a copy of the pre-trained CNN in; the model to train, and a way to see
what is left of the pre-trained model in it (the adapters switched off)."""


def digits_transfer(settings: RecipeSettings, progress: Progress) -> list[dict[str, Any]]:
    """Pre-train on 0-4, adapt to 5-9 each way; one table row per method (and the base)."""
    data = load("digits", seed=settings.seed)
    if not isinstance(data, DataSplits):  # pragma: no cover - digits is split data
        raise RecipeError("digits is not a split data set")
    old, new = range(5), range(5, 10)
    old_test, new_test = _subset(data, "test", old), _subset(data, "test", new)
    adapt_epochs = _integer(settings, "adapt_epochs", 20)
    train_new = _subset(data, "train", new)
    manual_seed(settings.seed)
    base = transfer_cnn()
    start = time.perf_counter()
    fit(base, _subset(data, "train", old), settings.epochs, settings.lr, settings.batch_size, 0)
    rows = [_row("pre-trained (0-4)", base, settings.epochs, start, new_test, old_test)]
    rows[0]["acc_0_4_restored"] = rows[0]["acc_0_4"]  # nothing was added to switch off
    progress.note(f"pre-trained on 0-4: test accuracy {rows[0]['acc_0_4']:.4f}")
    for name, method in METHODS.items():
        manual_seed(settings.seed + 1)
        model, restored = method(copy.deepcopy(base))
        start = time.perf_counter()
        fit(model, train_new, adapt_epochs, settings.lr, settings.batch_size, 1)
        rows.append(_row(name, model, adapt_epochs, start, new_test, old_test))
        with restored() as original:
            rows[-1]["acc_0_4_restored"] = accuracy(original, old_test)
        progress.note(f"{name}: test accuracy on 5-9 {rows[-1]['acc_5_9']:.4f}")
    return rows


def _row(
    name: str, model: nn.Module, epochs: int, start: float, new: Arrays, old: Arrays
) -> dict[str, Any]:
    seconds = time.perf_counter() - start
    return {
        "method": name, "trainable": count_parameters(model).trainable, "epochs": epochs,
        "seconds": round(seconds, 2), "acc_5_9": accuracy(model, new),
        "acc_0_4": accuracy(model, old),
    }  # fmt: skip


def format_table(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table, accuracies with four decimals."""
    head = (
        "| method | trainable params | epochs | seconds | test acc 5-9 | acc 0-4 after "
        "| acc 0-4, adapters off |"
    )
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(
            f"| {r['method']} | {r['trainable']:,} | {r['epochs']} | {r['seconds']:.2f} | "
            f"{r['acc_5_9']:.4f} | {r['acc_0_4']:.4f} | {r['acc_0_4_restored']:.4f} |"
        )
    return "\n".join(lines)


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@dataclass(frozen=True)
class TransferRecipe:
    """A comparison of adaptations: its run folder holds a table, not one model to reload.

    Attributes:
        name: the registry name.
        description: one line on what it compares.
        experiment: runs it, returning the table's rows.
        defaults: settings this recipe overrides (epochs and lr are the pre-training's).
        extra: this recipe's own ``--set`` keys and their defaults.
        monitor: the row value reported as the best score (LoRA's accuracy on 5-9).
    """

    name: str
    description: str
    experiment: Callable[[RecipeSettings, Progress], list[dict[str, Any]]]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)
    monitor: str = "lora_acc_5_9"
    inputs: tuple[str, ...] = ()

    @property
    def mode(self) -> Literal["min", "max"]:
        """Accuracy: higher is better."""
        return "max"

    def run(
        self,
        settings: RecipeSettings,
        progress: bool | None = None,
        resume: Path | None = None,
        callbacks: Sequence[Callback] = (),
    ) -> RunResult:
        """Run the comparison; print the table and save it in a new run folder.

        Raises:
            RecipeError: for ``resume`` or ``callbacks``: the four adaptations run in one go.
        """
        if resume is not None or callbacks:
            raise RecipeError(f"{self.name} runs its comparison in one go: no --resume or search")
        folder = RunFolder(new_run_dir(settings.out_dir, self.name))
        write_record(folder.path, self.name, settings)
        shown = Progress(bars=False)
        rows = self.experiment(settings, shown)
        table = format_table(rows)
        shown.note(table)
        (folder.path / "transfer.md").write_text(table + "\n", encoding="utf-8")
        (folder.path / "transfer.csv").write_text(_csv(rows), encoding="utf-8")
        folder.write_json("transfer.json", {"rows": rows})
        metrics = {
            f"{r['method']}_{k}": float(r[k]) for r in rows[1:] for k in ("acc_5_9", "acc_0_4")
        }
        return RunResult(folder.path, {}, metrics, self.monitor, metrics[self.monitor])

    def _no_model(self) -> RecipeError:
        return RecipeError(f"{self.name} runs hold a comparison table (transfer.md), not a model")

    def rebuild(self, settings: RecipeSettings, run_dir: Path) -> TrainModule:
        """Refused: there is no single model to rebuild."""
        raise self._no_model()

    def evaluate(self, module: TrainModule, settings: RecipeSettings) -> dict[str, float]:
        """Refused: there is no single model to evaluate."""
        raise self._no_model()

    def predict(self, module: TrainModule, inputs: NDArray[Any]) -> NDArray[Any]:
        """Refused: there is no single model to predict with."""
        raise self._no_model()

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
        """Refused: not a language model."""
        raise self._no_model()


# ------------------------------------------------------------------ shakespeare-lora
def _base_gpt(settings: RecipeSettings) -> tuple[GPT, Path]:
    from scratchgrad.recipes.registry import load_run  # the registry imports this module

    base = settings.extra.get("base")
    if not base:
        raise RecipeError("shakespeare-lora needs --base RUN_DIR: a trained shakespeare-gpt run")
    _, _, module = load_run(Path(str(base)))
    model = getattr(module, "model", None)
    if not isinstance(model, GPT):
        raise RecipeError(f"shakespeare-lora: {base} holds a {type(model).__name__}, not a GPT")
    return model, Path(str(base))


def _lora_text(settings: RecipeSettings) -> TextData:
    """The base run's tokenizer; --data (or the sonnets) without characters it lacks."""
    gpt, base = _base_gpt(settings)
    tok = load_tokenizer(base)
    try:
        corpus = sonnets() if settings.data is None else text_corpus(settings.data)
    except (FileNotFoundError, ValueError) as e:
        raise RecipeError(str(e)) from e
    known = set(getattr(tok, "char_to_id_", {}))
    train, val = ("".join(c for c in t if c in known) for t in (corpus.train, corpus.val))
    t = gpt.config.block_size
    try:
        windows = TokenWindows(tok.encode(train), t), TokenWindows(tok.encode(val), t, stride=t)
    except ValueError as e:
        raise RecipeError(f"shakespeare-lora: {e}") from e
    return TextData(tok, windows[0], windows[1], windows[1], random_windows=True)


def _lora_gpt(settings: RecipeSettings, vocab_size: int) -> nn.Module:
    """The base run's GPT with LoRA on c_attn and c_fc (r and lora_alpha from --set)."""
    gpt, _ = _base_gpt(settings)
    r = _integer(settings, "r", 8)
    config = LoraConfig(
        r=r, lora_alpha=_number(settings, "lora_alpha", 16), target_modules=["c_attn", "c_fc"]
    )
    get_peft_model(gpt, config)  # in place: the GPT keeps its type, so generate works
    return gpt


_LORA = {"base": "", "r": 8, "lora_alpha": 16, "steps_per_epoch": 10, "weight_decay": 0.0}

TRANSFER_RECIPES: dict[str, Recipe] = {
    "digits-transfer": TransferRecipe(
        "digits-transfer",
        "CNN pre-trained on digits 0-4, adapted to 5-9 four ways (full, partial, additive, LoRA)",
        digits_transfer,
        {"epochs": 15, "lr": 0.003, "batch_size": 32},
        {"adapt_epochs": 20},
    ),
    "shakespeare-lora": LanguageRecipe(
        "shakespeare-lora", "LoRA on a shakespeare-gpt run (--base), trained on --data (sonnets)",
        _lora_text, _lora_gpt, {"epochs": 5, "lr": 1e-3, "batch_size": 32},
        extra=_LORA, inputs=("data",),
    ),
}  # fmt: skip
"""The transfer-learning recipes by name."""

__all__ = [
    "METHODS",
    "TRANSFER_RECIPES",
    "TransferRecipe",
    "accuracy",
    "digits_transfer",
    "fit",
    "format_table",
    "transfer_cnn",
]
