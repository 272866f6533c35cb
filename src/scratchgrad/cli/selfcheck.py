"""``scratchgrad selfcheck [--quick] [--json FILE]``: check this installation, as a table.

Exit code 0 when every check that ran passed, 1 when one failed (skipped checks, such as
torch parity without torch, say why and do not count).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scratchgrad._io import atomic_write_text
from scratchgrad.cli.app import app, clear_errors, stdout
from scratchgrad.selfcheck import CheckResult, all_passed, results_json, run_selfcheck

_STYLE = {"passed": "green", "failed": "bold red", "skipped": "yellow"}


def _table(results: list[CheckResult]) -> Table:
    table = Table(title="scratchgrad selfcheck")
    for column in ("check", "status", "seconds", "detail"):
        table.add_column(column, overflow="fold")
    for r in results:
        status = f"[{_STYLE[r.status]}]{r.status}[/]"
        table.add_row(r.name, status, f"{r.seconds:.1f}", r.detail)
    return table


@app.command("selfcheck")
def selfcheck_command(
    quick: Annotated[bool, typer.Option("--quick", help="Fewer cases: under a minute.")] = False,
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Also write the report as JSON here.")
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Run only checks whose names start with this (repeatable)."),
    ] = None,
) -> None:
    """Gradcheck every op, compare with torch, check every estimator, train, save weights."""
    results = run_selfcheck(quick=quick, only=only)
    stdout().print(_table(results))
    if json_file is not None:
        with clear_errors():
            atomic_write_text(json_file, results_json(results))
    passed = all_passed(results)
    stdout().print("all checks that ran passed" if passed else "some checks FAILED")
    raise typer.Exit(code=0 if passed else 1)
