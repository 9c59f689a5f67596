"""`refs check` (`extract.check`) on the tiny synced library: a clean library, citations,
card defects, status against disk, hand-fetched raw files, front matter, topic docs."""

import json

from sample_library import CURRICULUM

from extract import Library
from extract.check import check_library, check_resource

FULL_MD = """---
title: Stream Docs
source_url: https://docs.example.com/streams.html
fetch_date: '2026-01-01'
source_type: docs
author: ''
conversion_notes: test
---

# Stream Docs

## Ordering between streams

Text.

## Events & synchronisation

More.

## Ordering between streams

Again.
"""


def _fetched_and_converted(lib: Library, rid: str = "stream-docs") -> None:
    raw = lib.raw_dir(rid)
    raw.mkdir(parents=True)
    (raw / "page.html").write_text("<html><body><h1>x</h1></body></html>")
    lib.full_md_path(rid).write_text(FULL_MD)
    lib.advance(rid, "fetched", [f"sources/{rid}/raw/page.html"])
    lib.advance(rid, "converted", [f"sources/{rid}/full.md"])


def _card(lib: Library, evidence: str, rid: str = "stream-docs", extra: str = "") -> None:
    r = lib.resource(rid)
    lib.card_path(rid).parent.mkdir(parents=True, exist_ok=True)
    lib.card_path(rid).write_text(
        f"""# {r.title}

| Field | Value |
|-------|-------|
| Source | {r.urls[0]} |
| Type | {r.type} |
| Topics | {", ".join(map(str, r.topics))} |
| Status | {r.status} |

## Why it matters

Because.

## Core claims

1. **Claim**: Streams order work.
   **Evidence**: {evidence}

## Actionables / gotchas

- Do things.

## Related resources

- [Paper](a-paper-on-pipelines.md) — shares a topic
{extra}"""
    )


def rules(findings, severity="error"):
    return [(f.rule, f.line) for f in findings if f.severity == severity]


def test_clean_library_has_no_errors(make_library, refs_subprocess, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    findings = check_library(lib)
    assert rules(findings) == []
    assert {f.rule for f in findings} == {"topic-placeholder"}  # stubs warn
    r = refs_subprocess(tmp_path, "check")
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_citation_form_resolves_through_the_one_anchor_rule(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    _fetched_and_converted(lib)
    forms = (
        "[sources/stream-docs/full.md#ordering-between-streams](../../sources/stream-docs/full.md#ordering-between-streams), "
        "[x](../sources/stream-docs/full.md#events--synchronisation), "
        "sources/stream-docs/full.md#ordering-between-streams-1."
    )
    _card(lib, forms)
    assert rules(check_library(Library(tmp_path))) == []


def test_card_errors_are_precise(make_library, refs_cli, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    _fetched_and_converted(lib)
    _card(
        lib,
        "[a](../../sources/stream-docs/full.md#no-such-heading) and sources/schedules-blog/full.md#intro",
        extra="- `ghost-id`\n",
    )
    text = lib.card_path("stream-docs").read_text().replace("## Actionables / gotchas\n", "")
    lib.card_path("stream-docs").write_text(text.replace("| Type | docs |", "| Type | blog |"))
    findings = [f for f in check_library(Library(tmp_path)) if f.severity == "error"]
    msgs = "\n".join(str(f) for f in findings)
    assert (
        "refs/resources/stream-docs.md:17: error: [citation] claim 1: anchor `#no-such-heading`"
        in msgs
    )
    assert (
        "sources/schedules-blog/full.md, which does not exist yet; run `refs fetch schedules-blog`"
        in msgs
    )
    assert "missing section `## Actionables / gotchas`" in msgs
    assert "Type says `blog`, the manifest says `docs`" in msgs
    assert "related resource `ghost-id` is not in the manifest" in msgs
    r = refs_cli(tmp_path, "check", "--json")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["ok"] is False and data["errors"] == len(findings)


def test_claim_without_evidence(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    _fetched_and_converted(lib)
    _card(lib, "see the docs")
    text = lib.card_path("stream-docs").read_text().replace("   **Evidence**: see the docs\n", "")
    lib.card_path("stream-docs").write_text(text)
    assert ("card-evidence", 16) in rules(check_resource(Library(tmp_path), "stream-docs"))


def test_status_must_agree_with_disk(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    # pending with raw files and provenance (a lost manifest update); link_only with
    # outputs; converted with nothing
    (lib.raw_dir("schedules-blog")).mkdir(parents=True)
    (lib.raw_dir("schedules-blog") / "page.html").write_text("x")
    (lib.raw_dir("schedules-blog") / "provenance.json").write_text('{"artifacts": {}}')
    (lib.raw_dir("a-talk")).mkdir(parents=True)
    (lib.raw_dir("a-talk") / "page.html").write_text("x")
    m = lib.manifest
    m.set_fields("stream-docs", status="converted", local_paths=["sources/stream-docs/full.md"])
    m.save()
    findings = check_library(Library(tmp_path))
    got = {(f.rule, f.rid) for f in findings if f.severity == "error"}
    assert got == {
        ("status-disk", "schedules-blog"),
        ("status-disk", "a-talk"),
        ("status-disk", "stream-docs"),
        ("local-path", "stream-docs"),
    }
    assert "refs fetch --record schedules-blog" in str(findings)


def test_hand_fetched_raw_is_fetched_in_substance_said_once(make_library, refs_cli, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    for rid in ("schedules-blog", "a-paper-on-pipelines", "someone-s-blog"):
        lib.raw_dir(rid).mkdir(parents=True)
        (lib.raw_dir(rid) / "page.html").write_text("<html>by hand</html>")
    findings = check_library(Library(tmp_path))
    assert [f for f in findings if f.severity == "error"] == []
    [once] = [f for f in findings if f.rule == "raw-unrecorded"]
    assert once.severity == "warning" and once.message.startswith("3 resource(s)")
    assert "a-paper-on-pipelines, schedules-blog, someone-s-blog" in once.message
    assert "`refs fetch --record --all`" in once.message
    r = refs_cli(tmp_path, "show", "schedules-blog", "--json")
    assert json.loads(r.stdout)["next"] == "refs fetch --record schedules-blog"


def test_bad_full_md_front_matter(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    _fetched_and_converted(lib)
    lib.full_md_path("stream-docs").write_text("# no front matter\n")
    assert ("full-md-front-matter", 1) in rules(check_library(Library(tmp_path)))


def test_topic_doc_missing_and_orphan_card_and_bridge_ids(make_library, tmp_path):
    make_library(root=tmp_path, curriculum=CURRICULUM, sync=True)
    (tmp_path / "refs/topics/02-streams-and-graphs.md").unlink()
    (tmp_path / "refs/resources").mkdir(exist_ok=True)
    (tmp_path / "refs/resources/not-a-resource.md").write_text("# x\n")
    (tmp_path / "refs/implementation-context.md").write_text(
        "# Bridge\n\n| q | `scope-drd/notes/missing/file.md` | [x](resources/stream-docs.md) |\n"
        "| q | `scope-drd/other.md` | [y](resources/nope-id.md) |\n"
    )
    findings = check_library(Library(tmp_path))
    got = sorted((f.rule, f.path, f.line) for f in findings if f.severity == "error")
    assert got == [
        ("bridge-id", "refs/implementation-context.md", 4),
        ("card-orphan", "refs/resources/not-a-resource.md", 1),
        ("topic-doc", "refs/topics/02-streams-and-graphs.md", 0),
    ]
    assert not any("scope-drd" in f.message for f in findings)


def test_a_link_written_against_a_joined_page_counts_without_a_crash(make_library, tmp_path):
    # A joined guide's part links to another part with an anchor the document lacks:
    # the site sends it to the original page unchanged, so no line differs (this was
    # an uncaught StopIteration); the finding names the line of that link.
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    _fetched_and_converted(lib)
    joined = FULL_MD.replace(
        "## Events & synchronisation\n",
        "## Events & synchronisation\n\n"
        "Source: https://docs.example.com/streams/events.html\n\nSee [the table](https://docs.example.com/streams/events.html#no-such-table).\n",
    )
    lib.full_md_path("stream-docs").write_text(joined)
    found = [f for f in check_resource(lib, "stream-docs") if f.rule == "source-links"]
    line = joined.split("\n").index(
        "See [the table](https://docs.example.com/streams/events.html#no-such-table)."
    )
    assert [(f.path, f.line, f.message.split(" ", 1)[0]) for f in found] == [
        ("sources/stream-docs/full.md", line + 1, "1")
    ]
