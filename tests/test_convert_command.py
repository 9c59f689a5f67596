"""`refs convert` end to end on a tmp library: writes, status, skips, failures."""

from __future__ import annotations

import json

import pytest
from sample_pages import (
    PROJECT_PAGE,
    SPHINX_PAGE,
    STATIC_BLOG,
    comments_json,
    issue_json,
    provenance,
    write,
)

from extract.cli import main
from extract.full_md import parse as parse_front_matter
from extract.full_md import source_digest
from extract.library import Library

BLOG_URL = "https://blog.example.net/2023/04/05/fast-loops.html"
ISSUE_URL = "https://github.com/demo/proj/issues/7"


@pytest.fixture
def lib_root(make_library, tmp_path):
    root = make_library(
        root=tmp_path,
        resources=[
            {"id": "fast-loops", "urls": [BLOG_URL], "type": "blog", "title": "Fast Loops Post"},
            {"id": "stall-issue", "urls": [ISSUE_URL], "type": "code"},
            {"id": "not-yet", "urls": ["https://x.example/a"], "status": "pending"},
            {
                "id": "stageflow",
                "urls": ["https://stageflow.example.io/", "https://github.com/demo/stageflow"],
                "type": "code",
            },
            {
                "id": "guide",
                "urls": ["https://docs.example.org/guide/widgets.html"],
                "type": "docs",
            },
        ],
    )
    raw = root / "sources" / "fast-loops" / "raw"
    write(raw / "page.html", STATIC_BLOG)
    provenance(
        raw, "fast-loops", {"page.html": {"url": BLOG_URL, "fetched_at": "2025-03-04T05:06:07Z"}}
    )
    raw = root / "sources" / "stall-issue" / "raw"
    write(raw / "issue.json", json.dumps(issue_json()))
    write(raw / "comments.json", json.dumps(comments_json()))
    raw = root / "sources" / "stageflow" / "raw"
    write(raw / "page.html", PROJECT_PAGE)
    write(raw / "repo" / "README.md", "# StageFlow\n")
    write(raw / "repo" / "stageflow" / "core.py", "X = 1\n")
    provenance(
        raw,
        "stageflow",
        {
            "page.html": {
                "url": "https://stageflow.example.io/",
                "fetched_at": "2025-05-06T00:00:00Z",
            },
            "repo/README.md": {
                "url": "https://raw.githubusercontent.com/demo/stageflow/HEAD/README.md",
                "fetched_at": "2025-05-05T00:00:00Z",
            },
        },
    )
    raw = root / "sources" / "guide" / "raw"
    write(raw / "page.html", SPHINX_PAGE.replace('href="intro.html"', 'href="sub/b.html"'))
    write(raw / "subpages" / "a.html", "<article><h1>Page A</h1><p>Alpha text.</p></article>")
    write(
        raw / "subpages" / "sub" / "b.html", "<article><h1>Page B</h1><p>Beta text.</p></article>"
    )
    provenance(
        raw,
        "guide",
        {
            "page.html": {"url": "https://docs.example.org/guide/widgets.html"},
            "subpages/a.html": {"url": "https://docs.example.org/guide/a.html"},
            "subpages/sub/b.html": {"url": "https://docs.example.org/guide/sub/b.html"},
        },
    )
    return root


def refs(root, *args) -> int:
    return main(["--root", str(root), "convert", *args])


def full_md(root, rid) -> str:
    return (root / "sources" / rid / "full.md").read_text(encoding="utf-8")


def test_convert_one_resource_writes_full_md_and_advances(lib_root, capsys):
    assert refs(lib_root, "fast-loops", "--jobs", "1") == 0
    meta, body = parse_front_matter(full_md(lib_root, "fast-loops"))
    body = body.lstrip("\n")
    assert meta == {
        "title": "Fast Loops Post",
        "source_url": BLOG_URL,
        "fetch_date": "2025-03-04",
        "source_type": "blog",
        "author": "Ada Example",
        "conversion_notes": "HTML article from page.html, site chrome removed",
        "source_sha256": source_digest(lib_root / "sources" / "fast-loops" / "raw"),
    }
    assert body.startswith("# Fast Loops\n")
    res = Library.open(lib_root).resource("fast-loops")
    assert res.status == "converted"
    assert res.local_paths == ["sources/fast-loops/full.md"]
    out = capsys.readouterr().out
    assert "1 converted, 0 skipped, 0 failed" in out
    assert "# convert test manifest" in (lib_root / "refs" / "manifest.yaml").read_text()


def test_status_fetched_converts_all_fetched_and_skips_the_rest(lib_root, capsys):
    assert refs(lib_root, "--status", "fetched") == 0
    lib = Library.open(lib_root)
    for rid in ("fast-loops", "stall-issue", "stageflow", "guide"):
        assert lib.resource(rid).status == "converted"
    assert lib.resource("not-yet").status == "pending"
    issue = full_md(lib_root, "stall-issue")
    assert "# Stages stall | under load (#7)" in issue and "### erin — 2024-02-05" in issue
    assert 'author: "carol"' in issue or "author: carol" in issue


def test_multi_artifact_resource_gets_one_document(lib_root):
    assert refs(lib_root, "stageflow") == 0
    meta, body = parse_front_matter(full_md(lib_root, "stageflow"))
    body = body.lstrip("\n")
    assert meta["fetch_date"] == "2025-05-05"  # earliest artifact
    assert body.startswith("# StageFlow: Overlapping Stages\n")
    assert "\n## demo/stageflow\n\nSource: https://github.com/demo/stageflow\n" in body
    assert "\n### File: stageflow/core.py\n" in body  # the repo's headings moved one level down
    assert body.index("## Abstract") < body.index("## demo/stageflow")


def test_subpages_join_in_table_of_contents_order(lib_root):
    assert refs(lib_root, "guide") == 0
    body = full_md(lib_root, "guide")
    # page.html links to sub/b.html before a.html is mentioned anywhere: B comes first.
    assert body.index("## Page B") < body.index("## Page A")
    assert "Source: https://docs.example.org/guide/sub/b.html" in body
    assert "subpage(s) joined" in body.split("---", 2)[1]


def test_not_fetched_is_a_clear_skip_and_exit_1_when_named(lib_root, capsys):
    assert refs(lib_root, "not-yet") == 1
    out = capsys.readouterr().out
    assert "not fetched yet; run `refs fetch not-yet` first" in out
    assert not (lib_root / "sources" / "not-yet" / "full.md").exists()


def test_already_converted_skipped_unless_forced(lib_root, capsys):
    assert refs(lib_root, "fast-loops") == 0
    first = full_md(lib_root, "fast-loops")
    capsys.readouterr()
    assert refs(lib_root, "fast-loops") == 0
    assert "already converted (--force redoes it)" in capsys.readouterr().out
    assert refs(lib_root, "fast-loops", "--force") == 0
    assert "(unchanged)" in capsys.readouterr().out
    assert full_md(lib_root, "fast-loops") == first


def test_bad_raw_leaves_previous_full_md_untouched(lib_root, capsys):
    assert refs(lib_root, "stall-issue") == 0
    before = (lib_root / "sources" / "stall-issue" / "full.md").read_bytes()
    write(lib_root / "sources" / "stall-issue" / "raw" / "issue.json", "{broken")
    assert refs(lib_root, "stall-issue", "--force") == 1
    err = capsys.readouterr().err
    assert "issue.json" in err and "is not valid JSON" in err and "previous full.md left" in err
    assert (lib_root / "sources" / "stall-issue" / "full.md").read_bytes() == before
    leftovers = [p.name for p in (lib_root / "sources" / "stall-issue").iterdir()]
    assert sorted(leftovers) == ["full.md", "raw"]  # no temp file left behind


def test_empty_page_fails_that_resource_only(lib_root, capsys):
    write(lib_root / "sources" / "fast-loops" / "raw" / "page.html", "<html><body></body></html>")
    assert refs(lib_root, "--all", "--jobs", "2") == 1
    captured = capsys.readouterr()
    assert "fast-loops" in captured.err and "no article text" in captured.err
    lib = Library.open(lib_root)
    assert lib.resource("fast-loops").status == "fetched"
    assert lib.resource("stall-issue").status == "converted"
    assert "3 converted, 1 skipped, 1 failed" in captured.out


def test_json_report(lib_root, capsys):
    assert refs(lib_root, "stall-issue", "not-yet", "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["result"]) for r in report["results"]] == [
        ("stall-issue", "converted"),
        ("not-yet", "skipped"),
    ]


@pytest.mark.parametrize(
    "args", [[], ["fast-loops", "--all"], ["--all", "--jobs", "-1"]], ids=["none", "both", "jobs"]
)
def test_usage_errors_exit_2(lib_root, args):
    assert refs(lib_root, *args) == 2


def test_a_resource_named_twice_is_converted_once(lib_root, capsys):
    assert refs(lib_root, "fast-loops", "stall-issue", "fast-loops", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["result"]) for r in report["results"]] == [
        ("fast-loops", "converted"),
        ("stall-issue", "converted"),
    ]


def test_an_eprint_nested_too_deeply_fails_and_converts_nothing(make_library, tmp_path, capsys):
    """Issue 24 item 6: it exited 0, "converted", with an abstract-only full.md."""
    from sample_papers import META_ONLY_HTML, tar_gz

    url = "https://arxiv.org/abs/2001.00001"
    root = make_library(root=tmp_path, resources=[{"id": "deep", "urls": [url], "type": "paper"}])
    raw = root / "sources" / "deep" / "raw"
    write(raw / "abstract.html", META_ONLY_HTML)
    deep = "\\documentclass{article}\\begin{document}" + "{" * 5000 + "x" + "}" * 5000
    tar_gz(raw / "arxiv-eprint.tar.gz", {"main.tex": deep})
    provenance(raw, "deep", {"abstract.html": {"url": url}})
    capsys.readouterr()
    assert refs(root, "deep") == 1
    err = capsys.readouterr().err
    assert "arxiv-eprint.tar.gz" in err and "too deeply" in err and "Traceback" not in err
    assert not (root / "sources" / "deep" / "full.md").exists()
    assert Library(root).resource("deep").status == "fetched"


def test_a_batch_saves_the_manifest_once_and_not_when_nothing_changed(lib_root):
    manifest = lib_root / "refs" / "manifest.yaml"
    assert refs(lib_root, "--status", "fetched", "--jobs", "2") == 0
    lib = Library.open(lib_root)
    for rid in ("fast-loops", "stall-issue", "stageflow", "guide"):
        assert lib.resource(rid).status == "converted"
        assert f"sources/{rid}/full.md" in lib.resource(rid).local_paths
    before = manifest.read_bytes()
    # Converted again to the same status and paths: the manifest has nothing to record.
    assert refs(lib_root, "--all", "--force", "--jobs", "2") == 0
    assert manifest.read_bytes() == before


def test_a_stopped_batch_records_what_arrived(lib_root):
    """Ctrl-C after the first result: its full.md is written and the manifest says so;
    the resources not reached stay fetched."""
    from extract.convert.batch import Options, convert_resources

    lib = Library.open(lib_root)
    seen = []

    def stop_after_first(outcome):
        seen.append(outcome.rid)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        convert_resources(
            lib,
            lib.select(["fast-loops", "stall-issue"]),
            Options(jobs=1),
            on_done=stop_after_first,
        )
    again = Library.open(lib_root)
    assert seen == ["fast-loops"]
    assert again.resource("fast-loops").status == "converted"
    assert again.resource("stall-issue").status == "fetched"


def test_raw_size_is_every_byte_a_conversion_reads(lib_root):
    """The cost `convert_resources` orders its work by (largest first): subpages count."""
    from extract.convert.batch import raw_size

    raw = lib_root / "sources" / "guide" / "raw"
    assert raw_size(raw) == sum(p.stat().st_size for p in raw.rglob("*") if p.is_file())
    assert raw_size(raw) > raw_size(lib_root / "sources" / "stall-issue" / "raw") > 0
    assert raw_size(lib_root / "sources" / "not-yet" / "raw") == 0  # no folder: nothing to read
