"""Report the import cycles among scratchgrad's modules (module-level imports only).

Usage: ``python tools/import_cycles.py [SRC]``. Prints each strongly connected component
of more than one module, largest first, and the size of the one holding
``scratchgrad.tensor``. Imports inside functions (lazy imports) are not edges.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def module_name(path: Path, src: Path) -> str:
    """The dotted name of a module file under ``src``."""
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def top_level_imports(tree: ast.Module, name: str, is_package: bool) -> set[str]:
    """Modules imported by the statements outside any function of a module."""
    found: set[str] = set()
    package = name if is_package else name.rpartition(".")[0]
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        stack.extend(ast.iter_child_nodes(node))
    return found


def graph(src: Path) -> dict[str, set[str]]:
    """Module -> the scratchgrad modules it imports at module level."""
    files = {module_name(p, src): p for p in src.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text())
        imported = top_level_imports(tree, name, path.name == "__init__.py")
        edges[name] = {m for m in imported if m in files and m != name}
    return edges


def components(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[set[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = set()
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        comp.add(top)
                        if top == node:
                            break
                    result.append(comp)
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return result


def main() -> None:
    """Print the cycles."""
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "src"
    cycles = sorted((c for c in components(graph(src)) if len(c) > 1), key=len, reverse=True)
    for comp in cycles:
        print(f"{len(comp)} modules: {' '.join(sorted(comp))}")
    holding = next((c for c in cycles if "scratchgrad.tensor" in c), set())
    print(f"tensor cycle: {len(holding)} modules")


if __name__ == "__main__":
    main()
