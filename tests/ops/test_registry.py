"""Meta-tests over the op registry: every op has a parity case against torch."""

import importlib
from pathlib import Path

import scratchgrad  # noqa: F401 - imports every op module, registering all ops
from scratchgrad.ops import OPS
from tests.ops._parity import Case


def _all_cases() -> list[Case]:
    cases: list[Case] = []
    root = Path(__file__).parent
    for path in sorted(root.rglob("test_*.py")):
        dotted = ".".join(path.relative_to(root).with_suffix("").parts)
        module = importlib.import_module(f"tests.ops.{dotted}")
        cases.extend(c for c in getattr(module, "CASES", []) if isinstance(c, Case))
    return cases


def test_every_op_has_a_parity_case() -> None:
    covered = {name for case in _all_cases() for name in case.ops}
    missing = sorted(set(OPS) - covered)
    assert not missing, f"registered ops without a parity case: {missing}"


def test_every_parity_case_names_a_registered_op() -> None:
    unknown = sorted({n for case in _all_cases() for n in case.ops} - set(OPS))
    assert not unknown, f"parity cases naming no registered op: {unknown}"


def test_every_op_has_forward_and_a_docstring() -> None:
    for name, cls in OPS.items():
        assert cls.forward is not OPS[name].__mro__[-2].forward, f"{name}: no forward"
        assert cls.__doc__, f"{name}: no docstring"
