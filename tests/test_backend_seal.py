"""The array-backend seam is sealed: only allow-listed modules import NumPy or SciPy.

Everything else takes its array functions from ``scratchgrad.backend`` (``xp``,
``special``), so a second backend (CuPy) plugs in there. Each module is parsed with
``ast``, so an import inside a function or under ``TYPE_CHECKING`` counts as much as one
at the top.
"""

import ast
from collections.abc import Iterable
from fnmatch import fnmatch
from pathlib import Path

SRC = Path(__file__).parent.parent / "src" / "scratchgrad"

# Modules that may import NumPy (or SciPy) for good, each with its reason: they take NumPy
# arrays from the user or from files, or hand NumPy arrays back. Patterns are relative to
# src/scratchgrad and matched with fnmatch ("ops/*" is every module under ops/).
ALLOWED = {
    "backend/*": "the seam itself: the one place that picks the array library",
    "kernels/*": "compiled CPU kernels: numba loops over the NumPy arrays the ops hand them "
    "(a GPU backend brings kernels of its own)",
    "serialization.py": "file I/O: safetensors bytes are read and written as NumPy arrays",
    "cli/*": "command line: reads the user's .npy input files and prints NumPy predictions",
    "data/*": "data sets come from files and scikit-learn as NumPy arrays, sampled and split "
    "by host index arithmetic; the DataLoader collates them into tensors",
    "ml/*": "scikit-learn's estimator API: fit, predict and transform take and give NumPy "
    "arrays; fits call SciPy's optimize and linalg on them",
    "retrieval/*": "FAISS's API: indexes take and return NumPy arrays (vectors, ids) and "
    "search them with host BLAS products and argpartition",
    "rl/*": "environments (gymnasium) take and give NumPy observations, actions and rewards; "
    "rollout and replay buffers store them as NumPy arrays",
    "recipes/*": "Recipe.predict takes and returns the NumPy arrays the CLI reads and prints",
    "train/metrics/*": "metrics read tensors, arrays or lists as NumPy arrays and score them "
    "on the host, as sklearn.metrics does",
    "train/runs.py": "run folders: matplotlib plots host NumPy arrays (the confusion matrix)",
    "utils/tensorboard.py": "file I/O: histograms and PNGs are encoded from NumPy arrays into "
    "tensorboard's protobufs, as torch's writer does",
}

# To be sealed: none left. A module added here must name itself exactly and say why.
PENDING: set[str] = set()

# Sealed for good: no ALLOWED pattern and no PENDING wildcard may cover them.
SEALED = (
    "nn/*",
    "optim/*",
    "models/*",
    "ops/*",
    "creation.py",
    "random.py",
    "dtypes.py",
    "_format.py",
    "linalg.py",
    "train/trainer.py",
    "train/checkpoint.py",
)


# The array libraries only the backend picks: NumPy and SciPy today, CuPy later.
LIBRARIES = ("numpy", "scipy", "cupy", "cupyx")


def _is_array_library(name: str | None) -> bool:
    return name is not None and name.split(".")[0] in LIBRARIES


def array_imports(source: str) -> list[int]:
    """Line numbers of every ``import numpy...``/``from scipy... import`` etc. in ``source``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            if any(_is_array_library(alias.name) for alias in node.names):
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and _is_array_library(node.module):
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and _is_array_library(node.args[0].value)
        ):
            lines.append(node.lineno)
    return sorted(lines)


def _modules() -> list[str]:
    return sorted(p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py"))


def _covered(module: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch(module, pattern) for pattern in patterns)


def _covered_any(pattern: str, modules: Iterable[str]) -> bool:
    return any(fnmatch(module, pattern) for module in modules)


def test_only_allow_listed_modules_import_numpy() -> None:
    offenders = []
    for module in _modules():
        if _covered(module, ALLOWED) or _covered(module, PENDING):
            continue
        lines = array_imports((SRC / module).read_text(encoding="utf-8"))
        offenders += [f"src/scratchgrad/{module}:{line}" for line in lines]
    assert not offenders, (
        "take arrays from `from scratchgrad.backend import xp` (SciPy: `special`) instead:\n"
        + "\n".join(offenders)
    )


def test_every_allowed_entry_still_imports_numpy() -> None:
    # A permanent exception that no longer needs NumPy or SciPy should be dropped, not kept.
    for pattern in ALLOWED:
        hits = [m for m in _modules() if fnmatch(m, pattern)]
        assert any(array_imports((SRC / m).read_text(encoding="utf-8")) for m in hits), pattern


def test_sealed_packages_are_not_allow_listed() -> None:
    # A pending module in a sealed package is named exactly, so no new module slips in.
    exact = {pattern for pattern in PENDING if not any(c in pattern for c in "*?[")}
    for module in _modules():
        if _covered(module, SEALED) and module not in exact:
            assert not _covered(module, [*ALLOWED, *PENDING]), module


def test_no_stale_entries() -> None:
    # A pattern that matches no module (a renamed or removed one) covers nothing: drop it.
    modules = _modules()
    for pattern in [*ALLOWED, *PENDING, *SEALED]:
        assert _covered_any(pattern, modules), f"{pattern!r} matches no module"


def test_detects_every_import_form() -> None:
    source = (
        "import os\n"
        "import numpy as np\n"
        "from numpy.typing import NDArray\n"
        "import numpy.linalg\n"
        "def f():\n"
        "    import numpy\n"
        "importlib.import_module('numpy')\n"
        "from scratchgrad.backend import xp\n"
        "from . import numpy\n"
        "import numpyro\n"
        "from scipy import special\n"
        "import scipy.optimize\n"
        "import cupy as cp\n"
        "import scipyx\n"
    )
    assert array_imports(source) == [2, 3, 4, 6, 7, 11, 12, 13]
