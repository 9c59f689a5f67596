"""The package's import graph, drawn from the code: floors, circles and layer breaks.

    python scripts/import_graph.py [ROOT]

Every `import` of `extract` and `docs_gen` counts, also those inside functions (a
deferred import is still a dependency). A module's floor is the length of the
longest import chain below it (floor 0 imports nothing of ours). The layer rules
checked are the ones tests/test_architecture.py asserts.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGES = ("extract", "docs_gen")
# Tiers and doors: the model must not import them, and the two tiers never import
# each other; the site (docs_gen) never imports the tiers.
TIERS = ("extract.fetch", "extract.convert")
DOORS = ("extract.commands", "extract.cli", "extract.mcp_server")


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path) -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")):
            out[module_name(root, path)] = path
    return out


def _resolve(name: str, mods: dict[str, Path]) -> str | None:
    """The module of ours that ``name`` (a module or a name inside one) refers to."""
    while name:
        if name in mods:
            return name
        name = name.rpartition(".")[0]
    return None


def imports(root: Path) -> dict[str, set[str]]:
    """module -> the modules of ours it imports."""
    mods = modules(root)
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [f"{base}.{a.name}" for a in node.names] + [base]
            for t in targets:
                found = _resolve(t, mods)
                if found and found != mod:
                    graph[mod].add(found)
                    break  # `from x import a, b`: one edge to the deepest module named
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def floors(graph: dict[str, set[str]]) -> dict[str, int]:
    """Longest import chain below each module (modules in a circle share a floor)."""
    memo: dict[str, int] = {}

    def floor(v: str, path: frozenset) -> int:
        if v in memo:
            return memo[v]
        below = [floor(w, path | {v}) for w in graph[v] if w not in path]
        memo[v] = 1 + max(below) if below else 0
        return memo[v]

    return {v: floor(v, frozenset()) for v in sorted(graph)}


def _in(mod: str, prefixes: tuple[str, ...]) -> bool:
    return any(mod == p or mod.startswith(p + ".") for p in prefixes)


def layer_breaks(graph: dict[str, set[str]]) -> list[str]:
    """Imports that break the layers: extract -> docs_gen, model -> tier or door,
    tier -> other tier, site -> tier."""
    bad = []
    for mod, deps in sorted(graph.items()):
        for dep in sorted(deps):
            reason = None
            if mod.startswith("extract") and dep.startswith("docs_gen"):
                reason = "the pipeline imports the site"
            elif mod.startswith("docs_gen") and _in(dep, TIERS):
                reason = "the site imports a tier"
            elif mod.startswith("extract") and not _in(mod, TIERS + DOORS):
                if _in(dep, TIERS + DOORS):
                    reason = "the model imports a tier or a command"
            elif _in(mod, TIERS) and _in(dep, TIERS):
                if mod.split(".")[1] != dep.split(".")[1]:
                    reason = "one tier imports the other"
            if reason:
                bad.append(f"{mod} -> {dep}: {reason}")
    return bad


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parents[1])
    graph = imports(root)
    levels = floors(graph)
    for level in range(max(levels.values()) + 1):
        names = [m for m, f in levels.items() if f == level]
        print(f"floor {level}: {', '.join(names)}")
    circles = cycles(graph)
    breaks = layer_breaks(graph)
    print(f"{len(graph)} modules on {max(levels.values()) + 1} floors")
    print(f"circles: {len(circles)}")
    for c in circles:
        print("  " + " <-> ".join(c))
    print(f"layer breaks: {len(breaks)}")
    for b in breaks:
        print("  " + b)
    return 1 if circles or breaks else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
