"""Atomic file writes: readers see the old file or the new one, never half of one.

A file is written to a temporary name in the same folder, flushed to disk, and renamed
over the target; the rename is then made durable by syncing the folder.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable
from pathlib import Path


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; best effort elsewhere)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(target: str | os.PathLike[str], write: Callable[[Path], object]) -> None:
    """Call ``write(tmp_path)`` and move the finished file over ``target``.

    If ``write`` raises (or the process is interrupted), the temporary file is removed and
    ``target`` keeps its previous content.
    """
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(tmp)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(target.parent)


def atomic_write_text(target: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    atomic_write(target, lambda p: p.write_text(text, encoding="utf-8"))


__all__ = ["atomic_write", "atomic_write_text", "sync_folder"]
