"""Language-model recipes: a character GPT or LSTM on a text file, and digit sorting.

An "epoch" of a language-model recipe is ``steps_per_epoch`` optimizer steps on random
windows of the training text, followed by a validation pass over non-overlapping
windows of the held-out text; ``epochs`` x ``steps_per_epoch`` is the training length.
The run folder keeps the tokenizer (``tokenizer.json``), so ``scratchgrad generate RUN``
can turn a prompt into ids and the sampled ids back into text.

>>> sorted(LANGUAGE_RECIPES)
['shakespeare-gpt', 'shakespeare-lstm', 'sort-digits']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from numpy.typing import NDArray

from scratchgrad import nn, optim
from scratchgrad.config import RecipeSettings
from scratchgrad.creation import tensor
from scratchgrad.data.builtin.text import text_corpus
from scratchgrad.data.loader import DataLoader
from scratchgrad.data.samplers import RandomSampler
from scratchgrad.data.sequences import TokenWindows, sort_digits
from scratchgrad.data.tokenizers import CharTokenizer, Tokenizer
from scratchgrad.dtypes import int64
from scratchgrad.errors import RecipeError, RunFileError, SettingsError, TokenizerError
from scratchgrad.models.char_rnn import CharRNN
from scratchgrad.models.gpt import GPT, GPTConfig
from scratchgrad.random import Generator, manual_seed
from scratchgrad.recipes.base import (
    RunResult,
    SaveRecipe,
    finish_run,
    resume_point,
    split_record_sizes,
    train_config,
)
from scratchgrad.train.callbacks import Callback
from scratchgrad.train.module import LanguageModel, TrainModule
from scratchgrad.train.trainer import Trainer

TOKENIZER_FILE = "tokenizer.json"


@dataclass(frozen=True)
class TextData:
    """A tokenizer and the train / val / test sets of (x, y) token windows (B, T)."""

    tokenizer: Tokenizer
    train: Any
    val: Any
    test: Any
    random_windows: bool  # train on random windows (a text) or shuffled examples (a task)


@dataclass(frozen=True)
class LanguageRecipe:
    """A named language-model training: its text, its model and its defaults (a :class:`Recipe`).

    Attributes:
        name: the registry name, e.g. "shakespeare-gpt".
        description: one line on what it trains.
        data: the tokenizer and data sets for the settings.
        model: a fresh model for the settings and the vocabulary size.
        defaults: settings this recipe overrides.
        token_accuracy: also report the accuracy of the scored tokens.
        monitor: the validation metric that picks the best checkpoint.
        extra: this recipe's own ``--set`` keys and their defaults.
        inputs: which of ``data`` and ``data_dir`` it reads (others are refused).
    """

    name: str
    description: str
    data: Callable[[RecipeSettings], TextData]
    model: Callable[[RecipeSettings, int], nn.Module]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    token_accuracy: bool = False
    monitor: str = "val_loss"
    extra: Mapping[str, Any] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()

    @property
    def mode(self) -> Literal["min", "max"]:
        """Validation loss: lower is better."""
        return "min"

    def module(self, settings: RecipeSettings, vocab_size: int) -> LanguageModel:
        """The model, seeded with ``settings.seed``, with AdamW (``extra.weight_decay``)."""
        manual_seed(settings.seed)
        decay = _number(settings, "weight_decay", 0.01)
        return LanguageModel(
            self.model(settings, vocab_size),
            lambda ps: optim.AdamW(ps, lr=settings.lr, weight_decay=decay),
            token_accuracy=self.token_accuracy,
            vocab_size=vocab_size,
        )

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
        module = self.module(settings, data.tokenizer.vocab_size)
        config = train_config(
            self.name, self.monitor, self.mode, settings, progress, gradient_clip_val=1.0
        )
        save = _SaveRecipeAndTokenizer(self, settings, data.tokenizer, split_record_sizes(data))
        trainer = Trainer(config, [save, *callbacks])
        train = self._train_loader(data, settings)
        last = trainer.fit(module, train, _eval_loader(data.val), pointer)
        return finish_run(trainer, module, _eval_loader(data.test), last)

    def _train_loader(self, data: TextData, settings: RecipeSettings) -> DataLoader:
        gen = Generator(settings.seed)
        steps = _integer(settings, "steps_per_epoch", 200)
        if not data.random_windows:
            return DataLoader(data.train, settings.batch_size, shuffle=True, generator=gen)
        sampler = RandomSampler(
            data.train, replacement=True, num_samples=steps * settings.batch_size, generator=gen
        )
        return DataLoader(data.train, settings.batch_size, sampler=sampler, generator=gen)

    def evaluate(self, module: TrainModule, settings: RecipeSettings) -> dict[str, float]:
        """The module's metrics on the held-out windows (no run folder is written)."""
        trainer = Trainer(write_run=False, progress=False)
        return trainer.test(module, _eval_loader(self.data(settings).test))

    def predict(self, module: TrainModule, inputs: NDArray[Any]) -> NDArray[Any]:
        """Language models generate text instead: see ``scratchgrad generate``."""
        raise RecipeError(f"{self.name} is a language model: use `scratchgrad generate`")

    def rebuild(self, settings: RecipeSettings, run_dir: Path) -> LanguageModel:
        """A fresh module shaped for the run's tokenizer (weights to be loaded)."""
        return self.module(settings, load_tokenizer(run_dir).vocab_size)

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
        """The prompt continued by the run's model, with the run folder's tokenizer.

        See :func:`generate_text` for the arguments; ``prompt=None`` starts from
        :func:`default_prompt`.

        Raises:
            RecipeError: for a temperature that is not > 0, a run folder without a
                tokenizer, or a bad prompt.
        """
        if not temperature > 0:
            raise RecipeError(f"--temperature must be > 0, got {temperature}")
        tokenizer = load_tokenizer(run_dir)
        prompt = default_prompt(tokenizer) if prompt is None else prompt
        return generate_text(module, tokenizer, prompt, max_new_tokens, temperature, top_k, seed)


def default_prompt(tokenizer: Tokenizer) -> str:
    """Where generation starts without a prompt: a newline if the vocabulary has one.

    A text model then begins a new line, as nanoGPT's samples do; a model whose
    vocabulary has no newline (a digit-sorting task) starts from its first token.
    """
    try:
        tokenizer.encode("\n")
    except TokenizerError:
        return tokenizer.decode([0])
    return "\n"


def load_tokenizer(run_dir: Path) -> Tokenizer:
    """The tokenizer saved in a language-model run folder.

    Raises:
        RecipeError: if the run folder has none.
        RunFileError: if its file is damaged (not JSON, not a tokenizer), naming it.
    """
    path = run_dir / TOKENIZER_FILE
    if not path.is_file():
        raise RecipeError(f"{run_dir} has no {TOKENIZER_FILE}: not a language-model run")
    try:
        return Tokenizer.load(path)
    except TokenizerError as e:
        raise RunFileError(f"damaged tokenizer: {e}") from e


def generate_text(
    module: TrainModule,
    tokenizer: Tokenizer,
    prompt: str,
    max_new_tokens: int,
    temperature: float = 1.0,
    top_k: int | None = None,
    seed: int = 0,
) -> str:
    """The prompt followed by ``max_new_tokens`` tokens sampled from a run's model.

    Args:
        module: a ``LanguageModel`` wrapping a ``GPT`` or ``CharRNN``.
        tokenizer: the run's tokenizer.
        prompt: the text to continue.
        max_new_tokens: tokens to add.
        temperature: > 0; below 1 is more conservative, above 1 more random.
        top_k: sample only among the k most likely tokens (None: all).
        seed: seeds the sampling.

    Raises:
        RecipeError: if the module holds no generating model, or the prompt is empty
            or uses a character outside the vocabulary.
    """
    model = getattr(module, "model", None)
    if not isinstance(model, GPT | CharRNN):
        raise RecipeError(f"generate: {type(model).__name__} is not a GPT or CharRNN")
    if not prompt:
        raise RecipeError("generate: the prompt is empty; give at least one character")
    try:
        ids = tokenizer.encode(prompt)
    except KeyError as e:
        raise RecipeError(f"generate: the prompt has a token outside the vocabulary: {e}") from e
    idx = tensor([ids], dtype=int64)  # (1, T)
    out = model.generate(idx, max_new_tokens, temperature, top_k, Generator(seed))
    return tokenizer.decode(out[0])


class _SaveRecipeAndTokenizer(SaveRecipe):
    """Writes ``recipe.json`` and the tokenizer when the run folder opens."""

    def __init__(
        self,
        recipe: LanguageRecipe,
        settings: RecipeSettings,
        tokenizer: Tokenizer,
        splits: Mapping[str, int],
    ):
        super().__init__(recipe, settings, splits)
        self.tokenizer = tokenizer

    def on_fit_start(self, trainer: Trainer, module: TrainModule) -> None:
        """Write both files into the trainer's run folder."""
        super().on_fit_start(trainer, module)
        if trainer.run is not None:
            self.tokenizer.save(trainer.run.path / TOKENIZER_FILE)


def _eval_loader(data: Any) -> DataLoader:
    return DataLoader(data, batch_size=64)


# ------------------------------------------------------------------------- settings
def _integer(settings: RecipeSettings, key: str, default: int) -> int:
    value = settings.extra.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SettingsError(f"extra.{key}: got {value!r}; must be an integer >= 1")
    return value


def _number(settings: RecipeSettings, key: str, default: float) -> float:
    value = settings.extra.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise SettingsError(f"extra.{key}: got {value!r}; must be a number >= 0")
    return float(value)


def _gpt(settings: RecipeSettings, vocab_size: int, sizes: Mapping[str, int]) -> GPT:
    """A GPT whose sizes come from ``extra`` (n_layer, n_head, n_embd, block_size)."""
    n_layer, n_head, n_embd, block_size = (_integer(settings, k, v) for k, v in sizes.items())
    dropout = _number(settings, "dropout", 0.0)
    try:
        config = GPTConfig(vocab_size, block_size, n_layer, n_head, n_embd, dropout)
        return GPT(config)
    except ValueError as e:
        raise SettingsError(str(e)) from e


# ------------------------------------------------------------------------- data
def _corpus(settings: RecipeSettings, block_size: int) -> TextData:
    """A character-level text file from ``--data``: 90% train, then 5% val and 5% test.

    The held-out 10% is nanoGPT's validation split; its first half picks the best
    checkpoint and its second half is the test split, judged once.
    """
    if settings.data is None:
        raise RecipeError("this recipe needs --data: a UTF-8 text file, e.g. tinyshakespeare.txt")
    try:
        corpus = text_corpus(settings.data)
    except (FileNotFoundError, ValueError) as e:
        raise RecipeError(str(e)) from e
    tok = CharTokenizer().fit(corpus.chars)
    half = len(corpus.val) // 2  # the held-out 10%: val (first half) and test (second)
    parts = {"train": corpus.train, "val": corpus.val[:half], "test": corpus.val[half:]}
    _check_windows(settings.data, parts, block_size)
    train = TokenWindows(tok.encode(parts["train"]), block_size)
    val = TokenWindows(tok.encode(parts["val"]), block_size, stride=block_size)
    test = TokenWindows(tok.encode(parts["test"]), block_size, stride=block_size)
    return TextData(tok, train, val, test, random_windows=True)


def _check_windows(path: Path, parts: Mapping[str, str], block_size: int) -> None:
    """Refuse a text whose train, val or test part is shorter than one window.

    Raises:
        RecipeError: naming the file, the part, its length and the length needed.
    """
    for name, text in parts.items():
        if len(text) <= block_size:
            share = "90%" if name == "train" else "5%"
            raise RecipeError(
                f"{path}: too short: its {name} part ({share} of the text) has {len(text)} "
                f"characters, and one window needs {block_size + 1} (block_size {block_size} "
                "+ 1); give a longer text or a smaller --set block_size"
            )


def _sorting(settings: RecipeSettings) -> TextData:
    length = _integer(settings, "length", 6)
    n = _integer(settings, "examples", 20000)
    train, vocab = sort_digits(n, length, seed=settings.seed)
    val, _ = sort_digits(1000, length, seed=settings.seed + 1)
    test, _ = sort_digits(1000, length, seed=settings.seed + 2)
    return TextData(CharTokenizer().fit(vocab), train, val, test, random_windows=False)


# In this order: n_layer, n_head, n_embd, block_size.
_SHAKESPEARE_GPT = {"n_layer": 4, "n_head": 4, "n_embd": 128, "block_size": 64}
_SORT_GPT = {"n_layer": 2, "n_head": 4, "n_embd": 64, "block_size": 16}
# The ``--set`` keys each recipe reads, with the defaults its readers use.
_TRAINING: dict[str, Any] = {"weight_decay": 0.01, "dropout": 0.0}
_TEXT = _TRAINING | {"steps_per_epoch": 200, "block_size": 64}
_LSTM = {"embed_dim": 64, "hidden": 256, "num_layers": 1}
_SORT = {"length": 6, "examples": 20000}

LANGUAGE_RECIPES: dict[str, LanguageRecipe] = {
    r.name: r
    for r in (
        LanguageRecipe(
            "shakespeare-gpt", "character GPT (4 layers, 4 heads, 128 wide, context 64) on --data",
            lambda s: _corpus(s, _integer(s, "block_size", 64)),
            lambda s, v: _gpt(s, v, _SHAKESPEARE_GPT),
            {"epochs": 10, "lr": 1e-3, "batch_size": 32},
            extra=_TEXT | _SHAKESPEARE_GPT, inputs=("data",),
        ),
        LanguageRecipe(
            "shakespeare-lstm", "character LSTM (embedding 64, hidden 256) on --data",
            lambda s: _corpus(s, _integer(s, "block_size", 64)),
            lambda s, v: CharRNN(
                v, _integer(s, "embed_dim", 64), _integer(s, "hidden", 256),
                _integer(s, "num_layers", 1), _number(s, "dropout", 0.0),
            ),
            {"epochs": 10, "lr": 2e-3, "batch_size": 32}, extra=_TEXT | _LSTM, inputs=("data",),
        ),
        LanguageRecipe(
            "sort-digits", "small GPT learns to sort 6 digits: 314159> -> 113459",
            _sorting, lambda s, v: _gpt(s, v, _SORT_GPT),
            {"epochs": 8, "lr": 3e-3, "batch_size": 64}, token_accuracy=True,
            extra=_TRAINING | _SORT | _SORT_GPT,
        ),
    )
}  # fmt: skip
"""Every language-model recipe by name."""

__all__ = [
    "LANGUAGE_RECIPES",
    "TOKENIZER_FILE",
    "LanguageRecipe",
    "TextData",
    "generate_text",
    "load_tokenizer",
]
