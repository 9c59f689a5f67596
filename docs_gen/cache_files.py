"""The JSON files of the build caches under `.refs-cache/` (formulas, pure passes).

A cache file is named for the code that made its content; it is read whole, written
whole and atomically (a killed build leaves the old file or the new one, never half),
and the files of other code versions in its folder are removed when it is written, so
the folder holds one file. Neither reading nor writing ever fails a build: a file that
does not read is ignored (the build computes again), one that cannot be written (a
read-only checkout) only means the next build computes again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extract import fsio

log = logging.getLogger("mkdocs.plugins.refs-library")


def read(path: Path) -> dict[str, Any] | None:
    """The file's JSON object, or None (missing, unreadable, not an object)."""
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.info("refs-library: cache %s not read (%s); computed again", path, exc)
        return None
    return data if isinstance(data, dict) else None


def load(path: Path, take: Callable[[dict[str, Any]], None]) -> None:
    """Hand the file's JSON object to ``take``, which reads it in its own layout; a
    missing or unreadable file, or one not in that layout (``take`` raising KeyError,
    TypeError or ValueError), is left alone: the build computes afresh."""
    data = read(path)
    if data is None:
        return
    try:
        take(data)
    except (KeyError, TypeError, ValueError) as exc:
        log.info("refs-library: cache %s not in this layout (%r); computed again", path, exc)


def write(path: Path, data: dict[str, Any]) -> bool:
    """Write ``data`` as ``path`` (and drop other versions beside it); False: not written."""
    try:
        fsio.write_text(path, json.dumps(data, ensure_ascii=False))
        for old in path.parent.glob("*.json"):
            if old.name != path.name:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("refs-library: cache %s not written: %s", path, exc)
        return False
    return True
