"""No documented public name is lost: the names captured in public_api.txt still import.

``tests/public_api.txt`` was generated from the code by ``tools/public_api.py``; after
adding a public name, run ``python tools/public_api.py --write``. Removing a name from the
file is a deliberate API change.
"""

import ast
import importlib
import re
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scratchgrad.cli import app

ROOT = Path(__file__).parent.parent
NAMES = (Path(__file__).parent / "public_api.txt").read_text().split()
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
COMMANDS = ("recipes", "train", "eval", "predict", "search", "generate")


@pytest.mark.parametrize("entry", NAMES)
def test_public_name_exists(entry: str) -> None:
    module, name = entry.split(":")
    assert hasattr(importlib.import_module(module), name), f"{module}.{name} is gone"


def _python_blocks(path: Path) -> list[str]:
    """The fenced ```python blocks of a Markdown file, in order."""
    return re.findall(r"^```python\n(.*?)^```", path.read_text(), flags=re.M | re.S)


def _resolve(dotted: str) -> object:
    """Import the longest module prefix of `dotted`, then get the remaining attributes."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


def _imports(tree: ast.Module) -> tuple[dict[str, str], list[str]]:
    """Aliases bound to scratchgrad modules, and every scratchgrad name the imports need."""
    aliases: dict[str, str] = {}
    needed: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "scratchgrad":
                    needed.append(a.name)
                    # "import a.b as c" binds c to a.b; "import a.b" binds a to a
                    aliases[a.asname or "scratchgrad"] = a.name if a.asname else "scratchgrad"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scratchgrad"):
            for a in node.names:
                dotted = f"{node.module}.{a.name}"
                needed.append(dotted)
                aliases[a.asname or a.name] = dotted
    return aliases, needed


def _chain(node: ast.expr) -> list[str] | None:
    """``a.b.c`` as ["a", "b", "c"]; None when the root is not a plain name."""
    attrs = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    return [node.id, *reversed(attrs)] if isinstance(node, ast.Name) else None


def _doc_references(path: Path) -> list[str]:
    """Dotted scratchgrad names a Markdown file's Python blocks use: ``sg.X``, ``nn.X``, ..."""
    aliases: dict[str, str] = {}
    refs: list[str] = []
    for block in _python_blocks(path):
        tree = ast.parse(block)
        new_aliases, needed = _imports(tree)
        aliases |= new_aliases  # a later block may use an earlier block's imports
        refs += needed
        # only whole chains are checked: skip an attribute that is the inner link of another
        inner = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and id(node) not in inner:
                chain = _chain(node)
                if chain and chain[0] in aliases and _is_module(aliases[chain[0]]):
                    refs.append(".".join([aliases[chain[0]], *chain[1:]]))
    return sorted(set(refs))


def _is_module(dotted: str) -> bool:
    try:
        return isinstance(_resolve(dotted), types.ModuleType)
    except (ImportError, AttributeError):
        return False


DOC_REFS = [(p.name, ref) for p in DOCS for ref in _doc_references(p)]


def test_docs_use_scratchgrad() -> None:
    # the parser found the README's examples; an empty list would make the next test vacuous
    assert {"scratchgrad.no_grad", "scratchgrad.nn.Conv2d", "scratchgrad.optim.Adam"} <= {
        ref for _, ref in DOC_REFS
    }


@pytest.mark.parametrize(("doc", "ref"), DOC_REFS)
def test_documented_name_resolves(doc: str, ref: str) -> None:
    try:
        _resolve(ref)
    except (ImportError, AttributeError) as e:
        pytest.fail(f"{doc} uses {ref}, which does not resolve: {e}")


def test_cli_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    listed = set(re.findall(r"^│ (\w+) ", result.stdout, flags=re.M))
    assert set(COMMANDS) <= listed, f"missing commands: {set(COMMANDS) - listed}"
