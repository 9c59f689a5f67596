"""The shape of the code, drawn from its own imports: no circle, no layer broken.

The rules (scripts/import_graph.py prints the whole graph): the pipeline never
imports the site; the model (library, manifest, curriculum, cards, check, ...)
never imports a tier or a command; Tier 1 and Tier 2 never import each other; the
site never imports a tier.
"""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts/import_graph.py")
graph_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(graph_mod)


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
