"""A library the machine will not let us write (issue 24, item 9): one message, nothing lost.

Real conditions, not patched writes: a read-only file system and a full one (a small
tmpfs, where the test may mount: root), a folder without write permission (not root),
and a file size limit (`RLIMIT_FSIZE`, anywhere on Linux: a write fails midway).
`sync --add-missing`, `convert`, `card`, `fetch --record` and `site --out` each end
with one line naming the file and what to do, exit 1, no traceback; the manifest is
byte for byte as it was, no temp file is left, nothing half-written appears.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import uuid
from pathlib import Path

import forked_process
import pytest
from sample_library import CURRICULUM
from sample_pages import STATIC_BLOG, provenance, write

from extract.library import Library
from extract.sync import sync

ROOT = os.geteuid() == 0


def _mount(where: Path, *options: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(["size=4m", *options]), "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _umount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def _library(root: Path) -> dict[str, str]:
    """Two fetched resources, one with a hand-placed file, one the manifest lacks."""
    write(root / "distributed_video_dit_inference.md", CURRICULUM)
    (root / "refs").mkdir(parents=True, exist_ok=True)
    sync(Library(root), add_missing=True)
    lib = Library(root)
    ids = list(lib.manifest.resources)
    for rid in ids[:2]:
        raw = root / "sources" / rid / "raw"
        write(raw / "page.html", STATIC_BLOG)
        provenance(raw, rid, {"page.html": {"url": lib.resource(rid).urls[0]}})
        lib.manifest.set_fields(rid, status="fetched", local_paths=[f"sources/{rid}/raw/page.html"])
    lib.manifest.save()
    write(root / "sources" / ids[2] / "raw" / "page.html", STATIC_BLOG)
    manifest = root / "refs/manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text[: text.index(f"  - id: {ids[-1]}")], encoding="utf-8")
    return {"convert": ids[0], "card": ids[1], "record": ids[2]}


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails (EFBIG) instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))  # no library file is that small


@contextlib.contextmanager
def _condition(kind: str, tmp_path: Path):
    """(library root, folder for --out, preexec_fn) under the condition ``kind``."""
    if kind in ("read-only", "disk-full"):
        if not ROOT:
            pytest.skip("mounting a tmpfs needs root; `not-writable` covers this user")
        mnt = tmp_path / f"mnt-{uuid.uuid4().hex[:6]}"
        if not _mount(mnt):
            pytest.skip("this machine does not let the test mount a tmpfs")
        try:
            ids = _library(mnt / "lib")
            if kind == "read-only":
                subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
            else:
                with (mnt / "filler").open("wb") as fh, contextlib.suppress(OSError):
                    while True:
                        fh.write(b"\0" * 65536)
            yield mnt / "lib", mnt / "out", ids, None
        finally:
            _umount(mnt)
    elif kind == "not-writable":
        if ROOT:
            pytest.skip("root writes whatever the permissions; `read-only` covers root")
        root = tmp_path / "lib"
        ids = _library(root)
        folders = [p for p in [root, *root.rglob("*")] if p.is_dir()]
        for p in folders:
            p.chmod(0o555)
        try:
            yield root, tmp_path / "ro-out" / "out", ids, None
        finally:
            for p in folders:
                p.chmod(0o755)
    else:  # file-size-limit: runs anywhere
        root = tmp_path / "lib"
        ids = _library(root)
        yield root, tmp_path / "out", ids, _limit_file_size


@pytest.mark.parametrize("kind", ["read-only", "disk-full", "not-writable", "file-size-limit"])
def test_every_writing_command_says_one_thing_and_loses_nothing(tmp_path, kind):
    with _condition(kind, tmp_path) as (root, out, ids, preexec):
        if kind == "not-writable":
            out.parent.mkdir()
            out.parent.chmod(0o555)
        manifest = root / "refs/manifest.yaml"
        before = manifest.read_bytes()
        files = sorted(p for p in root.rglob("*") if not p.is_dir())
        commands = {
            "sync": ["sync", "--add-missing"],
            "convert": ["convert", ids["convert"]],
            "card": ["card", ids["card"], "--force"],
            "record": ["fetch", "--record", ids["record"]],
            "site": ["site", "--out", str(out)],
        }
        for name, args in commands.items():
            # A process of its own (the file size limit is a process's), forked.
            done = forked_process.run(
                "extract.cli", ["--root", str(root), *args], cwd=Path.cwd(), preexec_fn=preexec
            )
            said = done.stdout + done.stderr
            assert done.returncode == 1, (name, said)
            assert "Traceback" not in said, (name, said)
            assert "cannot be written" in said, (name, said)
            if name != "record":  # record reports per resource, in its table
                assert len(said.strip().splitlines()) == 1, (name, said)
            assert manifest.read_bytes() == before, name
            # No new file, no temp file (a folder made before the write failed is no data).
            assert sorted(p for p in root.rglob("*") if not p.is_dir()) == files, name
        assert not out.exists()
        if kind == "not-writable":
            out.parent.chmod(0o755)
    shutil.rmtree(tmp_path, ignore_errors=True)
