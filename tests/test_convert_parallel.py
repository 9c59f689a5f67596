"""`refs convert --all` in worker processes writes what a serial run writes.

A library of several kinds (a blog page, a GitHub issue, a docs guide with subpages,
PDF papers) and one broken resource is converted twice, serially and with worker
processes: the same full.md files byte for byte, the same report in the same order,
the same manifest; the broken one fails alone and keeps its previous full.md. A
batch stopped after its first result keeps that result, leaves the rest as they
were and no worker behind.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import time

import pytest
from sample_pages import SPHINX_PAGE, STATIC_BLOG, issue_json, provenance, write
from sample_papers import make_pdf

from extract.cli import main
from extract.library import Library

BROKEN = "broken-paper"
PREVIOUS = "# An earlier conversion\n\nKept when the raw artifact can no longer be read.\n"


def _paper(title: str) -> list[list[tuple[str, float, bool]]]:
    body = f"{title} splits the denoiser into stages that run one after another. " * 6
    return [
        [
            (title, 16, True),
            ("", 0, False),
            ("1 Introduction", 12, True),
            *[(body[i : i + 90], 10, False) for i in range(0, len(body), 90)],
            ("2 Method", 12, True),
            ("Stages exchange latents through bounded queues.", 10, False),
        ],
        [("3 Results", 12, True), ("Throughput grows with the number of stages.", 10, False)],
    ]


@pytest.fixture
def library(make_library, tmp_path):
    papers = [f"paper-{n}" for n in range(1, 4)]
    resources = [
        {"id": "blog", "urls": ["https://blog.example.net/loops.html"], "type": "blog"},
        {"id": "issue", "urls": ["https://github.com/demo/proj/issues/7"], "type": "code"},
        {"id": "guide", "urls": ["https://docs.example.org/guide/"], "type": "docs"},
        *[
            {"id": p, "urls": [f"https://papers.example.org/{p}.pdf"], "type": "paper"}
            for p in papers
        ],
        {
            "id": BROKEN,
            "urls": ["https://papers.example.org/broken.pdf"],
            "type": "paper",
            "status": "converted",
        },
    ]
    root = make_library(root=tmp_path / "lib", resources=resources)
    sources = root / "sources"
    write(sources / "blog" / "raw" / "page.html", STATIC_BLOG)
    provenance(
        sources / "blog" / "raw",
        "blog",
        {"page.html": {"url": "https://blog.example.net/loops.html"}},
    )
    write(sources / "issue" / "raw" / "issue.json", json.dumps(issue_json()))
    raw = sources / "guide" / "raw"
    write(raw / "page.html", SPHINX_PAGE.replace('href="intro.html"', 'href="b.html"'))
    write(raw / "subpages" / "a.html", "<article><h1>Page A</h1><p>Alpha text.</p></article>")
    write(raw / "subpages" / "b.html", "<article><h1>Page B</h1><p>Beta text.</p></article>")
    provenance(
        raw,
        "guide",
        {
            "page.html": {"url": "https://docs.example.org/guide/"},
            "subpages/a.html": {"url": "https://docs.example.org/guide/a.html"},
            "subpages/b.html": {"url": "https://docs.example.org/guide/b.html"},
        },
    )
    for n, rid in enumerate(papers, 1):
        (sources / rid / "raw").mkdir(parents=True)
        make_pdf(sources / rid / "raw" / "paper.pdf", _paper(f"Stage Paper {n}"), header="Preprint")
    write(sources / BROKEN / "raw" / "paper.pdf", "%PDF-1.4 truncated in transit")
    write(sources / BROKEN / "full.md", PREVIOUS)
    return root


def _convert(root, *args, capsys) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["--root", str(root), "convert", "--all", "--force", "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def _written(root) -> dict[str, bytes]:
    return {p.parent.name: p.read_bytes() for p in sorted(root.glob("sources/*/full.md"))}


def test_workers_write_what_a_serial_run_writes(library, tmp_path, capsys):
    parallel = tmp_path / "parallel"
    shutil.copytree(library, parallel)
    serial_code, serial = _convert(library, "--jobs", "1", capsys=capsys)
    parallel_code, report = _convert(parallel, "--jobs", "3", capsys=capsys)

    assert serial_code == parallel_code == 1  # the broken paper fails in both
    assert report == serial  # same results, same messages, in the selection's order
    ids = [r["id"] for r in report["results"]]
    assert ids == [r.id for r in Library.open(library).manifest.resources.values()]
    results = {r["id"]: r for r in report["results"]}
    assert results[BROKEN]["result"] == "failed"
    assert "previous full.md left as it was" in results[BROKEN]["message"]
    assert all(r["result"] == "converted" for rid, r in results.items() if rid != BROKEN)

    written = _written(parallel)
    assert written == _written(library)
    assert written[BROKEN] == PREVIOUS.encode()  # lost nothing
    assert "Stage Paper 2" in written["paper-2"].decode() and b"Page B" in written["guide"]
    manifest = "refs/manifest.yaml"
    assert (parallel / manifest).read_bytes() == (library / manifest).read_bytes()
    lib = Library.open(parallel)
    assert all(lib.resource(rid).status == "converted" for rid in results)


def test_a_parallel_batch_stopped_midway_keeps_what_arrived(library):
    """Ctrl-C after the first result of a batch in worker processes: that result is
    written and recorded, the others stay as they were, no worker outlives it."""
    from extract.convert.batch import Options, convert_resources

    lib = Library.open(library)
    arrived = []

    def stop_after_first(outcome):
        arrived.append(outcome.rid)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        convert_resources(
            lib,
            lib.select([], everything=True),
            Options(jobs=2, force=True),
            on_done=stop_after_first,
        )
    deadline = time.monotonic() + 30  # killed; the kernel may take a moment to reap them
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not multiprocessing.active_children()
    assert len(arrived) == 1
    first = arrived[0]
    again = Library.open(library)  # the manifest on disk reads back whole
    for res in again.manifest.resources.values():
        full_md = library / "sources" / res.id / "full.md"
        if res.id == first:
            assert res.status == "converted" and full_md.is_file()
        elif res.id == BROKEN:
            assert full_md.read_text(encoding="utf-8") == PREVIOUS
        else:
            assert res.status == "fetched" and not full_md.exists()
    assert not [p for p in library.rglob("*") if p.name.endswith(".tmp")]


def test_a_conversion_that_kills_its_worker_fails_alone(library, tmp_path, capsys, monkeypatch):
    """A worker that dies (as PDFium crashing on a hostile PDF, or the out-of-memory
    killer, would end it) breaks the pool; the resources it took down with it are
    converted again one by one, and only the one that kills its process fails."""
    import os

    from extract.convert import batch

    serial = tmp_path / "serial"
    shutil.copytree(library, serial)
    _convert(serial, "--jobs", "1", capsys=capsys)
    real = batch.convert_one

    busy = tmp_path / "guide-started"

    def convert_one(raw_dir, meta):
        # The crash comes while the other worker is busy with the guide: the pool then
        # stops that worker too (SIGTERM), which must end it, not reach its converter.
        if raw_dir.endswith(os.path.join("paper-2", "raw")):
            deadline = time.monotonic() + 60
            while not busy.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            os._exit(70)  # the worker ends on the spot, as a crash ends it
        if raw_dir.endswith(os.path.join("guide", "raw")):
            busy.touch()
            time.sleep(2)
        return real(raw_dir, meta)

    # Workers are forked from this process, so they convert with this function too.
    monkeypatch.setattr(batch, "convert_one", convert_one)
    code, report = _convert(library, "--jobs", "2", capsys=capsys)

    assert code == 1
    results = {r["id"]: r for r in report["results"]}
    assert [r["id"] for r in report["results"]] == list(results)  # the selection's order
    assert results["paper-2"]["result"] == "failed"
    assert "ended the worker process" in results["paper-2"]["message"]
    assert "previous full.md left as it was" in results["paper-2"]["message"]
    assert results[BROKEN]["result"] == "failed"
    converted = {rid for rid, r in results.items() if r["result"] == "converted"}
    assert converted == set(results) - {"paper-2", BROKEN}
    written, expected = _written(library), _written(serial)
    assert "paper-2" not in written
    assert written == {rid: text for rid, text in expected.items() if rid != "paper-2"}
    lib = Library.open(library)
    assert lib.resource("paper-2").status == "fetched"
    assert all(lib.resource(rid).status == "converted" for rid in converted)
