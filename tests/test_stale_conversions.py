"""A changed source never leaves a stale full.md: recorded digest, fetch, check, convert."""

from __future__ import annotations

import json

import pytest
from fetch_helpers import Reply, Server
from foundation_helpers import CURRICULUM, make_library

from extract import Library
from extract.check import check_library
from extract.cli import main
from extract.full_md import SOURCE_SHA256, read, source_digest

RID = "stream-docs"
OLD_URL = "https://docs.example.com/streams.html"


def page(words: str) -> bytes:
    return (
        "<html><head><title>Stream Docs</title></head><body><article><h1>Stream Docs</h1>"
        f"<h2>Ordering between streams</h2><p>{words}</p></article></body></html>"
    ).encode()


CARD = """# Stream Docs

| Field | Value |
|-------|-------|
| Source | {url} |
| Type | docs |
| Topics | 2 |
| Status | converted |

## Why it matters

Streams order work.

## Core claims

1. **Claim**: Work on one stream runs in order.
   **Evidence**: [sources/stream-docs/full.md#ordering-between-streams](../../sources/stream-docs/full.md#ordering-between-streams)

## Actionables / gotchas

- Use one stream per stage.

## Related resources

- none
"""


@pytest.fixture(autouse=True)
def quick_http(monkeypatch):
    for var, value in {"REFS_FETCH_RETRIES": "1", "REFS_FETCH_BACKOFF": "0.01"}.items():
        monkeypatch.setenv(var, value)


@pytest.fixture
def server():
    with Server() as s:
        yield s


@pytest.fixture
def lib(tmp_path, server):
    url = server.route("/streams.html", Reply(body=page("Kernels on one stream run in order.")))
    lib = make_library(tmp_path / "lib", CURRICULUM.replace(OLD_URL, url))
    lib.card_path(RID).parent.mkdir(parents=True, exist_ok=True)
    lib.card_path(RID).write_text(CARD.format(url=url), encoding="utf-8")
    return lib


def refs(lib: Library, *args: str) -> int:
    return main(["--root", str(lib.root), *args])


def status(lib: Library) -> str:
    return Library(lib.root).resource(RID).status


def findings(lib: Library, rule: str) -> list:
    return [f for f in check_library(Library(lib.root)) if f.rule == rule]


def fetched_and_converted(lib: Library) -> None:
    assert refs(lib, "fetch", RID) == 0
    assert refs(lib, "convert", RID) == 0
    assert status(lib) == "converted"


def test_full_md_records_the_digest_of_its_raw_artifacts(lib):
    fetched_and_converted(lib)
    meta, _ = read(lib.full_md_path(RID))
    assert meta[SOURCE_SHA256] == source_digest(lib.raw_dir(RID))
    assert findings(lib, "full-md-stale") == []


def test_refetch_with_changed_source_goes_back_to_fetched_and_convert_redoes_it(
    lib, server, capsys
):
    fetched_and_converted(lib)
    server.route("/streams.html", Reply(body=page("Kernels on one stream now overlap.")))
    capsys.readouterr()
    assert refs(lib, "fetch", RID, "--force", "--json") == 0
    report = json.loads(capsys.readouterr().out)["results"][0]
    assert report["artifacts"] == [{"path": "page.html", "state": "changed"}]
    assert any("back to `fetched`" in w for w in report["warnings"])
    assert status(lib) == "fetched"
    stale = findings(lib, "full-md-stale")
    assert [(f.path, f.severity) for f in stale] == [("sources/stream-docs/full.md", "error")]
    assert "refs convert stream-docs --force" in stale[0].message
    cards = findings(lib, "citation-stale-source")
    assert [(f.path, f.severity) for f in cards] == [("refs/resources/stream-docs.md", "warning")]
    assert refs(lib, "convert", "--all") == 0  # no --force needed: it is fetched again
    assert status(lib) == "converted"
    assert "now overlap" in lib.full_md_path(RID).read_text(encoding="utf-8")
    assert findings(lib, "full-md-stale") == [] and findings(lib, "citation-stale-source") == []


def test_refetch_of_the_same_source_keeps_the_status(lib):
    fetched_and_converted(lib)
    assert refs(lib, "fetch", RID, "--force") == 0
    assert status(lib) == "converted"


def test_raw_changed_by_hand_is_reported_and_converted_without_force(lib):
    fetched_and_converted(lib)
    (lib.raw_dir(RID) / "page.html").write_bytes(page("Edited on disk."))
    assert [f.rule for f in findings(lib, "full-md-stale")] == ["full-md-stale"]
    assert refs(lib, "check") == 1
    assert refs(lib, "convert", RID) == 0  # stale: redone although converted
    assert "Edited on disk." in lib.full_md_path(RID).read_text(encoding="utf-8")
    assert refs(lib, "convert", RID) == 0
    assert findings(lib, "full-md-stale") == []


def test_a_full_md_without_a_digest_is_not_called_stale(lib):
    fetched_and_converted(lib)
    path = lib.full_md_path(RID)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "\n".join(ln for ln in text.split("\n") if not ln.startswith(SOURCE_SHA256)),
        encoding="utf-8",
    )
    (lib.raw_dir(RID) / "page.html").write_bytes(page("Changed, but nothing to compare."))
    assert findings(lib, "full-md-stale") == []


def test_only_converted_or_condensed_resources_go_back(lib):
    fresh = Library(lib.root)
    assert fresh.source_changed(RID) is False  # pending: nothing to undo
    fetched_and_converted(lib)
    fresh = Library(lib.root)
    fresh.manifest.set_fields(RID, status="condensed")
    fresh.manifest.save()
    fresh = Library(lib.root)
    assert fresh.source_changed(RID) is True
    assert status(lib) == "fetched"


def test_without_a_digest_only_a_replaced_artifact_counts(lib, server):
    fetched_and_converted(lib)
    path = lib.full_md_path(RID)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "\n".join(ln for ln in text.split("\n") if not ln.startswith(SOURCE_SHA256)),
        encoding="utf-8",
    )
    assert refs(lib, "fetch", RID, "--force") == 0  # same bytes: nothing replaced
    assert status(lib) == "converted"
    server.route("/streams.html", Reply(body=page("A new text on the site.")))
    assert refs(lib, "fetch", RID, "--force") == 0
    assert status(lib) == "fetched"
