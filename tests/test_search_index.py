"""The search index: sections and units of a file, links, and updates one file at a time."""

from __future__ import annotations

import pytest
from agent_helpers import make_library

from extract.library import Library
from extract.search import search
from extract.search_index import (
    UNIT_STRIDE,
    UNIT_TOKENS,
    file_links,
    heading_words,
    open_index,
    refresh,
    sections,
    url_key,
)

DOC = """---
title: Made-up Guide
---

# Made-up Guide

Opening words.

## 2 Method

### 2.1 Cutting

Cut the loaf into equal slices.

## 3 Results

{long}
"""


def test_each_heading_is_a_section_with_its_context():
    secs = sections(DOC.format(long="Short."), "Made-up Guide")
    assert [(s.anchor, s.level) for s in secs] == [
        ("made-up-guide", 1),
        ("2-method", 2),
        ("21-cutting", 3),
        ("3-results", 2),
    ]
    cutting = secs[2]
    assert cutting.text == "Cut the loaf into equal slices."
    assert cutting.context == "Made-up Guide Made-up Guide Method"  # title, then headings above
    assert secs[1].units[0].terms == ""  # a heading with no text of its own: heading only


def test_a_long_section_is_cut_into_overlapping_units():
    words = [f"w{i}" for i in range(UNIT_TOKENS * 3)]
    sec = sections(DOC.format(long=" ".join(words)), "Made-up Guide")[-1]
    assert len(sec.units) > 3
    spans = [sec.text[u.start : u.stop].split() for u in sec.units]
    assert spans[0][0] == "w0" and spans[-1][-1] == words[-1]
    assert all(len(s) <= UNIT_TOKENS for s in spans)
    assert spans[1][0] == words[UNIT_STRIDE]  # the next unit starts before this one ends


def test_section_numbers_are_not_words():
    assert heading_words("3.2 Boundary sends") == "Boundary sends"
    assert heading_words("A.1 Setup") == "Setup" and heading_words("IV. Results") == "Results"
    assert heading_words("A Gentle Start") == "A Gentle Start"
    assert heading_words("2031 in review") == "2031 in review"


def test_links_of_a_card():
    text = (
        "# Card\n\n1. **Claim**: x.\n   **Evidence**: [a](../sources/other/full.md#part-2)\n\n"
        "See [the topic](../topics/01-a.md) and https://arxiv.org/pdf/2401.01234v2.pdf.\n\n"
        "```\nhttps://in.a.fence/ignored\n```\n\n## Related resources\n\n- [Other](other.md) — why\n"
    )
    links = [(k.via, k.target) for k in file_links("refs/resources/me.md", "card", text)]
    assert links == [
        ("citation", "sources/other/full.md#part-2"),
        ("link", "refs/topics/01-a.md"),
        ("url", "url:arxiv.org/abs/2401.01234"),
        ("link", "refs/resources/other.md"),
    ]
    assert url_key("https://www.Example.org/a/") == url_key("http://example.org/a")


@pytest.fixture
def root(tmp_path):
    return make_library(tmp_path)


def test_an_edit_rereads_only_the_edited_file(root):
    lib = Library(root)
    conn = open_index(lib)
    try:

        def rows() -> dict[str, list[int]]:
            out: dict[str, list[int]] = {}
            for path, sid in conn.execute("SELECT path, id FROM sections ORDER BY id"):
                out.setdefault(path, []).append(sid)
            return out

        before = rows()
        path = root / "sources/gamma-kernels/full.md"
        path.write_text(path.read_text() + "\n## Tile sweep\n\nA zorblat sweep of tile sizes.\n")
        assert refresh(conn, lib) == 1
        after = rows()
        edited = "sources/gamma-kernels/full.md"
        assert {p: v for p, v in after.items() if p != edited} == {
            p: v for p, v in before.items() if p != edited
        }  # every other file's rows are the very same rows
        assert len(after[edited]) == len(before[edited]) + 1
        assert refresh(conn, lib) == 0
    finally:
        conn.close()
    assert search(lib, "zorblat")[0].target == "sources/gamma-kernels/full.md#tile-sweep"


def test_a_vanished_file_leaves_no_rows(root):
    lib = Library(root)
    assert search(lib, "warp")
    (root / "sources/gamma-kernels/full.md").unlink()
    assert search(lib, "warp specialization", kinds=["source"]) == []
    conn = open_index(lib)
    try:
        for table in ("sections", "links", "files"):
            (n,) = conn.execute(
                f"SELECT count(*) FROM {table} WHERE path = 'sources/gamma-kernels/full.md'"
            ).fetchone()
            assert n == 0, table
        (orphans,) = conn.execute(
            "SELECT count(*) FROM units WHERE section NOT IN (SELECT id FROM sections)"
        ).fetchone()
        (fts,) = conn.execute("SELECT count(*) FROM fts").fetchone()
        (units,) = conn.execute("SELECT count(*) FROM units").fetchone()
        assert orphans == 0 and fts == units
    finally:
        conn.close()


def test_a_contents_list_is_seen_with_its_links():
    toc = "\n".join(f"- [Step {i}](#step-{i})" for i in range(6))
    text = f"# Guide\n\n## Steps\n\n{toc}\n\n## Step 0\n\nDo the first step.\n"
    steps, first = sections(text, "Guide")[1:]
    assert steps.text.startswith("- Step 0")  # indexed as its words
    assert steps.units[0].prose < 0.6 and first.units[0].prose == 1.0
