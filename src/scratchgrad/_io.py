"""Atomic file writes: readers see the old file or the new one, never half of one.

A file is written to a temporary name in the same folder, flushed to disk, and renamed
over the target; the rename is then made durable by syncing the folder. The file gets the
mode a plain ``open(path, "w")`` would give it (0o666 less the umask), whatever mode the
writer created the temporary file with (safetensors creates 0o600).
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


def _default_mode(path: Path) -> int:
    """The mode a new file at ``path`` gets: 0o666 less the umask.

    The file is created (empty) to ask the system, without changing the process's umask,
    which other threads share.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        return os.fstat(fd).st_mode & 0o777
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
        mode = _default_mode(tmp)
        write(tmp)
        tmp.chmod(mode)
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
