"""Op checks of the self-check: gradcheck in float64 and parity with torch.

The sample inputs of every registered op are the parity tables of the source tree
(``tests/ops``: one ``Case`` per usage, see ``tests/ops/_parity.py``); they are found
next to the installed package in a checkout and need torch to load. Without them, or
without torch, these checks are skipped and say why.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import warnings
from pathlib import Path
from typing import Any

import scratchgrad
from scratchgrad.ops.registry import OPS
from scratchgrad.selfcheck.report import Status, summarize

_ROOT = Path(scratchgrad.__file__).resolve().parents[2]


def skip_reason() -> str | None:
    """Why the op checks cannot run here (no tables next to the package, no torch), or None."""
    if not (_ROOT / "tests" / "ops" / "_parity.py").is_file():
        return "the parity tables (tests/ops) ship with a source checkout only"
    if importlib.util.find_spec("torch") is None:
        return "torch is not installed (pip install 'scratchgrad[test]')"
    return None


def _parity() -> Any:
    """The parity harness, ``tests/ops/_parity.py`` of the checkout."""
    if str(_ROOT) not in sys.path:
        sys.path.insert(0, str(_ROOT))
    return importlib.import_module("tests.ops._parity")


def parity_cases() -> list[Any]:
    """Every ``Case`` of the parity tables in ``tests/ops`` (see :func:`skip_reason`)."""
    parity = _parity()
    cases: list[Any] = []
    for path in sorted((_ROOT / "tests" / "ops").rglob("test_*.py")):
        dotted = ".".join(path.relative_to(_ROOT / "tests" / "ops").with_suffix("").parts)
        module = importlib.import_module(f"tests.ops.{dotted}")
        cases += [c for c in getattr(module, "CASES", []) if isinstance(c, parity.Case)]
    return cases


def _one_per_op(cases: list[Any]) -> list[Any]:
    """The first case of each op (enough to touch every op once)."""
    seen: set[str] = set()
    picked = []
    for case in cases:
        if not set(case.ops) <= seen:
            picked.append(case)
            seen |= set(case.ops)
    return picked


def _run_each(runs: list[tuple[Any, ...]], fn: Any) -> list[str]:
    """Call ``fn(*run)`` for each run; the labels of those that raised."""
    failures = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for run in runs:
            try:
                fn(*run)
            except Exception:  # noqa: BLE001 - every failing case is reported
                failures.append("-".join(str(part) for part in run))
    return failures


def check_gradcheck(quick: bool) -> tuple[Status, str]:
    """Backward of every registered op vs central differences in float64."""
    reason = skip_reason()
    if reason is not None:
        return "skipped", reason
    cases = parity_cases()
    gradcheck_case = _parity().check_gradcheck

    graded = [c for c in cases if c.grad and c.gradcheck and "float64" in c.dtypes]
    graded = _one_per_op(graded) if quick else graded
    ops = {name for c in graded for name in c.ops}
    failures = _run_each([(c,) for c in graded], gradcheck_case)
    status, detail = summarize(len(graded), failures, "cases")
    return status, f"{detail} ({len(ops)} of {len(OPS)} ops differentiable here)"


def check_torch_parity(quick: bool) -> tuple[Status, str]:
    """Forward values and gradients of every op's cases equal torch's."""
    reason = skip_reason()
    if reason is not None:
        return "skipped", reason
    cases = parity_cases()
    check_parity = _parity().check_parity

    layouts = ("contiguous",) if quick else ("contiguous", "strided")
    runs = [(c, d, lay) for c in cases for d in c.dtypes for lay in layouts]
    ops = {name for c in cases for name in c.ops}
    status, detail = summarize(len(runs), _run_each(runs, check_parity), "runs")
    return status, f"{detail} ({len(ops)} of {len(OPS)} ops)"
