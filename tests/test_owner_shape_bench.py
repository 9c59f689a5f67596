"""bench/owner_shape.py: the stand-in library has the owner's resources with the names
of his raw files, each filled from a corpus folder of the same shape, and converts."""

from __future__ import annotations

from scripts_as_modules import load_script

from extract.convert.run import convert_one
from extract.library import Library

owner_shape = load_script("bench/owner_shape.py")

PAGE = "<html><head><title>{0}</title></head><body><main><h1>{0}</h1>{1}</main></body></html>"


def _corpus(root):
    """A corpus written here: two HTML pages, an issue, and the owner's FILES.txt and
    manifest naming four resources of other shapes."""
    for name, words in (("blog-a", "alpha " * 200), ("blog-b", "beta " * 200)):
        raw = root / name / "raw"
        raw.mkdir(parents=True)
        para = f"<h2>Part</h2><p>{words}</p>"
        (raw / "page.html").write_text(PAGE.format(name, para), encoding="utf-8")
    issue = root / "some-issue" / "raw"
    issue.mkdir(parents=True)
    (issue / "issue.json").write_text(
        '{"title": "A bug", "body": "It fails.", "number": 7, "user": {"login": "x"},'
        ' "html_url": "https://github.com/o/r/issues/7", "created_at": "2026-01-01T00:00:00Z",'
        ' "state": "open", "comments": 0, "labels": []}',
        encoding="utf-8",
    )
    owner = root / "owner-library"
    (owner / "refs").mkdir(parents=True)
    (owner / "FILES.txt").write_text(
        "\n".join(
            [
                "refs/manifest.yaml",
                "sources/his-blog/raw/page.html",
                "sources/his-blog/full.md",
                "sources/his-other-blog/raw/page.html",
                "sources/his-issue/raw/issue.json",
                "sources/his-issue/raw/comments.json",
                "sources/his-guide/raw/page.html",
                "sources/his-guide/raw/subpages/usage.html",
                "sources/his-guide/raw/subpages/api.html",
                "sources/his-code/raw/repo/README.md",
                "sources/his-code/raw/repo/pkg/mod.py",
            ]
        ),
        encoding="utf-8",
    )
    entries = "".join(
        f'  - id: {rid}\n    title: "His {rid}"\n    urls:\n      - https://example.org/{rid}\n'
        f"    type: {kind}\n    topics: [1]\n    priority: high\n    status: condensed\n"
        for rid, kind in (
            ("his-blog", "blog"),
            ("his-other-blog", "blog"),
            ("his-issue", "code"),
            ("his-guide", "docs"),
            ("his-code", "code"),
        )
    )
    (owner / "refs/manifest.yaml").write_text("resources:\n" + entries, encoding="utf-8")
    return root


def test_each_of_his_resources_gets_his_file_names_from_a_corpus_folder_of_that_shape(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    lib = tmp_path / "lib"
    kinds, notes = owner_shape.make_library(corpus, lib)
    assert dict(kinds) == {"html": 2, "issue": 1, "joined": 1, "repo": 1}
    assert notes == ["comments.json: no corpus file of that name, left out of 1"]
    src = lib / "sources"
    # His page.html files (two blogs, the guide's first page) take the corpus's two
    # pages in turns, byte for byte.
    pages = {
        (src / rid / "raw/page.html").read_bytes()
        for rid in ("his-blog", "his-guide", "his-other-blog")
    }
    corpus_pages = {(corpus / n / "raw/page.html").read_bytes() for n in ("blog-a", "blog-b")}
    assert pages == corpus_pages
    assert (src / "his-issue/raw/issue.json").read_bytes() == (
        corpus / "some-issue/raw/issue.json"
    ).read_bytes()
    # His subpages keep his names; his repository's paths hold our own files.
    assert sorted(p.name for p in (src / "his-guide/raw/subpages").iterdir()) == [
        "api.html",
        "usage.html",
    ]
    ours = {
        p.read_bytes()
        for pattern in ("*/*.py", "*/*/*.py")
        for p in owner_shape.ROOT.glob(pattern)
        if ".venv" not in p.parts
    }
    assert (src / "his-code/raw/repo/pkg/mod.py").read_bytes() in ours
    readmes = {p.read_bytes() for p in owner_shape.ROOT.glob("*.md")}
    assert (src / "his-code/raw/repo/README.md").read_bytes() in readmes
    assert not (tmp_path / "lib-pool").exists()
    # Every stand-in converts.
    for raw in sorted(src.glob("*/raw")):
        res = Library(lib).manifest.resources[raw.parent.name]
        text = convert_one(str(raw), {"source_url": res.urls[0], "title": res.title})
        assert text.startswith("---\n"), raw
    # The manifest keeps his titles, URLs and types, and our model reads it.
    library = Library(lib)
    res = library.manifest.resources["his-guide"]
    assert (res.title, res.urls, res.type, res.status) == (
        "His his-guide",
        ["https://example.org/his-guide"],
        "docs",
        "fetched",
    )


def test_without_the_owners_file_list_it_measures_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.argv", ["owner_shape.py", str(tmp_path)])
    assert owner_shape.main() == 0
    assert "nothing to measure" in capsys.readouterr().out
