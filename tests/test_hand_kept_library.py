"""A library kept by hand in the owner's formats (tests/fixtures/owner, all made up):
untagged curriculum, his manifest fields and layout, front matter variants, raw files
fetched by hand, topic docs named by number with his slugs, topic 25 from its doc
alone, guides. With this project's mkdocs.yml copied in as it is, `refs check` reports
exactly the true problems planted in it and the site builds strict apart from them."""

from __future__ import annotations

import json
import shutil
import socket
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs_site import REPO, build, mkdocs_serve

from extract import Library
from extract.fetch.record import record_resources

TYPO = "42111-node-types"  # the heading is `4.2.1.1 Node types`: #4211-node-types

PLANTED = {
    ("citation", "error", "refs/resources/bubbles-paper.md", 20),  # anchor typo
    ("card-placeholder", "warning", "refs/resources/transport-guide.md", 26),  # in a comment
    ("citation", "error", "refs/resources/stageflow.md", 23),  # a second .md never written
    ("local-path", "error", "refs/manifest.yaml", 69),  # a PDF listed but missing
    ("raw-unrecorded", "warning", "sources", 0),  # hand-fetched raw, said once
}


@pytest.fixture
def root(make_library, tmp_path) -> Path:
    """The fixture plus this project's own mkdocs.yml, as a new user would set it up."""
    root = make_library("owner", root=tmp_path / "owner-lib")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def findings(refs_cli, root: Path) -> list[dict]:
    r = refs_cli(root, "check", "--json")
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)["findings"]


def test_check_reports_exactly_the_planted_true_findings(refs_cli, root):
    got = findings(refs_cli, root)
    assert {(f["rule"], f["severity"], f["path"], f["line"]) for f in got} == PLANTED
    assert len(got) == len(PLANTED)
    text = {(f["rule"], f["path"]): f["message"] for f in got}
    assert f"#{TYPO}" in text[("citation", "refs/resources/bubbles-paper.md")]
    assert (
        "sources/stageflow/demo-notes.md, which does not exist"
        in text[("citation", "refs/resources/stageflow.md")]
    )
    text = {f["rule"]: f["message"] for f in got}
    assert "sources/stageflow/raw/paper.pdf" in text["local-path"]
    assert (
        text["raw-unrecorded"].startswith("5 resource(s)")
        and "--record --all" in text["raw-unrecorded"]
    )
    assert not any("author" in f["message"] for f in got)


def test_sync_and_status_read_his_files_as_they_are(refs_cli, root):
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    r = refs_cli(root, "sync", "--dry-run", "--json")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    data = json.loads(r.stdout)
    assert data["warnings"] == [] and data["changed"] is False
    assert [(c["id"], c["kind"]) for c in data["changes"]] == [("bringup-model", "orphan")]
    assert refs_cli(root, "sync").returncode == 0  # not dry: still nothing to write
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    r = refs_cli(root, "status", "--json")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    status = json.loads(r.stdout)
    assert (status["resources"], status["topics"]) == (9, 3)  # topics 1, 2 and 25
    assert status["hand_fetched"] == [
        "transport-guide",
        "ring-buffer-notes",
        "issue-4242",
        "bubbles-paper",
        "stageflow",
    ]
    lib = Library(root)
    assert [(t.key, t.title, t.in_curriculum) for t in lib.topics if t.key == 25] == [
        (25, "Cross-rank tracing", False)
    ]
    assert lib.topic_doc_path(lib.topic(2)).name == "02-schedules.md"  # by number
    assert lib.resource("issue-4242").topics == [1, 25]
    assert lib.entry("transport-guide").topics == [1, 2]  # listed twice, once per topic
    assert lib.entry("scheduling-talk").title == 'Talk: "Scheduling in Practice"'


def test_record_writes_provenance_and_keeps_his_manifest(refs_cli, root, monkeypatch):
    manifest = root / "refs/manifest.yaml"
    before = manifest.read_text()

    def no_network(*args, **kwargs):
        raise AssertionError("--record must not open a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    lib = Library(root)
    outcomes = record_resources(lib, [r for r in lib.resources if lib.hand_fetched(r.id)])
    assert [(o.rid, o.result) for o in outcomes] == [
        (rid, "recorded")
        for rid in (
            "transport-guide",
            "ring-buffer-notes",
            "issue-4242",
            "bubbles-paper",
            "stageflow",
        )
    ]
    # Only the pending hand-fetched resource changes: status and the files it lists.
    assert manifest.read_text() == before.replace(
        '    status: pending\n    local_paths: []\n    notes: "Fetched with gh api',
        "    status: fetched\n    local_paths:\n"
        "      - sources/issue-4242/raw/comments.json\n"
        "      - sources/issue-4242/raw/issue.json\n"
        '    notes: "Fetched with gh api',
    )
    prov = json.loads((root / "sources/transport-guide/raw/provenance.json").read_text())
    env = prov["artifacts"]["subpages/env.html"]
    assert env["url"] == "https://docs.example.com/transport/env.html"
    assert env["recorded"] == "recorded, not fetched" and "fetched_at" not in env
    assert {(f["rule"], f["path"]) for f in findings(refs_cli, root)} == {
        (rule, path) for rule, _, path, _ in PLANTED if rule != "raw-unrecorded"
    }
    # fetched in substance: converts
    assert refs_cli(root, "convert", "issue-4242").returncode == 0


def test_strict_build_fails_only_on_the_broken_citations_and_passes_without_them(root, tmp_path):
    assert not (root / "docs_gen").exists()  # nothing but his files and our mkdocs.yml
    failed = build(root, tmp_path / "broken")
    warnings = [w for w in failed.stderr.splitlines() if w.startswith("WARNING")]
    assert failed.returncode != 0 and len(warnings) == 2, failed.stderr
    assert "refs/resources/bubbles-paper.md: claim 2" in warnings[0] and TYPO in warnings[0]
    assert "refs/resources/stageflow.md: claim 3" in warnings[1] and "demo-notes.md" in warnings[1]
    card = root / "refs/resources/bubbles-paper.md"
    card.write_text(card.read_text().replace(TYPO, "4211-node-types"))
    card = root / "refs/resources/stageflow.md"
    card.write_text(card.read_text().replace("demo-notes.md#two-stages", "full.md#file-tree"))
    site = tmp_path / "site"
    ok = build(root, site)
    assert ok.returncode == 0, ok.stderr
    assert "WARNING" not in ok.stderr
    assert not (site / "manifest.yaml").exists() and not (site / "resources").exists()

    def page(src: str) -> BeautifulSoup:
        return BeautifulSoup((site / src / "index.html").read_text(encoding="utf-8"), "lxml")

    home = page("")
    tabs = [a.get_text(strip=True) for a in home.select(".md-tabs__link")]
    assert tabs[-2:] == ["Curriculum", "Guides"]
    guide = page("refs/reading-guide")
    nav = [a.get_text(strip=True) for a in guide.select("nav.md-nav a.md-nav__link--active")]
    assert "Reading guide" in nav
    links = {a.get_text(strip=True): a["href"] for a in guide.select("article a[href]")}
    assert links["Stageflow card"] == "../resources/stageflow/"  # written from the repo root
    assert links["topic 2"] == "../topics/02-schedules/"
    for href in links.values():
        if not href.startswith(("#", "http")):
            target = (site / "refs/reading-guide" / href.split("#")[0]).resolve()
            assert (target / "index.html").is_file(), href
    assert "scope-drd/notes/stage-plan.md" in guide.select_one("article").get_text()
    assert (site / "refs/v2-workers-crosswalk/index.html").is_file()
    stageflow = page("refs/resources/stageflow")
    cited = [a["href"] for a in stageflow.select("a.refs-evidence")]
    assert "../../../sources/stageflow/full-paper/#3-design" in cited  # his second conversion
    assert (site / "sources/stageflow/full-paper/index.html").is_file()
    h1 = page("refs/topics/25-cross-rank-tracing").select_one("article h1")
    assert h1.get_text(strip=True).startswith("Topic 25: Cross-rank tracing")
    header = (
        page("sources/ring-buffer-notes/full").select_one("dl.refs-source-header").get_text(" ")
    )
    assert "A. Writer" in header and "buffers, rings" in header and "412" in header
    header = page("sources/bubbles-paper/full").select_one("dl.refs-source-header").get_text(" ")
    assert "Authors" in header and "Jane Doe, Rui Tan" in header
    header = page("sources/transport-guide/full").select_one("dl.refs-source-header").get_text(" ")
    assert "Front matter" not in header and "Author" not in header  # a docs page has none


def test_mkdocs_serve_works_in_his_repository(root):
    with mkdocs_serve(root) as base:
        html = urllib.request.urlopen(base + "refs/reading-guide/", timeout=60).read().decode()
        assert "Reading guide" in html
        html = (
            urllib.request.urlopen(base + "refs/topics/02-schedules/", timeout=60).read().decode()
        )
        assert "Topic 2: Pipeline schedules" in html
