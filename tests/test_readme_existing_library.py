"""The README's "Use it on an existing library", followed as written in a git clone of
a library: the `.gitignore` lines it gives leave nothing the commands make untracked
(the search cache, the built site, the manifest writers' lock)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from mkdocs_site import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def readme_gitignore_command() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it on an existing library", 1)[1].split("\n## ", 1)[0]
    lines = [ln for ln in section.splitlines() if ln.strip().endswith(">> .gitignore")]
    assert len(lines) == 1, lines
    return lines[0]


def git(root, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
        "HOME": str(root), "PATH": "/usr/bin:/bin",
    }  # fmt: skip
    r = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_the_readme_gitignore_lines_leave_nothing_untracked(make_library, refs_subprocess):
    root = make_library("published")
    git(root, "init", "-q")
    subprocess.run(["bash", "-c", readme_gitignore_command()], cwd=root, check=True)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "his library")
    # a new bullet in the curriculum, which `refs sync --add-missing` writes into the
    # manifest (under its lock); then the commands that index for search and report
    curriculum = root / "distributed_video_dit_inference.md"
    text = curriculum.read_text(encoding="utf-8").replace(
        "- **Framework Device Notes**",
        "- **Queues Between Stages** — a made-up post.\n"
        "  - https://blog.example.com/queues/\n\n- **Framework Device Notes**",
        1,
    )
    curriculum.write_text(text, encoding="utf-8")
    for args in (["sync", "--add-missing"], ["search", "pipeline"], ["check"]):
        r = refs_subprocess(root, *args)
        assert r.returncode in (0, 1), (args, r.stderr)  # check exits 1 on findings
    assert "https://blog.example.com/queues/" in (root / "refs/manifest.yaml").read_text()
    assert (root / "refs/.manifest.lock").exists()  # the lock was made: it must be ignored
    (root / "site").mkdir()  # what `mkdocs build` writes
    (root / "site/index.html").write_text("<p>built</p>\n", encoding="utf-8")
    status = git(root, "status", "--porcelain", "--untracked-files=all")
    untracked = [ln for ln in status.splitlines() if ln.startswith("??")]
    assert untracked == [], untracked
    assert re.search(r"refs/\.manifest\.lock", (root / ".gitignore").read_text())
