"""Atomic writes: the finished file has the same mode as any other new file."""

import os
from pathlib import Path

import pytest

import scratchgrad as sg
from scratchgrad._io import atomic_write, atomic_write_text


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield 0o640
    os.umask(old)


def test_text_and_weight_files_get_the_umask_mode(tmp_path: Path, umask_027: int) -> None:
    atomic_write_text(tmp_path / "a.json", "{}")
    sg.save({"w": sg.ones(2)}, tmp_path / "w.safetensors")  # safetensors creates 0o600
    for name in ("a.json", "w.safetensors"):
        assert (tmp_path / name).stat().st_mode & 0o777 == umask_027, name


def test_a_writer_that_sets_its_own_mode_is_overridden(tmp_path: Path, umask_027: int) -> None:
    def write(p: Path) -> None:
        p.write_bytes(b"x")
        p.chmod(0o600)

    atomic_write(tmp_path / "f", write)
    assert (tmp_path / "f").stat().st_mode & 0o777 == umask_027


def test_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    def fail(p: Path) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(tmp_path / "f", fail)
    assert list(tmp_path.iterdir()) == []
