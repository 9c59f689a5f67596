"""Repository reader: the key files Tier 1 saved under `raw/repo/`.

The tree first, then every file verbatim in a fence longer than any backtick
run inside it (so nothing in a file can close it early). Binary files are
listed, not dumped. Symlinks are listed and never followed.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from ..errors import RefsError
from ..markdown import fence_for
from .document import Document

_LANGUAGES = {
    ".py": "python",
    ".pyi": "python",
    ".md": "markdown",
    ".rst": "rst",
    ".txt": "text",
    ".toml": "toml",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".cfg": "ini",
    ".ini": "ini",
    ".sh": "bash",
    ".bash": "bash",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hpp": "cpp",
    ".cu": "cuda",
    ".cuh": "cuda",
    ".rs": "rust",
    ".go": "go",
    ".js": "javascript",
    ".ts": "typescript",
    ".java": "java",
    ".html": "html",
    ".css": "css",
    ".cmake": "cmake",
    ".ipynb": "json",
    ".tex": "latex",
    ".dockerfile": "dockerfile",
}
_NAMES = {"dockerfile": "dockerfile", "makefile": "makefile", "cmakelists.txt": "cmake"}
_GITHUB = re.compile(r"https?://github\.com/([^/\s]+)/([^/\s#?]+)")


def language(path: str) -> str:
    name = PurePosixPath(path).name.lower()
    return _NAMES.get(name) or _LANGUAGES.get(PurePosixPath(name).suffix, "")


def _entries(root: Path) -> list[Path]:
    found: list[Path] = []

    def walk(folder: Path) -> None:
        for p in sorted(folder.iterdir(), key=lambda q: q.name):
            if p.is_symlink() or p.is_file():
                found.append(p)
            elif p.is_dir():
                walk(p)

    walk(root)
    return found


def tree(paths: list[str]) -> str:
    """An indented listing of ``paths`` (POSIX, sorted), directories ending in `/`."""
    lines: list[str] = []
    shown: set[str] = set()
    for path in paths:
        parts = path.split("/")
        for depth in range(len(parts) - 1):
            folder = "/".join(parts[: depth + 1])
            if folder not in shown:
                shown.add(folder)
                lines.append("  " * depth + parts[depth] + "/")
        lines.append("  " * (len(parts) - 1) + parts[-1])
    return "\n".join(lines)


def _decode(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def repo_name(source_url: str, root: Path) -> str:
    m = _GITHUB.search(source_url or "")
    return f"{m.group(1)}/{m.group(2).removesuffix('.git')}" if m else root.parent.parent.name


def convert_repo(root: Path, source_url: str = "") -> Document:
    """Markdown for the files under ``root`` (the `raw/repo` folder)."""
    if not root.is_dir():
        raise RefsError("is not a folder of repository files", root)
    files = _entries(root)
    if not files:
        raise RefsError("holds no files to convert", root)
    rels = [p.relative_to(root).as_posix() for p in files]
    name = repo_name(source_url, root)
    parts = [f"# {name}", "", "## File tree", "", "```text", tree(rels), "```"]
    binary = 0
    for path, rel in zip(files, rels, strict=True):
        parts += ["", f"## File: {rel}", ""]
        if path.is_symlink():
            parts.append(f"*Symbolic link to `{path.readlink().as_posix()}`, not followed.*")
            continue
        data = path.read_bytes()
        text = _decode(data)
        if text is None:
            binary += 1
            parts.append(f"*Binary file ({len(data)} bytes), not shown.*")
            continue
        text = text.rstrip("\n")
        fence = fence_for(text)
        parts += [f"{fence}{language(rel)}", text, fence]
    notes = [f"repository files: {len(files)} ({binary} binary, listed only)"]
    return Document(title=name, body="\n".join(parts) + "\n", source_url=source_url, notes=notes)


def repo_url(prov: dict, folder: str, urls: list[str]) -> str:
    """The GitHub URL a repo folder came from: a manifest URL naming its repository."""
    for rel, entry in sorted(prov.get("artifacts", {}).items()):
        if rel.startswith(folder + "/") and isinstance(entry, dict):
            m = re.search(r"githubusercontent\.com/([^/]+)/([^/]+)/", str(entry.get("url", "")))
            if m:
                for u in urls:
                    if f"github.com/{m.group(1)}/{m.group(2)}" in u:
                        return u
                return f"https://github.com/{m.group(1)}/{m.group(2)}"
    return next((u for u in urls if "github.com/" in u), "")
