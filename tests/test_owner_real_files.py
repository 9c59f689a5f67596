"""The owner's two real files (his curriculum and manifest), read where they live beside
the checkout in the workspace, copied into a temp folder at test time only (never into
the project). Skipped cleanly where they are absent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from foundation_helpers import refs

from extract import Library

ROOT = Path(__file__).resolve().parents[1]
OWNER = ROOT.parent / "shared" / "corpus" / "owner-library"
CURRICULUM = OWNER / "distributed_video_dit_inference.md"
MANIFEST = OWNER / "refs" / "manifest.yaml"

pytestmark = pytest.mark.skipif(
    not (CURRICULUM.exists() and MANIFEST.exists()),
    reason="the owner's files live beside the checkout only in the workspace",
)


@pytest.fixture
def his_library(tmp_path: Path) -> Path:
    root = tmp_path / "his"
    (root / "refs").mkdir(parents=True)
    shutil.copyfile(CURRICULUM, root / CURRICULUM.name)
    shutil.copyfile(MANIFEST, root / "refs" / "manifest.yaml")
    return root


def test_sync_dry_run_reads_his_files_without_error(his_library):
    manifest = (his_library / "refs/manifest.yaml").read_bytes()
    r = refs(his_library, "sync", "--dry-run", "--json")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    data = json.loads(r.stdout)
    assert data["warnings"] == []  # every line of his curriculum reads as written
    kinds = {c["kind"] for c in data["changes"]}
    assert "missing" not in kinds  # every curriculum entry is matched to his manifest
    assert kinds <= {"differs", "orphan", "topic_doc"}
    assert (his_library / "refs/manifest.yaml").read_bytes() == manifest
    r = refs(his_library, "sync", "--dry-run")
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_status_reads_his_files_without_error(his_library):
    r = refs(his_library, "status", "--json")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    data = json.loads(r.stdout)
    lib = Library(his_library)
    assert data["resources"] == len(lib.resources) > 0
    assert data["topics"] == sum(1 for t in lib.curriculum.topics if t.key != "meta")
    assert data["warnings"] == []
    r = refs(his_library, "status")
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_every_curriculum_entry_takes_its_type_from_his_manifest(his_library):
    lib = Library(his_library)
    pairs = lib.matched_entries
    assert pairs and all(rid for _, rid in pairs)
    assert all(not e.tagged for e, _ in pairs)  # his curriculum has no tags at all
    # Without his files on disk, what check finds is about files, never his formats.
    rules = {f["rule"] for f in json.loads(refs(his_library, "check", "--json").stdout)["findings"]}
    assert not rules & {
        "curriculum-parse",
        "curriculum-line",
        "manifest-parse",
        "manifest-topic",
        "manifest-duplicate-url",
        "full-md-front-matter",
    }
