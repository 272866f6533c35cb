"""docs/ops.md is the registry rendered: regenerate it with `make docs`."""

from pathlib import Path

from tools.ops_catalog import missing, render
from tools.torch_reference import FUNCTIONAL, LINALG, TORCH

from scratchgrad.ops.registry import OPS

DOC = Path(__file__).resolve().parents[2] / "docs" / "ops.md"


def test_docs_ops_md_is_up_to_date() -> None:
    assert DOC.read_text() == render(), "docs/ops.md is stale: run `make docs`"


def test_every_op_is_listed() -> None:
    text = render()
    assert all(f"| `{name}` |" in text for name in OPS)


def test_the_reference_names_exist_in_torch() -> None:
    import torch

    for namespace, names in (("", TORCH), ("nn.functional", FUNCTIONAL), ("linalg", LINALG)):
        module = torch
        for part in filter(None, namespace.split(".")):
            module = getattr(module, part)
        absent = [n for n in names if not callable(getattr(module, n, None))]
        assert not absent, f"torch.{namespace} has no {absent}"


def test_missing_lists_exactly_what_scratchgrad_lacks() -> None:
    import scratchgrad as sg

    gaps = missing()
    assert "sort" not in gaps["torch"] and hasattr(sg, "sort")
    assert all(not hasattr(sg, n) for n in gaps["torch"])
    assert set(gaps["torch"]) | {n for n in TORCH if hasattr(sg, n)} == set(TORCH)
    assert "scaled_dot_product_attention" not in gaps["torch.nn.functional"]
