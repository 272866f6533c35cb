"""The documented public names of scratchgrad, kept in ``tests/public_api.txt``.

``tests/test_public_api.py`` checks that every name in that file still imports, so a
reorganisation cannot lose one. Each module's names are its ``__all__``; a module without
``__all__`` contributes the public names that it defines itself (not the modules, typing
helpers and functions it merely imports).

Usage::

    python tools/public_api.py          # print how the code differs from the file (exit 1)
    python tools/public_api.py --write  # regenerate the file from the code
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "public_api.txt"

MODULES = (
    "scratchgrad",
    "scratchgrad.nn",
    "scratchgrad.nn.functional",
    "scratchgrad.nn.init",
    "scratchgrad.nn.utils",
    "scratchgrad.optim",
    "scratchgrad.optim.lr_scheduler",
    "scratchgrad.data",
    "scratchgrad.train",
    "scratchgrad.train.metrics",
    "scratchgrad.ml",
    "scratchgrad.models",
    "scratchgrad.onnx",
    "scratchgrad.linalg",
    "scratchgrad.random",
    "scratchgrad.peft",
    "scratchgrad.retrieval",
    "scratchgrad.rl",
    "scratchgrad.rl.envs",
)
"""The documented public modules; a name missing here is not checked."""


def _own_names(module: types.ModuleType) -> list[str]:
    """Public names defined in `module` itself, for a module without ``__all__``."""
    names = []
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        if getattr(value, "__module__", module.__name__) == module.__name__:
            names.append(name)
    return names


def public_names(module_name: str) -> list[str]:
    """The public names of one module, sorted."""
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    return sorted(names if names is not None else _own_names(module))


def current_lines() -> list[str]:
    """``module:name`` for every documented public name, sorted."""
    return sorted(f"{m}:{n}" for m in MODULES for n in public_names(m))


def main(argv: list[str] | None = None) -> int:
    """Print the difference between the code and the file, or rewrite the file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {OUT.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    lines = current_lines()
    if args.write:
        OUT.write_text("\n".join(lines) + "\n")
        sys.stdout.write(f"wrote {len(lines)} names to {OUT.relative_to(ROOT)}\n")
        return 0
    saved = OUT.read_text().splitlines() if OUT.exists() else []
    diff = list(difflib.unified_diff(saved, lines, str(OUT.relative_to(ROOT)), "code", lineterm=""))
    sys.stdout.write("".join(line + "\n" for line in diff))
    return 1 if diff else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
