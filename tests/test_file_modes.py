"""Every file the tools write gets the user's umask (0644 under 022), not mkstemp's 0600.

A web server running as another user must be able to read the published site and
its exports; a stricter umask must be followed too, and a file that is replaced
keeps the mode it had.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from fetch_helpers import Reply, Server, html_page
from foundation_helpers import CURRICULUM

from extract import Library, fsio
from extract.cli import main


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def build(root: Path, server: Server) -> tuple[Library, list[Path]]:
    """sync, fetch, convert and the site exports; returns every file they wrote."""
    page = server.route("/streams.html", Reply(body=html_page("Streams", "Made-up text.")))
    root.mkdir()
    (root / "distributed_video_dit_inference.md").write_text(
        CURRICULUM.replace("https://docs.example.com/streams.html", page), encoding="utf-8"
    )
    assert main(["--root", str(root), "sync"]) == 0
    assert main(["--root", str(root), "fetch", "stream-docs"]) == 0
    assert main(["--root", str(root), "convert", "stream-docs"]) == 0
    lib = Library(root)
    from docs_gen.exports import write_exports

    site = root / "site"
    exports = write_exports(lib, {"site_dir": str(site), "site_url": None}, {})
    raw = lib.raw_dir("stream-docs")
    files = [
        lib.manifest_path,
        raw / "page.html",
        raw / "provenance.json",
        lib.full_md_path("stream-docs"),
        *exports,
        *sorted((root / "refs" / "topics").glob("*.md")),
    ]
    return lib, files


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o077, 0o600), (0o027, 0o640)])
def test_written_files_follow_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    with Server() as s:
        _, files = build(tmp_path / "lib", s)
    assert [p.name for p in files][:6] == [
        "manifest.yaml",
        "page.html",
        "provenance.json",
        "full.md",
        "refs.json",
        "llms.txt",
    ]
    assert {p.relative_to(tmp_path).as_posix(): oct(mode(p)) for p in files} == {
        p.relative_to(tmp_path).as_posix(): oct(expected) for p in files
    }


def test_a_replaced_file_keeps_its_mode(tmp_path, umask):
    with Server() as s:
        lib, _ = build(tmp_path / "lib", s)
        lib.manifest_path.chmod(0o664)
        page = lib.raw_dir("stream-docs") / "page.html"
        page.chmod(0o640)
        s.route("/streams.html", Reply(body=html_page("Streams", "Changed text.")))
        root = str(tmp_path / "lib")
        assert main(["--root", root, "fetch", "stream-docs", "--force"]) == 0
    assert b"Changed text." in page.read_bytes() and mode(page) == 0o640
    assert "converted" in lib.manifest_path.read_text() and mode(lib.manifest_path) == 0o664
    target = tmp_path / "plain.txt"
    fsio.write_text(target, "one")
    target.chmod(0o600)
    fsio.write_text(target, "two")
    assert target.read_text() == "two" and mode(target) == 0o600


def test_temp_files_never_outlive_a_failed_write(tmp_path, umask):
    target = tmp_path / "out.bin"
    with pytest.raises(RuntimeError), fsio.atomic_open(target) as fh:
        fh.write(b"half")
        raise RuntimeError("the writer failed")
    assert list(tmp_path.iterdir()) == []
