"""A theme folder as MkDocs lists it on every build, without its hidden folders.

On every build and every served rebuild MkDocs lists every file of every theme folder
(`Files.add_files_from_theme`, through jinja's `list_templates`) and then drops the
hidden ones by pattern: it never publishes a dot path. Material's `.icons/` alone holds
about 14,500 SVG files, each listed and matched against a dozen patterns, to publish
none of them: ~0.05 s of each rebuild, a fifth of a served card edit's.

`mirrored` gives MkDocs the same folder through a mirror under `.refs-cache/theme/`:
every other file as a symbolic link, and each hidden top-level folder as one link to
the real folder. Jinja's listing does not follow links to folders (`followlinks=False`),
while its loader opens `.icons/...` through the link as before: the same templates and
the same static files, so the same site. The mirror is made once per theme version
(its key is the folder and its file names), looked up once per process, and a mirror
that cannot be made (no symbolic links, a read-only checkout) leaves the theme folder
as it is.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from .site import digest

log = logging.getLogger("mkdocs.plugins.refs-library")

CACHE = Path(".refs-cache") / "theme"
_made: dict[tuple[str, str], str] = {}  # (library, theme folder) -> its mirror, this process


def _listing(folder: str) -> tuple[list[str], list[str]]:
    """(hidden top-level folders, every other file's path relative to ``folder``)."""
    hidden = sorted(e.name for e in os.scandir(folder) if e.name.startswith(".") and e.is_dir())
    files = []
    for here, dirs, names in os.walk(folder):
        rel = os.path.relpath(here, folder)
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in hidden]
        dirs.sort()
        files += sorted(os.path.normpath(os.path.join(rel, n)) for n in names)
    return hidden, files


def mirrored(root: Path, folder: str) -> str:
    """``folder`` or its mirror under ``root``'s `.refs-cache/theme/` (see the module doc):
    the folder itself when it has no hidden folder, or when no mirror can be made."""
    known = _made.get((str(root), folder))
    if known is not None and os.path.isdir(known):
        return known
    try:
        real = os.path.realpath(folder)
        hidden, files = _listing(real)
        if not hidden:
            return folder
        base = root / CACHE / digest(real)[:12]
        mirror = base / digest(hidden, files)[:16]
        if not mirror.is_dir():
            _make(real, hidden, files, base, mirror)
    except OSError as exc:
        log.info("refs-library: theme folder %s used as it is (%s)", folder, exc)
        return folder
    _made[(str(root), folder)] = str(mirror)
    return str(mirror)


def _make(real: str, hidden: list[str], files: list[str], base: Path, mirror: Path) -> None:
    """Build the mirror beside its place and rename it there (a stopped build leaves no
    half mirror); the mirrors of this folder's other versions are removed."""
    base.mkdir(parents=True, exist_ok=True)
    staging = base / f".{mirror.name}.{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        for name in hidden:
            os.symlink(os.path.join(real, name), staging / name, target_is_directory=True)
        for rel in files:
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.path.join(real, rel), dest)
        try:
            staging.rename(mirror)
        except OSError:
            if not mirror.is_dir():  # not another build's mirror, made meanwhile
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for other in base.iterdir():
        if other.name != mirror.name and not other.name.startswith("."):
            shutil.rmtree(other, ignore_errors=True)
