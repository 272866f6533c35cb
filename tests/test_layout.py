"""The tests mirror the package, and the tree reads like the architecture.

Every module with a public name has a test: its own file ``tests/<path>/test_<module>.py``,
or, for an op module, the parity table (``tests/ops/test_registry.py`` fails for any
registered op without a parity case). Leading underscores mean private: no public class
lives in a ``_x.py`` module, and no module is named for nothing (extra, misc, more, util).
"""

import ast
from pathlib import Path

import scratchgrad  # noqa: F401 - registers every op
from scratchgrad.ops.registry import OPS

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "scratchgrad"
VAGUE = ("extra", "misc", "more", "util")
TORCH_PATHS = {"nn/utils.py", "utils"}  # torch.nn.utils, torch.utils: paths users know


def _public_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    names = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")
    ]
    return names


def _dotted(path: Path) -> str:
    return ".".join(("scratchgrad", *path.relative_to(SRC).with_suffix("").parts))


def test_every_module_with_a_public_name_has_a_test() -> None:
    op_modules = {cls.__module__ for cls in OPS.values()}
    missing = []
    for module in SRC.rglob("*.py"):
        if module.name.startswith("_") or not _public_names(module):
            continue
        rel = module.relative_to(SRC)
        expected = ROOT / "tests" / rel.parent / f"test_{module.stem}.py"
        if not expected.exists() and _dotted(module) not in op_modules:
            missing.append(f"{rel} -> {expected.relative_to(ROOT)}")
    assert not missing, "modules without a test:\n" + "\n".join(missing)


def test_no_public_class_in_a_private_module() -> None:
    found = [
        f"{path.relative_to(SRC)}: {name}"
        for path in SRC.rglob("_*.py")
        if path.name != "__init__.py"
        for name in _public_names(path)
        if name[0].isupper()
    ]
    assert not found, "public classes in private modules:\n" + "\n".join(found)


def test_no_module_is_named_for_nothing() -> None:
    vague = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*")
        if (p.suffix == ".py" or (p.is_dir() and p.name != "__pycache__"))
        and "__pycache__" not in p.parts
        and any(w in p.stem for w in VAGUE)
        and str(p.relative_to(SRC)) not in TORCH_PATHS
    ]
    assert not vague, f"modules named for nothing: {vague}"
