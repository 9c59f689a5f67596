"""The shape of the code, drawn from its own imports: no circle, no layer broken.

The rules (scripts/import_graph.py prints the whole graph): the pipeline never
imports the site; the model (library, manifest, curriculum, cards, check, ...)
never imports a tier or a command; Tier 1 and Tier 2 never import each other; the
site never imports a tier.
"""

from __future__ import annotations

import ast
import functools
import re
import textwrap
from pathlib import Path

from scripts_as_modules import load_script

ROOT = Path(__file__).resolve().parents[1]
graph_mod = load_script("scripts/import_graph.py")


def test_the_package_has_no_import_circle():
    assert graph_mod.cycles(graph_mod.imports(ROOT)) == []


def test_no_import_breaks_a_layer():
    assert graph_mod.layer_breaks(graph_mod.imports(ROOT)) == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    for pkg in ("extract", "docs_gen"):
        (tmp_path / pkg).mkdir(exist_ok=True)
        (tmp_path / pkg / "__init__.py").touch()
    return tmp_path


def test_the_checker_sees_circles_deferred_imports_and_layer_breaks(tmp_path):
    root = _tree(
        tmp_path,
        {
            "extract/library.py": "def f():\n    from .sync import g\n",
            "extract/sync.py": "from .library import f\n",
            "extract/check.py": "from .convert.document import Document\n",
            "extract/convert/__init__.py": "",
            "extract/convert/document.py": "from ..fetch import job\n",
            "extract/fetch/__init__.py": "",
            "extract/fetch/job.py": "",
            "docs_gen/page.py": "from extract.convert import document\n",
        },
    )
    graph = graph_mod.imports(root)
    assert graph_mod.cycles(graph) == [["extract.library", "extract.sync"]]
    breaks = graph_mod.layer_breaks(graph)
    assert any(b.startswith("extract.check -> extract.convert.document") for b in breaks)
    assert any(b.startswith("extract.convert.document -> extract.fetch.job") for b in breaks)
    assert any(b.startswith("docs_gen.page -> extract.convert.document") for b in breaks)


# ---------- extension points: one table each ----------
@functools.cache  # several tests ask about the same files
def _called_attributes(path: Path) -> set[str]:
    """Names called as `module.name(...)` in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        n.func.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
    }


def test_every_page_builder_is_a_page_kind_of_the_table():
    """A `build_*` function of docs_gen/pages/ builds a kind of page: the kinds table
    (docs_gen/page_kinds.py) is where it is registered, not an if-chain elsewhere."""
    builders = set()
    for path in sorted((ROOT / "docs_gen/pages").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        builders |= {
            f"{path.stem}.{n.name}"
            for n in tree.body
            if isinstance(n, ast.FunctionDef) and n.name.startswith("build_")
        }
    assert builders, "no page builders found"
    called = _called_attributes(ROOT / "docs_gen/page_kinds.py")
    assert {b for b in builders if b.rpartition(".")[2] not in called} == set()
    for path in sorted((ROOT / "docs_gen").rglob("*.py")):
        if path.name != "page_kinds.py":
            used = {b for b in builders if b.rpartition(".")[2] in _called_attributes(path)}
            assert not used, f"{path.relative_to(ROOT)} calls a page builder: {used}"


def test_page_kinds_are_one_table(make_library):
    from docs_gen.page_kinds import KINDS, plan
    from extract.library import Library

    names = [k.name for k in KINDS]
    assert len(names) == len(set(names))
    for kind in KINDS:
        if not kind.from_repo:  # the repo-text passes have no text to work on
            assert not (kind.judged or kind.claims or kind.citing or kind.source), kind.name
            assert kind.prepare is None and kind.decorate is None, kind.name
        if kind.section.arrange is None:  # a one-page section lists no members
            assert kind.index, kind.name
    planned = plan(Library(make_library("site")))
    assert {p.kind for p in planned} == set(KINDS)  # every planner plans only table kinds


def _annotated(path: Path, annotation: str) -> set[str]:
    """Top-level functions of a file with a parameter annotated ``annotation``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        n.name
        for n in tree.body
        if isinstance(n, ast.FunctionDef)
        and any(a.annotation is not None and ast.unparse(a.annotation) == annotation
                for a in n.args.args)
    }  # fmt: skip


def test_every_reader_is_an_entry_of_the_reader_table(tmp_path):
    """A function that reads an `Artifact` or finds them in a `RawFolder` is a reader's
    part: `readers.READERS` registers it, and nothing else in Tier 2 names a kind."""
    from extract.convert.document import RawFolder
    from extract.convert.readers import READERS

    registered = {
        (f.__module__, f.__name__)
        for r in READERS.values()
        for f in (r.find, r.read, r.order_url)
        if f is not None
    }
    found = set()
    for path in sorted((ROOT / "extract/convert").rglob("*.py")):
        module = graph_mod.module_name(ROOT, path)
        for name in _annotated(path, "Artifact") | _annotated(path, "RawFolder"):
            found.add((module, name))
    assert found and found == registered
    for name in ("run.py", "batch.py"):  # the orchestration knows no kind by name
        tree = ast.parse((ROOT / "extract/convert" / name).read_text(encoding="utf-8"))
        named = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)} & set(READERS)
        assert not named, f"extract/convert/{name} names reader kinds {named}"
    raw = tmp_path / "raw"
    (raw / "repo").mkdir(parents=True)
    for name in ("abstract.html", "paper.pdf", "x.issue.json", "page.html", "other.pdf"):
        (raw / name).write_text("", encoding="utf-8")
    folder = RawFolder(raw, {}, "https://example.org/", [], sorted(p.name for p in raw.iterdir()))
    for reader in READERS.values():
        found = reader.find(folder)
        assert found and {a.kind for a in found} == {reader.kind}
        folder.taken.update(a.path for a in found)
    assert folder.free() == []  # the arXiv reader took paper.pdf; each other name is read


def test_every_check_rule_is_an_entry_of_the_rule_table():
    """A `Checker.check_*` method is a rule of `refs check`: `check.RULES` registers it
    (and says when it runs), and nothing calls it beside the table."""
    from extract.check import RULES, Checker

    methods = {name for name in vars(Checker) if name.startswith("check_")}
    registered = [r.check.__name__ for r in RULES]
    assert methods and sorted(registered) == sorted(methods)  # each once
    for path in sorted((ROOT / "extract").rglob("*.py")) + sorted(
        (ROOT / "docs_gen").rglob("*.py")
    ):
        called = _called_attributes(path) & methods
        assert not called, f"{path.relative_to(ROOT)} calls check rules directly: {called}"


def test_the_readme_floor_plan_names_every_module():
    """The README's floor plan is where a new maintainer finds a module: each file of
    extract/ and docs_gen/ is named there (a command by its name)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("The code, floor by floor")
    plan = readme[start : readme.index("```\n\n", readme.index("```\n", start) + 4)]
    missing = []
    for path in sorted((ROOT / "extract").rglob("*.py")) + sorted(
        (ROOT / "docs_gen").rglob("*.py")
    ):
        if path.name == "__init__.py":
            continue
        named = path.name in plan
        if path.parent.name == "commands":
            named = named or re.search(rf"\b{path.stem}\b", plan) is not None
        if not named:
            missing.append(str(path.relative_to(ROOT)))
    assert missing == [], f"add these to the README's floor plan: {missing}"
