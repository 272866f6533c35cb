"""Export a recipe's run folder: its best checkpoint's model as an ONNX file.

Supervised recipes take raw inputs (N, *input_shape) float32, since the exported graph
keeps their ``Standardize`` first layer; language recipes with a GPT take token ids
(B, T) int64. Batch (and sequence length) stay symbolic in the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scratchgrad.creation import zeros
from scratchgrad.errors import OnnxExportError
from scratchgrad.models.gpt import GPT
from scratchgrad.onnx.exporter import export
from scratchgrad.onnx.graph import GraphBuilder
from scratchgrad.onnx.layers import converts
from scratchgrad.recipes import load_run
from scratchgrad.recipes.supervised import Standardize
from scratchgrad.tensor import Tensor


@converts(Standardize)
def _standardize(g: GraphBuilder, m: Standardize, x: str) -> str:
    """(x - mean) / std with the training split's statistics."""
    return g.op("Div", [g.op("Sub", [x, g.weight(m.mean, "mean")]), g.weight(m.std, "std")])


def _example(recipe: Any, model: Any) -> tuple[Tensor, dict[str, dict[int, str]]]:
    """An example input for the run's model and the dims that stay symbolic."""
    if isinstance(model, GPT):
        idx = zeros(1, model.config.block_size, dtype="int64")
        return idx, {"input": {0: "batch", 1: "tokens"}, "output": {0: "batch", 1: "tokens"}}
    shape = getattr(recipe, "input_shape", None)
    if shape is None:
        raise OnnxExportError(
            f"onnx.export: recipe {recipe.name}'s model ({type(model).__name__}) has no ONNX "
            "converter; supervised recipes and GPT language models can be exported"
        )
    return zeros(1, *shape), {"input": {0: "batch"}, "output": {0: "batch"}}


def export_run(run_dir: Path, path: Path) -> Any:
    """Write the best model of the recipe run in ``run_dir`` to the ONNX file ``path``.

    Returns:
        The ``onnx.ModelProto`` written.

    Raises:
        RecipeError: if the folder is not a recipe run.
        OnnxExportError: for a model without a converter (a character RNN).
    """
    recipe, _, module = load_run(run_dir)
    model = getattr(module, "model", module)  # Supervised and LanguageModel wrap it
    x, dynamic = _example(recipe, model)
    return export(
        model, x, path, input_names=["input"], output_names=["output"], dynamic_axes=dynamic
    )
