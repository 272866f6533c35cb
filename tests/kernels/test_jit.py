"""The kernel switch and compiled kernels: same results as their Python function."""

from __future__ import annotations

import importlib
import multiprocessing
import subprocess
import sys
import threading

import numpy as np
import pytest

from scratchgrad import kernels
from scratchgrad.errors import SettingsError
from scratchgrad.kernels import jit


@jit()
def _scaled_sum(x: np.ndarray, out: np.ndarray) -> None:
    for i in range(x.shape[0]):
        total = 0.0
        for j in range(x.shape[1]):
            total += x[i, j] * 2.0
        out[i] = total


@jit()
def _double(v: float) -> float:
    return 2.0 * v


@jit()
def _sum_doubled(x: np.ndarray) -> float:
    total = 0.0
    for i in range(x.size):
        total += _double(x[i])
    return total


def test_a_kernel_calls_another_kernel() -> None:
    x = np.arange(5.0)
    assert _sum_doubled(x) == 20.0
    assert _sum_doubled.py_func(x) == 20.0


def _run_kernel(queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    x = np.ones((4, 3))
    out = np.zeros(4)
    _scaled_sum(x, out)
    queue.put(out.tolist())


def test_compiled_kernel_matches_its_python_function() -> None:
    x = np.random.default_rng(0).standard_normal((50, 7))
    compiled, plain = np.empty(50), np.empty(50)
    _scaled_sum(x, compiled)
    _scaled_sum.py_func(x, plain)
    np.testing.assert_allclose(compiled, plain, rtol=1e-12)
    np.testing.assert_allclose(compiled, 2.0 * x.sum(axis=1), rtol=1e-12)


def test_use_switches_and_restores() -> None:
    before = kernels.mode()
    with kernels.use("numpy"):
        assert not kernels.enabled()
        assert kernels.mode() == "numpy"
    assert kernels.mode() == before


def test_use_refuses_an_unknown_mode() -> None:
    with pytest.raises(SettingsError, match="expected one of numba, numpy"), kernels.use("c"):
        pass


def test_environment_switch_and_bad_value() -> None:
    code = "from scratchgrad import kernels; print(kernels.enabled())"
    env_numpy = {"SCRATCHGRAD_KERNELS": "numpy", "PATH": ""}
    out = subprocess.run([sys.executable, "-c", code], env=env_numpy, capture_output=True)
    assert out.stdout.decode().strip() == "False"
    bad = subprocess.run(
        [sys.executable, "-c", code], env={"SCRATCHGRAD_KERNELS": "fast"}, capture_output=True
    )
    assert bad.returncode != 0
    assert "SCRATCHGRAD_KERNELS: got 'fast'; expected one of numba, numpy" in bad.stderr.decode()


def test_importing_scratchgrad_does_not_import_numba() -> None:
    code = "import sys, scratchgrad; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert out.stdout.decode().strip() == "False"


def test_kernels_from_threads_and_a_forked_child() -> None:
    x = np.ones((1000, 10))
    outs = [np.zeros(1000) for _ in range(4)]
    threads = [threading.Thread(target=_scaled_sum, args=(x, o)) for o in outs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all((o == 20.0).all() for o in outs)
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_run_kernel, args=(queue,))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 0
    assert queue.get(timeout=5) == [6.0] * 4


def test_without_numba_the_reference_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    jit_module = importlib.import_module("scratchgrad.kernels.jit")
    monkeypatch.setattr(jit_module, "_numba_importable", lambda: False)
    monkeypatch.setattr(jit_module, "_mode", None)
    monkeypatch.delenv("SCRATCHGRAD_KERNELS", raising=False)
    assert kernels.mode() == "numpy" and not kernels.enabled()
    with kernels.use("numba"):  # asked for, but not installed: still the reference
        assert not kernels.enabled()
