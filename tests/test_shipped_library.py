"""The shipped library itself: consistent, honest, and equal to the catalog's facts."""

import json
from pathlib import Path

import pytest
import yaml
from sample_library import CURRICULUM

from extract import Library
from extract.check import check_library
from extract.sync import sync

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT.parent / "shared" / "catalog" / "facts.yaml"


def test_shipped_check_has_only_stub_warnings():
    findings = check_library(Library(ROOT))
    assert [str(f) for f in findings if f.severity == "error"] == []
    assert {f.rule for f in findings} <= {"card-placeholder", "topic-placeholder"}


def test_shipped_sync_changes_nothing(refs_cli):
    r = refs_cli(ROOT, "sync", "--dry-run", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["changed"] is False


def test_shipped_status_counts(refs_cli):
    data = json.loads(refs_cli(ROOT, "status", "--json").stdout)
    assert (data["resources"], data["phase1"]["resources"], data["topics"]) == (88, 17, 24)
    # Nothing is fetched in the shipped library: statuses say so.
    assert set(data["by_status"]) == {"pending", "link_only"}


def test_shipped_cards_are_the_phase1_stubs():
    lib = Library(ROOT)
    cards = sorted(p.stem for p in (ROOT / "refs/resources").glob("*.md"))
    assert cards == sorted(r.id for r in lib.resources if r.priority == "high")


@pytest.mark.skipif(
    not FACTS.exists(), reason="catalog facts live beside the checkout only in the workspace"
)
def test_manifest_equals_catalog_facts():
    facts = yaml.safe_load(FACTS.read_text())
    lib = Library(ROOT)
    assert lib.ids == [r["id"] for r in facts["resources"]]
    for f in facts["resources"]:
        r = lib.resource(f["id"])
        assert (r.title, r.urls, r.type, r.topics, r.priority) == (
            f["title"],
            f["urls"],
            f["type"],
            f["topics"],
            f["priority"],
        )
        assert r.status == ("link_only" if f.get("link_only") else "pending")
        assert lib.byline(r.id) == f.get("byline", "")
    assert [(s.step, s.title, s.ids) for s in lib.reading_order] == [
        (s["step"], s["title"], s["ids"]) for s in facts["reading_order"]
    ]
    assert [(t.key, t.title, t.group) for t in lib.topics if t.key != "meta"] == [
        (t["number"], t["title"], t["group"]) for t in facts["topics"]
    ]


def test_card_command_phase1_gate_and_no_overwrite(make_library, refs_cli, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    r = refs_cli(tmp_path, "card", "schedules-blog")
    assert (
        r.returncode == 1 and "Phase 1" in r.stdout + r.stderr and "--force" in r.stdout + r.stderr
    )
    assert not lib.card_path("schedules-blog").exists()
    assert refs_cli(tmp_path, "card", "stream-docs").returncode == 0
    card = lib.card_path("stream-docs").read_text()
    assert "## Why it matters\n\nDocs we made up.\n" in card and "## Key sections" in card
    lib.card_path("stream-docs").write_text(card + "\nmy edits\n")
    r = refs_cli(tmp_path, "card", "stream-docs")
    assert r.returncode == 1 and "never overwritten" in r.stdout + r.stderr
    assert lib.card_path("stream-docs").read_text().endswith("my edits\n")
    assert refs_cli(tmp_path, "card", "schedules-blog", "--force").returncode == 0
    findings = check_library(Library(tmp_path))
    assert [f for f in findings if f.severity == "error"] == []
    assert any(f.rule == "card-placeholder" for f in findings)


def test_cli_usage_and_unknown_id(make_library, refs_subprocess, tmp_path):
    make_library(root=tmp_path, curriculum=CURRICULUM, sync=True)
    r = refs_subprocess(tmp_path, "status", "--bogus")
    assert r.returncode == 2 and "unrecognized arguments" in r.stderr
    r = refs_subprocess(tmp_path, "card", "no-such-id")
    assert r.returncode == 1 and "unknown resource id `no-such-id`" in r.stderr


def test_missing_library_is_a_clear_error(refs_subprocess, tmp_path):
    r = refs_subprocess(tmp_path / "empty", "status")
    assert r.returncode == 1 and "refs/manifest.yaml" in r.stderr


def test_sync_is_idempotent_on_a_fresh_fixture(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    before = lib.manifest_path.read_bytes()
    assert not sync(Library(tmp_path)).changed
    assert lib.manifest_path.read_bytes() == before
