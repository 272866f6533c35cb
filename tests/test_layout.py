"""The tests mirror the package: every public module has its test file."""

from pathlib import Path

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "scratchgrad"


def test_every_module_has_a_test_file() -> None:
    missing = []
    for module in SRC.rglob("*.py"):
        if module.name.startswith("_"):
            continue  # private modules and packages' __init__ are tested through their users
        rel = module.relative_to(SRC)
        expected = ROOT / "tests" / rel.parent / f"test_{module.stem}.py"
        if not expected.exists():
            missing.append(f"{rel} -> {expected.relative_to(ROOT)}")
    assert not missing, "modules without a test file:\n" + "\n".join(missing)
