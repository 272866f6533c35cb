"""The table of every registered op, rendered as Markdown for docs/ops.md.

``python -m scratchgrad.ops._catalog > docs/ops.md`` (``make docs``) writes it; a test
fails when the committed file differs, so the list can never drift from the code.
"""

from __future__ import annotations

import inspect

# Importing these modules registers their ops.
from scratchgrad.ops import (  # noqa: F401
    activation,
    attention,
    bce,
    binary,
    bitwise,
    compare,
    conv,
    conv3d,
    convert,
    elementwise,
    extrema,
    fold,
    gather,
    index,
    join,
    linalg,
    loss,
    nn,
    norm,
    pad,
    piecewise,
    pointwise_loss,
    pool,
    pool3d,
    reduce,
    resample,
    rnn,
    scan,
    scatter,
    shape,
    smooth,
    sort,
    stats,
    structure,
    unary,
    unpool,
)
from scratchgrad.ops._registry import OPS


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
        family = cls.__module__.rsplit(".", 1)[-1]
        grad = "yes" if cls.differentiable else "no"
        lines.append(f"| `{name}` | {family} | {grad} | {_summary(cls)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")  # noqa: T201
