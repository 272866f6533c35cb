"""Run every numbered example as a user would, and check what it prints and saves.

New examples (examples/NN_*.py) are picked up by the glob. Each runs once per session in
a subprocess with ``sys.executable``, its output folder pointed at a temporary directory.
"""

import os
import re
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


# ---------------------------------------------------------------- examples 05-09 (issue 3)
def _rows(out: str, labels: tuple[str, ...]) -> dict[str, list[str]]:
    """The first printed line starting with each of ``labels``, split after the label."""
    rows: dict[str, list[str]] = {}
    for line in out.splitlines():
        for label in labels:
            if line.startswith(label + " "):
                rows.setdefault(label, line[len(label) :].split())
    return rows


def test_perceptron_learns_and_or_not_xor(run_example: Callable[[str], Run]) -> None:
    run = run_example("05_perceptron_xor.py")
    assert run.returncode == 0, run.report()
    _assert_png(run.out_dir / "05_perceptron.png")
    rows = _rows(run.stdout, ("AND", "OR", "XOR"))
    assert rows["AND"][1] == "100%" and rows["OR"][1] == "100%", run.stdout  # D3
    assert rows["XOR"][1] != "100%" and rows["XOR"][2] != "100%", run.stdout
    assert "XOR is not linearly separable" in run.stdout
    assert "best of 100,000 random lines on XOR: 75% of the rows" in run.stdout


def test_activations_prints_known_values(run_example: Callable[[str], Run]) -> None:
    run = run_example("06_activations.py")
    assert run.returncode == 0, run.report()
    _assert_png(run.out_dir / "06_activations.png")
    out = run.stdout
    for line in [
        "sigmoid(0) = 1/2                  0.500000",
        "tanh'(0) = 1 - tanh^2 = 1         1.000000",
        "relu'(x < 0) = 0                  0.000000",
        "gelu'(0) = Phi(0) = 1/2           0.500000",
        "softplus(0) = ln 2                0.693147",
    ]:
        assert line in out, line
    names = ["sigmoid", "tanh", "ReLU", "LeakyReLU", "ELU", "GELU (exact)", "GELU (tanh)"]
    for name in [*names, "SiLU", "Softplus"]:
        assert f"  {name}" in out, name  # every activation is in the derivative check


def test_mlp_xor_solved_and_gradients_checked(run_example: Callable[[str], Run]) -> None:
    run = run_example("07_mlp_xor.py")
    assert run.returncode == 0, run.report()
    _assert_png(run.out_dir / "07_mlp_xor.png")
    out = run.stdout
    trained = [line for line in out.splitlines() if " after 500 steps, " in line]
    assert len(trained) == 2 and all("accuracy 100%" in line for line in trained), out  # D5
    assert "sg.gradcheck over all 33 weights: True" in out  # B4


def test_optimizers_compared_and_inits_shown(run_example: Callable[[str], Run]) -> None:
    run = run_example("08_optimizers.py")
    assert run.returncode == 0, run.report()
    for png in ["08_optimizers.png", "08_initialisation.png"]:
        _assert_png(run.out_dir / png)
    names = ("SGD (lr 0.1)", "SGD + momentum 0.9 (lr 0.1)", "Adagrad (lr 0.1)")
    rows = _rows(run.stdout, (*names, "RMSprop (lr 0.01)", "Adam (lr 0.01)", "NAdam (lr 0.01)"))
    assert len(rows) == 6, run.stdout  # B8: six optimizers, one table row each
    first = {float(values[0]) for values in rows.values()}
    final = {name: float(values[1]) for name, values in rows.items()}
    assert len(first) == 1  # the same initial weights for all
    assert max(final, key=final.__getitem__) == "SGD (lr 0.1)"  # plain SGD is slowest
    for act in ("tanh", "ReLU"):  # E8: the table of activation std per layer
        assert f"{act}: std of the activations after layer 1, 2, ..., 10" in run.stdout


def test_convolution_worked_example(run_example: Callable[[str], Run]) -> None:
    run = run_example("09_convolution.py")
    assert run.returncode == 0, run.report()
    for png in ["09_worked_example.png", "09_cnn_digits.png"]:
        _assert_png(run.out_dir / png)
    out = run.stdout
    assert out.count("      44    54    64\n      84    94   104\n     124   134   144") == 2
    assert "(4 + 0 - 2) // 1 + 1 = 3" in out  # the output-size rule
    assert "       6     5\n       7     9" in out  # max pooling
    for shape in ["(5, 8, 8, 8)", "(5, 8, 4, 4)", "(5, 128)", "(5, 10)"]:
        assert f"  {shape}" in out, shape


def test_linear_models_fits_agree(run_example: Callable[[str], Run]) -> None:
    run = run_example("14_linear_models.py")
    assert run.returncode == 0, run.report()
    _assert_png(run.out_dir / "14_logistic_boundary.png")
    rows = _rows(run.stdout, ("closed form", "grad. descent"))
    assert rows["closed form"] == rows["grad. descent"], run.stdout  # D1
    assert "training accuracy: 94.5%" in run.stdout  # D2


def test_ml_examples_write_their_figures(run_example: Callable[[str], Run]) -> None:
    for name, pngs in {
        "15_knn.py": ["15_knn.png"],
        "16_kmeans.py": ["16_kmeans.png"],
        "17_trees_and_forests.py": ["17_forest.png"],
        "18_svm.py": ["18_svm_moons.png"],
        "20_pca.py": ["20_pca_variance.png", "20_pca_digits_2d.png"],
        "21_overfitting.py": ["21_overfitting.png"],
    }.items():
        run = run_example(name)
        assert run.returncode == 0, run.report()
        for png in pngs:
            _assert_png(run.out_dir / png)


def test_ml_examples_print_their_numbers(run_example: Callable[[str], Run]) -> None:
    assert "purity against the true groups: 99.2%" in run_example("16_kmeans.py").stdout
    tree, forest = re.search(
        r"tree (\S+) vs forest of 50 trees (\S+)", run_example("17_trees_and_forests.py").stdout
    ).groups()  # type: ignore[union-attr]
    assert float(forest) > float(tree) + 0.05  # the forest beats a single tree clearly
    svm = _rows(run_example("18_svm.py").stdout, ("linear", "rbf"))
    assert float(svm["rbf"][1].rstrip("%")) > float(svm["linear"][1].rstrip("%"))
    assert "components for 90% of the variance: 21 of 64" in run_example("20_pca.py").stdout
    shallow, deep = (
        float(g)
        for g in re.search(  # type: ignore[union-attr]
            r"gap at depth 2: (\S+); at depth 15: (\S+)", run_example("21_overfitting.py").stdout
        ).groups()
    )
    assert abs(shallow) < 0.03 and deep > 0.1  # a deep tree overfits, a shallow one does not
    assert "GaussianNB on the same digits: 0.848" in run_example("19_naive_bayes.py").stdout
    assert "best k for regression: 15" in run_example("15_knn.py").stdout


def _number(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not found in:\n{text}"
    return float(match.group(1))


def test_recurrent_networks_learn_the_sequence(run_example: Callable[[str], Run]) -> None:
    out = run_example("22_rnn_sequence.py").stdout
    assert _number(r"LSTM (\d\.\d+)", out) >= 0.9  # chance is 0.10
    assert _number(r"GRU (\d\.\d+)", out) >= 0.9
    assert "output (64, 12, 64), h_n (4, 64, 32), c_n (4, 64, 32)" in out


def test_attention_matches_its_formula_and_learns_to_look_back(
    run_example: Callable[[str], Run],
) -> None:
    run = run_example("23_attention.py")
    assert _number(r"largest difference: (\S+)", run.stdout) < 1e-5
    assert _number(r"copy accuracy (\S+)", run.stdout) >= 0.9
    assert _number(r"mean weight on t-2: (\S+)", run.stdout) >= 0.5
    _assert_png(run.out_dir / "23_attention_heads.png")


def test_char_gpt_learns_and_generates_at_two_temperatures(
    run_example: Callable[[str], Run],
) -> None:
    out = run_example("24_char_gpt.py").stdout
    before = _number(r"before training: val loss (\S+)", out)
    after = _number(r"step 300: train loss \S+, val loss (\S+)", out)
    assert after < before - 1.0
    assert "--- temperature 0.5 ---\nShall I " in out and "--- temperature 1.2 ---\nShall I " in out
