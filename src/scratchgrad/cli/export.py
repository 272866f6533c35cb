"""``scratchgrad export RUN_DIR --onnx FILE``: a run's best model as an ONNX file.

Needs the onnx package (``pip install 'scratchgrad[onnx]'``); without it, or for a model
that has no ONNX converter, one line on stderr and exit code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scratchgrad.cli.app import app, clear_errors, stdout
from scratchgrad.errors import OnnxExportError, RecipeError


@app.command("export")
def export_command(
    run_dir: Annotated[Path, typer.Argument(help="A run folder written by `train`.")],
    onnx_file: Annotated[Path, typer.Option("--onnx", help="The ONNX file to write.")],
) -> None:
    """Write the best model of a run as an ONNX file (any batch size; raw inputs)."""
    with clear_errors():
        try:
            from scratchgrad.onnx.runs import export_run

            proto = export_run(run_dir, onnx_file)
        except (OnnxExportError, ImportError) as e:
            raise RecipeError(str(e)) from e
    opset = proto.opset_import[0].version
    stdout().print(f"wrote {onnx_file} (opset {opset}, {len(proto.graph.node)} nodes)")
