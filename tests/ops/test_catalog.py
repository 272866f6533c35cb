"""docs/ops.md is the registry rendered: regenerate it with `make docs`."""

from pathlib import Path

from scratchgrad.ops._catalog import render
from scratchgrad.ops._registry import OPS

DOC = Path(__file__).resolve().parents[2] / "docs" / "ops.md"


def test_docs_ops_md_is_up_to_date() -> None:
    assert DOC.read_text() == render(), "docs/ops.md is stale: run `make docs`"


def test_every_op_is_listed() -> None:
    text = render()
    assert all(f"| `{name}` |" in text for name in OPS)
