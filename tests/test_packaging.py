"""pyproject.toml says what the code needs: every package the code imports is declared
(a dependency or an extra), every declared dependency is used, and every package-data
pattern matches a file that exists."""

from __future__ import annotations

import ast
import functools
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("extract", "docs_gen")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Declared, used, never imported: named in mkdocs.yml or passed by name.
USED_BY_NAME = {
    "mkdocs-material": "the theme mkdocs.yml names",
    "lxml": "BeautifulSoup's parser, asked for as 'lxml'",
}


def _dist(requirement: str) -> str:
    name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(groups: list[str]) -> set[str]:
    reqs = list(PYPROJECT["project"]["dependencies"])
    for g in groups:
        reqs += PYPROJECT["project"]["optional-dependencies"][g]
    return {_dist(r) for r in reqs if not r.startswith("dit-refs")}


@functools.cache  # both tests ask; reading every installed distribution's metadata is slow
def _imported() -> set[str]:
    """Top-level third-party modules imported anywhere in the package (deferred too)."""
    names: set[str] = set()
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names |= {a.name.partition(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                    names.add(node.module.partition(".")[0])
    return names - set(sys.stdlib_module_names) - {*PACKAGES, "__future__"}


@functools.cache
def _imported_dists() -> dict[str, str]:
    """{distribution: module} for the imports, through the installed metadata."""
    owners = packages_distributions()
    out = {}
    for module in _imported():
        assert module in owners, f"`import {module}`: no installed distribution provides it"
        for dist in owners[module]:
            out[_dist(dist)] = module
    return out


def test_every_imported_package_is_declared():
    extras = [g for g in PYPROJECT["project"]["optional-dependencies"] if g != "test"]
    declared = _declared(extras)
    missing = {d: m for d, m in _imported_dists().items() if d not in declared}
    assert missing == {}, f"imported but not in pyproject.toml: {missing}"


def test_every_declared_dependency_is_used():
    used = set(_imported_dists()) | set(USED_BY_NAME)
    unused = sorted(_declared([]) - used)
    assert unused == [], f"declared in pyproject.toml but never imported: {unused}"


def test_every_package_data_pattern_matches_a_file():
    data = PYPROJECT["tool"]["setuptools"]["package-data"]
    empty = [f"{pkg}/{pattern}" for pkg, patterns in data.items() for pattern in patterns]
    empty = [p for p in empty if not any(f.is_file() for f in ROOT.glob(p))]
    assert empty == []
