"""The path rule and the raw size bound (issue 24, items 2, 6 and 10).

A library is data from a stranger, and git stores symbolic links: a raw file, a
full.md, a topic doc or a raw folder that links out of the library is never read,
and each step that meets one says so once, naming the file (no traceback, no outside
text in full.md, search or the site). `refs check` lists links out of the library and
oversize raw files as findings; `local_paths` outside the library are refused.
"""

from __future__ import annotations

import json
import os

import pytest
from mkdocs_site import build, drop_broken_citation, refs_site
from sample_pages import STATIC_BLOG

from extract.full_md import MAX_RAW_BYTES

BLOG_URL = "https://blog.example.net/2023/04/05/fast-loops.html"
SECRET = "OUTSIDE-SECRET-TEXT"


@pytest.fixture
def outside(tmp_path):
    """A file outside every library, with words that must never show up."""
    path = tmp_path / "elsewhere" / "secret.html"
    path.parent.mkdir()
    path.write_text(STATIC_BLOG.replace("Fast Loops", SECRET), encoding="utf-8")
    return path


@pytest.fixture
def blog_lib(make_library, tmp_path):
    return make_library(
        root=tmp_path / "lib",
        resources=[{"id": "fast-loops", "urls": [BLOG_URL], "type": "blog"}],
    )


def test_convert_and_record_refuse_a_raw_link_out_of_the_library(blog_lib, outside, run_refs):
    page = blog_lib / "sources/fast-loops/raw/page.html"
    page.parent.mkdir(parents=True)
    page.symlink_to(outside)
    code, out, err = run_refs(blog_lib, "convert", "fast-loops")
    said = out + err
    assert code == 1
    assert "sources/fast-loops/raw/page.html" in said and "outside the library" in said
    assert "Traceback" not in said and SECRET not in said
    assert not (blog_lib / "sources/fast-loops/full.md").exists()
    code, out, _ = run_refs(blog_lib, "fetch", "--record", "fast-loops", "--json")
    assert code == 1
    (result,) = json.loads(out)["results"]
    assert result["result"] == "failed"
    assert "sources/fast-loops/raw/page.html: is a symbolic link" in result["message"]
    assert not (blog_lib / "sources/fast-loops/raw/provenance.json").exists()


def test_a_raw_folder_that_links_out_is_refused_too(blog_lib, outside, run_refs):
    (blog_lib / "sources/fast-loops").mkdir(parents=True)
    (blog_lib / "sources/fast-loops/raw").symlink_to(outside.parent)
    os.rename(outside, outside.parent / "page.html")
    code, out, err = run_refs(blog_lib, "convert", "fast-loops")
    assert code == 1 and "outside the library" in out + err and SECRET not in out + err


def test_an_oversize_raw_file_is_refused_before_it_is_read(blog_lib, run_refs):
    page = blog_lib / "sources/fast-loops/raw/page.html"
    page.parent.mkdir(parents=True)
    with open(page, "wb") as fh:  # sparse: the size without the disk
        fh.truncate(MAX_RAW_BYTES + 1)
    code, out, err = run_refs(blog_lib, "convert", "fast-loops")
    said = " ".join((out + err).split())  # as one line, however the terminal wrapped it
    assert code == 1
    assert "sources/fast-loops/raw/page.html: is 200 MiB" in said
    assert "over the 200 MiB a raw artifact may hold" in said


def test_check_lists_an_oversize_raw_file(make_library, run_refs):
    root = make_library("site")
    big = root / "sources/gamma-notes/raw/big.pdf"
    big.parent.mkdir(parents=True)
    with open(big, "wb") as fh:
        fh.truncate(MAX_RAW_BYTES + 1)
    code, out, _ = run_refs(root, "check", "--json")
    found = [f for f in json.loads(out)["findings"] if f["rule"] == "raw-file"]
    assert code == 1
    assert [(f["path"], f["rid"]) for f in found] == [
        ("sources/gamma-notes/raw/big.pdf", "gamma-notes")
    ]


def test_check_lists_every_link_out_of_the_library(make_library, outside, run_refs):
    root = make_library("site")
    (root / "refs/topics/99-elsewhere.md").symlink_to(outside)
    raw = root / "sources/gamma-notes/raw"
    raw.mkdir(parents=True)
    (raw / "page.html").symlink_to(outside)
    (raw / "inside.html").symlink_to(root / "sources/gamma-notes/full.md")  # inside: fine
    code, out, _ = run_refs(root, "check")
    assert code == 1
    flagged = [line for line in out.splitlines() if "[outside-link]" in line]
    assert len(flagged) == 2, out
    assert any("refs/topics/99-elsewhere.md" in line for line in flagged)
    assert any("sources/gamma-notes/raw/page.html" in line for line in flagged)


@pytest.mark.parametrize(
    "rel",
    ["sources/gamma-notes/full.md", "refs/topics/01-pipelines.md", "refs/resources/beta-blog.md"],
)
def test_both_builds_refuse_a_page_that_links_out(make_library, tmp_path, outside, rel):
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    drop_broken_citation(root)
    outside.write_text("---\ntitle: t\n---\n\n# " + SECRET + "\n", encoding="utf-8")
    (root / rel).unlink()
    (root / rel).symlink_to(outside)
    plugin = build(root, tmp_path / "site")
    assert plugin.returncode == 1
    assert f"{rel}: is a symbolic link" in plugin.stderr, plugin.stderr
    assert "Traceback" not in plugin.stderr and "ValueError" not in plugin.stderr
    exported = refs_site(root, "--out", str(tmp_path / "out"))
    assert exported.returncode == 1
    assert f"{rel}: is a symbolic link" in exported.stderr and "Traceback" not in exported.stderr


def test_publish_raw_refuses_a_raw_folder_that_links_out(make_library, tmp_path, outside):
    root = make_library("site", root=tmp_path / "lib", mkdocs={"publish_raw": True})
    drop_broken_citation(root)
    (root / "sources/gamma-notes/raw").symlink_to(outside.parent)
    plugin = build(root, tmp_path / "site")
    assert plugin.returncode == 1
    assert "sources/gamma-notes/raw/secret.html: is a symbolic link" in plugin.stderr
    assert "Traceback" not in plugin.stderr
    assert not list((tmp_path / "site").rglob("secret.html*"))


def test_search_never_reads_a_file_outside(make_library, outside, run_refs):
    root = make_library("site")
    outside.write_text("---\ntitle: t\n---\n\n# " + SECRET + "\n", encoding="utf-8")
    full = root / "sources/gamma-notes/full.md"
    full.unlink()
    full.symlink_to(outside)
    code, out, err = run_refs(root, "search", SECRET)
    assert SECRET not in out.replace(f"no hits for {SECRET!r}", "")
    assert "sources/gamma-notes/full.md" in err and "outside the library" in err


@pytest.mark.parametrize("bad", ["../../../../etc/passwd", "/etc/passwd", "sources/x/../../../y"])
def test_local_paths_outside_the_library_are_refused(make_library, run_refs, bad):
    root = make_library("site")
    manifest = root / "refs/manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "local_paths: []" in text
    manifest.write_text(text.replace("local_paths: []", f'local_paths: ["{bad}"]', 1), "utf-8")
    for command in (["status"], ["check"]):
        code, out, err = run_refs(root, *command)
        assert code == 1
        assert "refs/manifest.yaml:" in out + err and "leaves the library" in out + err
        assert "Traceback" not in out + err


def test_search_names_a_file_that_is_not_utf8(make_library, run_refs):
    root = make_library("site")
    card = root / "refs/resources/beta-blog.md"
    card.write_bytes(card.read_bytes() + b"\n\nLatin-1 words: caf\xe9 stages\n")
    for _ in range(2):  # the second run reads the cached index: still said
        code, out, err = run_refs(root, "search", "stages", "--json")
        assert code == 0 and json.loads(out)["hits"]
        assert "refs/resources/beta-blog.md:" in err and "is not UTF-8" in err, err
