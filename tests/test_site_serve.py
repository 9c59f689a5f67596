"""Live reload: under `mkdocs serve`, editing any library file rebuilds the site."""

from __future__ import annotations

import re
import time

import pytest
from mkdocs_site import drop_broken_citation, mkdocs_serve, wait_for


def append(path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_edits_to_library_files_rebuild_the_served_site(make_library, tmp_path):
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    drop_broken_citation(root)
    output: list[str] = []
    with mkdocs_serve(root, output=output) as url:
        # MkDocs polls each watched tree every half second: each folder once, none
        # inside another (refs/ holds the cards and topic docs).
        said = next(line for line in output if "Watching paths for changes" in line)
        watched = re.findall(r"'([^']+)'", said)
        assert "refs" in watched and "sources" in watched, said
        assert len(watched) == len(set(watched)), said
        assert not [w for w in watched if w.startswith(("refs/", "sources/"))], said
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


def wait_for_line(output: list[str], text: str, count: int = 1, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while sum(text in line for line in output) < count:
        if time.monotonic() > deadline:
            pytest.fail(f"{text!r} was not printed {count} time(s):\n" + "".join(output))
        time.sleep(0.2)


def test_a_save_does_not_reprint_the_warnings_of_the_last_build(make_library, tmp_path):
    root = make_library("published", root=tmp_path / "lib", mkdocs=True)
    guide = root / "refs/reading-guide.md"
    # Three kinds of warning: a broken citation (ours), a dead link (Python-Markdown's,
    # replayed by the serve cache), a missing anchor (MkDocs' validation of all pages).
    append(
        guide,
        "\nSee [a](../sources/ring-notes/full.md#no-such-place), [b](no-such-page.md) and "
        "[c](resources/split-backward.md#nowhere).\n",
    )
    output: list[str] = []
    with mkdocs_serve(root, output=output) as url:
        first = "".join(output)
        warnings = [ln for ln in output if ln.startswith("WARNING")]
        assert len(warnings) == 3, first
        append(root / "refs/topics/01-collective-transport.md", "\nEdited topic text.\n")
        wait_for(url + "refs/topics/01-collective-transport/", "Edited topic text.")
        wait_for_line(output, "3 warning(s) printed by the last build are still there")
        for w in warnings:
            assert sum(line == w for line in output) == 1, "".join(output)
        # A new problem is printed; the old ones still are not.
        append(guide, "\nAnd [d](resources/collective-guide.md#missing-too).\n")
        wait_for_line(output, "#missing-too")
        wait_for_line(output, "3 warning(s) printed by the last build", count=2)
        for w in warnings:
            assert sum(line == w for line in output) == 1, "".join(output)


@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "polling"])
def test_a_save_rebuilds_once_and_a_build_reading_the_library_rebuilds_nothing(
    make_library, tmp_path, poll
):
    """The server learns of edits from inotify (reload_server.py), or from MkDocs' own
    polling with `poll_for_edits: true`; either way a save is one rebuild, and the
    files every build reads are not edits (no rebuild follows a rebuild)."""
    root = make_library("site", root=tmp_path / "lib", mkdocs={"poll_for_edits": poll})
    drop_broken_citation(root)
    output: list[str] = []
    with mkdocs_serve(root, output=output) as url:
        wait_for(url + "refs/resources/alpha-paper/", "Alpha Paper on Pipelines")
        time.sleep(1.5)  # three of MkDocs' looks, or time for inotify to report reads
        assert not any("Detected file changes" in line for line in output), "".join(output)
        append(root / "refs/resources/alpha-paper.md", "\nEdited once.\n")
        wait_for(url + "refs/resources/alpha-paper/", "Edited once.")
        wait_for_line(output, "Reloading browsers")
        time.sleep(1.5)  # a rebuild that set off another would be printed by now
        changes = [line for line in output if "Detected file changes" in line]
        assert len(changes) == 1, "".join(output)
