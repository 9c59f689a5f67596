"""The library's topic docs (found by number, whatever the slug), topics known only from
their doc, guides (every other markdown file under refs/), and local_paths merging."""

from __future__ import annotations

from foundation_helpers import make_library

from extract import Library
from extract.check import check_library
from extract.library import merge_local_paths, topic_doc_key
from extract.sync import sync


def test_topic_doc_names():
    assert topic_doc_key("13-classic-pipeline-parallelism.md") == 13
    assert topic_doc_key("02.md") == 2
    assert topic_doc_key("meta-essential-resources.md") == "meta"
    assert topic_doc_key("notes.md") is None and topic_doc_key("index.md") is None


def test_topic_docs_found_by_number_and_a_doc_only_topic(tmp_path):
    lib = make_library(tmp_path)
    topics = tmp_path / "refs/topics"
    (topics / "01-pipeline-schedules.md").rename(topics / "01-my-own-name.md")
    (topics / "25-multi-rank-debugging.md").write_text(
        "# Topic 25: Multi-rank debugging\n\nMine.\n"
    )
    (topics / "notes.md").write_text("# Loose notes\n")
    lib = Library(tmp_path)
    assert lib.topic_doc_path(lib.topic(1)).name == "01-my-own-name.md"
    keys = [t.key for t in lib.topics]
    assert keys == [1, 2, 25, "meta"]  # before meta
    t25 = lib.topic(25)
    assert (t25.title, t25.group, t25.in_curriculum) == (
        "Multi-rank debugging",
        "Other topics",
        False,
    )
    assert not sync(lib, dry_run=True).changed  # nothing to scaffold: every topic has its doc
    # A manifest entry may name the doc-only topic.
    m = lib.manifest
    m.set_fields("stream-docs", topics=[2, 25])
    m.save()
    findings = check_library(Library(tmp_path))
    assert [f for f in findings if f.severity == "error"] == []
    assert [p.name for p in Library(tmp_path).guides()] == ["notes.md"]


def test_a_second_doc_for_a_topic_is_a_warning_and_a_guide(tmp_path):
    make_library(tmp_path)
    (tmp_path / "refs/topics/02-older-draft.md").write_text("# An older draft\n")
    lib = Library(tmp_path)
    assert lib.topic_doc_path(lib.topic(2)).name == "02-streams-and-graphs.md"  # its slug wins
    [dup] = [f for f in check_library(lib) if f.rule == "topic-doc-duplicate"]
    assert dup.path == "refs/topics/02-older-draft.md" and dup.severity == "warning"
    assert "refs/topics/02-older-draft.md" in [lib.rel(p) for p in lib.guides()]


def test_guides_are_every_other_markdown_file_under_refs(tmp_path):
    make_library(tmp_path)
    refs = tmp_path / "refs"
    for rel in (
        "reading-guide.md",
        "implementation-context.md",
        "notes/deeper/crosswalk.md",
        "resources/README.md",  # the cards index's place: not a guide, not a card
        "resources/stream-docs.md",  # a card
        "topics/index.md",  # the topics index's place
        ".drafts/hidden.md",
    ):
        (refs / rel).parent.mkdir(parents=True, exist_ok=True)
        (refs / rel).write_text(f"# {rel}\n")
    lib = Library(tmp_path)
    assert [lib.rel(p) for p in lib.guides()] == [
        "refs/implementation-context.md",
        "refs/notes/deeper/crosswalk.md",
        "refs/reading-guide.md",
    ]
    assert lib.doc_title(refs / "reading-guide.md") == "reading-guide.md"
    assert not any(f.rule == "card-orphan" for f in check_library(lib))  # README is no card


def test_local_paths_keep_a_persons_order_and_folders():
    listed = ["sources/x/raw/subpages/", "sources/x/full.md", "refs/resources/x.md"]
    written = ["sources/x/raw/subpages/a.html", "sources/x/raw/page.html", "sources/x/full.md"]
    assert merge_local_paths(listed, written) == [*listed, "sources/x/raw/page.html"]
    assert merge_local_paths([], ["b", "a"]) == ["a", "b"]
