"""Staging folders of killed runs: `refs check` lists them, `refs fetch` clears them.

A real `refs fetch` process is killed (SIGKILL) in the middle of a download, which
leaves its `sources/<id>/.fetch-*` folder behind; a fetch still running keeps its
folder locked, and neither the checker nor another fetch may touch that one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from fetch_helpers import Reply, Server, entry, html_page, make_library

from extract.cli import main
from extract.staging import STALE_AFTER, Stage, clear_dead_stages, dead_stages

CURRICULUM = """\
# Fixture curriculum

## Part

### 1. Fixture topic

Text written for the staging tests.
"""


def library(root: Path, entries: list[str]):
    lib = make_library(root, entries)
    (root / "distributed_video_dit_inference.md").write_text(CURRICULUM, encoding="utf-8")
    (root / "refs" / "topics").mkdir()
    (root / "refs" / "topics" / "01-fixture-topic.md").write_text("# Fixture topic\n")
    return lib


def fetch_process(root: Path, *ids: str) -> subprocess.Popen:
    env = {**os.environ, "REFS_FETCH_READ_TIMEOUT": "30", "REFS_FETCH_RETRIES": "0"}
    return subprocess.Popen(
        [sys.executable, "-m", "extract.cli", "--root", str(root), "fetch", *ids],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )


def wait_for_stage(source: Path, proc: subprocess.Popen) -> Path:
    """The staging folder the running process made (polls; fails if it never comes)."""
    for _ in range(600):
        folders = list(source.glob(".fetch-*"))
        if folders and any(folders[0].iterdir()):  # the download has begun
            return folders[0]
        assert proc.poll() is None, "the fetch ended before it staged anything"
        time.sleep(0.05)
    raise AssertionError(f"no staging folder appeared in {source}")


def staging_findings(root: Path, capsys) -> list[dict]:
    main(["--root", str(root), "check", "--json"])
    report = json.loads(capsys.readouterr().out)
    return [f for f in report["findings"] if f["rule"] == "fetch-staging"]


def test_a_killed_fetch_is_listed_by_check_and_cleared_by_the_next_fetch(tmp_path, capsys):
    with Server() as s:
        # The first answer trickles, so the run is caught mid-download; then a quick one.
        s.route(
            "/a.html",
            Reply(body=html_page("a", "y" * 500), trickle=0.5),
            Reply(body=html_page("a")),
        )
        lib = library(tmp_path, [entry("a", [s.url("/a.html")])])
        proc = fetch_process(tmp_path, "a")
        try:
            stage = wait_for_stage(lib.source_dir("a"), proc)
            assert staging_findings(tmp_path, capsys) == []  # running: not a leftover
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        assert stage.is_dir()  # a killed run cleans nothing up
        [finding] = staging_findings(tmp_path, capsys)
        assert finding["path"] == lib.rel(stage) and finding["rid"] == "a"
        assert finding["severity"] == "warning" and "`refs fetch a` clears it" in finding["message"]
        assert main(["--root", str(tmp_path), "fetch", "a"]) == 0
    assert not stage.exists() and list(lib.source_dir("a").glob(".fetch-*")) == []
    assert (lib.raw_dir("a") / "page.html").read_bytes() == html_page("a")
    capsys.readouterr()
    assert staging_findings(tmp_path, capsys) == []


def test_a_running_fetch_keeps_its_folder_while_another_fetches_the_same_resource(tmp_path):
    with Server() as s:
        s.route(
            "/a.html",
            Reply(body=html_page("a", "z" * 500), trickle=0.5),
            Reply(body=html_page("a")),
        )
        lib = library(tmp_path, [entry("a", [s.url("/a.html")])])
        proc = fetch_process(tmp_path, "a")
        try:
            stage = wait_for_stage(lib.source_dir("a"), proc)
            assert main(["--root", str(tmp_path), "fetch", "a"]) == 0  # the quick answer
            assert stage.is_dir() and any(stage.iterdir())  # the live run's folder is intact
            assert dead_stages(lib.source_dir("a")) == []
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        assert dead_stages(lib.source_dir("a")) == [stage]


def test_other_resources_dead_folders_are_swept_only_when_old(tmp_path):
    with Server() as s:
        s.route("/a.html", Reply(body=html_page("a")))
        lib = library(
            tmp_path, [entry("a", [s.url("/a.html")]), entry("b", ["https://example.com/b"])]
        )
        young = lib.source_dir("b") / ".fetch-young"
        old = lib.source_dir("b") / ".fetch-old"
        for folder in (young, old):
            folder.mkdir(parents=True)
            (folder / "page.html").write_bytes(b"half")
        os.utime(old, (time.time() - STALE_AFTER - 60,) * 2)
        assert main(["--root", str(tmp_path), "fetch", "a"]) == 0
    assert young.is_dir() and not old.exists()


def test_a_stage_is_locked_for_its_life_and_removed_on_close(tmp_path):
    stage = Stage(tmp_path)
    (stage.path / "part").write_bytes(b"x")
    assert dead_stages(tmp_path) == [] and clear_dead_stages(tmp_path) == []
    assert stage.path.is_dir()
    stage.close()
    assert list(tmp_path.iterdir()) == []
    leftover = tmp_path / ".fetch-left"
    leftover.mkdir()
    assert dead_stages(tmp_path) == [leftover]
    assert clear_dead_stages(tmp_path, older_than=STALE_AFTER) == []  # young: kept
    assert clear_dead_stages(tmp_path) == [leftover] and not leftover.exists()
