"""The full.md front matter as the owner's working guide defines it (extract/full_md.py):
author only where it applies, `authors:` as a list, conversion_notes for papers only (a warning when missing),
extra keys kept. Made-up values."""

from __future__ import annotations

import pytest
from sample_library import CURRICULUM

from extract import Library
from extract.check import check_library
from extract.full_md import FrontMatterError, authors_of, front_matter_advice, parse

BODY = "\n# Title\n\nText.\n"


def fm(**fields) -> str:
    rows = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return f"---\n{rows}---\n{BODY}"


BASE = dict(title="T", source_url="https://example.com/t", fetch_date="2025-01-01")


def test_docs_page_without_author_or_notes_is_valid():
    meta, body = parse(fm(**BASE, source_type="docs"))
    assert "author" not in meta and body == BODY
    assert authors_of(meta) == []


def test_authors_list_and_extra_keys_are_kept():
    text = fm(
        **BASE,
        source_type="paper",
        authors="[Jane Doe, Rui Tan]",
        conversion_notes="by hand",
        tags="[a, b]",
        word_count=12,
    )
    meta, _ = parse(text)
    assert authors_of(meta) == ["Jane Doe", "Rui Tan"]
    assert meta["tags"] == ["a", "b"] and meta["word_count"] == 12
    meta, _ = parse(fm(**BASE, source_type="blog", author="A. Writer"))
    assert authors_of(meta) == ["A. Writer"]
    meta, _ = parse(
        "---\ntitle: T\nsource_url: u\nfetch_date: d\nsource_type: paper\n"
        "conversion_notes: n\nauthors:\n  - name: Jane Doe\n  - Rui Tan\n---\n"
    )
    assert authors_of(meta) == ["Jane Doe", "Rui Tan"]


def test_a_paper_without_conversion_notes_reads_with_advice():
    meta, _ = parse(fm(**BASE, source_type="paper"))
    assert "lacks conversion_notes" in front_matter_advice(meta)
    assert front_matter_advice({**meta, "conversion_notes": "by hand"}) is None
    assert front_matter_advice({**meta, "source_type": "docs"}) is None


def test_our_converter_output_still_reads():
    meta, _ = parse(fm(**BASE, source_type="docs", author="''", conversion_notes="x"))
    assert meta["author"] == "" and authors_of(meta) == []


@pytest.mark.parametrize(
    "fields,expect,line",
    [
        (dict(title="T", source_type="docs"), "front matter lacks source_url, fetch_date", 1),
        (
            dict(BASE, source_type="blog", authors="{a: 1}"),
            "field authors: must be a list of names",
            6,
        ),
        (dict(BASE, source_type="blog", author="{a: 1}"), "field author: must be text", 6),
    ],
)
def test_what_is_really_wrong_is_named_with_its_line(fields, expect, line):
    with pytest.raises(FrontMatterError) as info:
        parse(fm(**fields), "sources/x/full.md")
    assert expect in info.value.message and info.value.line == line
    assert "author" not in info.value.message or "field author" in info.value.message


def test_refs_check_warns_where_a_paper_lacks_its_notes(make_library):
    text = fm(**BASE, source_type="paper")
    root = make_library(
        curriculum=CURRICULUM,
        resources=[{"id": "p", "urls": ["https://example.com/p"], "status": "converted"}],
        files={"sources/p/full.md": text, "sources/p/raw/page.html": "<p>x</p>"},
    )
    found = [f for f in check_library(Library(root)) if f.rid == "p"]
    notes = [f for f in found if f.rule == "full-md-conversion-notes"]
    assert [(f.severity, f.path, f.line) for f in notes] == [("warning", "sources/p/full.md", 1)]
    assert not [f for f in found if f.rule == "full-md-front-matter"]
