"""Running a script under ``mpiexec -n N`` from a test (skipped where MPI is missing)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("_ddp_script.py")


def mpiexec() -> str:
    """The mpiexec next to this Python (the mpich wheel's), or on PATH; else skip."""
    pytest.importorskip("mpi4py", reason="MPI tests need pip install 'scratchgrad[distributed]'")
    found = shutil.which("mpiexec", path=str(Path(sys.executable).parent)) or shutil.which(
        "mpiexec"
    )
    if found is None:
        pytest.skip("no mpiexec: pip install 'scratchgrad[distributed]' (the mpich wheel)")
    return found


def run(args: list[str], ranks: int = 2) -> subprocess.CompletedProcess[str]:
    """``mpiexec -n ranks python _ddp_script.py *args`` (ranks 0: plain python)."""
    cmd = [sys.executable, str(SCRIPT), *args]
    if ranks:
        cmd = [mpiexec(), "-n", str(ranks), *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)
