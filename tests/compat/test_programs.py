"""PyTorch programs run unchanged with ``import torch`` resolving to scratchgrad.

Each program in ``programs/`` is written as a PyTorch user writes it. It runs twice in a
subprocess: once with real torch, once with the alias in ``alias/`` first on the path
(``torch`` is then scratchgrad, names only). From the same initial weights (drawn with
NumPy inside the program) both must print the same numbers.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).parent
SRC = HERE.parent.parent / "src"
PROGRAMS = sorted(p.stem for p in (HERE / "programs").glob("*.py"))


def _run(program: str, alias: bool, tmp_path: Path) -> dict:
    env = dict(os.environ)
    paths = [str(HERE / "alias")] if alias else []
    env["PYTHONPATH"] = os.pathsep.join([*paths, str(SRC)])
    env["COMPAT_TMP"] = str(tmp_path / ("ours" if alias else "torch"))
    Path(env["COMPAT_TMP"]).mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, str(HERE / "programs" / f"{program}.py")],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, (
        f"{program} ({'scratchgrad' if alias else 'torch'}):\n{done.stderr}"
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("program", PROGRAMS)
def test_program_gives_torch_numbers(program: str, tmp_path: Path) -> None:
    ours, theirs = _run(program, True, tmp_path), _run(program, False, tmp_path)
    assert ours.keys() == theirs.keys()
    for key in theirs:
        np.testing.assert_allclose(
            np.asarray(ours[key], dtype=np.float64),
            np.asarray(theirs[key], dtype=np.float64),
            rtol=2e-4, atol=1e-5, err_msg=f"{program}: {key}",
        )  # fmt: skip
