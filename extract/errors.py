"""Errors that carry where the problem is and what to do about it."""

from __future__ import annotations

import errno
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


# Why a file cannot be written that is the machine's, not the library's: said in one
# line with what to do, never a traceback (a read-only checkout, a full disk).
_ADVICE = {
    errno.EROFS: "the file system is read-only: work in a writable copy of the library",
    errno.EACCES: "no permission to write there: make the folder writable",
    errno.EPERM: "no permission to write there: make the folder writable",
    errno.ENOSPC: "the disk is full: free some space",
    errno.EDQUOT: "the disk quota is used up: free some space",
    errno.EFBIG: "the file is too large for this file system",
}


class CannotWrite(RefsError, OSError):
    """A write the machine refused (read-only, disk full): a `RefsError` naming the
    file, and still the `OSError` it was for whoever catches that."""

    def __init__(self, exc: OSError, path: Path | str | None = None):
        RefsError.__init__(
            self,
            f"cannot be written ({exc.strerror}); files already written are complete and "
            f"this one is as it was: {_ADVICE.get(exc.errno or 0, 'fix that')}, then run "
            "the command again",
            path if path is not None else exc.filename,
        )
        self.errno, self.strerror, self.filename = exc.errno, exc.strerror, exc.filename


def cannot_write(exc: OSError) -> bool:
    """Whether ``exc`` is a refused write (`CannotWrite` says it), not a bug or a race."""
    return exc.errno in _ADVICE
