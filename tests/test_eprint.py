"""Safe e-print reading: every refusal rule, and the three shapes an e-print takes."""

from __future__ import annotations

import gzip
import tarfile

import pytest
from sample_papers import tar_gz, tar_gz_with

from extract.convert import eprint as eprint_mod
from extract.convert.eprint import read_eprint
from extract.errors import RefsError


def test_valid_tar_keeps_text_members_and_lists_the_rest(tmp_path):
    path = tar_gz(
        tmp_path / "e.tar.gz",
        {"main.tex": "\\documentclass{article}", "sub/a.tex": "x", "fig.png": b"\x89PNG"},
    )
    got = read_eprint(path)
    assert got.kind == "tar"
    assert sorted(got.files) == ["main.tex", "sub/a.tex"]
    assert got.files["sub/a.tex"] == b"x"
    assert got.other_files == ["fig.png"]


def test_single_gzipped_tex_file(tmp_path):
    path = tmp_path / "e.tar.gz"
    path.write_bytes(gzip.compress(b"\\documentclass{article}\\begin{document}hi\\end{document}"))
    got = read_eprint(path)
    assert got.kind == "tex"
    assert got.files["main.tex"].startswith(b"\\documentclass")


@pytest.mark.parametrize("compress", [True, False])
def test_pdf_eprint_is_detected_by_magic_bytes(tmp_path, compress):
    data = b"%PDF-1.5\n% a pdf\n"
    path = tmp_path / "e.tar.gz"
    path.write_bytes(gzip.compress(data) if compress else data)
    got = read_eprint(path)
    assert got.kind == "pdf" and got.pdf == data


def _member(name, kind=tarfile.REGTYPE, size=0, linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = size
    info.linkname = linkname
    return info


@pytest.mark.parametrize(
    "info, words",
    [
        (_member("../evil.tex", size=1), "'..'"),
        (_member("a/../../evil.tex", size=1), "'..'"),
        (_member("/etc/evil.tex", size=1), "absolute path"),
        (_member("link.tex", tarfile.SYMTYPE, linkname="/etc/passwd"), "link"),
        (_member("hard.tex", tarfile.LNKTYPE, linkname="main.tex"), "link"),
        (_member("dev", tarfile.CHRTYPE), "device"),
        (_member("fifo", tarfile.FIFOTYPE), "device"),
    ],
)
def test_unsafe_members_refuse_the_archive(tmp_path, info, words):
    path = tar_gz_with(tmp_path / "e.tar.gz", info, b"x" * info.size)
    with pytest.raises(RefsError) as err:
        read_eprint(path)
    assert words in str(err.value)
    assert str(path) in str(err.value)


def test_oversized_member_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(eprint_mod, "MAX_MEMBER_BYTES", 100)
    path = tar_gz(tmp_path / "e.tar.gz", {"main.tex": "x", "big.dat": b"0" * 101})
    with pytest.raises(RefsError, match="big.dat.*101 bytes"):
        read_eprint(path)


def test_total_size_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(eprint_mod, "MAX_TOTAL_BYTES", 1000)
    monkeypatch.setattr(eprint_mod, "MAX_MEMBER_BYTES", 1000)
    path = tar_gz(tmp_path / "e.tar.gz", {f"f{k}.dat": b"0" * 400 for k in range(3)})
    with pytest.raises(RefsError, match="more than 1000 bytes"):
        read_eprint(path)


def test_gzip_bomb_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(eprint_mod, "MAX_TOTAL_BYTES", 10_000)
    path = tmp_path / "e.tar.gz"
    path.write_bytes(gzip.compress(b"%" * 50_000))
    with pytest.raises(RefsError, match="unpacks to more than"):
        read_eprint(path)


def test_too_many_files_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(eprint_mod, "MAX_FILES", 5)
    path = tar_gz(tmp_path / "e.tar.gz", {f"f{k}.tex": "x" for k in range(6)})
    with pytest.raises(RefsError, match="6 members"):
        read_eprint(path)


def test_garbage_is_refused_with_advice(tmp_path):
    path = tmp_path / "e.tar.gz"
    path.write_bytes(b"\x1f\x8bnot gzip at all")
    with pytest.raises(RefsError, match="not a valid gzip"):
        read_eprint(path)
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(RefsError, match="neither a tar"):
        read_eprint(path)
