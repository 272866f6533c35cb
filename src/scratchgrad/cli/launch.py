"""``scratchgrad train RECIPE --nproc N``: the same command again, as N ranks under mpiexec.

The ranks join MPI's world when the Trainer starts; ``batch_size`` stays the global batch,
rank 0 alone writes the run folder and prints, and the job's exit code is mpiexec's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from scratchgrad.errors import SettingsError

FLAGS = {"out_dir": "--out", "extra": "--set", "batch_size": "--batch-size"}
"""The command-line flag of each setting whose flag is not ``--<name>``."""
FLAGS |= {"data_dir": "--data-dir", "checkpoint_every": "--checkpoint-every"}


def find_mpiexec() -> str:
    """The ``mpiexec`` next to this Python (the mpich wheel's) or on PATH.

    Raises:
        SettingsError: naming the extra that provides it.
    """
    here = shutil.which("mpiexec", path=str(Path(sys.executable).parent))
    found = here or shutil.which("mpiexec")
    if found is None:
        raise SettingsError("--nproc needs MPI: pip install 'scratchgrad[distributed]'")
    return found


def flag(name: str) -> str:
    """``out_dir`` -> ``--out``: the flag that sets a setting."""
    return FLAGS.get(name, f"--{name.replace('_', '-')}")


def train_args(recipe: str | None, cli: dict[str, Any], resume: Path | None) -> list[str]:
    """The ``scratchgrad train`` arguments that give these settings again.

    Args:
        recipe: the recipe's name (None with ``resume``).
        cli: the settings given on the command line (``extra``: the ``--set`` items).
        resume: the run folder to resume, or None.
    """
    args = [recipe] if recipe is not None else []
    for name, value in cli.items():
        if name == "extra":
            args += [a for item in value or [] for a in ("--set", item)]
        elif value is not None:
            args += [flag(name), str(value)]
    return [*args, *(["--resume", str(resume)] if resume is not None else [])]


def relaunch(nproc: int, args: list[str]) -> int:
    """Run ``scratchgrad train *args`` as ``nproc`` MPI ranks; mpiexec's exit code."""
    command = [find_mpiexec(), "-n", str(nproc), sys.executable, "-m", "scratchgrad"]
    return subprocess.call([*command, "train", *args])


__all__ = ["FLAGS", "find_mpiexec", "flag", "relaunch", "train_args"]
