"""Each page's view of the nav (`docs_gen.nav_view`): Material prints the same pages from
it as from the whole nav, less the whitespace of its loops over pruned sections.

A plain Material site (no library needed: the view is about MkDocs' nav) is built twice
per theme configuration, once as Material builds it and once with a hook that hands each
page its view, as the plugin does; every page must read the same once runs of whitespace
are folded, and none may lose a run of whitespace altogether (that could join two words).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from mkdocs_site import run_mkdocs

HOOK = """
from docs_gen.nav_view import PageViews

_views = []

def on_page_context(context, page, config, nav):
    if not _views or _views[0].nav is not nav:
        _views[:] = [PageViews(nav, config.theme.get("features") or ())]
    context["nav"] = _views[0].current()
    return context
"""


def _pages(docs: Path, folder: str, n: int) -> list:
    out = []
    for i in range(n):
        rel = f"{folder}/p{i:02d}.md"
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(f"# {folder} {i}\n\nText {i}.\n\n## Part\n\nMore.\n")
        out.append({f"{folder} {i}": rel})
    return out


def _project(root: Path, features: list[str], hook: bool) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nWelcome.\n")
    (docs / "a" / "g2").mkdir(parents=True)
    (docs / "a/g2/index.md").write_text("# Group two\n\nIts index page.\n")
    nested = [{"Deep one": _pages(docs, "a/deep1", 4)}, {"Deep two": _pages(docs, "a/deep2", 3)}]
    nav = [
        {"Home": "index.md"},
        {
            "Tab A": [
                {
                    "Section one": [
                        {"Group one": _pages(docs, "a/g1", 9)},
                        {"Group two": ["a/g2/index.md", *_pages(docs, "a/g2", 8)]},
                        {"Nested": nested},
                    ]
                },
                {"Section two": _pages(docs, "a/s2", 6)},
                {"Lone": _pages(docs, "a/lone", 1)},
            ]
        },
        {"Tab B": _pages(docs, "b", 5)},
    ]
    config = {
        "site_name": "Nav view",
        "theme": {"name": "material", "features": features},
        "nav": nav,
    }
    if hook:
        (root / "hook.py").write_text(HOOK)
        config["hooks"] = ["hook.py"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return root


def _build(root: Path) -> dict[str, str]:
    result = run_mkdocs(["build", "-q", "--strict", "-d", str(root / "site")], cwd=root)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")
    }


def _folded(html: str) -> str:
    return re.sub(r"\s+", " ", html)


@pytest.mark.parametrize(
    "features",
    [
        ["navigation.tabs", "navigation.sections", "navigation.prune", "navigation.indexes"],
        ["navigation.tabs", "navigation.prune", "navigation.indexes"],
        ["navigation.sections", "navigation.prune"],
        ["navigation.prune", "navigation.indexes"],
    ],
)
def test_pages_read_the_same_with_each_page_s_view(tmp_path, features):
    whole = _build(_project(tmp_path / "whole", features, hook=False))
    viewed = _build(_project(tmp_path / "view", features, hook=True))
    assert whole.keys() == viewed.keys()
    assert len(whole) == 39  # home, 404 and 37 pages: every page compared
    for name, html in whole.items():
        assert _folded(viewed[name]) == _folded(html), name
    if "navigation.indexes" in features:
        # Shorter where Material looped over a pruned section's children (looking for
        # its index page): every page but the 404 page (rendered with MkDocs' own nav).
        shorter = [n for n in whole if len(viewed[n]) < len(whole[n])]
        assert len(shorter) == len(whole) - 1
    else:  # no such loop: the view is the nav itself
        assert viewed == whole


def test_without_prune_the_nav_is_handed_over_as_it_is(tmp_path):
    features = ["navigation.tabs", "navigation.sections", "navigation.indexes"]
    whole = _build(_project(tmp_path / "whole", features, hook=False))
    viewed = _build(_project(tmp_path / "view", features, hook=True))
    assert viewed == whole


def test_the_plugin_hands_each_page_its_view(tmp_path):
    """The plugin's last page-context step is where the view is made (`_context_last`)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import Section, get_navigation

    from docs_gen.plugin import LibraryPlugin

    features = ["navigation.tabs", "navigation.sections", "navigation.prune", "navigation.indexes"]
    root = _project(tmp_path / "p", features, hook=False)
    config = load_config(str(root / "mkdocs.yml"))
    nav = get_navigation(get_files(config), config)
    page = next(p for p in nav.pages if p.file.src_uri == "b/p01.md")
    page.active = True
    context = LibraryPlugin()._context_last({"nav": nav}, page, config, nav)
    view = context["nav"]
    assert view is not nav and view.pages is nav.pages and view.homepage is nav.homepage
    tab_a = view.items[1]
    assert isinstance(tab_a, Section) and tab_a.title == "Tab A" and len(tab_a.children) == 1
    assert len(nav.items[1].children) == 3  # MkDocs' own nav untouched
    assert view.items[2] is nav.items[2]  # the page's own tab: as it is


def test_the_sidebars_indentation_is_folded_and_nothing_else():
    from docs_gen.nav_view import fold_sidebars

    page = (
        "<head>\n    <title>T</title>\n</head>\n"
        '<div class="md-sidebar md-sidebar--primary">\n    \n      <li>\n        <a>One</a>'
        "  <a>Two</a>\n\t\n  </li>\n"
        '<div class="md-sidebar md-sidebar--secondary">\n      <a>Part</a>\n  </div>\n'
        '<div class="md-content">\n<pre><code>x\n    indented\n\n\n    kept</code></pre>\n</div>'
    )
    folded = fold_sidebars(page)
    assert folded == (
        "<head>\n    <title>T</title>\n</head>\n"
        '<div class="md-sidebar md-sidebar--primary">\n<li>\n<a>One</a>  <a>Two</a>\n</li>\n'
        '<div class="md-sidebar md-sidebar--secondary">\n<a>Part</a>\n</div>\n'
        '<div class="md-content">\n<pre><code>x\n    indented\n\n\n    kept</code></pre>\n</div>'
    )
    # A page without Material's sidebars (or without its content after them) is left.
    assert fold_sidebars("<p>\n    x</p>") == "<p>\n    x</p>"
    assert fold_sidebars('<div class="md-sidebar md-sidebar--primary">\n  x') == (
        '<div class="md-sidebar md-sidebar--primary">\n  x'
    )
