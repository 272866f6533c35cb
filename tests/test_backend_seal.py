"""The array-backend seam is sealed: only allow-listed modules import NumPy.

Everything else takes its array functions from ``scratchgrad.backend.xp``, so a second
backend (CuPy) plugs in there. Each module is parsed with ``ast``, so an import inside
a function or under ``TYPE_CHECKING`` counts as much as one at the top.
"""

import ast
from collections.abc import Iterable
from fnmatch import fnmatch
from pathlib import Path

SRC = Path(__file__).parent.parent / "src" / "scratchgrad"

# Modules that may import NumPy for good, each with its reason. Patterns are relative to
# src/scratchgrad and matched with fnmatch ("ops/*" is every module in ops/).
ALLOWED = {
    "backend/*": "the seam itself: the one place that picks the array library",
    "serialization.py": "file I/O: safetensors bytes are read and written as NumPy arrays",
}

# To be sealed in this change: modules other engineers are restructuring right now.
# Shrink this set as each one moves to ``scratchgrad.backend``.
PENDING = {
    "ops/*",
    "tensor.py",
    "creation.py",
    "random.py",
    "dtypes.py",
    "_format.py",
    "data/*",
    "train/*",
    "recipes*.py",
    "text_recipes.py",
    "_recipe_run.py",
    "cli.py",
    "ml/*",
    "optim/lr_scheduler.py",
    "optim/_scheduler.py",
    "optim/_plateau.py",
}

# Sealed for good: no pattern above may cover them.
SEALED = ("nn/*", "optim/*", "models/*")


def _is_numpy(name: str | None) -> bool:
    return name is not None and (name == "numpy" or name.startswith("numpy."))


def numpy_imports(source: str) -> list[int]:
    """Line numbers of every ``import numpy...``/``from numpy... import`` in ``source``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            if any(_is_numpy(alias.name) for alias in node.names):
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and _is_numpy(node.module):
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and _is_numpy(node.args[0].value)
        ):
            lines.append(node.lineno)
    return sorted(lines)


def _modules() -> list[str]:
    return sorted(p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py"))


def _covered(module: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch(module, pattern) for pattern in patterns)


def test_only_allow_listed_modules_import_numpy() -> None:
    offenders = []
    for module in _modules():
        if _covered(module, ALLOWED) or _covered(module, PENDING):
            continue
        lines = numpy_imports((SRC / module).read_text(encoding="utf-8"))
        offenders += [f"src/scratchgrad/{module}:{line}" for line in lines]
    assert not offenders, (
        "import NumPy through `from scratchgrad.backend import xp` instead:\n"
        + "\n".join(offenders)
    )


def test_every_allowed_entry_still_imports_numpy() -> None:
    # A permanent exception that no longer needs NumPy should be dropped, not kept.
    for pattern in ALLOWED:
        hits = [m for m in _modules() if fnmatch(m, pattern)]
        assert any(numpy_imports((SRC / m).read_text(encoding="utf-8")) for m in hits), pattern


def test_sealed_packages_are_not_allow_listed() -> None:
    # Only the three optim scheduler modules, named exactly, are pending in a sealed package.
    exempt = {pattern for pattern in PENDING if pattern.startswith("optim/")}
    for module in _modules():
        if _covered(module, SEALED) and module not in exempt:
            assert not _covered(module, [*ALLOWED, *PENDING]), module


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
    )
    assert numpy_imports(source) == [2, 3, 4, 6, 7]
