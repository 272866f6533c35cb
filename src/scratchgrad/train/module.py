"""TrainModule: a model that says how to train itself, as a LightningModule does.

A subclass writes ``training_step`` (a loss from a batch), optionally ``validation_step``
and ``test_step`` (by default the training computation), and ``configure_optimizers``.
With ``automatic_optimization = False`` the step does its own updates, as in Lightning:
``self.optimizers()``, ``self.manual_backward(loss)``, ``opt.step()``, ``opt.zero_grad()``
(a GAN alternates two optimizers this way). ``self.log(name, value)`` adds a value to the
epoch's metrics (averaged, prefixed with the stage: ``train_g_loss``, ``val_kl``).
``Supervised`` wraps a plain Module, a loss and an optimizer factory into one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from scratchgrad.nn.module import Module
from scratchgrad.nn.parameter import Parameter
from scratchgrad.ops.loss.classification import cross_entropy
from scratchgrad.optim.optimizer import Optimizer
from scratchgrad.tensor import Tensor


@dataclass
class StepOutput:
    """What a step returns: the loss, and optionally predictions and targets for metrics.

    Attributes:
        loss: a scalar tensor.
        preds: model outputs (N, C) logits or (N, *) values, detached.
        target: labels (N,) or values (N, *).
    """

    loss: Tensor
    preds: Tensor | None = None
    target: Tensor | None = None


Optimizers = Optimizer | tuple[Optimizer, Any] | list[Optimizer]


class TrainModule(Module):
    """Base class for models trained by :class:`~scratchgrad.train.Trainer`.

    Set ``task`` ("classification", "regression", "language-model" or None) and
    ``num_classes`` to get the standard metrics for it every epoch.
    """

    task: str | None = None
    num_classes: int | None = None
    automatic_optimization: bool = True

    def optimizers(self) -> Any:
        """The configured optimizers: one, or the list ``configure_optimizers`` returned.

        Raises:
            RuntimeError: outside a Trainer's fit.
        """
        configured = self.__dict__.get("_optimizers")
        if configured is None:
            raise RuntimeError(f"{type(self).__name__}.optimizers(): not attached to a Trainer")
        return configured

    def manual_backward(self, loss: Tensor) -> None:
        """Backpropagate ``loss`` (with ``automatic_optimization = False``)."""
        loss.backward()

    def log(self, name: str, value: float | Tensor) -> None:
        """Add ``value`` (a number or a scalar tensor) to this epoch's mean of ``name``."""
        logged = self.__dict__.setdefault("_logged", {})
        logged[name] = float(value.item()) if isinstance(value, Tensor) else float(value)

    def pop_logged(self) -> dict[str, float]:
        """The values logged since the last call, cleared (the Trainer calls this per step)."""
        logged: dict[str, float] = self.__dict__.pop("_logged", {})
        return logged

    def training_step(self, batch: Any, batch_idx: int) -> StepOutput | Tensor:
        """The loss (and optionally predictions) for one training batch."""
        raise NotImplementedError(f"{type(self).__name__} has no training_step()")

    def validation_step(self, batch: Any, batch_idx: int) -> StepOutput | Tensor:
        """The loss (and predictions) for one validation batch; runs under no_grad."""
        return self.training_step(batch, batch_idx)

    def test_step(self, batch: Any, batch_idx: int) -> StepOutput | Tensor:
        """The loss (and predictions) for one test batch; runs under no_grad."""
        return self.validation_step(batch, batch_idx)

    def predict_step(self, batch: Any, batch_idx: int) -> Tensor:
        """Model outputs for one batch (the inputs, or the first element of a tuple)."""
        x = batch[0] if isinstance(batch, tuple | list) else batch
        out: Tensor = self(x)
        return out

    def configure_optimizers(self) -> Optimizers:
        """An optimizer, (optimizer, LR scheduler stepped once per epoch), or a list of them.

        A list is for manual optimization (``automatic_optimization = False``).
        """
        raise NotImplementedError(f"{type(self).__name__} has no configure_optimizers()")


class Supervised(TrainModule):
    """A plain model plus a loss and an optimizer, as a TrainModule.

    Args:
        model: maps inputs x to outputs (N, ...).
        loss_fn: loss(outputs, targets) -> scalar, e.g. ``nn.CrossEntropyLoss()``.
        optimizer: builds the optimizer from the parameters, e.g.
            ``lambda ps: optim.Adam(ps, lr=1e-3)``.
        scheduler: optionally builds an LR scheduler from the optimizer.
        task: "classification", "regression", "language-model" or None (metrics).
        num_classes: C, for classification metrics.
    """

    def __init__(
        self,
        model: Module,
        loss_fn: Callable[[Tensor, Tensor], Tensor],
        optimizer: Callable[[Iterator[Parameter]], Optimizer],
        scheduler: Callable[[Optimizer], Any] | None = None,
        task: str | None = None,
        num_classes: int | None = None,
    ) -> None:
        super().__init__()
        self.model = model
        self.loss_fn, self.make_optimizer, self.make_scheduler = loss_fn, optimizer, scheduler
        self.task, self.num_classes = task, num_classes

    def forward(self, x: Tensor) -> Tensor:
        """The wrapped model's output."""
        out: Tensor = self.model(x)
        return out

    def training_step(self, batch: Any, batch_idx: int) -> StepOutput:
        """loss_fn(model(x), y) for a batch (x, y)."""
        x, y = batch
        out = self.model(x)
        return StepOutput(self.loss_fn(out, y), out.detach(), y)

    def configure_optimizers(self) -> Optimizers:
        """The optimizer (and scheduler) from the factories."""
        opt = self.make_optimizer(self.model.parameters())
        return opt if self.make_scheduler is None else (opt, self.make_scheduler(opt))


class LanguageModel(Supervised):
    """A next-token model plus an optimizer factory, trained with cross-entropy.

    Batches are (x, y): token ids (B, T) and the next token at every position (B, T);
    targets equal to ``ignore_index`` are not scored. The model maps x to logits
    (B, T, V), or to a tuple whose first element is the logits (as ``CharRNN``).

    Args:
        model: the language model.
        optimizer: builds the optimizer from the parameters.
        scheduler: optionally builds an LR scheduler from the optimizer.
        token_accuracy: also report the accuracy of the scored tokens (metric
            ``accuracy``; the task is then classification over the vocabulary).
        vocab_size: V, needed with ``token_accuracy``.
        ignore_index: the target value that is not scored.
    """

    def __init__(
        self,
        model: Module,
        optimizer: Callable[[Iterator[Parameter]], Optimizer],
        scheduler: Callable[[Optimizer], Any] | None = None,
        token_accuracy: bool = False,
        vocab_size: int | None = None,
        ignore_index: int = -100,
    ) -> None:
        loss = functools.partial(next_token_loss, ignore_index=ignore_index)
        task = "classification" if token_accuracy else None
        super().__init__(model, loss, optimizer, scheduler, task, vocab_size)
        self.ignore_index = ignore_index

    def forward(self, x: Tensor) -> Tensor:
        """Logits (B, T, V) for token ids x (B, T)."""
        out = self.model(x)
        logits: Tensor = out[0] if isinstance(out, tuple) else out
        return logits

    def training_step(self, batch: Any, batch_idx: int) -> StepOutput:
        """Mean cross-entropy (nats per scored token) of the next-token predictions."""
        x, y = batch
        logits = self(x)  # (B, T, V)
        loss = self.loss_fn(logits, y)
        if self.task is None:
            return StepOutput(loss)
        keep = y.array.reshape(-1) != self.ignore_index  # (B*T,)
        flat = logits.array.reshape(-1, logits.shape[-1])  # (B*T, V)
        return StepOutput(loss, Tensor(flat[keep]), Tensor(y.array.reshape(-1)[keep]))


def next_token_loss(logits: Tensor, target: Tensor, ignore_index: int = -100) -> Tensor:
    """Mean cross-entropy of logits (B, T, V) against next tokens (B, T), a scalar."""
    flat = logits.reshape(-1, logits.shape[-1])  # (B*T, V)
    return cross_entropy(flat, target.reshape(-1), ignore_index=ignore_index)


__all__ = ["LanguageModel", "StepOutput", "next_token_loss", "Supervised", "TrainModule"]
