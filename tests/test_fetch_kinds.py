"""Each kind of URL end to end against local servers: artifacts byte-identical, provenance right."""

from __future__ import annotations

import json

import pytest
from http_server import Reply, Server, gz, html_page, pdf_bytes, sha256, tar_gz
from sample_library import entry, tree

from extract.fetch import Options, fetch_resources
from extract.fetch.dispatch import Endpoints
from extract.fetch.http import USER_AGENT, HttpConfig
from extract.library import Library


def fast(server: Server | None = None, **kw) -> HttpConfig:
    api = server.base if server else "http://127.0.0.1:9"
    values = dict(
        connect_timeout=2, read_timeout=1, retries=2, backoff=0.01, max_wait=3, github_api=api
    )
    return HttpConfig(**{**values, **kw})


def endpoints(server: Server) -> Endpoints:
    return Endpoints(arxiv=server.base, github_api=server.base, github_raw=server.base + "/raw")


def provenance(lib, rid):
    return json.loads((lib.raw_dir(rid) / "provenance.json").read_text())


def test_pages_redirect_and_provenance(make_library, tmp_path):
    with Server() as s:
        first, second = html_page("Guide"), html_page("Env vars")
        s.route("/docs/index.html", Reply(301, headers={"Location": s.url("/docs/v2/index.html")}))
        s.route(
            "/docs/v2/index.html",
            Reply(
                body=first, etag='"a1"', headers={"Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"}
            ),
        )
        s.route("/docs/env.html", Reply(body=second))
        urls = [s.url("/docs/index.html"), s.url("/docs/env.html")]
        lib = Library(make_library(root=tmp_path, entries=[entry("guide", urls, type="docs")]))
        [out] = fetch_resources(
            lib, lib.select(["guide"]), Options(), config=fast(), endpoints=endpoints(s)
        )
        assert out.result == "fetched", out.message
        raw = lib.raw_dir("guide")
        assert (raw / "page.html").read_bytes() == first
        assert (raw / "env.html").read_bytes() == second
        assert tree(raw) == ["env.html", "page.html", "provenance.json"]
        prov = provenance(lib, "guide")
        assert prov["resource"] == "guide"
        page = prov["artifacts"]["page.html"]
        assert page["url"] == urls[0]
        assert page["final_url"] == s.url("/docs/v2/index.html")
        assert page["status"] == 200 and page["kind"] == "html"
        assert page["etag"] == '"a1"' and page["last_modified"].startswith("Mon, 01 Jan 2024")
        assert page["sha256"] == sha256(first) and page["bytes"] == len(first)
        assert page["content_type"].startswith("text/html")
        assert page["fetched_at"].endswith("Z") and "T" in page["fetched_at"]
        assert s.headers_of("/docs/env.html")[0]["User-Agent"] == USER_AGENT
        assert "dit-refs/" in USER_AGENT and "+http" in USER_AGENT
    lib.reload()
    res = lib.resource("guide")
    assert res.status == "fetched"
    assert res.local_paths == ["sources/guide/raw/env.html", "sources/guide/raw/page.html"]


@pytest.mark.parametrize(
    "eprint, name, kind",
    [
        (
            tar_gz({"main.tex": b"\\documentclass{article}\n", "refs.bib": b"@misc{x}\n"}),
            "arxiv-eprint.tar.gz",
            "eprint-tar",
        ),
        (
            gz(b"\\documentclass{article}\n\\begin{document}hi\\end{document}\n" * 40),
            "arxiv-eprint.gz",
            "eprint-gzip",
        ),
    ],
    ids=["tar-gz", "single-gzip"],
)
def test_arxiv_with_source(make_library, tmp_path, eprint, name, kind):
    with Server() as s:
        abstract, paper = html_page("Zero bubbles"), pdf_bytes("paper")
        s.route("/abs/2401.10241", Reply(body=abstract))
        s.route("/pdf/2401.10241", Reply(body=paper, content_type="application/pdf"))
        # Like arXiv: the gzip is labelled a Content-Encoding; it must be kept, not decoded.
        s.route(
            "/e-print/2401.10241",
            Reply(
                body=eprint,
                content_type="application/x-eprint-tar",
                headers={"Content-Encoding": "x-gzip"},
            ),
        )
        lib = Library(
            make_library(
                root=tmp_path,
                entries=[entry("zb", ["https://arxiv.org/abs/2401.10241"], type="paper")],
            )
        )
        [out] = fetch_resources(
            lib, lib.select(["zb"]), Options(), config=fast(), endpoints=endpoints(s)
        )
        assert out.result == "fetched", out.message
    raw = lib.raw_dir("zb")
    assert (raw / "abstract.html").read_bytes() == abstract
    assert (raw / "paper.pdf").read_bytes() == paper
    assert (raw / name).read_bytes() == eprint
    assert tree(raw) == sorted(["abstract.html", "paper.pdf", name, "provenance.json"])
    prov = provenance(lib, "zb")["artifacts"]
    assert prov[name]["kind"] == kind and prov[name]["sha256"] == sha256(eprint)
    assert prov["paper.pdf"]["kind"] == "pdf"
    assert prov["abstract.html"]["url"] == s.url("/abs/2401.10241")


@pytest.mark.parametrize("answer", ["pdf", "404"])
def test_arxiv_without_source(make_library, tmp_path, answer):
    with Server() as s:
        s.route("/abs/2212.09748v2", Reply(body=html_page("DiT")))
        s.route("/pdf/2212.09748v2", Reply(body=pdf_bytes("dit"), content_type="application/pdf"))
        if answer == "pdf":
            s.route(
                "/e-print/2212.09748v2",
                Reply(body=pdf_bytes("dit"), content_type="application/pdf"),
            )
        lib = Library(
            make_library(
                root=tmp_path,
                entries=[entry("dit", ["https://arxiv.org/pdf/2212.09748v2"], type="paper")],
            )
        )
        [out] = fetch_resources(
            lib, lib.select(["dit"]), Options(), config=fast(), endpoints=endpoints(s)
        )
        assert out.result == "fetched", out.message
    raw = lib.raw_dir("dit")
    assert tree(raw) == ["abstract.html", "paper.pdf", "provenance.json"]
    note = provenance(lib, "dit")["not_stored"]["arxiv-eprint"]
    assert note["kind"] == ("pdf" if answer == "pdf" else "none")
    assert "no source" in note["reason"] or "404" in note["reason"]


def test_issue_with_paginated_comments(make_library, tmp_path):
    with Server() as s:
        issue = json.dumps(
            {"number": 7, "title": "Hang in send/recv", "body": "It hangs."}
        ).encode()
        pages = [
            [{"id": i, "body": f"comment {i}"} for i in range(k * 3, k * 3 + 3)] for k in range(3)
        ]
        base = "/repos/octo/proj/issues/7"
        s.route(base, Reply(body=issue, content_type="application/json"))
        links = [
            f'<{s.url(base + "/comments?per_page=100&page=2")}>; rel="next"',
            f'<{s.url(base + "/comments?per_page=100&page=3")}>; rel="next", <{s.url(base + "/comments?per_page=100")}>; rel="first"',
            None,
        ]
        paths = [
            base + "/comments?per_page=100",
            base + "/comments?per_page=100&page=2",
            base + "/comments?per_page=100&page=3",
        ]
        for path, page, link in zip(paths, pages, links, strict=True):
            s.route(
                path,
                Reply(
                    body=json.dumps(page).encode(),
                    content_type="application/json",
                    headers={"Link": link} if link else {},
                ),
            )
        lib = Library(
            make_library(
                root=tmp_path,
                entries=[entry("hang", ["https://github.com/octo/proj/pull/7"], type="code")],
            )
        )
        [out] = fetch_resources(
            lib, lib.select(["hang"]), Options(), config=fast(s), endpoints=endpoints(s)
        )
        assert out.result == "fetched", out.message
        assert all(s.hits_of(p) == 1 for p in paths)
    raw = lib.raw_dir("hang")
    assert (raw / "issue.json").read_bytes() == issue
    merged = json.loads((raw / "comments.json").read_text())
    assert merged == [c for page in pages for c in page]
    prov = provenance(lib, "hang")["artifacts"]
    assert prov["comments.json"]["pages"] == 3
    assert prov["comments.json"]["url"] == s.url(paths[0])
    assert prov["comments.json"]["final_url"] == s.url(paths[2])
    assert prov["comments.json"]["sha256"] == sha256((raw / "comments.json").read_bytes())
    assert prov["issue.json"]["kind"] == "json"


def _repo_routes(s: Server) -> dict[str, bytes]:
    files = {
        "README.md": b"# proj\nA fixture repository.\n",
        "pyproject.toml": b"[project]\nname = 'proj'\n",
        "src/proj/sched.py": b"def schedule():\n    return []\n",
        "src/proj/util.py": b"X = 1\n",
    }
    root = [
        {"name": "README.md", "path": "README.md", "type": "file", "size": 30},
        {"name": "pyproject.toml", "path": "pyproject.toml", "type": "file", "size": 20},
        {"name": "notes.txt", "path": "notes.txt", "type": "file", "size": 5},
        {"name": "src", "path": "src", "type": "dir"},
    ]
    sub = [
        {"name": "sched.py", "path": "src/proj/sched.py", "type": "file"},
        {"name": "util.py", "path": "src/proj/util.py", "type": "file"},
        {"name": "deep", "path": "src/proj/deep", "type": "dir"},
    ]
    js = "application/json"
    s.route("/repos/octo/proj/contents", Reply(body=json.dumps(root).encode(), content_type=js))
    s.route(
        "/repos/octo/proj/contents?ref=main", Reply(body=json.dumps(root).encode(), content_type=js)
    )
    s.route(
        "/repos/octo/proj/contents/src/proj?ref=main",
        Reply(body=json.dumps(sub).encode(), content_type=js),
    )
    for path, data in files.items():
        for ref in ("HEAD", "main"):
            s.route(f"/raw/octo/proj/{ref}/{path}", Reply(body=data, content_type="text/plain"))
    return files


@pytest.mark.parametrize(
    "url_tail, expected",
    [
        ("", ["README.md", "pyproject.toml"]),
        ("/tree/main/src/proj", ["README.md", "src/proj/sched.py", "src/proj/util.py"]),
        ("/blob/main/src/proj/sched.py", ["README.md", "src/proj/sched.py"]),
    ],
)
def test_repo_urls(make_library, tmp_path, url_tail, expected):
    with Server() as s:
        files = _repo_routes(s)
        lib = Library(
            make_library(
                root=tmp_path,
                entries=[entry("proj", ["https://github.com/octo/proj" + url_tail], type="code")],
            )
        )
        [out] = fetch_resources(
            lib, lib.select(["proj"]), Options(), config=fast(s), endpoints=endpoints(s)
        )
        assert out.result == "fetched", out.message
    raw = lib.raw_dir("proj")
    assert tree(raw) == sorted([f"repo/{p}" for p in expected] + ["provenance.json"])
    for p in expected:
        assert (raw / "repo" / p).read_bytes() == files[p]
    prov = provenance(lib, "proj")["artifacts"]
    assert prov["repo/README.md"]["kind"] == "file"


def test_unfetchable_resources_are_skipped(make_library, tmp_path):
    lib = Library(
        make_library(
            root=tmp_path,
            entries=[
                entry("talk", ["https://www.youtube.com/watch?v=x"], type="video"),
                entry("cast", ["https://podcasts.example/x"], type="podcast"),
                entry(
                    "acm", ["https://dl.acm.org/doi/10.1145/1"], type="paper", status="link_only"
                ),
            ],
        )
    )
    outs = fetch_resources(lib, lib.select(everything=True), Options(), config=fast())
    assert [o.result for o in outs] == ["skipped"] * 3
    assert "video" in outs[0].message and "link_only" in outs[2].message
    assert not (tmp_path / "sources").exists()


def test_docs_subpages_follow_the_toc_within_the_prefix(make_library, tmp_path):
    with Server() as s:
        toc = (
            b'<!DOCTYPE html><html><body><nav class="toc"><a href="usage/env.html">Env</a>'
            b'<a href="api/">API</a><a href="../other/x.html">outside</a>'
            b'<a href="http://example.invalid/guide/y.html">elsewhere</a><a href="img.png">pic</a>'
            b'<a href="missing.html">gone</a></nav><p>Intro</p></body></html>'
        )
        s.route("/guide/index.html", Reply(body=toc))
        s.route("/guide/usage/env.html", Reply(body=html_page("Env")))
        s.route("/guide/api/", Reply(body=html_page("API")))
        lib = Library(
            make_library(
                root=tmp_path, entries=[entry("g", [s.url("/guide/index.html")], type="docs")]
            )
        )
        [out] = fetch_resources(
            lib, lib.select(["g"]), Options(subpages=5), config=fast(), endpoints=endpoints(s)
        )
        assert out.result == "fetched", out.message
        assert s.hits_of("/other/x.html") == 0
    raw = lib.raw_dir("g")
    assert tree(raw) == [
        "page.html",
        "provenance.json",
        "subpages/api/index.html",
        "subpages/usage/env.html",
    ]
    assert any("missing.html" in w for w in out.warnings)
