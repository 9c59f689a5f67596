"""The `make_library` fixture (conftest.py) does what its docstring says, and refuses what
it cannot do with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sample_library import CURRICULUM, MANIFEST_HEAD, entry, tree

from extract import Library

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_fixture_library_is_copied_whole_and_the_original_is_left_alone(make_library):
    root = make_library("agent")
    original = [p for p in tree(FIXTURES / "agent") if not p.startswith(".refs-cache/")]
    assert tree(root) == original and original
    card = root / "refs/resources/alpha-pipeline.md"
    card.write_text("changed", encoding="utf-8")
    assert (FIXTURES / "agent/refs/resources/alpha-pipeline.md").read_text() != "changed"


def test_each_call_is_a_fresh_folder_unless_root_is_given(make_library, tmp_path):
    one, two = make_library(), make_library()
    assert one != two and tree(one) == tree(two) == []
    (tmp_path / "kept.txt").write_text("already here")
    assert make_library(root=tmp_path, files={"a.md": "# A\n"}) == tmp_path
    assert tree(tmp_path) == ["a.md", "kept.txt"]


def test_a_curriculum_synced_gives_the_manifest_and_topic_docs(make_library):
    root = make_library(curriculum=CURRICULUM, sync=True)
    assert (root / "distributed_video_dit_inference.md").read_text(encoding="utf-8") == CURRICULUM
    lib = Library(root)
    assert lib.ids == [
        "a-paper-on-pipelines",
        "schedules-blog",
        "stream-docs",
        "a-talk",
        "someone-s-blog",
    ]
    assert sorted(p.name for p in (root / "refs/topics").iterdir()) == [
        "01-pipeline-schedules.md",
        "02-streams-and-graphs.md",
        "meta-essential-resources.md",
    ]
    unsynced = make_library(curriculum=CURRICULUM)
    assert tree(unsynced) == ["distributed_video_dit_inference.md"]


def test_a_manifest_from_text_entries_or_resource_dicts(make_library):
    text = MANIFEST_HEAD + entry("x", ["https://x.example/"])
    assert (make_library(manifest=text) / "refs/manifest.yaml").read_text() == text
    entries = [entry("a", ["https://a.example/"], comment="first"), entry("b", ["https://b/"])]
    root = make_library(entries=entries)
    assert (root / "refs/manifest.yaml").read_text() == MANIFEST_HEAD + "".join(entries)
    assert Library(root).ids == ["a", "b"]
    root = make_library(
        resources=[
            {"id": "post", "urls": ["https://blog.example/p"]},
            {"id": "repo", "urls": ["https://github.com/o/r"], "type": "code", "status": "pending"},
        ]
    )
    lib = Library(root)
    assert [(r.id, r.title, r.type, r.status, r.priority, r.topics) for r in lib.resources] == [
        ("post", "post", "blog", "fetched", "high", [1]),
        ("repo", "repo", "code", "pending", "high", [1]),
    ]


def test_files_are_written_as_text_or_bytes_in_their_folders(make_library):
    root = make_library(
        files={"refs/topics/01-x.md": "# X — ü\n", "sources/a/raw/p.bin": b"\0\xff"}
    )
    assert (root / "refs/topics/01-x.md").read_bytes() == "# X — ü\n".encode()
    assert (root / "sources/a/raw/p.bin").read_bytes() == b"\0\xff"


def _plugin_options(root: Path) -> dict:
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    [options] = [p["refs-library"] for p in config["plugins"] if isinstance(p, dict)]
    return options


def test_mkdocs_writes_the_config_with_its_plugin_options_and_the_docs_dir(make_library):
    root = make_library("site", mkdocs=True)
    assert _plugin_options(root) == {"scope_drd_url": "", "publish_raw": False}
    assert (root / "site_docs").is_dir() and list((root / "site_docs").iterdir()) == []
    url = "https://git.example/scope-drd/tree/main"
    root = make_library("site", mkdocs={"scope_drd_url": url, "publish_raw": True})
    assert _plugin_options(root) == {"scope_drd_url": url, "publish_raw": True}
    assert not (make_library("site") / "mkdocs.yml").exists()


def test_what_it_cannot_do_is_refused_clearly(make_library):
    with pytest.raises(TypeError, match="give one of manifest and entries, not both"):
        make_library(manifest="resources: []\n", entries=[])
    with pytest.raises(ValueError, match=r"no folder tests/fixtures/nope/ \(there are agent, "):
        make_library("nope")
