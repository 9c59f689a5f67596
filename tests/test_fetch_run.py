"""Many resources at once: all-or-nothing per resource, the manifest, re-fetches, limits."""

from __future__ import annotations

import json

from fetch_helpers import Reply, Server, entry, gz, html_page, make_library, pdf_bytes, tar_gz, tree

from extract.fetch import Options, fetch_resources
from extract.fetch.dispatch import Endpoints
from extract.fetch.http import HttpConfig
from extract.library import Library


def fast(**kw) -> HttpConfig:
    values = dict(connect_timeout=2, read_timeout=0.5, retries=1, backoff=0.01, max_wait=3)
    return HttpConfig(**{**values, **kw})


def ep(s: Server) -> Endpoints:
    return Endpoints(arxiv=s.base, github_api=s.base, github_raw=s.base + "/raw")


def test_a_failed_resource_stays_pending_and_leaves_nothing(tmp_path):
    with Server() as s:
        s.route("/abs/2401.00001", Reply(body=html_page("ok abstract")))
        s.route("/pdf/2401.00001", Reply(body=pdf_bytes("x"), cut=100))  # always cut short
        s.route("/good.html", Reply(body=html_page("good")))
        lib = make_library(
            tmp_path,
            [
                entry(
                    "broken", ["https://arxiv.org/abs/2401.00001"], type="paper", comment="keep me"
                ),
                entry("good", [s.url("/good.html")]),
            ],
        )
        before = lib.manifest_path.read_text()
        outs = fetch_resources(
            lib, lib.select(everything=True), Options(jobs=2), config=fast(), endpoints=ep(s)
        )
    broken, good = outs
    assert broken.result == "failed" and "broke off" in broken.message
    assert good.result == "fetched"
    assert not lib.source_dir("broken").exists()  # not even the abstract that did arrive
    lib.reload()
    assert lib.resource("broken").status == "pending" and lib.resource("broken").local_paths == []
    assert lib.resource("good").status == "fetched"
    text = lib.manifest_path.read_text()
    assert "# keep me" in text and "# Fixture manifest" in text
    assert text.replace("status: fetched", "status: pending") != before  # only good changed
    assert text.count("status: pending") == 1


def test_failure_of_a_refetch_keeps_the_previous_artifacts(tmp_path):
    with Server() as s:
        first = html_page("v1")
        s.route("/p.html", Reply(body=first), Reply(500, b"down"))
        lib = make_library(tmp_path, [entry("p", [s.url("/p.html")])])
        fetch_resources(lib, lib.select(["p"]), Options(), config=fast(), endpoints=ep(s))
        prov = (lib.raw_dir("p") / "provenance.json").read_bytes()
        [out] = fetch_resources(
            lib, lib.select(["p"]), Options(force=True), config=fast(), endpoints=ep(s)
        )
    assert out.result == "failed" and "HTTP 500" in out.message
    assert tree(lib.source_dir("p")) == ["raw/page.html", "raw/provenance.json"]
    assert (lib.raw_dir("p") / "page.html").read_bytes() == first
    assert (lib.raw_dir("p") / "provenance.json").read_bytes() == prov


def test_per_host_limit_holds_with_many_jobs(tmp_path):
    with Server(delay=0.1) as s:
        entries = []
        for i in range(10):
            s.route(f"/r{i}.html", Reply(body=html_page(f"r{i}")))
            entries.append(entry(f"r{i}", [s.url(f"/r{i}.html")]))
        lib = make_library(tmp_path, entries)
        outs = fetch_resources(
            lib, lib.select(everything=True), Options(jobs=8), config=fast(), endpoints=ep(s)
        )
        assert all(o.result == "fetched" for o in outs)
        assert s.max_in_flight <= 2
        assert s.max_in_flight == 2  # and the two slots were used


def test_refetch_is_conditional_and_reports_unchanged_and_changed(tmp_path):
    with Server() as s:
        page_v1, page_v2 = html_page("v1"), html_page("v2")
        s.route("/same.html", Reply(body=page_v1, etag='"e1"'))
        s.route("/moving.html", Reply(body=page_v1, etag='"m1"'), Reply(body=page_v2, etag='"m2"'))
        lib = make_library(
            tmp_path, [entry("two", [s.url("/same.html"), s.url("/moving.html")], status="pending")]
        )
        [first] = fetch_resources(
            lib, lib.select(["two"]), Options(), config=fast(), endpoints=ep(s)
        )
        assert sorted(first.artifacts) == [("moving.html", "new"), ("page.html", "new")]
        prov1 = json.loads((lib.raw_dir("two") / "provenance.json").read_text())
        # Pretend Tier 2 ran: a re-fetch must not move the status back.
        lib.manifest.set_fields("two", status="converted")
        lib.manifest.save()
        lib.reload()
        [skipped] = fetch_resources(
            lib, lib.select(["two"]), Options(), config=fast(), endpoints=ep(s)
        )
        assert skipped.result == "skipped" and "--force" in skipped.message
        [again] = fetch_resources(
            lib, lib.select(["two"]), Options(force=True), config=fast(), endpoints=ep(s)
        )
        assert again.result == "refreshed", again.message
        assert dict(again.artifacts) == {"page.html": "unchanged", "moving.html": "changed"}
        assert s.headers_of("/same.html")[1]["If-None-Match"] == '"e1"'
        assert "If-None-Match" not in s.headers_of("/same.html")[0]
    raw = lib.raw_dir("two")
    assert (raw / "page.html").read_bytes() == page_v1
    assert (raw / "moving.html").read_bytes() == page_v2
    prov2 = json.loads((raw / "provenance.json").read_text())["artifacts"]
    assert prov2["page.html"]["fetched_at"] == prov1["artifacts"]["page.html"]["fetched_at"]
    assert "checked_at" in prov2["page.html"]
    assert prov2["moving.html"]["etag"] == '"m2"'
    lib.reload()
    assert lib.resource("two").status == "converted"


def test_a_file_changed_on_disk_is_fetched_again_not_revalidated(tmp_path):
    with Server() as s:
        body = html_page("v1")
        s.route("/p.html", Reply(body=body, etag='"e1"'))
        lib = make_library(tmp_path, [entry("p", [s.url("/p.html")])])
        fetch_resources(lib, lib.select(["p"]), Options(), config=fast(), endpoints=ep(s))
        (lib.raw_dir("p") / "page.html").write_bytes(b"tampered")
        lib.reload()
        [out] = fetch_resources(
            lib, lib.select(["p"]), Options(force=True), config=fast(), endpoints=ep(s)
        )
        assert "If-None-Match" not in s.headers_of("/p.html")[1]
    assert dict(out.artifacts) == {"page.html": "unchanged"}  # same bytes as recorded
    assert (lib.raw_dir("p") / "page.html").read_bytes() == body


def test_an_eprint_that_changes_kind_replaces_the_old_file(tmp_path):
    with Server() as s:
        s.route("/abs/2401.00002", Reply(body=html_page("a")))
        s.route("/pdf/2401.00002", Reply(body=pdf_bytes("b"), content_type="application/pdf"))
        s.route(
            "/e-print/2401.00002",
            Reply(body=gz(b"\\documentclass{article}\n" * 30)),
            Reply(body=tar_gz({"main.tex": b"\\documentclass{article}\n"})),
            Reply(body=pdf_bytes("b"), content_type="application/pdf"),
        )
        lib = make_library(
            tmp_path, [entry("e", ["https://arxiv.org/abs/2401.00002"], type="paper")]
        )
        fetch_resources(lib, lib.select(["e"]), Options(), config=fast(), endpoints=ep(s))
        raw = lib.raw_dir("e")
        assert "arxiv-eprint.gz" in tree(raw)
        lib.reload()
        [out] = fetch_resources(
            lib, lib.select(["e"]), Options(force=True), config=fast(), endpoints=ep(s)
        )
        assert dict(out.artifacts)["arxiv-eprint.tar.gz"] == "changed"
        assert tree(raw) == ["abstract.html", "arxiv-eprint.tar.gz", "paper.pdf", "provenance.json"]
        lib.reload()
        fetch_resources(lib, lib.select(["e"]), Options(force=True), config=fast(), endpoints=ep(s))
        assert tree(raw) == ["abstract.html", "paper.pdf", "provenance.json"]
        prov = json.loads((raw / "provenance.json").read_text())
        assert sorted(prov["artifacts"]) == ["abstract.html", "paper.pdf"]
        assert prov["not_stored"]["arxiv-eprint"]["kind"] == "pdf"


def test_dry_run_plans_without_network_or_writes(tmp_path):
    lib = make_library(
        tmp_path,
        [
            entry(
                "paper",
                ["https://arxiv.org/abs/2401.10241", "https://github.com/o/r"],
                type="paper",
            ),
            entry("issue", ["https://github.com/o/r/issues/3"], type="code"),
        ],
    )
    before = lib.manifest_path.read_bytes()
    outs = fetch_resources(
        lib, lib.select(everything=True), Options(dry_run=True), config=fast(connect_timeout=0.01)
    )
    assert [o.result for o in outs] == ["planned", "planned"]
    names = [n for n, _ in outs[0].artifacts]
    assert names[:2] == ["abstract.html", "paper.pdf"] and names[-1].startswith("repo/")
    assert [n for n, _ in outs[1].artifacts] == ["issue.json", "comments.json"]
    assert lib.manifest_path.read_bytes() == before
    assert tree(tmp_path) == ["refs/manifest.yaml"]


def test_provenance_lists_the_resource_urls_in_order(tmp_path):
    with Server() as s:
        s.route("/b.html", Reply(body=html_page("b")))
        s.route("/a.html", Reply(body=html_page("a")))
        urls = [s.url("/b.html"), s.url("/a.html")]
        lib = make_library(tmp_path, [entry("x", urls)])
        fetch_resources(lib, lib.select(["x"]), Options(), config=fast(), endpoints=ep(s))
    prov = json.loads((lib.raw_dir("x") / "provenance.json").read_text())
    assert prov["urls"] == urls and prov["resource"] == "x"
    assert prov["artifacts"]["page.html"]["url"] == urls[0]


def test_a_manifest_edited_during_the_fetch_keeps_the_edit_and_records_the_fetch(tmp_path):
    with Server() as s:
        s.route("/a.html", Reply(body=html_page("a")))
        s.route("/b.html", Reply(body=html_page("b")))
        lib = make_library(
            tmp_path, [entry("a", [s.url("/a.html")]), entry("b", [s.url("/b.html")])]
        )
        text = lib.manifest_path.read_text()
        at = text.index("  - id: b")
        edited = text[:at] + text[at:].replace("notes: ''", "notes: 'a person edits b'")
        edited += "# a person's edit while fetching\n"

        def edit(_outcome):  # runs on the main thread before the batch saves
            lib.manifest_path.write_text(edited)

        [out] = fetch_resources(
            lib, lib.select(["a"]), Options(), config=fast(), endpoints=ep(s), on_done=edit
        )
    assert out.result == "fetched", out.message
    text = lib.manifest_path.read_text()
    assert "notes: 'a person edits b'" in text and "# a person's edit while fetching" in text
    fresh = Library(tmp_path)
    assert (
        fresh.resource("a").status == "fetched" and fresh.resource("b").notes == "a person edits b"
    )


def test_an_edit_of_the_same_field_during_the_fetch_stops_with_nothing_lost(tmp_path):
    with Server() as s:
        s.route("/a.html", Reply(body=html_page("a")))
        lib = make_library(tmp_path, [entry("a", [s.url("/a.html")])])
        edited = lib.manifest_path.read_text().replace("status: pending", "status: link_only")

        def edit(_outcome):
            lib.manifest_path.write_text(edited)

        [out] = fetch_resources(
            lib, lib.select(["a"]), Options(), config=fast(), endpoints=ep(s), on_done=edit
        )
    assert out.result == "failed" and "manifest was not updated" in out.message
    assert "changed on disk" in out.message and "`a` field `status`" in out.message
    assert lib.manifest_path.read_text() == edited
    assert (lib.raw_dir("a") / "page.html").is_file()  # the artifacts themselves are kept


def test_jobs_bound_the_requests_in_flight_over_all_hosts(tmp_path):
    from contextlib import ExitStack

    from fetch_helpers import Gauge

    overall = Gauge()
    with ExitStack() as stack:
        servers = [stack.enter_context(Server(delay=0.05, overall=overall)) for _ in range(4)]
        entries = []
        for i in range(12):
            s = servers[i % 4]
            s.route(f"/p{i}.html", Reply(body=html_page(f"p{i}")))
            entries.append(entry(f"p{i}", [s.url(f"/p{i}.html")]))
        lib = make_library(tmp_path, entries)
        outs = fetch_resources(lib, lib.select(everything=True), Options(jobs=3), config=fast())
    assert all(o.result == "fetched" for o in outs)
    assert overall.max <= 3


def test_force_on_a_condensed_resource_keeps_it_condensed(tmp_path):
    with Server() as s:
        s.route("/a.html", Reply(body=html_page("a")))
        s.route("/b.html", Reply(body=html_page("b")))
        lib = make_library(tmp_path, [entry("c", [s.url("/a.html")], status="condensed")])
        [skipped] = fetch_resources(
            lib, lib.select(["c"]), Options(), config=fast(), endpoints=ep(s)
        )
        assert skipped.result == "skipped"
        assert s.requests == []
        [out] = fetch_resources(
            lib, lib.select(["c"]), Options(force=True), config=fast(), endpoints=ep(s)
        )
    assert out.result == "fetched", out.message
    lib.reload()
    res = lib.resource("c")
    assert res.status == "condensed" and res.local_paths == ["sources/c/raw/page.html"]


def test_staging_folders_of_a_killed_run_are_cleared_but_a_live_one_is_kept(tmp_path):
    import os

    from extract.staging import Stage

    with Server() as s:
        s.route("/a.html", Reply(body=html_page("a")))
        lib = make_library(tmp_path, [entry("a", [s.url("/a.html")])])
        stale = lib.source_dir("a") / ".fetch-killed"
        recent = lib.source_dir("a") / ".fetch-killed-just-now"
        for folder in (stale, recent):
            folder.mkdir(parents=True)
            (folder / "page.html").write_bytes(b"half")
        os.utime(stale, (0, 0))
        live = Stage(lib.source_dir("a"))  # a run still going holds its folder's lock
        try:
            fetch_resources(lib, lib.select(["a"]), Options(), config=fast(), endpoints=ep(s))
            assert not stale.exists() and not recent.exists() and live.path.is_dir()
        finally:
            live.close()
