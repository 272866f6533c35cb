"""Two ranks with DistributedDataParallel take the same steps as one process.

The same model, seed and global batch (64: 32 a rank), trained 50 Adam steps under
``mpiexec -n 2`` and alone, ends with the same weights up to float summation order.
"""

from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file

from tests.distributed._mpi import run


@pytest.mark.parametrize("kind", ["mlp", "cnn", "cnn-bn"])
def test_two_ranks_match_one_process(tmp_path: Path, kind: str) -> None:
    two, one = tmp_path / "two.safetensors", tmp_path / "one.safetensors"
    result = run([str(two), kind], ranks=2)
    assert result.returncode == 0, result.stderr
    result = run([str(one), kind], ranks=0)
    assert result.returncode == 0, result.stderr
    a, b = load_file(one), load_file(two)
    assert sorted(a) == sorted(b)
    for name in a:
        np.testing.assert_allclose(b[name], a[name], rtol=0, atol=1e-5, err_msg=name)
