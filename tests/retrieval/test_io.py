"""write_index / read_index: every kind round-trips, bad files give clear errors."""

from pathlib import Path

import numpy as np
import pytest

import scratchgrad as sg
from scratchgrad.retrieval import IndexFlatIP, IndexFlatL2, IndexIVFFlat, read_index, write_index


def test_round_trips(tmp_path: Path, vectors) -> None:
    xb, xq = vectors
    ivf = IndexIVFFlat(IndexFlatL2(16), 16, 6)
    ivf.train(xb)
    ivf.add_with_ids(xb, np.arange(600) * 3)
    ivf.nprobe = 2
    ip = IndexFlatIP(16)
    ip.add(xb)
    for index in (ivf, ip):
        write_index(index, tmp_path / "i.safetensors")
        back = read_index(tmp_path / "i.safetensors")
        assert type(back) is type(index) and back.ntotal == 600
        for a, b in zip(index.search(xq, 4), back.search(xq, 4), strict=True):
            np.testing.assert_array_equal(a, b)
    assert back.metric_type == ip.metric_type
    assert read_index(tmp_path / "i.safetensors").ntotal == 600


def test_bad_files(tmp_path: Path) -> None:
    sg.save({"x": sg.ones(2)}, tmp_path / "w.safetensors")
    with pytest.raises(ValueError, match="is not an index file"):
        read_index(tmp_path / "w.safetensors")
    with pytest.raises(FileNotFoundError):
        read_index(tmp_path / "missing.safetensors")
    with pytest.raises(TypeError, match="cannot save a str"):
        write_index("index", tmp_path / "x")  # type: ignore[arg-type]
