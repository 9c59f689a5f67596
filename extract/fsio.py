"""The library's file I/O: atomic writes (a reader, or a crash, never sees a
half-written file), the one reader of the text files people and tools write, and
the path rule every read of a library's files goes through.

The path rule: a library is data from a stranger, and git stores symbolic links, so
a file under a library's root is read only when its real path is inside that root
too (`check_inside`). `Library` registers its root when it opens (`confine`); paths
outside every registered root (the package's own templates) are not the rule's.

Every file is created the way `open()` would create it: mode 0666 less the
user's umask (0644 typically), so a web server running as another user can read
what we publish. A file that is replaced keeps the mode it had. `mkstemp` is not
used for that reason: it makes every file 0600.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import CannotWrite, RefsError, cannot_write

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_ROOTS: set[Path] = set()  # the real paths of the libraries opened in this process


def confine(root: Path) -> None:
    """Hold reads of files under ``root`` to ``root`` (see `check_inside`)."""
    _ROOTS.add(Path(os.path.realpath(root)))


def outside_link(path: Path) -> Path | None:
    """Where ``path`` really is when symbolic links take it out of the library it is
    written under; None when it stays inside (or is under no library)."""
    p = Path(os.path.abspath(path))
    for root in _ROOTS:
        if p == root or root in p.parents:
            real = Path(os.path.realpath(p))
            if real != root and root not in real.parents:
                return real
    return None


def link_problem(path: Path) -> str | None:
    """What the path rule says of ``path``: None, or why it is not read."""
    real = outside_link(path)
    if real is None:
        return None
    return (
        f"is a symbolic link to {real}, outside the library; a library reads only its "
        "own files: replace the link with the file, or delete it"
    )


def check_inside(path: Path) -> None:
    """A `RefsError` naming ``path`` when it is a link out of its library (the path rule)."""
    problem = link_problem(path)
    if problem:
        raise RefsError(problem, path)


HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM}  # what `signals_held` holds


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM (the CLI turns them into exceptions) until this ends;
    one that came meanwhile is raised at once after. Where a temp file is made, this
    lets the name be known to the code that removes it before such an exception can
    come: otherwise it could come between the file's creation and the `try` that
    cleans up, and leave the temp file behind."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _create_beside(path: Path) -> tuple[int, Path]:
    """A new, empty temp file in ``path``'s folder, with the mode ``path`` will have."""
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            # 0o666 is filtered by the umask, exactly as for a plain open().
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
        try:
            mode = os.stat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return fd, tmp
        except BaseException:
            os.close(fd)
            os.unlink(tmp)
            raise
        try:
            os.fchmod(fd, mode & 0o7777)  # a replaced file keeps its mode
        except BaseException:
            os.close(fd)
            os.unlink(tmp)
            raise
        return fd, tmp
    raise FileExistsError(errno.EEXIST, "no free temp name", str(path.parent))


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """A write the machine refuses (read-only, disk full) as one `CannotWrite` naming
    ``path``, the file meant (not its temp file); the outermost ``path`` is named when
    these nest (`refs site --out` names its folder, not a page in its temp folder)."""
    try:
        yield
    except CannotWrite as exc:
        exc.path = str(path)
        raise
    except OSError as exc:
        if cannot_write(exc):
            raise CannotWrite(exc, path) from None
        raise


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "wb") -> Iterator[IO]:
    """Open a temp file beside ``path``; rename it over ``path`` only on success."""
    path = Path(path)
    tmp: Path | None = None
    try:
        with signals_held(), writing(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = _create_beside(path)
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else ""
        with writing(path):
            with os.fdopen(fd, mode, encoding=encoding, newline=newline) as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def write_text(path: Path, text: str) -> None:
    with atomic_open(path, "w") as fh:
        fh.write(text)


def read_text(path: Path) -> str:
    """A text file of the library (card, curriculum, topic doc, full.md) as text.

    UTF-8, with a byte-order mark accepted (some editors write one). Bytes that are
    not UTF-8 are a `RefsError` naming the file, the line and the byte offset, never
    a traceback.
    """
    check_inside(path)
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RefsError(
            f"is not UTF-8 text (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            "save it as UTF-8, or re-run the step that wrote it",
            path,
            line,
        ) from None


def write_temp(path: Path, data: bytes) -> Path:
    """``data`` in a new temp file beside ``path`` (synced), for the caller to move in."""
    path = Path(path)
    tmp: Path | None = None
    try:
        with signals_held(), writing(path):
            fd, tmp = _create_beside(path)
        with writing(path), os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
    return tmp


def replace(src: Path, dest: Path) -> None:
    """Move ``src`` over ``dest``; a file already at ``dest`` keeps its mode."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(src, os.stat(dest).st_mode & 0o7777)
    os.replace(src, dest)


def create_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet; FileExistsError if one appears meanwhile."""
    path = Path(path)
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp: Path | None = None
    try:
        with signals_held():  # until `tmp` names the file (see signals_held)
            tmp = write_temp(path, data)
        os.link(tmp, path)  # unlike a rename, a link never replaces an existing file
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


# ---------- swapping a file in and knowing exactly what it replaced ----------
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _load_renameat2():
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_renameat2 = _load_renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap the files named ``a`` and ``b`` in one atomic step (Linux ``renameat2``).

    False when this system or file system cannot (nothing changed then);
    FileNotFoundError when either name does not exist.
    """
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def swap_in(path: Path, data: bytes, expect: bytes) -> tuple[bool, bytes]:
    """Put ``data`` at ``path`` if it still holds ``expect``: (swapped, displaced).

    Where the file system can exchange two names, the new file goes in with one
    atomic swap and ``displaced`` is exactly the file it replaced, whoever wrote
    it last, so the caller can tell (and keep) an edit that landed at the last
    moment: (True, displaced). Elsewhere the file is compared, then renamed over
    at once: (True, expect) when it matched, (False, what is there) when it did
    not (nothing written then). FileNotFoundError when there is no file at ``path``.
    """
    path = Path(path)
    tmp: Path | None = None
    try:
        with signals_held():  # until `tmp` names the file (see signals_held)
            tmp = write_temp(path, data)
        if exchange(tmp, path):
            return True, tmp.read_bytes()
        current = path.read_bytes()
        if current != expect:
            return False, current
        os.replace(tmp, path)
        return True, expect
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
