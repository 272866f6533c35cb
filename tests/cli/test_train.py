import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from scratchgrad.cli import app
from tests.cli.conftest import garble, truncate

runner = CliRunner()


def test_recipes_lists_every_recipe() -> None:
    result = runner.invoke(app, ["recipes"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for name in ("xor-mlp", "digits-mlp", "digits-cnn", "mnist-cnn", "diabetes-regression"):
        assert name in result.stdout
    assert "epochs=15" in result.stdout


def test_recipes_lists_each_recipes_set_keys() -> None:
    result = runner.invoke(app, ["recipes"], env={"COLUMNS": "400"})
    assert result.exit_code == 0
    rows = {ln.split()[1]: ln for ln in result.stdout.splitlines() if ln.startswith("│ ")}
    assert "hidden=16" in rows["xor-mlp"] and "hidden=64" in rows["digits-mlp"]
    assert "needs --data-dir" in rows["mnist-cnn"]
    assert "n_layer=4" in rows["shakespeare-gpt"]
    assert "steps_per_epoch=200" in rows["shakespeare-gpt"]


def test_eval_refuses_changed_weights(run_copy: Path) -> None:
    weights = next((run_copy / "checkpoints").glob("best-*.safetensors"))
    raw = bytearray(weights.read_bytes())
    raw[-8:] = np.array([7.0]).tobytes()  # still a valid file, other weights
    weights.write_bytes(bytes(raw))
    result = runner.invoke(app, ["eval", str(run_copy)])
    assert result.exit_code == 1, result.output
    assert "checksum mismatch" in result.stderr and weights.name in result.stderr
    assert "Traceback" not in result.output and "nan" not in result.stdout


@pytest.mark.parametrize(
    ("damage", "file", "message"),
    [
        (truncate, "checkpoints/best.json", "unreadable checkpoint pointer"),
        (garble, "checkpoints/best.json", "unreadable checkpoint pointer"),
        (truncate, "recipe.json", "damaged, not JSON"),
        (lambda p: p.write_text("{}"), "recipe.json", "damaged: expected"),
        (lambda p: p.write_bytes(b"\xff\xfe"), "recipe.json", "damaged, not JSON"),
    ],
)
def test_a_damaged_run_file_gives_one_line(run_copy: Path, damage, file: str, message: str) -> None:
    damage(run_copy / file)
    result = runner.invoke(app, ["eval", str(run_copy)])
    assert result.exit_code == 1, result.output
    assert message in result.stderr and Path(file).name in result.stderr
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("suffix", ["safetensors", "json"])
def test_a_damaged_checkpoint_file_gives_one_line(run_copy: Path, suffix: str) -> None:
    """Without a recorded checksum (an old run), damage shows when the file is read."""
    pointer = run_copy / "checkpoints" / "best.json"
    record = json.loads(pointer.read_text())
    del record["weights_sha256"]
    pointer.write_text(json.dumps(record))
    damaged = next((run_copy / "checkpoints").glob(f"best-*.{suffix}"))
    truncate(damaged)
    result = runner.invoke(app, ["eval", str(run_copy)])
    assert result.exit_code == 1, result.output
    assert "damaged" in result.stderr and damaged.name in result.stderr
    assert "Traceback" not in result.output
