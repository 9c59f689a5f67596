"""`refs sync` on an untagged curriculum: missing entries reported with the exact manifest
entry, appended only with --add-missing, type/priority guessed from the URL and flagged;
the reading order only where the manifest has none. All text made up."""

from __future__ import annotations

import json

import pytest

from extract import Library
from extract.check import check_library
from extract.sync import guess_type, sync

CURRICULUM = """\
# Made-up path

## Group

### 1. One topic

- **Kept Docs** — in the manifest already.
  - https://docs.example.com/kept.html

- **A New Paper** (Doe, 2025) — not in the manifest.
  - https://arxiv.org/abs/2503.00004

- **A New Talk** — not in the manifest either.
  - https://www.youtube.com/watch?v=abc

- **A New Repo** — with a tag for its type only. *(code)*
  - https://github.com/example/new-repo

## Suggested reading order

1. **Start** — `kept-docs`, `a-new-paper`
"""

MANIFEST = """\
# His header comment, kept.

resources:

  # ============================================================
  # Topic 1: One topic
  # ============================================================

  - id: kept-docs
    title: "Kept Docs"
    urls:
      - https://docs.example.com/kept.html
    type: docs
    topics: [1]
    priority: high
    status: pending
    local_paths: []
    notes: "a person's note"
"""


@pytest.fixture
def root(make_library, tmp_path):
    return make_library(
        root=tmp_path,
        curriculum=CURRICULUM,
        manifest=MANIFEST,
        files={"refs/topics/01-one.md": "# Topic 1: One topic\n\nDone.\n"},
    )


@pytest.mark.parametrize(
    "url,kind",
    [
        ("https://arxiv.org/abs/2401.10241", "paper"),
        ("https://dl.acm.org/doi/10.1145/1498765.1498785", "paper"),
        ("https://example.com/assets/paper-2.pdf", "paper"),
        ("https://github.com/pytorch/pytorch/issues/1", "code"),
        ("https://github.com/NVIDIA/Megatron-LM", "code"),
        ("https://www.youtube.com/@GPUMODE", "video"),
        ("https://podcasts.apple.com/us/podcast/x/id1", "podcast"),
        ("https://docs.pytorch.org/docs/stable/cuda.html", "docs"),
        ("https://developer.nvidia.com/blog/some-post/", "blog"),
        ("https://project.readthedocs.io/en/latest/", "docs"),
        ("https://blog.example.com/2025/08/post/", "blog"),
        ("https://example.com/about", "blog"),
    ],
)
def test_type_guessed_from_the_url(url, kind):
    assert guess_type([url]) == kind


def test_missing_entries_reported_with_the_exact_entry_and_nothing_written(refs_cli, root):
    before = (root / "refs/manifest.yaml").read_bytes()
    r = refs_cli(root, "sync", "--dry-run", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    missing = {c["id"]: c for c in data["changes"] if c["kind"] == "missing"}
    assert list(missing) == ["a-new-paper", "a-new-talk", "a-new-repo", "reading_order"]
    assert missing["a-new-paper"]["line"] == 10
    assert missing["a-new-paper"]["entry"] == (
        "  - id: a-new-paper\n"
        '    title: "A New Paper"\n'  # quoted, as this manifest writes titles
        "    urls:\n"
        "      - https://arxiv.org/abs/2503.00004\n"
        "    type: paper\n"
        "    topics: [1]\n"
        "    priority: medium\n"
        "    status: pending\n"
        "    local_paths: []\n"
        '    notes: ""\n'
        "    guessed: [type, priority]\n"
    )
    assert missing["reading_order"]["detail"] == "1 step(s)"  # the manifest has none yet
    assert refs_cli(root, "sync").returncode == 0
    assert (root / "refs/manifest.yaml").read_bytes() == before


def test_add_missing_appends_them_flagged_and_check_asks_for_review(root):
    report = sync(Library(root), add_missing=True)
    added = {c.rid: c for c in report.of("added")}
    assert list(added) == ["a-new-paper", "a-new-talk", "a-new-repo"]
    text = (root / "refs/manifest.yaml").read_text()
    assert text.startswith(MANIFEST)  # his header, banner and entry untouched
    assert added["a-new-paper"].entry in text
    lib = Library(root)
    talk, repo = lib.resource("a-new-talk"), lib.resource("a-new-repo")
    assert (talk.type, talk.status, talk.guessed) == ("video", "link_only", ["type", "priority"])
    assert (repo.type, repo.priority, repo.guessed) == ("code", "medium", ["priority"])
    assert lib.resource("kept-docs").notes == "a person's note"
    warned = [f for f in check_library(lib) if f.rule == "manifest-guessed"]
    assert [f.rid for f in warned] == ["a-new-paper", "a-new-talk", "a-new-repo"]
    assert all(f.severity == "warning" for f in warned)
    # A person checks one and deletes its `guessed:` line: the warning goes.
    (root / "refs/manifest.yaml").write_text(text.replace("    guessed: [priority]\n", ""))
    assert [f.rid for f in check_library(Library(root)) if f.rule == "manifest-guessed"] == [
        "a-new-paper",
        "a-new-talk",
    ]
    # Nothing is missing now, and a second run writes nothing.
    assert not sync(Library(root), add_missing=True).changed


def test_reading_order_added_only_where_the_manifest_has_none(root):
    report = sync(Library(root))
    assert [(c.rid, c.kind) for c in report.changes if c.rid == "reading_order"] == [
        ("reading_order", "missing")
    ]
    sync(Library(root), add_missing=True)
    lib = Library(root)
    assert [(s.step, s.ids) for s in lib.reading_order] == [(1, ["kept-docs", "a-new-paper"])]
    # The curriculum's order changes: the manifest's is a person's now, and is kept.
    cur = root / "distributed_video_dit_inference.md"
    cur.write_text(CURRICULUM.replace("`kept-docs`, `a-new-paper`", "`a-new-paper`"))
    before = (root / "refs/manifest.yaml").read_bytes()
    report = sync(Library(root), add_missing=True)
    assert [(c.rid, c.kind) for c in report.changes] == [("reading_order", "differs")]
    assert (root / "refs/manifest.yaml").read_bytes() == before


def test_reading_order_in_prose_is_left_to_the_page(root):
    cur = root / "distributed_video_dit_inference.md"
    cur.write_text(CURRICULUM.replace("`kept-docs`, `a-new-paper`", "Kept Docs → A New Paper"))
    sync(Library(root), add_missing=True)
    assert "reading_order" not in (root / "refs/manifest.yaml").read_text()
    assert Library(root).curriculum.reading_order[0].text == "Kept Docs → A New Paper"


HOSTILE_TITLES = """\
# Made-up path

## Group

### 1. One topic

- **日本語の論文** — a title in Japanese.
  - https://papers.example.jp/ronbun/42

- **Привет мир** — a title in Cyrillic.
  - https://example.ru/privet

- **🚀** — an emoji only.
  - https://rocket.example.com/

- **!!!** — symbols only.
  - https://bang.example.com/

- **Café Müller** — accents.
  - https://cafe.example.com/

- **{long}** — a very long title.
  - https://long.example.com/a
"""


def test_titles_without_ascii_words_get_distinct_readable_bounded_ids(make_library, tmp_path):
    """Issue 24 item 7: they all became one entry `id: resource` with false "listed
    twice" warnings; a 5,000-character title became a 5,000-character id."""
    long_title = " ".join(["Streaming"] * 100) + " " + "x" * 4000
    root = make_library(
        root=tmp_path, curriculum=HOSTILE_TITLES.format(long=long_title), manifest=MANIFEST
    )
    report = sync(Library(root), add_missing=True)
    assert not [w for w in report.warnings if "listed twice" in str(w)]
    lib = Library(root)
    added = {r.title: r for r in lib.manifest.resources.values() if r.id != "kept-docs"}
    ids = {title[:20]: r.id for title, r in added.items()}
    assert ids == {
        "日本語の論文": "papers-example-jp-ronbun-42",
        "Привет мир": "example-ru-privet",
        "🚀": "rocket-example-com",
        "!!!": "bang-example-com",
        "Café Müller": "cafe-muller",
        "Streaming Streaming ": "streaming-streaming-streaming-streaming-streaming-streaming",
    }
    assert all(len(r.urls) == 1 for r in added.values())  # nothing merged
    assert long_title in added  # the title itself is kept whole
    # Re-reading matches each entry to its own resource: nothing more to add.
    assert not sync(Library(root), add_missing=True).of("added")
    # The file names made from the ids are fine for check and the card stub.
    assert not [f for f in check_library(Library(root)) if "too long" in f.message]


def test_symbol_only_titles_match_no_resource_by_title(make_library, tmp_path):
    curriculum = HOSTILE_TITLES.format(long="Long")
    root = make_library(root=tmp_path, curriculum=curriculum, manifest=MANIFEST)
    sync(Library(root), add_missing=True)
    moved = curriculum.replace("https://bang.example.com/", "https://bang.example.com/new")
    (root / "distributed_video_dit_inference.md").write_text(moved, encoding="utf-8")
    report = sync(Library(root), add_missing=True)
    # `!!!` with a new URL is not `🚀` (both titles compare as nothing): a new entry.
    assert [c.rid for c in report.of("added")] == ["bang-example-com-new"]


def test_an_id_too_long_for_a_file_name_is_one_manifest_error(make_library, tmp_path, run_refs):
    long_id = "a" * 5000
    root = make_library(root=tmp_path, manifest=MANIFEST.replace("kept-docs", long_id))
    for command in (["check"], ["status"]):
        code, out, err = run_refs(root, *command)
        said = out + err
        assert code != 0 and "Traceback" not in said
        assert "refs/manifest.yaml:9" in said and "5,000 characters, more than 100" in said
        assert long_id not in said
