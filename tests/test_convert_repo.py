"""Repository reader: tree, then each file verbatim in a fence it cannot close."""

from __future__ import annotations

import re

import pytest
from sample_pages import write

from extract.convert.repo import convert_repo
from extract.errors import RefsError


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "res" / "raw" / "repo"
    write(root / "README.md", "# Demo\n\n````text\nnested fence\n````\n")
    write(root / "src" / "pipe.py", "def stage():\n    return 1\n")
    write(root / "src" / "kernel.cu", "__global__ void k() {}\n")
    write(root / "assets" / "logo.png", b"\x89PNG\r\n\x1a\n\x00\x00binary")
    write(root / "latin1.txt", "caf\xe9".encode("latin-1"))
    return root


def test_tree_then_files(repo):
    doc = convert_repo(repo, "https://github.com/demo/proj")
    md = doc.body
    assert md.startswith("# demo/proj\n\n## File tree\n\n```text\n")
    tree = md.split("```text\n", 1)[1].split("\n```", 1)[0]
    assert tree.split("\n") == [
        "README.md",
        "assets/",
        "  logo.png",
        "latin1.txt",
        "src/",
        "  kernel.cu",
        "  pipe.py",
    ]
    files = re.findall(r"^## File: (.+)$", md, flags=re.M)
    assert files == ["README.md", "assets/logo.png", "latin1.txt", "src/kernel.cu", "src/pipe.py"]
    assert "```python\ndef stage():\n    return 1\n```" in md
    assert "```cuda\n__global__ void k() {}\n```" in md


def test_fence_longer_than_any_backtick_run(repo):
    md = convert_repo(repo).body
    assert "`````markdown\n# Demo\n\n````text\nnested fence\n````\n`````" in md


def test_binary_files_listed_not_dumped(repo):
    doc = convert_repo(repo)
    assert "## File: assets/logo.png\n\n*Binary file (16 bytes), not shown.*" in doc.body
    assert "## File: latin1.txt\n\n*Binary file (4 bytes), not shown.*" in doc.body
    assert "PNG" not in doc.body
    assert doc.notes == ["repository files: 5 (2 binary, listed only)"]


def test_symlinks_are_not_followed(repo, tmp_path):
    secret = write(tmp_path / "secret.txt", "do not leak")
    (repo / "link.txt").symlink_to(secret)
    md = convert_repo(repo).body
    assert "do not leak" not in md
    assert "*Symbolic link to" in md


def test_empty_repo_folder_is_an_error(tmp_path):
    (tmp_path / "repo").mkdir()
    with pytest.raises(RefsError, match="no files"):
        convert_repo(tmp_path / "repo")
