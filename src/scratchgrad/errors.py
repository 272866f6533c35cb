"""scratchgrad's exception classes in one home, grouped by layer.

Messages say which rule failed and what came:
``<op>: <rule>: <offending values> (<full shapes>)``.

This module is the bottom of the stack: it imports nothing from scratchgrad, so any
module can import it. Each error is also exported by the package that raises it
(``scratchgrad.train.NonFiniteLossError``, ``scratchgrad.data.TokenizerError``, ...).
"""

from pathlib import Path

# ------------------------------------------------------------------ tensors and ops


class ShapeError(ValueError, RuntimeError):
    """Shapes that an operation cannot accept (inner sizes of a matmul, a reshape, ...).

    Also a RuntimeError, the class PyTorch raises for them, so ``except RuntimeError``
    catches it as in a PyTorch program.
    """


class BroadcastError(ShapeError):
    """Two shapes that do not broadcast; the message names the first failing dimension."""


# ------------------------------------------------------------------ autograd


class GradcheckError(RuntimeError):
    """Analytic and numeric gradients disagree (raised by ``autograd.gradcheck``)."""


# ------------------------------------------------------------------ data


class IDXError(ValueError):
    """An IDX file that is not what it should be (magic number, sizes, truncation)."""


class TokenizerError(ValueError):
    """A tokenizer used wrongly (not fitted, bad ids) or a tokenizer file that is invalid."""


class UnknownTokenError(TokenizerError, KeyError):
    """Text holds a character the vocabulary lacks and no unknown token is configured."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0])


# ------------------------------------------------------------------ training


class NonFiniteLossError(RuntimeError):
    """Training produced a NaN or infinite loss."""


class CheckpointError(RuntimeError):
    """A checkpoint that is missing, incomplete or of another format."""


class DistributedError(RuntimeError):
    """A collective that cannot complete: a rank died or timed out, or a bad group setting."""


class TrainingInterruptedError(Exception):
    """Training was stopped by the user (Ctrl-C); the run folder keeps what was saved.

    Attributes:
        run_dir: the run folder, or None for a run that writes none.
        checkpoint: the last checkpoint's pointer file, or None if none was saved yet.
        epoch: the epoch that was running (from 1).
        step: optimizer steps done.
    """

    def __init__(
        self, run_dir: Path | None, checkpoint: Path | None, epoch: int, step: int
    ) -> None:
        where = f"interrupted in epoch {epoch}, after step {step}"
        super().__init__(where)
        self.run_dir, self.checkpoint, self.epoch, self.step = run_dir, checkpoint, epoch, step


# ------------------------------------------------------------------ settings and recipes


class SettingsError(ValueError):
    """Settings that cannot be used; the message has one line per problem."""


class RecipeError(ValueError):
    """An unknown recipe, a run folder that is not a recipe's, or unusable inputs."""


class RunFileError(RecipeError):
    """A file of a run folder (``recipe.json``, ``tokenizer.json``) that is damaged.

    The message names the file and what is wrong (not JSON, a missing field).
    """


# ---------------------------------------------------------------- reading saved files
class ReportedLoadError(Exception):
    """Mix-in: a load error already worded for the user (it names the file), passed through."""


class ReportedLoadRuntimeError(ReportedLoadError, RuntimeError):
    """A :class:`ReportedLoadError` that is a RuntimeError (e.g. a CUDA map_location)."""


class ReportedLoadTypeError(ReportedLoadError, TypeError):
    """A :class:`ReportedLoadError` that is a TypeError (e.g. a bad map_location)."""


class OnnxExportError(RuntimeError):
    """A model that ``scratchgrad.onnx.export`` cannot write (a module without a converter)."""


class DataLeakageWarning(UserWarning):
    """Held-out data reaches training or model selection (``scratchgrad.data.hygiene``)."""


__all__ = [
    "RunFileError",
    "GradcheckError",
    "ReportedLoadError",
    "ReportedLoadRuntimeError",
    "ReportedLoadTypeError",
    "BroadcastError",
    "CheckpointError",
    "DataLeakageWarning",
    "DistributedError",
    "IDXError",
    "NonFiniteLossError",
    "OnnxExportError",
    "RecipeError",
    "SettingsError",
    "ShapeError",
    "TokenizerError",
    "TrainingInterruptedError",
    "UnknownTokenError",
]
