"""Cross-references people write as paths (`docs_gen.repo_links`): a code span or a
path in the text of a card, topic doc or guide that names a page of the library becomes
a link to it, in both builds; anything else stays as written. All text made up."""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup
from mkdocs_site import REPO, build, plain_build, refs_site

from docs_gen.site import Site
from extract import Library

GUIDE = """# Backmap

Jump from a note to the library:

- the card `resources/collective-guide.md` and its topic `topics/01-collective-transport.md`
- from the repo root: `refs/topics/02-pipeline-schedules.md`
- a cited passage: `sources/split-backward/full.md#2-method`
- a source's page: `sources/split-backward/full.md`
- in the text: see refs/resources/split-backward.md for the card.
- not a library file: `resources/never-written.md`, `notes/elsewhere.md`
- a web address stays one: https://docs.example.com/a/b.md

| what | where |
|---|---|
| the guide's card | `resources/collective-guide.md` |

```text
resources/collective-guide.md in code stays code
```
"""

CARD_NOTE = "\nSee also `resources/split-backward.md` and `../topics/02-pipeline-schedules.md`.\n"


@pytest.fixture(scope="module")
def root(make_library, tmp_path_factory):
    base = tmp_path_factory.mktemp("xref")
    files = {
        "refs/backmap.md": GUIDE,
        "sources/split-backward/notes.md": "# Notes\n\nSee `refs/resources/split-backward.md`.\n",
    }
    root = make_library("published", root=base / "lib", files=files)
    card = root / "refs/resources/collective-guide.md"
    card.write_text(card.read_text(encoding="utf-8") + CARD_NOTE, encoding="utf-8")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def rendered(root, src: str) -> str:
    site = Site(Library(root))
    return site.render(site.pages[src]).markdown


def test_paths_in_a_guide_become_links_to_the_pages_they_name(root):
    md = rendered(root, "refs/backmap.md")
    assert "[`resources/collective-guide.md`](resources/collective-guide.md)" in md
    assert "[`topics/01-collective-transport.md`](topics/01-collective-transport.md)" in md
    assert "[`refs/topics/02-pipeline-schedules.md`](topics/02-pipeline-schedules.md)" in md
    # a cited passage is a citation (evidence.py links it); the page itself a cross-ref
    assert "](../sources/split-backward/full.md#2-method " in md
    assert "[`sources/split-backward/full.md`](../sources/split-backward/full.md)" in md
    assert "see [refs/resources/split-backward.md](resources/split-backward.md) for" in md
    assert "| [`resources/collective-guide.md`](resources/collective-guide.md) |" in md


def test_what_names_no_page_stays_as_written(root):
    md = rendered(root, "refs/backmap.md")
    assert "not a library file: `resources/never-written.md`, `notes/elsewhere.md`" in md
    assert "https://docs.example.com/a/b.md" in md and "](https://docs" not in md
    assert "\nresources/collective-guide.md in code stays code\n" in md


def test_a_card_links_its_cross_references_from_its_own_folder(root):
    md = rendered(root, "refs/resources/collective-guide.md")
    assert "[`resources/split-backward.md`](split-backward.md)" in md
    assert "[`../topics/02-pipeline-schedules.md`](../topics/02-pipeline-schedules.md)" in md


def test_an_anchor_the_target_lacks_is_left_off(root):
    site = Site(Library(root))
    link = site.repo_links._crossref("refs/backmap.md", "resources/split-backward.md#nope")
    assert link == "resources/split-backward.md"
    assert site.page_anchors("refs/resources/split-backward.md")


def test_a_source_page_is_left_alone(root):
    site = Site(Library(root))
    md = site.render(site.pages["sources/split-backward/notes.md"]).markdown
    assert "See `refs/resources/split-backward.md`." in md


def hrefs(page) -> dict[str, str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    return {a.get_text(" ", strip=True): a["href"] for a in soup.select("article a[href]")}


@pytest.mark.parametrize("which", ["plugin", "export"])
def test_both_builds_link_them_with_no_warning(root, tmp_path, which):
    if which == "plugin":
        result = build(root, tmp_path / "site")
    else:
        out = refs_site(root, "--out", str(tmp_path / "export"))
        assert out.returncode == 0, out.stderr
        result = plain_build(tmp_path / "export", tmp_path / "site")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    links = hrefs(tmp_path / "site" / "refs" / "backmap" / "index.html")
    assert links["resources/collective-guide.md"] == "../resources/collective-guide/"
    assert links["refs/topics/02-pipeline-schedules.md"] == "../topics/02-pipeline-schedules/"
    assert links["sources/split-backward/full.md"] == "../../sources/split-backward/full/"
