"""Display formulas on the site: each one the LaTeX reader writes is one formula whatever
its lines begin with (`extract.markdown.one_paragraph_math`), built strict and seen in
headless Chromium; a `$$` block a person wrote reads as GitHub reads it, split where
GitHub splits it (the decision is explained in `docs_gen/gfm.py`'s docstring)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from gfm_corpus import github, ours, structure
from math_blocks import BLOCK_LIKE_DISPLAYS, site_formulas, whole_on_github
from mkdocs_site import CHROMIUM, build, chromium_available, drop_broken_citation, serve

from extract.convert.document import render
from extract.convert.latex import convert_latex

TEX = f"\\documentclass{{article}}\n\\begin{{document}}\n{BLOCK_LIKE_DISPLAYS}\n\\end{{document}}\n"
META = {
    "title": "Gamma Notes",
    "source_url": "https://example.org/gamma",
    "fetch_date": "2026-01-03",
    "source_type": "docs",
    "author": "",
    "conversion_notes": "",
}
# What a person might write in a topic doc: GitHub reads `- b` as a list item.
HAND_WRITTEN = "## A bound written by hand\n\n$$\na\n- b\n$$\n\nAfter it.\n"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def built(make_library, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("display-math")
    body = convert_latex({"paper.tex": TEX.encode()}).body
    root = make_library(
        "site",
        root=tmp / "lib",
        mkdocs=True,
        files={"sources/gamma-notes/full.md": render(META, "# Gamma Notes\n\n" + body)},
    )
    drop_broken_citation(root)
    topic = root / "refs/topics/01-pipelines.md"
    topic.write_text(topic.read_text(encoding="utf-8") + "\n" + HAND_WRITTEN, encoding="utf-8")
    result = build(root, tmp / "site")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    return root, tmp / "site"


def soup(site, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "lxml")


def test_converted_displays_are_one_formula_each(built):
    _, site = built
    article = soup(site, "sources/gamma-notes/full").select_one("article")
    formulas = article.select('math[display="block"]')
    assert len(formulas) == 6
    assert "$$" not in article.get_text()
    item = next(li for li in article.select("li") if "inside an item" in li.get_text())
    assert item.select('math[display="block"]') == formulas[-1:]
    assert not article.select("blockquote, h3, hr, table")


def test_a_hand_written_block_reads_as_github_reads_it():
    assert structure(ours(HAND_WRITTEN)) == structure(github(HAND_WRITTEN))
    assert "<li>b\n$$</li>" in github(HAND_WRITTEN)


@pytest.mark.parametrize(
    "page",
    [
        "1. A bound:\n\n    $$\n    x_a + y_a\n    $$\n2. Next\n",  # 1 past the item's text
        "- A bound:\n\n    $$\n    x_a\n    $$\n",  # 2 past
        "- A bound:\n\n   $$\n   x_a\n   $$\n",
        "1. A bound:\n\n   $$\n   x_a\n   $$\n",  # at the item's text already
        "10. A bound:\n\n     $$\n     x_a\n     $$\n",
    ],
)
def test_a_formula_in_a_list_item_is_one_formula_as_on_github(page):
    assert len(whole_on_github(page)) == 1
    formulas, left = site_formulas(page)
    assert left == [] and len(formulas) == 1
    kind = "ol" if page[0].isdigit() else "ul"
    assert structure(ours(page))[0][0] == structure(github(page))[0][0] == kind


def test_a_formula_github_splits_in_a_list_item_is_split_on_the_site_too():
    page = "- A bound:\n\n    $$\n    x_a\n    - y_a\n    $$\n"
    assert structure(ours(page)) == structure(github(page))
    assert site_formulas(page)[0] == []


def test_a_dollar_line_in_an_items_code_is_kept():
    page = "- Code:\n\n  ```\n  x\n\n   $$ price\n  ```\n"
    assert structure(ours(page)) == structure(github(page))
    assert "> $$ price\n</code>" in ours(page)  # its space kept, as GitHub keeps it
    assert "\n $$ price\n</code>" in github(page)


def test_a_hand_written_block_is_split_on_the_site_as_on_github(built):
    _, site = built
    page = soup(site, "refs/topics/01-pipelines")
    heading = page.select_one('[id="a-bound-written-by-hand"]')
    shown = heading.find_next_siblings(["p", "ul"], limit=3)
    assert [(e.name, " ".join(e.get_text().split())) for e in shown] == [
        ("p", "$$ a"),
        ("ul", "b $$"),
        ("p", "After it."),
    ]


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} is not installed")
def test_each_formula_is_laid_out_as_one_display(built, new_page):
    _, site = built
    page = new_page(viewport={"width": 1280, "height": 800})
    with serve(site) as url:
        page.goto(url + "sources/gamma-notes/full/")
        formulas = page.locator('article math[display="block"]')
        assert formulas.count() == 6
        for n in range(6):
            box = formulas.nth(n).bounding_box()
            assert box and box["width"] > 20 and box["height"] > 8, n
        assert page.locator("article").inner_text().count("$$") == 0
