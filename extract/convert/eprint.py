"""Safe reading of an arXiv e-print (`arxiv-eprint.tar.gz`).

arXiv serves the "source" of a paper in one of several shapes under the same name:
a gzipped tar of the LaTeX tree, a single gzipped .tex file, or the PDF itself. The
kind is told by magic bytes, never by the file name.

The archive is untrusted. Members are read into memory (nothing is written to disk,
so no path can escape), and the whole archive is refused, with the reason, when a
member has an absolute path or a `..` part, is a link or a device, or when the
member count or the unpacked size passes a bound.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import RefsError
from ..full_md import EPRINT_FILES

MAX_FILES = 2_000
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024

# Only these members are kept in memory: the rest (figures, data) only count toward
# the bounds, since the converter reads text.
TEXT_SUFFIXES = (".tex", ".bbl", ".bib", ".sty", ".cls", ".def", ".cfg", ".ltx", ".txt")


@dataclass
class Eprint:
    """What an e-print holds: ``kind`` is ``"tar"``, ``"tex"`` or ``"pdf"``."""

    kind: str
    files: dict[str, bytes] = field(default_factory=dict)  # text members, by posix path
    pdf: bytes = b""
    other_files: list[str] = field(default_factory=list)  # member names not kept


def _is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF")


def _is_tar(data: bytes) -> bool:
    return len(data) > 262 and data[257:262] == b"ustar"


def _gunzip(data: bytes, path: Path, limit: int) -> bytes:
    """Decompress with a hard bound, so a gzip bomb cannot exhaust memory."""
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            while chunk := fh.read(1 << 20):
                out.write(chunk)
                if out.tell() > limit:
                    raise RefsError(
                        f"e-print unpacks to more than {limit} bytes; refusing it "
                        "(delete the file to convert from paper.pdf instead)",
                        path,
                    )
    except (OSError, EOFError, zlib.error) as exc:
        raise RefsError(f"e-print is not a valid gzip stream ({exc}); re-fetch it", path) from exc
    return out.getvalue()


def _safe_name(member: tarfile.TarInfo, path: Path) -> str:
    name = member.name
    where = f"member {name!r}"
    if member.issym() or member.islnk():
        raise RefsError(f"e-print {where} is a link; links are refused", path)
    if not (member.isfile() or member.isdir()):
        raise RefsError(f"e-print {where} is a device or special file; refused", path)
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise RefsError(f"e-print {where} has an absolute path; refused", path)
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if ".." in parts:
        raise RefsError(f"e-print {where} escapes the archive with '..'; refused", path)
    return "/".join(p for p in parts if p not in (".", ""))


def _read_tar(data: bytes, path: Path) -> Eprint:
    eprint = Eprint(kind="tar")
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
            members = tar.getmembers()
            if len(members) > MAX_FILES:
                raise RefsError(
                    f"e-print has {len(members)} members, more than the bound of {MAX_FILES}; refused",
                    path,
                )
            for member in members:
                name = _safe_name(member, path)
                if member.isdir():
                    continue
                if member.size > MAX_MEMBER_BYTES:
                    raise RefsError(
                        f"e-print member {member.name!r} is {member.size} bytes, more than "
                        f"the bound of {MAX_MEMBER_BYTES}; refused",
                        path,
                    )
                total += member.size
                if total > MAX_TOTAL_BYTES:
                    raise RefsError(
                        f"e-print unpacks to more than {MAX_TOTAL_BYTES} bytes; refused", path
                    )
                if not name.lower().endswith(TEXT_SUFFIXES):
                    eprint.other_files.append(name)
                    continue
                fh = tar.extractfile(member)
                eprint.files[name] = fh.read() if fh else b""
    except tarfile.TarError as exc:
        raise RefsError(
            f"e-print is not a readable tar archive ({exc}); re-fetch it", path
        ) from exc
    eprint.other_files.sort()
    return eprint


def read_eprint(path: Path) -> Eprint:
    """Read the e-print at ``path`` safely; raise `RefsError` when it is refused."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RefsError(f"cannot read e-print ({exc.strerror})", path) from exc
    if len(data) > MAX_TOTAL_BYTES:
        raise RefsError(f"e-print is larger than {MAX_TOTAL_BYTES} bytes; refused", path)
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, path, MAX_TOTAL_BYTES)
    if _is_pdf(data):
        return Eprint(kind="pdf", pdf=data)
    if _is_tar(data):
        return _read_tar(data, path)
    if b"\x00" in data[:4096]:
        raise RefsError(
            "e-print is neither a tar, a .tex file nor a PDF; re-fetch it or delete it", path
        )
    # A single (formerly gzipped) .tex file: arXiv gives it no name of its own.
    return Eprint(kind="tex", files={"main.tex": data})


def find_eprint(raw_dir: Path) -> Path | None:
    """The e-print Tier 1 stored in ``raw_dir``, whatever its name says it is."""
    # Tier 1 names the e-print for what arXiv sent: a gzipped tar, one gzipped file, or a tar.
    for name in EPRINT_FILES.values():
        if (Path(raw_dir) / name).is_file():
            return Path(raw_dir) / name
    return None
