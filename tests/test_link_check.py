"""The built-site link checker (`docs_gen.link_check`) on a small site written here:
it finds links to missing pages and missing anchors, and nothing else."""

from __future__ import annotations

from pathlib import Path

from docs_gen.link_check import check_site


def page(body: str) -> str:
    return f"<!doctype html><html><head><link href='../assets/s.css' rel=stylesheet></head><body>{body}</body></html>"


def test_missing_pages_and_anchors_are_found(tmp_path: Path):
    files = {
        "index.html": "<h1 id='top'>Home</h1><a href='a/'>a</a><a href='a/#sec'>sec</a>"
        "<a href='a/#nope'>nope</a><a href='b/'>b</a><a href='#top'>top</a>"
        "<a href='#gone'>gone</a><a href='https://example.org/x'>out</a>"
        "<a href='mailto:x@example.org'>m</a><a href='http://127.0.0.1/a/#sec'>abs</a>"
        "<a href='http://127.0.0.1/c/'>abs missing</a><img src='img/p.png'>",
        "a/index.html": "<h2 id='sec'>S</h2><a name='named'></a>"
        "<a href='../index.html#top'>up</a><a href='#named'>n</a><a href='../../x/'>above</a>",
        "assets/s.css": "",
    }
    for rel, body in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(page(body) if rel.endswith(".html") else body)
    (tmp_path / "index.html").write_text(page(files["index.html"]).replace("../assets", "assets"))
    report = check_site(tmp_path, host="127.0.0.1")
    bad = {(b.page, b.href, b.kind) for b in report.bad}
    assert bad == {
        ("index.html", "a/#nope", "anchor"),
        ("index.html", "b/", "page"),
        ("index.html", "#gone", "anchor"),
        ("index.html", "http://127.0.0.1/c/", "page"),
        ("index.html", "img/p.png", "page"),
        ("a/index.html", "../../x/", "page"),
    }
    assert report.pages == 2
    assert (report.count("page"), report.count("anchor")) == (4, 2)
