"""Front matter and text a stranger wrote act on no template and run nothing.

A full.md's front matter is written by the converter from a fetched page, and cards,
topic docs and pages in `docs_dir` by anyone with a pull request. Material acts on
front matter keys beyond the printed ones (`test_site_escaping.py`): `template` picks
the page's template (`redirect.html` sends the reader to `location`, a `javascript:`
URL included), `revision_date` and the `git_*` dates are printed raw in the page's
footer, `icon` names a template to include (a missing one stops the build), `hide`
drops the nav and the table of contents. Every built page is scanned for anything live
the fixture planted (marked `__pwned`), in the plugin's site and the plain export.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from mkdocs_site import build, drop_broken_citation, plain_build, refs_site

MARK = "__pwned"
HOSTILE_META = {  # key -> value, each a way in when Material acts on it
    "template": "redirect.html",
    "location": f"javascript:window.{MARK}=8",
    "revision_date": f"<img src=x onerror=window.{MARK}=9>",
    "git_revision_date_localized": f"<img src=x onerror=window.{MARK}=10>",
    "git_creation_date_localized": f"<img src=x onerror=window.{MARK}=11>",
    "icon": "material/no-such-icon",
    "hide": ["navigation", "toc", "footer"],
    "tags": [f"<img src=x onerror=window.{MARK}=12>"],
    "comments": True,
}
BODY = r"""
## Entity &lt;img src=x onerror=window.__pwned=14&gt; heading

## Raw <img src=x onerror=window.__pwned=15> heading

## Math $\text{<img src=x onerror=window.__pwned=16>}$ heading

## Words $\text{</math><script>window.__pwned=25</script>}$ in a formula

[link <img src=x onerror=window.__pwned=17>](https://example.org/a "t\" onmouseover=\"window.__pwned=18")

![alt " onerror="window.__pwned=19](https://example.org/x.png "cap <img src=x onerror=window.__pwned=20>")

`</code><script>window.__pwned=21</script>`

$$\text{</math><img src=x onerror=window.__pwned=22>}$$

Inline $\href{javascript:window.__pwned=23}{x}$ and $\text{</math><script>window.__pwned=24</script>}$.
"""
WEIRD_ID = f'odd" onmouseover="window.{MARK}=27" x="<b>\''
SOURCE_KEYS = {  # the converter's keys, as a fetched page could make them
    "source_url: https://example.org/beta": f"source_url: javascript:window.{MARK}=28",
    'author: "R. Roe"': f'author: "[R. Roe](javascript:window.{MARK}=29)"',
    'conversion_notes: ""': f'conversion_notes: "<img src=x onerror=window.{MARK}=30>"',
}
MANIFEST = {  # a pull request's manifest
    "title: Start here": f"title: 'Start <img src=x onerror=window.{MARK}=31>'",
    "urls: [https://example.org/beta]": (
        f"urls: ['https://example.org/b\"onmouseover=\"window.{MARK}=32']"
    ),
    "notes: ''": f"notes: '<img src=x onerror=window.{MARK}=33>'",
    "urls: [https://example.org/alpha]": (
        f"urls: ['https://example.org/a)<img src=x onerror=window.{MARK}=35>']"
    ),
    # a title with a formula: MathML in the nav, the header and the neighbours' footer
    "title: Alpha Paper on Pipelines": (
        "title: 'Alpha $\\text{</math><script>window." + MARK + "=34</script>}$ Paper'"
    ),
}
# Material's parts that print titles and links beyond the fixture's: edit and view
# buttons, the footer's neighbours (heading_math.footer_titles), breadcrumbs, the
# pruned nav (nav_view.py).
FEATURES = (
    "content.action.edit, content.action.view, navigation.footer, navigation.path, navigation.prune"
)
PAGE_TITLE = f"Notes <img src=x onerror=window.{MARK}=13>"  # a page only MkDocs plans


def _front(meta: dict) -> str:
    return "".join(f"{k}: {json.dumps(v)}\n" for k, v in meta.items())


@pytest.fixture(scope="module")
def sites(make_library, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    root = make_library("site", root=tmp / "lib", mkdocs=True)
    drop_broken_citation(root)
    source = root / "sources/beta-blog/full.md"  # a converted page's front matter
    text = source.read_text(encoding="utf-8")
    for was, now in SOURCE_KEYS.items():
        assert was in text
        text = text.replace(was, now, 1)
    text = text.replace("---\n", "---\n" + _front(HOSTILE_META), 1)
    source.write_text(text.replace("\n## Results\n", BODY + "\n## Results\n", 1), "utf-8")
    manifest = root / "refs/manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    for was, now in MANIFEST.items():
        assert was in text
        text = text.replace(was, now, 1)
    manifest.write_text(text, "utf-8")
    card = root / "refs/resources/alpha-paper.md"  # a card: front matter by hand
    text = "---\n" + _front(HOSTILE_META) + "---\n" + card.read_text("utf-8")
    card.write_text(text + BODY, "utf-8")
    notes = root / "site_docs/notes.md"  # a page in docs_dir the plugin does not plan
    notes.write_text(
        "---\n" + _front({**HOSTILE_META, "title": PAGE_TITLE}) + "---\n\n# Notes\n\nText.\n",
        "utf-8",
    )
    # A folder name is anyone's pull request too: it is in the page's URLs and edit link.
    odd = root / "sources" / WEIRD_ID / "full.md"
    odd.parent.mkdir(parents=True)
    odd.write_text((root / "sources/gamma-notes/full.md").read_text("utf-8"), "utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("features: [", f"features: [{FEATURES}, ", 1)
    text += "not_in_nav: /notes.md\n"  # linked from nowhere: no warning
    config.write_text(text + "repo_url: https://example.org/repo\nedit_uri: edit/main/\n")
    plugin = build(root, tmp / "plugin-site")
    assert plugin.returncode == 0, plugin.stderr
    exported = refs_site(root, "--out", str(tmp / "out"))
    assert exported.returncode == 0, exported.stderr
    plain = plain_build(tmp / "out", tmp / "plain")
    assert plain.returncode == 0, plain.stderr
    return {"plugin": tmp / "plugin-site", "plain": tmp / "plain"}


URLS = ("href", "src", "action", "formaction", "xlink:href", "data", "srcset", "poster")


def live_marks(page_html: str) -> list[str]:
    """What in the page could run the fixture's planted code, or send the reader off."""
    found = []
    for el in BeautifulSoup(page_html, "html.parser").find_all(True):
        if el.name == "script" and MARK in el.get_text():
            found.append(str(el)[:120])
        if el.name == "meta" and str(el.get("http-equiv", "")).lower() == "refresh":
            found.append(str(el))
        for name, value in el.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if MARK in text and (name.startswith("on") or (name in URLS and "script:" in text)):
                found.append(str(el)[:120])
    return found


@pytest.mark.parametrize("which", ["plugin", "plain"])
def test_no_built_page_holds_anything_live_a_page_planted(sites, which):
    pages = list(sites[which].rglob("*.html"))
    assert pages
    live = {str(p.relative_to(sites[which])): m for p in pages if (m := live_marks(p.read_text()))}
    assert live == {}


@pytest.mark.parametrize("src", ["sources/beta-blog/full", "refs/resources/alpha-paper"])
def test_library_pages_keep_their_template_and_chrome(sites, src):
    """The page is itself (no redirect), with the nav and table of contents it had."""
    soup = BeautifulSoup(
        (sites["plugin"] / src / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert soup.find("article") is not None
    assert "hidden" not in (soup.find("div", class_="md-sidebar--primary") or {}).attrs
    assert "hidden" not in (soup.find("div", class_="md-sidebar--secondary") or {}).attrs
    assert soup.find(class_="md-source-file") is None  # no dates the page made up


def test_a_page_the_plugin_does_not_plan_reads_its_title_as_written(sites):
    soup = BeautifulSoup(
        (sites["plugin"] / "notes/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert soup.title.get_text().startswith(PAGE_TITLE)
    header = soup.find(class_="md-header__topic", attrs={"data-md-component": "header-topic"})
    assert PAGE_TITLE in header.get_text()


def test_a_curriculum_title_named_the_plain_site_as_text(make_library, tmp_path):
    """With no `site_name` of the library's own, the export names the site after the
    curriculum's title, which Material prints as HTML in every page's header."""
    title = f"Course <img src=x onerror=window.{MARK}=26> & more"
    root = make_library("site", root=tmp_path / "lib")
    drop_broken_citation(root)
    assert not (root / "mkdocs.yml").exists()
    cur = root / "distributed_video_dit_inference.md"
    text = cur.read_text(encoding="utf-8")
    cur.write_text(text.replace("# Fixture curriculum: a tiny library", f"# {title}"), "utf-8")
    exported = refs_site(root, "--out", str(tmp_path / "out"))
    assert exported.returncode == 0, exported.stderr
    plain = plain_build(tmp_path / "out", tmp_path / "plain")
    assert plain.returncode == 0, plain.stderr
    pages = list((tmp_path / "plain").rglob("*.html"))
    assert {str(p): m for p in pages if (m := live_marks(p.read_text()))} == {}
    soup = BeautifulSoup((tmp_path / "plain/index.html").read_text("utf-8"), "html.parser")
    assert soup.find(class_="md-header__topic").get_text().strip() == title
    assert soup.title.get_text().endswith(title)
