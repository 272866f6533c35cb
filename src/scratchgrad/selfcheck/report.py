"""CheckResult, the row of a self-check report, and running a check into one.

A check is a function returning ``(status, detail)``; :func:`timed` runs it, turns an
unexpected exception into a failed row naming it, and measures the seconds it took.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

Status = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True)
class CheckResult:
    """One row of the report.

    Attributes:
        name: what was checked, e.g. "gradcheck (float64)".
        status: "passed", "failed" or "skipped".
        detail: counts, the failures (first few), or why it was skipped.
        seconds: how long it ran.
    """

    name: str
    status: Status
    detail: str
    seconds: float


def timed(name: str, check: Callable[[], tuple[Status, str]]) -> CheckResult:
    """Run ``check``; an exception it raises becomes a failed row naming the error."""
    start = time.perf_counter()
    try:
        status, detail = check()
    except Exception as e:  # noqa: BLE001 - a self-check reports every failure as a row
        status, detail = "failed", f"{type(e).__name__}: {e}"
    return CheckResult(name, status, detail, round(time.perf_counter() - start, 2))


def summarize(total: int, failures: Sequence[str], what: str) -> tuple[Status, str]:
    """("passed", "N what") or ("failed", "k of N what failed: first, second, ...")."""
    if not failures:
        return "passed", f"{total} {what}"
    shown = ", ".join(failures[:5]) + (", ..." if len(failures) > 5 else "")
    return "failed", f"{len(failures)} of {total} {what} failed: {shown}"


def all_passed(results: Sequence[CheckResult]) -> bool:
    """True when no check that ran failed (skipped checks do not count)."""
    return all(r.status != "failed" for r in results)


def results_json(results: Sequence[CheckResult]) -> str:
    """The report as JSON: {"passed": bool, "checks": [{name, status, detail, seconds}]}."""
    rows = [asdict(r) for r in results]
    return json.dumps({"passed": all_passed(results), "checks": rows}, indent=2)
