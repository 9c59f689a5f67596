"""The manifest (`extract.manifest`) as `refs sync` derives and keeps it: ids, topics and
reading order, hand edits kept byte for byte, parse and schema errors, merges on save,
status moving forward only."""

import json

import pytest
from sample_library import CURRICULUM

from extract import Library
from extract.errors import RefsError
from extract.manifest import Manifest
from extract.sync import sync


def test_sync_derives_ids_topics_and_reading_order(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    ids = lib.ids
    assert ids == [
        "a-paper-on-pipelines",
        "schedules-blog",
        "stream-docs",
        "a-talk",
        "someone-s-blog",
    ]
    paper = lib.resource("a-paper-on-pipelines")
    assert paper.topics == [1, 2] and paper.type == "paper" and paper.priority == "high"
    assert paper.urls == ["https://arxiv.org/abs/1234.56789", "https://github.com/example/pipes"]
    assert lib.resource("a-talk").status == "link_only"
    assert lib.resource("someone-s-blog").topics == ["meta"]
    assert [(s.step, s.ids) for s in lib.reading_order] == [
        (1, ["a-paper-on-pipelines", "stream-docs"]),
        (2, ["schedules-blog"]),
    ]
    # topic docs were scaffolded, one per topic plus meta
    assert sorted(p.name for p in (tmp_path / "refs/topics").iterdir()) == [
        "01-pipeline-schedules.md",
        "02-streams-and-graphs.md",
        "meta-essential-resources.md",
    ]
    assert not sync(lib, dry_run=True).changed


NEW_TOPIC = (
    "### 3. New topic\n\n- **Brand New Thing** — New. *(blog, low)*\n"
    "  - https://new.example.com/x\n\n## Essential meta-resources"
)


def test_add_missing_keeps_human_comments_and_blank_lines_byte_for_byte(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    path = lib.manifest_path
    text = path.read_text()
    text = text.replace("resources:\n", "resources:\n\n  # a note someone wrote by hand\n", 1)
    text = text.replace(
        "  - id: schedules-blog",
        "\n  # another comment, then a blank line above\n  - id: schedules-blog",
    )
    text = text.replace("notes: ''", "notes: 'kept as written'  # trailing comment", 1)
    path.write_text(text)
    cur = tmp_path / "distributed_video_dit_inference.md"
    cur.write_text(CURRICULUM.replace("## Essential meta-resources", NEW_TOPIC))
    report = sync(Library(tmp_path), add_missing=True)
    assert [(c.rid, c.kind) for c in report.changes] == [
        ("brand-new-thing", "added"),
        ("refs/topics/03-new-topic.md", "topic_doc"),
    ]
    after = path.read_text()
    assert after.startswith(text)  # every byte a person wrote, then the new entry
    assert after[len(text) :] == (
        "  # --- Topic 3: New topic (added by `refs sync --add-missing`) ---\n"
        + report.changes[0].entry
    )


def test_sync_never_overwrites_a_field_and_reports_what_differs(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    m = lib.manifest
    m.set_fields(
        "stream-docs",
        status="fetched",
        local_paths=["sources/stream-docs/raw/page.html"],
        notes="mine",
    )
    m.save()
    before = lib.manifest_path.read_bytes()
    cur = tmp_path / "distributed_video_dit_inference.md"
    text = CURRICULUM.replace(
        "- **Someone's Blog** — A blog index. *(blog, medium)*\n  - https://someone.example.org/blog/\n",
        "",
    )
    text = text.replace("*(docs, high)*", "*(docs, medium)*")
    text = text.replace("**Schedules Blog**", "**Schedules Blog, Revised**")
    text = text.replace(
        "  - https://blog.example.com/schedules/\n",
        "  - https://blog.example.com/schedules/\n  - Mirror: https://mirror.example.com/s\n",
    )
    cur.write_text(text)
    report = sync(Library(tmp_path))
    got = {(c.rid, c.kind): c.detail for c in report.changes}
    assert set(got) == {
        ("stream-docs", "differs"),
        ("schedules-blog", "differs"),
        ("someone-s-blog", "orphan"),
    }
    assert "priority `medium` (the manifest has `high`)" in got[("stream-docs", "differs")]
    assert "URL https://mirror.example.com/s" in got[("schedules-blog", "differs")]
    assert not report.changed
    assert lib.manifest_path.read_bytes() == before  # nothing written, the title neither
    assert cur.read_text() == text  # and the curriculum is never rewritten


def test_missing_entry_is_reported_with_the_entry_and_added_only_when_asked(
    make_library, refs_cli, tmp_path
):
    make_library(root=tmp_path, curriculum=CURRICULUM, sync=True)
    cur = tmp_path / "distributed_video_dit_inference.md"
    # Renamed title but same URL: matched by URL, not missing.
    text = CURRICULUM.replace("**Stream Docs**", "**Streams, the Docs**")
    text = text.replace("## Essential meta-resources", NEW_TOPIC)
    cur.write_text(text)
    before = (tmp_path / "refs/manifest.yaml").read_bytes()
    r = refs_cli(tmp_path, "sync")
    assert r.returncode == 0, r.stderr
    assert "missing       brand-new-thing (distributed_video_dit_inference.md:" in r.stdout
    assert "  add to refs/manifest.yaml under `resources:`:" in r.stdout
    assert "    - id: brand-new-thing\n" in r.stdout and "`refs sync --add-missing`" in r.stdout
    assert (tmp_path / "refs/manifest.yaml").read_bytes() == before
    assert (tmp_path / "refs/topics/03-new-topic.md").exists()  # the new topic's scaffold
    report = sync(Library(tmp_path), add_missing=True)
    assert [(c.rid, c.kind) for c in report.changes] == [("brand-new-thing", "added")]
    lib = Library(tmp_path)
    new = lib.resource("brand-new-thing")
    assert (new.status, new.type, new.priority, new.topics, new.guessed) == (
        "pending",
        "blog",
        "low",
        [3],
        [],  # tagged: nothing guessed
    )
    assert lib.resource("stream-docs").title == "Stream Docs"
    assert not sync(Library(tmp_path), add_missing=True).changed


def test_manifest_parse_error_names_file_and_line_and_nothing_is_written(
    make_library, refs_cli, tmp_path
):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    broken = lib.manifest_path.read_text().replace(
        "  - id: stream-docs\n", "  - id: stream-docs\n   bad: [unclosed\n"
    )
    lib.manifest_path.write_text(broken)
    r = refs_cli(tmp_path, "sync")
    assert r.returncode == 1
    assert "refs/manifest.yaml:" in r.stderr and "does not parse" in r.stderr
    assert r.stderr.count("\n") == 1  # one clear message
    assert lib.manifest_path.read_text() == broken


@pytest.mark.parametrize(
    "old,new,expect",
    [
        ("  - id: stream-docs\n", "  - id: schedules-blog\n", "duplicate id `schedules-blog`"),
        ("type: docs", "type: manual", "`manual` is not one of"),
        ("priority: medium", "priority: urgent", "`urgent` is not one of"),
        ("status: link_only", "status: done", "`done` is not one of"),
        ("  - id: stream-docs\n", "  - id: Stream_Docs\n", "must be a slug"),
        ("topics: [2]", "topics: [two]", "topic numbers or `meta`"),
    ],
)
def test_schema_errors_name_line_and_field(make_library, refs_cli, tmp_path, old, new, expect):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    text = lib.manifest_path.read_text()
    assert old in text
    bad = text.replace(old, new, 1)
    lib.manifest_path.write_text(bad)
    with pytest.raises(RefsError) as info:
        Manifest(lib.manifest_path)
    assert expect in str(info.value)
    assert str(info.value).startswith(str(lib.manifest_path) + ":")
    r = refs_cli(tmp_path, "status")
    assert r.returncode == 1 and expect in r.stderr


def test_save_merges_an_edit_of_other_entries_saved_underneath(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    m = lib.manifest
    m.set_fields("stream-docs", notes="from the command")
    text = lib.manifest_path.read_text()
    blog = text.index("  - id: schedules-blog")
    edited = text[:blog] + "  # a comment written meanwhile\n" + text[blog:]
    edited = edited.replace("type: blog", "type: essay", 1) + "# edited meanwhile\n"
    lib.manifest_path.write_text(edited)
    m.save()
    text = lib.manifest_path.read_text()
    assert "# a comment written meanwhile" in text and text.endswith("# edited meanwhile\n")
    fresh = Library(tmp_path)
    assert fresh.resource("stream-docs").notes == "from the command"
    assert fresh.resource("schedules-blog").type == "essay"
    assert m.resources["schedules-blog"].type == "essay"  # the records follow the file
    # Saving again needs no merge and changes nothing.
    m.save()
    assert lib.manifest_path.read_text() == text


def test_save_refuses_an_edit_of_the_same_field_and_writes_nothing(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    m = lib.manifest
    m.set_fields("stream-docs", notes="from the command")
    text = lib.manifest_path.read_text()
    at = text.index("  - id: stream-docs")
    edited = text[:at] + text[at:].replace("notes: ''", "notes: 'by hand'", 1)
    lib.manifest_path.write_text(edited)
    with pytest.raises(RefsError, match="changed on disk") as info:
        m.save()
    assert "`stream-docs` field `notes`" in str(info.value)
    assert lib.manifest_path.read_text() == edited


def test_save_refuses_when_an_entry_was_removed_or_the_file_broke(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    m = lib.manifest
    m.set_fields("stream-docs", notes="from the command")
    text = lib.manifest_path.read_text()
    start = text.index("  - id: schedules-blog")
    end = text.index("  - id:", start + 1)
    removed = text[:start] + text[end:]
    lib.manifest_path.write_text(removed)
    with pytest.raises(RefsError, match="`schedules-blog` \\(removed or renamed\\)"):
        m.save()
    assert lib.manifest_path.read_text() == removed
    broken = text.replace("  - id: stream-docs\n", "  - id: stream-docs\n   bad: [x\n")
    lib.manifest_path.write_text(broken)
    with pytest.raises(RefsError, match="no longer reads: does not parse") as info:
        m.save()
    assert info.value.line and lib.manifest_path.read_text() == broken


def test_status_only_moves_forward(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    lib.advance("stream-docs", "fetched", ["sources/stream-docs/raw/page.html"])
    with pytest.raises(RefsError, match="only moves forward"):
        lib.advance("stream-docs", "pending")
    with pytest.raises(RefsError, match="only `refs review`"):
        lib.advance("stream-docs", "condensed")
    with pytest.raises(RefsError, match="link_only"):
        lib.advance("a-talk", "fetched")
    assert Library(tmp_path).resource("stream-docs").status == "fetched"


def test_status_json_counts(make_library, refs_cli, tmp_path):
    make_library(root=tmp_path, curriculum=CURRICULUM, sync=True)
    r = refs_cli(tmp_path, "status", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["resources"] == 5 and data["topics"] == 2 and data["phase1"]["resources"] == 2
    assert data["by_status"] == {"pending": 4, "link_only": 1}
    assert [s["title"] for s in data["reading_order"]] == ["Start", "Then"]
