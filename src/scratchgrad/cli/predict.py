"""``scratchgrad predict RUN_DIR inputs.npy``: a run's predictions for the rows of a .npy file.

The file is read without pickle and checked first: numbers, at least one row, all finite.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from scratchgrad.cli.app import app, clear_errors, stdout
from scratchgrad.errors import RecipeError
from scratchgrad.recipes import load_run


@app.command("predict")
def predict_command(
    run_dir: Annotated[Path, typer.Argument(help="A run folder written by `train`.")],
    input_file: Annotated[
        Path,
        typer.Argument(
            help="A .npy array of inputs, shape (N, *input_shape) or one sample, in the data "
            "set's own units (raw features, images as loaded): the run applies the "
            "preprocessing it was trained with. `scratchgrad recipes` lists input shapes."
        ),
    ],
) -> None:
    """Print the predictions of a run's best model for the inputs in a .npy file.

    Classifiers print one class per row; regressors print the predicted values.
    """
    with clear_errors():
        recipe, _, module = load_run(run_dir)
        preds = recipe.predict(module, _read_npy(input_file))
    for row in preds:
        stdout().print(" ".join(f"{v:.6g}" for v in np.atleast_1d(row)))


_NPY_MAGIC = b"\x93NUMPY"
_EXPECTED = "expected a .npy array of finite real numbers, shape (N, ...)"


def _what_file(head: bytes) -> str:
    """What a file that is not a .npy array looks like, from its first bytes."""
    if head.startswith(b"PK\x03\x04"):
        return "a zip archive (an .npz of several arrays? save one array with np.save)"
    if head.startswith(b"\x80"):
        return "a pickle (never loaded: it could run code)"
    if head and all(32 <= b < 127 or b in b"\t\r\n" for b in head):
        return f"text starting {head[:20].decode()!r}"
    return f"a file starting with bytes {head[:8]!r}"


def _read_npy(path: Path) -> np.ndarray[Any, Any]:
    """The array in a .npy file, checked: numbers, at least one row, all finite.

    Raises:
        RecipeError: one line naming the file, what was expected and what came.
    """
    if not path.is_file():
        raise RecipeError(f"no input file {path}")
    with path.open("rb") as f:
        head = f.read(len(_NPY_MAGIC))
        if head != _NPY_MAGIC:
            head += f.read(32)
            raise RecipeError(f"{path}: {_EXPECTED}; got {_what_file(head)}")
        f.seek(0)
        try:
            array = np.lib.format.read_array(f, allow_pickle=False)
        except (ValueError, EOFError, OSError) as e:
            raise RecipeError(f"{path}: {_EXPECTED}; got a damaged .npy file ({e})") from e
    _check_inputs(path, np.asarray(array))
    return np.asarray(array)


def _check_inputs(path: Path, array: np.ndarray[Any, Any]) -> None:
    """Refuse arrays that would give a silently wrong prediction."""
    if array.dtype.kind not in "biufc":
        raise RecipeError(f"{path}: {_EXPECTED}; got dtype {array.dtype}")
    if array.ndim == 0 or array.shape[0] == 0:
        raise RecipeError(f"{path}: {_EXPECTED}; got an empty array, shape {array.shape}")
    bad = np.iscomplex(array) if array.dtype.kind == "c" else ~np.isfinite(array)
    if array.dtype.kind == "c" and not bad.any():
        raise RecipeError(f"{path}: {_EXPECTED}; got dtype {array.dtype}")
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise RecipeError(f"{path}: {_EXPECTED}; {_position(index)} is {array[index]}")


def _position(index: tuple[int, ...]) -> str:
    """``row 3, column 1`` (rows count from 0, as in NumPy)."""
    if len(index) == 1:
        return f"row {index[0]}"
    rest = index[1] if len(index) == 2 else index[1:]
    return f"row {index[0]}, column {rest}"
