"""The pure passes' memo (`docs_gen.pass_memo`): kept answers are reused for the same
text under the same code, and the site is the same with or without them."""

from __future__ import annotations

import json
import shutil

from mkdocs_site import build_in_a_new_process, drop_broken_citation

from docs_gen.evidence import Backlink
from docs_gen.gfm import gfm
from docs_gen.pass_memo import CACHE, PassMemo, blocks_from_json, blocks_to_json, code_version
from extract import markdown as md
from extract.anchors import anchor_set
from extract.cards import find_citations
from extract.library import CARDS_DIR, TOPICS_DIR

TRICKY = """\
Title
=====

<div class="x">
raw *html*
</div>

- item
  - nested

> ## quoted heading

    indented code

```python
# not a heading
```

***

Paragraph with `code` and <a id="here"></a> marker.
## Last `one`
"""


def test_a_block_structure_reads_back_the_same():
    found = md._blocks(TRICKY)
    assert found.headings and found.code and found.html and found.breaks
    again = blocks_from_json(json.loads(json.dumps(blocks_to_json(found))))
    assert again == found


def test_answers_are_kept_by_text_and_only_the_asked_ones_written(tmp_path):
    memo = PassMemo.of(tmp_path)
    assert memo.path == tmp_path / CACHE / f"{code_version()}.json"
    memo.load()
    assert memo.blocks(TRICKY) is None
    memo.keep_blocks(TRICKY, md._blocks(TRICKY))
    assert memo.gfm(TRICKY) == gfm(TRICKY)
    assert memo.sanitize("<p>fine</p>") == "<p>fine</p>"
    assert memo.sanitize('<p onclick="x()">bad</p>') == "<p>bad</p>"  # never kept
    memo.save()

    again = PassMemo.of(tmp_path)
    again.load()
    assert again.blocks(TRICKY) == md._blocks(TRICKY)
    assert again.sanitize("<p>fine</p>") == "<p>fine</p>"
    written = again.path.stat()
    again.save()  # nothing new: the file stays as it is, gfm's answer and all
    assert again.path.stat().st_ino == written.st_ino
    assert json.loads(again.path.read_text(encoding="utf-8"))["gfm"] != {}
    again.keep_front_matter("title: x")
    again.save()  # gfm's answer was not asked for: a save that writes drops it
    data = json.loads(again.path.read_text(encoding="utf-8"))
    assert len(data["blocks"]) == 1 and len(data["clean"]) == 1 and data["gfm"] == {}
    assert len(data["yaml"]) == 1


CITING = """\
# A page

It says so ([§1](../sources/alpha/full.md#one)), and [this](sources/beta/notes.md).
"""


def test_anchors_citations_backlinks_and_generated_pages_are_kept_between_builds(tmp_path):
    memo = PassMemo.of(tmp_path)
    memo.load()
    cited = find_citations(CITING)
    links = [
        (c, Backlink("refs/x.md", "Topic 1: X", f"cite-{n}", n or None))
        for n, c in enumerate(cited)
    ]
    assert len(cited) == 2
    assert memo.anchors(TRICKY) is None and memo.cited("k") is None
    assert memo.backlinks("k") is None and memo.derived("titles:x", TRICKY) is None
    memo.keep_anchors(TRICKY, anchor_set(TRICKY))
    memo.keep_cited("k", cited)
    memo.keep_backlinks("k", links)
    memo.keep_derived("titles:x", TRICKY, "made")
    memo.keep_generated("index.md", "key1", "# Home\n")
    memo.save()

    again = PassMemo.of(tmp_path)
    again.load()
    assert again.anchors(TRICKY) == anchor_set(TRICKY) and anchor_set(TRICKY)
    assert again.cited("k") == cited
    assert again.backlinks("k") == links
    assert again.derived("titles:x", TRICKY) == "made"
    assert again.derived("titles:x", TRICKY + " ") is None  # another text
    assert again.generated("index.md", "key1") == "# Home\n"
    assert again.generated("index.md", "key2") is None  # the library changed since
    # entries edited by hand into another shape are computed again, not trusted
    again.kept["citing"]["k"] = [["only", "three", 1]]
    again.kept["anchors"][next(iter(again.kept["anchors"]))] = [1, 2]
    assert again.backlinks("k") is None and again.anchors(TRICKY) is None


def test_a_file_of_another_version_is_removed_and_a_bad_one_ignored(tmp_path):
    memo = PassMemo.of(tmp_path)
    memo.path.parent.mkdir(parents=True)
    old = memo.path.parent / "0-old.json"
    old.write_text("{}", encoding="utf-8")
    memo.path.write_text('{"blocks": ', encoding="utf-8")
    memo.load()
    assert memo.gfm(TRICKY) == gfm(TRICKY)
    memo.save()
    assert sorted(p.name for p in memo.path.parent.iterdir()) == [memo.path.name]


def _site(site):
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not p.name.startswith("sitemap.xml")
    }


def test_a_build_reuses_kept_answers_and_a_clean_one_makes_the_same_site(make_library, tmp_path):
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    drop_broken_citation(root)
    assert build_in_a_new_process(root, tmp_path / "first").returncode == 0
    files = list((root / CACHE).glob("*.json"))
    assert len(files) == 1
    after_first = files[0].read_text(encoding="utf-8")  # what a build that parsed all kept
    assert build_in_a_new_process(root, tmp_path / "warm").returncode == 0
    assert _site(tmp_path / "warm") == _site(tmp_path / "first")

    # What a build uses: a kept rendered page changed by hand shows on the site...
    page = "sources/alpha-paper/full"
    said = "Paragraph 1 about the introduction"
    # (its markdown, the GitHub rewrite, is kept once: the page names the rewrite's entry)
    data = json.loads(files[0].read_text(encoding="utf-8"))
    ref, *_ = data["pages"][page + ".md"][1]
    assert ref[0] == "gfm" and said in data["gfm"][ref[1]]
    data["gfm"][ref[1]] = data["gfm"][ref[1]].replace(said, "Kept page", 1)
    files[0].write_text(json.dumps(data), encoding="utf-8")
    assert build_in_a_new_process(root, tmp_path / "page").returncode == 0
    assert "Kept page" in (tmp_path / "page" / page / "index.html").read_text("utf-8")

    # ...and so does a kept GitHub rewrite, for a page rendered again.
    data = json.loads(after_first)
    data["pages"] = {}
    key, text = next((k, v) for k, v in data["gfm"].items() if said in v)
    data["gfm"][key] = text.replace(said, "Kept rewrite", 1)
    files[0].write_text(json.dumps(data), encoding="utf-8")
    assert build_in_a_new_process(root, tmp_path / "gfm").returncode == 0
    assert "Kept rewrite" in (tmp_path / "gfm" / page / "index.html").read_text("utf-8")

    shutil.rmtree(root / ".refs-cache")
    assert build_in_a_new_process(root, tmp_path / "clean").returncode == 0
    assert _site(tmp_path / "clean") == _site(tmp_path / "first")


def test_a_kept_page_is_rendered_again_when_what_it_looked_at_changed(make_library, tmp_path):
    """Each edit changes a page through another file (a cited heading's words under
    the same anchor, a linked file appearing, a title in the manifest): the build that
    reuses kept answers makes the site a build without them makes."""
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    drop_broken_citation(root)
    full = root / "sources/alpha-paper/full.md"
    notes = root / "sources/gamma-notes/full.md"
    manifest = root / "refs/manifest.yaml"
    notes.write_text(
        notes.read_text(encoding="utf-8") + "\nSee [the log](../../logs/run.log).\n",
        encoding="utf-8",
    )
    assert build_in_a_new_process(root, tmp_path / "start", strict=False).returncode == 0

    def heading(text):
        return text.replace("## Über Größe & Straße\n", "## Über Größe & Straße!\n")

    def log_file(_):
        (root / "logs").mkdir()  # outside refs/ and sources/: no part of the library's shape
        (root / "logs/run.log").write_text("log\n", encoding="utf-8")

    def title(text):
        return text.replace("Alpha Paper on Pipelines", "Alpha Paper, Retitled", 1)

    for n, (path, edit) in enumerate([(full, heading), (None, log_file), (manifest, title)]):
        if path is None:
            edit(None)
        else:
            before = path.read_text(encoding="utf-8")
            assert edit(before) != before
            path.write_text(edit(before), encoding="utf-8")
        warm = build_in_a_new_process(root, tmp_path / f"warm{n}", strict=False)
        assert warm.returncode == 0, warm.stderr
        kept = root / ".refs-cache"
        kept.rename(tmp_path / "kept")
        cold = build_in_a_new_process(root, tmp_path / f"cold{n}", strict=False)
        shutil.rmtree(kept)
        (tmp_path / "kept").rename(kept)
        assert cold.returncode == 0, cold.stderr
        assert _site(tmp_path / f"warm{n}") == _site(tmp_path / f"cold{n}"), n
        assert _site(tmp_path / f"warm{n}") != _site(
            tmp_path / ("start" if n == 0 else f"warm{n - 1}")
        )


def test_a_warm_build_writes_no_cache_when_nothing_changed_and_keeps_an_edit(
    make_library, tmp_path
):
    """A build that computed nothing new leaves the cache file as it was (same inode:
    not even rewritten), the first warm build after a cold one too; a build after an edit
    writes what it computed, and the site is the one a build without the cache makes."""
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    drop_broken_citation(root)
    assert build_in_a_new_process(root, tmp_path / "cold").returncode == 0
    (kept,) = (root / CACHE).glob("*.json")
    before = kept.stat()
    for warm in ("warm1", "warm2"):
        assert build_in_a_new_process(root, tmp_path / warm).returncode == 0
        after = kept.stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
        assert _site(tmp_path / warm) == _site(tmp_path / "cold")

    card = next(p for p in (root / CARDS_DIR).glob("*.md") if p.name != "index.md")
    card.write_text(card.read_text(encoding="utf-8") + "\nAn added line.\n", encoding="utf-8")
    assert build_in_a_new_process(root, tmp_path / "edited").returncode == 0
    (written,) = (root / CACHE).glob("*.json")
    assert written.stat().st_ino != before.st_ino
    rel = card.relative_to(root).as_posix()
    data = json.loads(written.read_text(encoding="utf-8"))
    ref = data["pages"][rel][1][0]  # the page names its GitHub rewrite's entry
    assert "An added line." in data["gfm"][ref[1]]
    shutil.rmtree(root / ".refs-cache")
    assert build_in_a_new_process(root, tmp_path / "clean").returncode == 0
    assert _site(tmp_path / "edited") == _site(tmp_path / "clean")
    assert _site(tmp_path / "edited") != _site(tmp_path / "cold")


def test_kept_backlinks_and_generated_pages_are_what_a_warm_build_shows(make_library, tmp_path):
    """The warm build takes a source page's "cited by" lines, the generated pages and
    the exports from the cache (changed by hand here, so it shows); without it, they are made."""
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    drop_broken_citation(root)
    assert build_in_a_new_process(root, tmp_path / "cold").returncode == 0
    (kept,) = (root / CACHE).glob("*.json")
    data = json.loads(kept.read_text(encoding="utf-8"))
    data["pages"] = {}  # every page rendered again, from the kept backlinks
    for links in data["citing"].values():
        for link in links:
            link[6] = "Relabelled by hand"
    key, made = data["generated"]["catalog.md"]
    data["generated"]["catalog.md"] = [key, made + "\nGenerated by hand.\n"]
    key, texts = data["exports"]["site"]
    data["exports"]["site"] = [key, {**texts, "llms.txt": "Exported by hand.\n"}]
    kept.write_text(json.dumps(data), encoding="utf-8")
    assert build_in_a_new_process(root, tmp_path / "warm").returncode == 0
    site = _site(tmp_path / "warm")
    assert any(b"Relabelled by hand" in text for text in site.values())
    assert b"Generated by hand." in site["catalog/index.html"]
    assert site["llms.txt"] == b"Exported by hand.\n"
    shutil.rmtree(root / ".refs-cache")
    assert build_in_a_new_process(root, tmp_path / "clean").returncode == 0
    assert _site(tmp_path / "clean") == _site(tmp_path / "cold")


def test_generated_pages_follow_a_title_that_only_a_file_s_heading_gives(make_library, tmp_path):
    """A topic the curriculum lacks is named by its doc's own heading, no part of the
    library's shape: a new heading reaches the kept generated pages (the topics index)."""
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    drop_broken_citation(root)
    extra = root / TOPICS_DIR / "99-extra-things.md"
    extra.write_text("# Extra things\n\nWritten by hand.\n", encoding="utf-8")
    assert build_in_a_new_process(root, tmp_path / "cold").returncode == 0
    assert b"Extra things" in _site(tmp_path / "cold")["refs/topics/index.html"]
    extra.write_text("# Renamed topic\n\nWritten by hand.\n", encoding="utf-8")
    assert build_in_a_new_process(root, tmp_path / "warm").returncode == 0
    assert b"Renamed topic" in _site(tmp_path / "warm")["refs/topics/index.html"]
    shutil.rmtree(root / ".refs-cache")
    assert build_in_a_new_process(root, tmp_path / "clean").returncode == 0
    assert _site(tmp_path / "warm") == _site(tmp_path / "clean")
