"""SummaryWriter: events read back with TensorBoard's reader match torch's writer's."""

import socket
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

import scratchgrad as sg
from scratchgrad.utils.tensorboard import SummaryWriter

try:
    import torch
    from torch.utils.tensorboard import SummaryWriter as TorchWriter
except ImportError:  # pragma: no cover - torch's writer needs tensorboard too
    TorchWriter = None

WALL = 1_700_000_000.0
RNG = np.random.default_rng(0)
VALUES = RNG.standard_normal(500).astype(np.float32)
IMAGE = RNG.random((3, 8, 6)).astype(np.float32)


def _log(writer: Any, tensor: Any) -> None:
    """The same calls for either writer; ``tensor`` makes the library's tensors."""
    for step in range(3):
        writer.add_scalar("loss", 1.0 / (step + 1), step, walltime=WALL + step)
    writer.add_scalar("acc", tensor(np.float32(0.75)), 5, walltime=WALL)
    writer.add_scalars("lr", {"a": 0.1, "b": 0.2}, 1, walltime=WALL)
    writer.add_histogram("w", tensor(VALUES), 2, walltime=WALL)
    writer.add_histogram("w10", VALUES, 2, bins=10, walltime=WALL)
    writer.add_image("img", tensor(IMAGE), 4, walltime=WALL)
    writer.add_image(
        "hwc",
        (IMAGE.transpose(1, 2, 0) * 255).astype(np.uint8),
        4,
        walltime=WALL,
        dataformats="HWC",
    )
    writer.add_text("note", "hello *world*", 7, walltime=WALL)


def _read(folder: Path) -> EventAccumulator:
    acc = EventAccumulator(str(folder), size_guidance={"tensors": 0, "scalars": 0})
    acc.Reload()
    return acc


def _scalars(acc: EventAccumulator, tag: str) -> list[tuple[float, int, float]]:
    return [(e.wall_time, e.step, e.value) for e in acc.Scalars(tag)]


def test_events_read_back(tmp_path: Path) -> None:
    with SummaryWriter(tmp_path) as w:
        _log(w, sg.tensor)
    acc = _read(tmp_path)
    assert _scalars(acc, "loss") == [
        (WALL, 0, 1.0),
        (WALL + 1, 1, 0.5),
        (WALL + 2, 2, pytest.approx(1 / 3)),
    ]
    assert _scalars(acc, "acc") == [(WALL, 5, 0.75)]
    histo = acc.Histograms("w")[0].histogram_value
    assert histo.num == 500 and sum(histo.bucket) == 500
    assert histo.min == pytest.approx(VALUES.min()) and histo.max == pytest.approx(VALUES.max())
    image = acc.Images("img")[0]
    assert (image.step, image.width, image.height) == (4, 6, 8)
    text = acc.Tensors("note/text_summary")[0]
    assert text.step == 7 and text.tensor_proto.string_val == [b"hello *world*"]
    for tag, value in (("a", 0.1), ("b", 0.2)):
        sub = _read(tmp_path / f"lr_{tag}")
        assert _scalars(sub, "lr") == [(WALL, 1, pytest.approx(value))]


@pytest.mark.skipif(TorchWriter is None, reason="torch's SummaryWriter cannot be imported")
def test_the_same_events_as_torchs_writer(tmp_path: Path) -> None:
    with SummaryWriter(tmp_path / "ours") as w:
        _log(w, sg.tensor)
    with TorchWriter(str(tmp_path / "torch")) as w:
        _log(w, torch.tensor)
    ours, theirs = _read(tmp_path / "ours"), _read(tmp_path / "torch")
    assert ours.Tags() == theirs.Tags()
    for tag in ("loss", "acc"):
        assert _scalars(ours, tag) == _scalars(theirs, tag)
    for tag in ("w", "w10"):
        a, b = ours.Histograms(tag)[0], theirs.Histograms(tag)[0]
        assert (a.wall_time, a.step) == (b.wall_time, b.step)
        assert a.histogram_value == b.histogram_value
    for tag in ("img", "hwc"):
        assert ours.Images(tag) == theirs.Images(tag)
    assert ours.Tensors("note/text_summary") == theirs.Tensors("note/text_summary")
    for tag in ("a", "b"):
        mine, torchs = (
            _read(tmp_path / "ours" / f"lr_{tag}"),
            _read(tmp_path / "torch" / f"lr_{tag}"),
        )
        assert _scalars(mine, "lr") == _scalars(torchs, "lr")


def test_default_log_dir_is_torchs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    w = SummaryWriter(comment="_exp")
    w.close()
    folder = Path(w.get_logdir())
    assert folder.parent == Path("runs") and folder.name.endswith(f"_{socket.gethostname()}_exp")
    assert any(p.name.startswith("events.out.tfevents") for p in (tmp_path / folder).iterdir())


def test_purge_step_and_reopen_after_close(tmp_path: Path) -> None:
    w = SummaryWriter(tmp_path, purge_step=10, filename_suffix=".x")
    w.add_scalar("loss", 1.0, 10, walltime=WALL)
    w.close()
    w.add_scalar("loss", 2.0, 11, walltime=WALL)  # a closed writer opens a new file
    w.flush()
    w.close()
    assert all(p.name.endswith(".x") for p in tmp_path.iterdir())
    assert [s for _, s, _ in _scalars(_read(tmp_path), "loss")] == [10, 11]


def test_bad_inputs(tmp_path: Path) -> None:
    with SummaryWriter(tmp_path) as w:
        with pytest.raises(ValueError, match="needs one value"):
            w.add_scalar("x", np.ones(3))
        with pytest.raises(ValueError, match="no element"):
            w.add_histogram("h", np.array([]))
        with pytest.raises(ValueError, match="dataformats must be"):
            w.add_image("i", np.ones((2, 2, 2)), dataformats="NCHW")
