"""Checkpoint files: round trip, atomic commit, clear errors."""

import json
from pathlib import Path

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.errors import CheckpointError
from scratchgrad.train import checkpoint as ck
from scratchgrad.train.checkpoint import (
    join_arrays,
    load_checkpoint,
    save_checkpoint,
    split_arrays,
)


def _state(step: int) -> dict:
    return {
        "module": {"w": sg.full((2, 3), float(step)), "b": np.arange(3.0)},
        "optimizer": {"state": {0: {"step": step, "exp_avg": sg.ones(2)}}, "groups": [{"lr": 0.1}]},
        "trainer": {"epoch": 1, "global_step": step},
    }


def test_split_and_join_round_trip() -> None:
    arrays: dict = {}
    tree = split_arrays(_state(3), "", arrays)
    json.dumps(tree)  # the rest is plain JSON
    back = join_arrays(json.loads(json.dumps(tree)), arrays)
    assert back["module"]["w"].tolist() == [[3.0] * 3] * 2
    assert back["optimizer"]["state"]["0"]["step"] == 3


def test_save_and_load(tmp_path: Path) -> None:
    save_checkpoint(tmp_path, "last", 5, _state(5))
    state = load_checkpoint(tmp_path / "last.json")
    np.testing.assert_array_equal(state["module"]["w"].numpy(), np.full((2, 3), 5.0))
    np.testing.assert_array_equal(state["module"]["b"].numpy(), np.arange(3.0))
    assert state["trainer"] == {"epoch": 1, "global_step": 5}


def test_a_new_version_replaces_the_old_files(tmp_path: Path) -> None:
    save_checkpoint(tmp_path, "last", 5, _state(5))
    save_checkpoint(tmp_path, "last", 9, _state(9))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "last-00000009.json",
        "last-00000009.safetensors",
        "last.json",
    ]


def test_an_interrupted_save_leaves_the_previous_checkpoint(tmp_path: Path, monkeypatch) -> None:
    save_checkpoint(tmp_path, "last", 5, _state(5))

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # the process dies while writing the state JSON

    monkeypatch.setattr(ck, "atomic_write_text", crash)
    with pytest.raises(KeyboardInterrupt):
        save_checkpoint(tmp_path, "last", 9, _state(9))
    state = load_checkpoint(tmp_path / "last.json")
    assert state["trainer"]["global_step"] == 5
    assert state["module"]["w"].tolist()[0][0] == 5.0


def test_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="no checkpoint at"):
        load_checkpoint(tmp_path / "last.json")
    save_checkpoint(tmp_path, "last", 1, _state(1))
    (tmp_path / "last-00000001.safetensors").unlink()
    with pytest.raises(
        CheckpointError, match="points to last-00000001.safetensors, which is missing"
    ):
        load_checkpoint(tmp_path / "last.json")
    (tmp_path / "last.json").write_text('{"format": "other"}')
    with pytest.raises(CheckpointError, match="format 'other'"):
        load_checkpoint(tmp_path / "last.json")


def test_a_run_folder_finds_its_last_checkpoint(tmp_path: Path) -> None:
    save_checkpoint(tmp_path / "checkpoints", "last", 2, _state(2))
    assert load_checkpoint(tmp_path)["trainer"]["global_step"] == 2


def _overwrite_tail(path: Path, data: bytes) -> None:
    """Overwrite the last bytes of a file in place: still a valid safetensors file."""
    raw = bytearray(path.read_bytes())
    raw[-len(data) :] = data
    path.write_bytes(bytes(raw))


def test_a_changed_weight_file_is_refused(tmp_path: Path) -> None:
    save_checkpoint(tmp_path, "last", 1, _state(1))
    weights = tmp_path / "last-00000001.safetensors"
    _overwrite_tail(weights, np.array([7.0]).tobytes())  # finite values, valid header
    sg.load(weights)  # the file still parses: only the checksum tells
    with pytest.raises(CheckpointError, match="checksum mismatch") as info:
        load_checkpoint(tmp_path / "last.json")
    assert "last-00000001.safetensors" in str(info.value)
    assert "the file was changed or damaged" in str(info.value)


def test_the_pointer_records_the_checksum(tmp_path: Path) -> None:
    import hashlib

    save_checkpoint(tmp_path, "last", 1, _state(1))
    record = json.loads((tmp_path / "last.json").read_text())
    data = (tmp_path / "last-00000001.safetensors").read_bytes()
    assert record["weights_sha256"] == hashlib.sha256(data).hexdigest()


def test_an_old_pointer_without_checksum_still_loads(tmp_path: Path) -> None:
    save_checkpoint(tmp_path, "last", 1, _state(1))
    pointer = tmp_path / "last.json"
    record = json.loads(pointer.read_text())
    del record["weights_sha256"]
    pointer.write_text(json.dumps(record))
    assert load_checkpoint(pointer)["trainer"]["global_step"] == 1


def test_non_finite_weights_are_refused_naming_the_tensor(tmp_path: Path) -> None:
    state = _state(1)
    state["module"]["w"] = sg.tensor([[0.0, 1.0, float("nan")], [0.0, 0.0, 0.0]])
    save_checkpoint(tmp_path, "last", 1, state)
    with pytest.raises(CheckpointError, match=r"'module\.w' holds non-finite.*index \(0, 2\)"):
        load_checkpoint(tmp_path / "last.json")
