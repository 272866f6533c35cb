"""Run every numbered example as a user would, and check what it prints and saves.

New examples (examples/NN_*.py) are picked up by the glob. Each runs once per session in
a subprocess with ``sys.executable``, its output folder pointed at a temporary directory.
"""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = ROOT / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("[0-9][0-9]_*.py"))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TIMEOUT_S = 300

# The figures an example must write into its output folder.
EXPECTED_PNGS = {
    "04_linear_regression_sgd.py": ["04_gd_sgd_online.png", "04_learning_rates.png"],
}


class Run:
    """The outcome of one example run: exit code, output, and its output folder."""

    def __init__(self, proc: subprocess.CompletedProcess[str], out_dir: Path) -> None:
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.out_dir = out_dir

    def report(self) -> str:
        return f"exit code {self.returncode}\n--- stdout ---\n{self.stdout[-4000:]}\n" + (
            f"--- stderr ---\n{self.stderr[-4000:]}"
        )


def _env(out_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["SCRATCHGRAD_EXAMPLES_OUT"] = str(out_dir)
    env["MPLBACKEND"] = "Agg"
    # the package from this checkout, whether or not it is installed
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    return env


@pytest.fixture(scope="session")
def run_example(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Run]:
    """Run an example by file name (once per session; later calls reuse the result)."""
    cache: dict[str, Run] = {}

    def run(name: str) -> Run:
        if name not in cache:
            out_dir = tmp_path_factory.mktemp(Path(name).stem)
            proc = subprocess.run(
                [sys.executable, str(EXAMPLES_DIR / name)],
                capture_output=True,
                text=True,
                env=_env(out_dir),
                cwd=out_dir,  # examples must not depend on the current directory
                timeout=TIMEOUT_S,
                check=False,
            )
            cache[name] = Run(proc, out_dir)
        return cache[name]

    return run


def _assert_png(path: Path) -> None:
    assert path.is_file(), f"{path.name} was not written"
    data = path.read_bytes()
    assert len(data) > len(PNG_SIGNATURE), f"{path.name} is empty"
    assert data[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG file"


def test_examples_are_found() -> None:
    names = [p.name for p in EXAMPLES]
    for name in [
        "01_tensors.py",
        "02_broadcasting.py",
        "03_autodiff.py",
        "04_linear_regression_sgd.py",
    ]:
        assert name in names


@pytest.mark.parametrize("name", [p.name for p in EXAMPLES])
def test_example_runs(name: str, run_example: Callable[[str], Run]) -> None:
    run = run_example(name)
    assert run.returncode == 0, run.report()
    for png in EXPECTED_PNGS.get(name, []):
        _assert_png(run.out_dir / png)
    for png in run.out_dir.rglob("*.png"):  # whatever else it drew must be valid too
        _assert_png(png)


def test_tensors_prints_worked_numbers(run_example: Callable[[str], Run]) -> None:
    run = run_example("01_tensors.py")
    assert run.returncode == 0, run.report()
    out = run.stdout
    assert "a + b   = [5, 7, 9]" in out  # A4
    assert "u . v = 32.0" in out  # A5 dot product
    assert "C[0] = [11.0, 14.0, 17.0, 20.0]" in out  # A5, the 3x2 by 2x4 product
    assert "C[2] = [35.0, 46.0, 57.0, 68.0]" in out
    assert "sum of all elements: 136" in out  # A6
    assert "L1 = 7.0, L2 = 5.0, max (inf) = 4.0" in out  # A6 norms


def test_broadcasting_prints_the_six_cases(run_example: Callable[[str], Run]) -> None:
    run = run_example("02_broadcasting.py")
    assert run.returncode == 0, run.report()
    verdicts = [line for line in run.stdout.splitlines() if line.startswith("  scratchgrad:")]
    assert [v.split(":")[1].split()[0] for v in verdicts] == [
        "yes",
        "yes",
        "yes",
        "no",
        "no",
        "yes",
    ]
    assert "yes -> result shape (5, 2, 3, 5)" in run.stdout
    assert "at dim -2 the sizes 3 and 2 differ and neither is 1" in run.stdout


def test_linear_regression_fits_agree(run_example: Callable[[str], Run]) -> None:
    run = run_example("04_linear_regression_sgd.py")
    assert run.returncode == 0, run.report()
    rows = {
        line[:42].strip(): line[42:].split()
        for line in run.stdout.splitlines()
        if line.startswith(("closed form ", "full batch", "mini-batch", "online"))
    }
    assert len(rows) == 4, run.stdout
    a_exact, b_exact = (float(v) for v in rows.pop("closed form")[:2])
    for label, values in rows.items():
        a, b = float(values[0]), float(values[1])
        assert abs(a - a_exact) < 0.05 and abs(b - b_exact) < 0.05, label


def _write(folder: Path, name: str, code: str) -> None:
    (folder / name).write_text(code)


def test_run_all_reports_failures(tmp_path: Path) -> None:
    _write(tmp_path, "01_ok.py", "print('hello from 01')\n")
    _write(tmp_path, "02_broken.py", "raise SystemExit(3)\n")
    _write(tmp_path, "03_ok.py", "print('hello from 03')\n")
    _write(tmp_path, "helper.py", "raise SystemExit('not an example: must not run')\n")
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES_DIR / "run_all.py"), "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert out.index("# 01_ok.py") < out.index("# 02_broken.py") < out.index("# 03_ok.py")
    assert "hello from 01" in out and "hello from 03" in out  # a failure does not stop the rest
    assert "FAIL  02_broken.py" in out and "2 passed, 1 failed" in out
    assert "helper.py" not in out


def test_run_all_passes_when_all_pass(tmp_path: Path) -> None:
    _write(tmp_path, "01_ok.py", "print('fine')\n")
    _write(tmp_path, "02_ok.py", "print('fine too')\n")
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES_DIR / "run_all.py"), "--dir", str(tmp_path), "02"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "fine too" in proc.stdout and "01_ok.py" not in proc.stdout
