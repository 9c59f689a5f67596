"""Live reload: under `mkdocs serve`, editing any library file rebuilds the site."""

from __future__ import annotations

import time
import urllib.request

import pytest
from mkdocs_site import drop_broken_citation, mkdocs_serve


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:  # 127.0.0.1 only
        return r.read().decode("utf-8")


def wait_for(url: str, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if text in fetch(url):
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{text!r} never appeared at {url}")


def append(path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_edits_to_library_files_rebuild_the_served_site(make_library, tmp_path):
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    drop_broken_citation(root)
    with mkdocs_serve(root) as url:
        wait_for(url + "refs/resources/alpha-paper/", "Alpha Paper on Pipelines")
        append(root / "refs/resources/alpha-paper.md", "\nEdited card text.\n")
        wait_for(url + "refs/resources/alpha-paper/", "Edited card text.")
        append(root / "refs/topics/01-pipelines.md", "\nEdited topic text.\n")
        wait_for(url + "refs/topics/01-pipelines/", "Edited topic text.")
        append(root / "sources/beta-blog/full.md", "\n## A new heading\n")
        wait_for(url + "sources/beta-blog/full/", 'id="a-new-heading"')
        manifest = root / "refs/manifest.yaml"
        manifest.write_text(
            manifest.read_text(encoding="utf-8").replace(
                "title: Epsilon Book", "title: Epsilon Tome"
            ),
            encoding="utf-8",
        )
        wait_for(url + "catalog/", "Epsilon Tome")
        cur = root / "distributed_video_dit_inference.md"
        cur.write_text(
            cur.read_text(encoding="utf-8").replace(
                "What a launch costs.", "What a launch really costs."
            ),
            encoding="utf-8",
        )
        wait_for(url + "refs/topics/02-kernels/", "What a launch really costs.")
