"""Training: the Trainer, TrainModule, callbacks, checkpoints, run folders and metrics."""

from scratchgrad.errors import CheckpointError, NonFiniteLossError, TrainingInterruptedError
from scratchgrad.train import metrics
from scratchgrad.train.callbacks import (
    Callback,
    EarlyStopping,
    LearningRateMonitor,
    ModelCheckpoint,
    TensorBoardLogger,
)
from scratchgrad.train.checkpoint import load_checkpoint, save_checkpoint
from scratchgrad.train.metrics import *  # noqa: F403 - its export list is ours too
from scratchgrad.train.module import (
    LanguageModel,
    StepOutput,
    Supervised,
    TrainModule,
    next_token_loss,
)
from scratchgrad.train.trainer import TrainConfig, Trainer

__all__ = [
    "Callback",
    "CheckpointError",
    "EarlyStopping",
    "LanguageModel",
    "LearningRateMonitor",
    "ModelCheckpoint",
    "TensorBoardLogger",
    "NonFiniteLossError",
    "StepOutput",
    "Supervised",
    "TrainConfig",
    "TrainModule",
    "Trainer",
    "TrainingInterruptedError",
    "load_checkpoint",
    "next_token_loss",
    "save_checkpoint",
]
__all__ += metrics.__all__
