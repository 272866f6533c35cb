"""The allocator settings: freed array memory is reused instead of page-faulted in again."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_FAULTS = """
import resource, numpy as np, scratchgrad
from scratchgrad.backend.allocator import keep_freed_memory
a = np.ones(4 << 20, np.float32)  # 16 MiB
del a
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
a = np.ones(4 << 20, np.float32)
print(keep_freed_memory(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _run(**env: str) -> tuple[str, int]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    clean.pop("SCRATCHGRAD_MALLOC", None)
    out = subprocess.run(
        [sys.executable, "-c", _FAULTS], env=clean | env, capture_output=True, check=True
    )
    took, faults = out.stdout.decode().split()
    return took, int(faults)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_a_freed_array_is_reused_without_page_faults() -> None:
    took, faults = _run()
    off, faults_off = _run(SCRATCHGRAD_MALLOC="system")
    assert (took, off) == ("True", "False")
    assert faults_off > 200  # 16 MiB of fresh pages (the kernel maps a few per fault)
    assert faults < faults_off / 10


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_glibc_settings_of_the_users_own_win() -> None:
    took, _ = _run(MALLOC_ARENA_MAX="2")
    assert took == "False"
