"""Staging folders (`sources/<id>/.fetch-*`): live ones are locked, dead ones are swept.

A fetch downloads a resource's artifacts into a fresh staging folder and holds an
`flock` on that folder until it is committed or discarded. A killed run leaves its
folder behind, but the kernel drops its lock with the process, so "not locked"
means "left by a run that is gone", whatever the folder's age, and a run still
going (in this process or another) is never swept. Part of the source layout, not
of Tier 1: `refs check` lists dead folders through it without loading the fetcher.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

STAGE_PREFIX = ".fetch-"
STALE_AFTER = 6 * 3600  # seconds; other resources' dead folders are swept past this age


class Stage:
    """A new staging folder in ``source``, locked for as long as it is open."""

    def __init__(self, source: Path):
        while True:
            path = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=source))
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            fcntl.flock(fd, fcntl.LOCK_EX)  # a sweeper may hold it a moment: wait
            with contextlib.suppress(FileNotFoundError):
                if os.stat(path).st_ino == os.fstat(fd).st_ino:
                    break  # still ours: nobody swept it between mkdtemp and the lock
            os.close(fd)
        self.path = path
        self._fd: int | None = fd

    def close(self) -> None:
        """Remove the folder (whatever is left in it), then let go of the lock."""
        if self._fd is None:
            return
        shutil.rmtree(self.path, ignore_errors=True)
        os.close(self._fd)
        self._fd = None


def _folders(source: Path) -> list[Path]:
    try:
        return sorted(p for p in Path(source).glob(STAGE_PREFIX + "*") if p.is_dir())
    except OSError:
        return []


@contextlib.contextmanager
def _unless_live(folder: Path, exclusive: bool):
    """Yields True while holding the folder's lock when no run holds it; else False."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False  # a live run holds it
            return
        yield True
    finally:
        os.close(fd)


def dead_stages(source: Path) -> list[Path]:
    """The staging folders in ``source`` that no running fetch holds."""
    dead = []
    for folder in _folders(source):
        with _unless_live(folder, exclusive=False) as free:
            if free:
                dead.append(folder)
    return dead


def clear_dead_stages(source: Path, older_than: float | None = None) -> list[Path]:
    """Remove the dead staging folders in ``source`` (only those older than
    ``older_than`` seconds, if given); returns what was removed."""
    removed = []
    now = time.time()
    for folder in _folders(source):
        try:
            if older_than is not None and now - folder.stat().st_mtime <= older_than:
                continue
        except OSError:
            continue
        with _unless_live(folder, exclusive=True) as free:
            if free:
                shutil.rmtree(folder, ignore_errors=True)  # under its lock: no run can take it
                removed.append(folder)
    return removed
