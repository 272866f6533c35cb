"""The table of every registered op, rendered as Markdown for docs/ops.md.

After the table comes what is still missing: the PyTorch functions of
``torch_reference`` that ``scratchgrad``, ``scratchgrad.nn.functional`` or
``scratchgrad.linalg`` do not provide.

``python -m tools.ops_catalog > docs/ops.md`` (``make docs``) writes it; a test
fails when the committed file differs, so the list can never drift from the code.
"""

from __future__ import annotations

import inspect

import scratchgrad  # registers every op
from scratchgrad.nn import functional
from scratchgrad.ops.registry import OPS
from tools.torch_reference import FUNCTIONAL, LINALG, TORCH


def _summary(cls: type) -> str:
    doc = inspect.getdoc(cls) or ""
    return doc.splitlines()[0].replace("|", "\\|") if doc else ""


def render() -> str:
    """Markdown: one row per op with its family, gradient support and summary."""
    lines = [
        "# Supported ops",
        "",
        "Generated from the op registry by `make docs`; do not edit by hand.",
        f"{len(OPS)} ops. Each is checked against torch 2.13 in `tests/ops/`.",
        "",
        "| op | family | gradient | what it computes |",
        "|---|---|---|---|",
    ]
    for name in sorted(OPS):
        cls = OPS[name]
        family = cls.__module__.removeprefix("scratchgrad.ops.")
        grad = "yes" if cls.differentiable else "no"
        lines.append(f"| `{name}` | {family} | {grad} | {_summary(cls)} |")
    return "\n".join(lines + _missing_sections()) + "\n"


def missing() -> dict[str, list[str]]:
    """The reference PyTorch functions scratchgrad lacks, by namespace."""
    torch_linalg = getattr(scratchgrad, "linalg", None)
    return {
        "torch": [n for n in TORCH if not hasattr(scratchgrad, n)],
        "torch.nn.functional": [n for n in FUNCTIONAL if not hasattr(functional, n)],
        "torch.linalg": [n for n in LINALG if not hasattr(torch_linalg, n)],
    }


def _missing_sections() -> list[str]:
    total = len(TORCH) + len(FUNCTIONAL) + len(LINALG)
    gaps = missing()
    lines = [
        "",
        "## PyTorch functions still missing",
        "",
        f"Of {total} commonly used PyTorch functions (``tools/torch_reference.py``; "
        "complex, sparse, quantized and device functions left out), these "
        f"{sum(map(len, gaps.values()))} have no scratchgrad equivalent yet.",
    ]
    for namespace, names in gaps.items():
        listed = ", ".join(f"`{n}`" for n in names) or "none"
        lines += ["", f"**{namespace}** ({len(names)}): {listed}"]
    return lines


if __name__ == "__main__":
    print(render(), end="")  # noqa: T201
