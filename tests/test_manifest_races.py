"""Lost edits: real commands racing a person's editor and each other, in real processes.

Each trial runs the real `refs` command in a subprocess while a second process
edits the manifest by hand (tests/manifest_editor.py) in bursts aimed at the
moment the command saves, or while a second `refs fetch` saves at the same
moment. Whatever the interleaving, no edit may be lost: every trial ends with the
editor's last edit on disk, and the command's own update either recorded or
refused with a clear message.

Each trial starts real processes, so these are `slow` tests (scripts/test.sh runs them
in its second pass). The number of trials per test is `REFS_STRESS_TRIALS` (default
6); `REFS_STRESS_TRIALS=20 pytest -m slow tests/test_manifest_races.py` digs deeper.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from http_server import Reply, Server, html_page
from sample_library import CURRICULUM, MANIFEST_HEAD, entry

from extract import Library

EDITOR = Path(__file__).with_name("manifest_editor.py")
TRIALS = max(2, int(os.environ.get("REFS_STRESS_TRIALS", "6")))
pytestmark = pytest.mark.slow
QUICK_HTTP = {
    "REFS_FETCH_CONNECT_TIMEOUT": "5",
    "REFS_FETCH_READ_TIMEOUT": "10",
    "REFS_FETCH_RETRIES": "0",
}
REFUSED = ("changed on disk while this command ran", "kept changing while this command saved")


def refs_process(root: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, **QUICK_HTTP}
    env.pop("GITHUB_TOKEN", None)
    return subprocess.Popen(
        [sys.executable, "-m", "extract.cli", "--root", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


class Editor:
    """The hand-editing process; `burst` may be called from any thread."""

    def __init__(self, manifest: Path):
        self.proc = subprocess.Popen(
            [sys.executable, str(EDITOR), str(manifest)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._lock = threading.Lock()

    def burst(self, n: int, low_ms: float, high_ms: float) -> None:
        with self._lock:
            self.proc.stdin.write(f"burst {n} {low_ms} {high_ms}\n")
            self.proc.stdin.flush()

    def last_edit(self) -> int:
        out, err = self.proc.communicate("quit\n", timeout=60)
        assert self.proc.returncode == 0, err
        return int(out.strip())


def fixture_manifest(url: str, padding: int = 30) -> str:
    """`a` to fetch, `other` for the editor, and padding so a save takes a while."""
    other = entry("other", ["https://example.com/other"], comment="hand comment 0")
    other = other.replace("notes: ''", "notes: 'edit 0'")
    pads = [entry(f"pad-{i}", [f"https://example.com/pad/{i}"]) for i in range(padding)]
    return MANIFEST_HEAD + entry("a", [url]) + other + "".join(pads)


def assert_editor_kept(text: str, k: int) -> None:
    assert f"notes: 'edit {k}'" in text and f"# hand comment {k}" in text, (k, text[:800])
    assert text.count("notes: 'edit ") == 1 and text.count("# hand comment ") == 1


def test_refs_fetch_racing_a_hand_editor_loses_no_edit(make_library, tmp_path):
    recorded = 0
    with Server() as s:
        for trial in range(TRIALS):
            root = tmp_path / f"t{trial}"
            (root / "refs").mkdir(parents=True)
            manifest = root / "refs" / "manifest.yaml"
            editor = Editor(manifest)
            # The editor strikes when the page has been served: the command saves next.
            url = s.route(
                f"/a{trial}.html",
                Reply(body=html_page("a"), after=lambda ed=editor: ed.burst(6, 0, 8)),
            )
            make_library(root=root, manifest=fixture_manifest(url))
            editor.burst(2, 0, 20)  # and while the command starts and reads the file
            proc = refs_process(root, "fetch", "a")
            out, err = proc.communicate(timeout=120)
            k = editor.last_edit()
            text = manifest.read_text(encoding="utf-8")
            assert_editor_kept(text, k)
            lib = Library(root)
            assert len(lib.resources) == 32
            if proc.returncode == 0:
                assert lib.resource("a").status == "fetched", (out, err)
                assert lib.resource("a").local_paths == ["sources/a/raw/page.html"]
                recorded += 1
            else:  # refused: said so, nothing half-done in the manifest
                assert proc.returncode == 1 and any(r in out + err for r in REFUSED), (out, err)
                # (unless another writer saved the command's change with its own: said so)
                kept = "this command's changes are in the file" in out + err
                assert lib.resource("a").status == ("fetched" if kept else "pending")
                assert (root / "sources/a/raw/page.html").is_file()
    assert recorded >= TRIALS // 2  # a concurrent edit of another entry is merged, not refused


def test_refs_sync_racing_a_hand_editor_loses_no_edit(make_library, tmp_path):
    recorded = 0
    for trial in range(TRIALS):
        root = tmp_path / f"t{trial}"
        lib = Library(make_library(root=root, curriculum=CURRICULUM, sync=True))
        m = lib.manifest
        m.set_fields("someone-s-blog", notes="edit 0")
        m.save()
        text = lib.manifest_path.read_text(encoding="utf-8")
        at = text.index("  - id: stream-docs")
        lib.manifest_path.write_text(text[:at] + "  # hand comment 0\n" + text[at:])
        # The curriculum gains a resource: `sync --add-missing` writes its entry.
        curriculum = root / "distributed_video_dit_inference.md"
        added = f"- **Extra Notes {trial}** — Notes we made up. *(blog, low)*\n" + (
            f"  - https://notes.example.com/{trial}/\n\n"
        )
        curriculum.write_text(
            CURRICULUM.replace("- **Schedules Blog**", added + "- **Schedules Blog**")
        )
        editor = Editor(lib.manifest_path)
        proc = refs_process(root, "sync", "--add-missing")
        time.sleep(random.uniform(0.05, 0.4))  # a person saves at some moment of the run
        editor.burst(8, 0, 15)
        out, err = proc.communicate(timeout=120)
        k = editor.last_edit()
        text = lib.manifest_path.read_text(encoding="utf-8")
        assert_editor_kept(text, k)
        has_new = Library(root).has(f"extra-notes-{trial}")
        if proc.returncode == 0:
            assert has_new, (out, err)
            recorded += 1
        else:
            assert proc.returncode == 1 and any(r in out + err for r in REFUSED), (out, err)
            assert not has_new
    assert recorded >= TRIALS // 2


def test_concurrent_fetches_of_different_ids_never_lose_a_status_update(make_library, tmp_path):
    with Server() as s:
        for trial in range(TRIALS):
            root = tmp_path / f"t{trial}"
            gate = threading.Barrier(2)  # both pages are answered at the same moment
            urls = {
                rid: s.route(f"/{rid}{trial}.html", Reply(body=html_page(rid), gate=gate))
                for rid in ("a", "b")
            }
            pads = [entry(f"pad-{i}", [f"https://example.com/{i}"]) for i in range(30)]
            make_library(
                root=root, entries=[entry("a", [urls["a"]]), entry("b", [urls["b"]]), *pads]
            )
            procs = [refs_process(root, "fetch", rid) for rid in ("a", "b")]
            results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
            assert [r[2] for r in results] == [0, 0], results
            lib = Library(root)
            assert [lib.resource(r).status for r in ("a", "b")] == ["fetched", "fetched"], trial
            assert lib.resource("b").local_paths == ["sources/b/raw/page.html"]
            assert "# Fixture manifest for the fetch tests" in lib.manifest_path.read_text()
