"""Errors that carry where the problem is and what to do about it."""

from __future__ import annotations

from pathlib import Path


class RefsError(Exception):
    """A user-facing failure: ``file:line: message`` and a non-zero exit."""

    exit_code = 1

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = _shown(self.path) + (f":{self.line}" if self.line else "") + ": "
        return where + self.message


def _shown(path: str) -> str:
    """A path as a person typed it: relative to the working folder when under it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        return path


class UsageError(RefsError):
    """Bad arguments on the command line (exit 2)."""

    exit_code = 2
