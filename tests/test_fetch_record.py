"""`refs fetch --record`: provenance for raw files fetched by hand, downloading nothing."""

from __future__ import annotations

import hashlib
import json
import socket

import pytest

from extract import Library
from extract.fetch.record import RECORDED, kind_of, record_resources, url_of

MANIFEST = """\
# kept by hand
resources:
  # --- papers ---
  - id: paper-x
    title: "Paper X"
    urls:
      - https://arxiv.org/abs/2501.00005
      - https://github.com/example/paper-x
    type: paper
    topics: [1]
    priority: high
    status: pending
    local_paths:
      - sources/paper-x/raw/zz-listed-first.txt
    notes: "mine"
  - id: guide-y
    title: "Guide Y"
    urls:
      - https://docs.example.com/y/index.html
      - https://docs.example.com/y/env.html
    type: docs
    topics: [1]
    priority: medium
    status: condensed
    local_paths:
      - sources/guide-y/raw/subpages/
    notes: ""
  - id: issue-z
    title: "Issue Z"
    urls:
      - https://github.com/example/proj/issues/9
    type: code
    topics: [1]
    priority: low
    status: pending
    local_paths: []
    notes: ""
  - id: nothing-here
    title: "Nothing here"
    urls:
      - https://example.com/n
    type: blog
    topics: [1]
    priority: low
    status: pending
    local_paths: []
    notes: ""
  - id: a-link
    title: "A link"
    urls:
      - https://video.example.com/v
    type: video
    topics: [1]
    priority: low
    status: link_only
    local_paths: []
    notes: ""
"""


CURRICULUM = (
    "# T\n\n## G\n\n### 1. One\n\n- **Paper X** — made up.\n  - https://arxiv.org/abs/2501.00005\n"
)
RAW = {
    "sources/paper-x/raw/abstract.html": "<html><title>Paper X</title></html>",
    "sources/paper-x/raw/paper.pdf": b"%PDF-1.5\n% made up\n%%EOF\n",
    "sources/paper-x/raw/arxiv-eprint.tar.gz": b"\x1f\x8b made-up bytes",
    "sources/paper-x/raw/repo/README.md": "# made-up repo\n",
    "sources/paper-x/raw/zz-listed-first.txt": "a note the owner saved\n",
    "sources/guide-y/raw/page.html": "<!doctype html><h1>Y</h1>",
    "sources/guide-y/raw/subpages/env.html": "<html>env</html>",
    "sources/guide-y/raw/subpages/usage.html": "<html>usage</html>",
    "sources/guide-y/raw/.DS_Store": b"\0",  # a hidden file is not an artifact
    "sources/issue-z/raw/issue.json": '{"number": 9}',
    "sources/issue-z/raw/comments.json": "[]",
}


@pytest.fixture
def root(make_library, tmp_path):
    return make_library(root=tmp_path, manifest=MANIFEST, curriculum=CURRICULUM, files=RAW)


@pytest.fixture
def offline(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("--record must not open a connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_kind_and_url_of_each_hand_fetched_file(root):
    raw = root / "sources/paper-x/raw"
    assert [kind_of(raw / n) for n in ("abstract.html", "paper.pdf", "arxiv-eprint.tar.gz")] == [
        "html",
        "pdf",
        "eprint-tar",
    ]
    assert kind_of(raw / "repo/README.md") == "file"
    urls = ["https://arxiv.org/abs/2501.00005", "https://github.com/example/paper-x"]
    assert url_of("paper.pdf", urls) == urls[0]
    assert url_of("repo/README.md", urls) == urls[1]
    docs = ["https://docs.example.com/y/index.html", "https://docs.example.com/y/env.html"]
    assert url_of("page.html", docs) == docs[0]
    assert url_of("subpages/env.html", docs) == docs[1]  # its own URL in the manifest
    assert url_of("subpages/usage.html", docs) == docs[0]  # under the guide's first page
    project = ["https://arxiv.org/abs/1", "https://p.example.org/", "https://github.com/o/r"]
    assert url_of("github-page.html", project) == project[2]


def test_record_writes_provenance_and_marks_fetched_without_downloading(root, offline):
    manifest_before = (root / "refs/manifest.yaml").read_text()
    lib = Library(root)
    outcomes = record_resources(lib, lib.select(["paper-x", "guide-y", "issue-z"]))
    assert [(o.rid, o.result) for o in outcomes] == [
        ("paper-x", "recorded"),
        ("guide-y", "recorded"),
        ("issue-z", "recorded"),
    ]
    prov = json.loads((root / "sources/paper-x/raw/provenance.json").read_text())
    assert prov["resource"] == "paper-x"
    pdf = prov["artifacts"]["paper.pdf"]
    data = (root / "sources/paper-x/raw/paper.pdf").read_bytes()
    assert pdf["sha256"] == hashlib.sha256(data).hexdigest() and pdf["bytes"] == len(data)
    assert (pdf["kind"], pdf["url"], pdf["recorded"]) == (
        "pdf",
        "https://arxiv.org/abs/2501.00005",
        RECORDED,
    )
    # Nothing observed is claimed: no HTTP status, final URL or fetch time.
    assert not {"status", "final_url", "fetched_at", "etag"} & set(pdf)
    guide = json.loads((root / "sources/guide-y/raw/provenance.json").read_text())
    assert sorted(guide["artifacts"]) == ["page.html", "subpages/env.html", "subpages/usage.html"]
    lib = Library(root)
    paper = lib.resource("paper-x")
    assert (paper.status, paper.notes) == ("fetched", "mine")
    assert paper.local_paths == [  # his entry first, then what is there, folders as folders
        "sources/paper-x/raw/zz-listed-first.txt",
        "sources/paper-x/raw/abstract.html",
        "sources/paper-x/raw/arxiv-eprint.tar.gz",
        "sources/paper-x/raw/paper.pdf",
        "sources/paper-x/raw/repo/",
    ]
    # condensed stays condensed; its listed folder already covers the subpages
    guide_y = lib.resource("guide-y")
    assert (guide_y.status, guide_y.local_paths[0]) == (
        "condensed",
        "sources/guide-y/raw/subpages/",
    )
    text = (root / "refs/manifest.yaml").read_text()
    assert text.startswith("# kept by hand\nresources:\n  # --- papers ---\n")
    assert text.count('notes: "') == manifest_before.count('notes: "')  # quoting kept
    assert not lib.hand_fetched("paper-x")


def test_record_again_changes_nothing_and_a_changed_file_is_recorded_anew(root, offline):
    lib = Library(root)
    record_resources(lib, lib.select(["paper-x"]))
    path = root / "sources/paper-x/raw/provenance.json"
    first = json.loads(path.read_text())
    manifest = (root / "refs/manifest.yaml").read_bytes()
    [again] = record_resources(Library(root), Library(root).select(["paper-x"]))
    assert again.result == "skipped" and "already describes" in again.message
    assert json.loads(path.read_text()) == first
    assert (root / "refs/manifest.yaml").read_bytes() == manifest
    (root / "sources/paper-x/raw/abstract.html").write_text("<html>edited by hand</html>")
    lib = Library(root)
    [third] = record_resources(lib, lib.select(["paper-x"]))
    assert third.result == "recorded" and ("abstract.html", "recorded") in third.artifacts
    assert ("paper.pdf", "kept") in third.artifacts
    now = json.loads(path.read_text())["artifacts"]
    assert now["paper.pdf"] == first["artifacts"]["paper.pdf"]
    assert now["abstract.html"]["sha256"] != first["artifacts"]["abstract.html"]["sha256"]


def test_cli_record_all_picks_what_holds_raw_files(refs_cli, root):
    r = refs_cli(root, "fetch", "--record", "--all", "--dry-run", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert [(x["id"], x["result"]) for x in data["results"]] == [
        ("paper-x", "planned"),
        ("guide-y", "planned"),
        ("issue-z", "planned"),
    ]
    assert not (root / "sources/paper-x/raw/provenance.json").exists()
    r = refs_cli(root, "fetch", "--record", "--all")
    assert r.returncode == 0, r.stderr
    assert "3 recorded" in r.stdout
    r = refs_cli(root, "fetch", "--record", "nothing-here", "a-link", "--json")
    results = {x["id"]: x for x in json.loads(r.stdout)["results"]}
    assert results["nothing-here"]["result"] == "skipped"
    assert "holds no file" in results["nothing-here"]["message"]
    assert results["a-link"]["result"] == "skipped"
    assert r.returncode == 0
    r = refs_cli(root, "show", "issue-z", "--json")
    assert json.loads(r.stdout)["next"] == "refs convert issue-z"


def test_cli_record_refuses_download_flags(refs_cli, root):
    r = refs_cli(root, "fetch", "--record", "paper-x", "--force")
    assert r.returncode == 2 and "downloads nothing" in r.stderr
    assert not (root / "sources/paper-x/raw/provenance.json").exists()
