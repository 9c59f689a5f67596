"""A resource's files on disk: the raw-artifact layout, provenance, and the full.md format.

Tier 1 writes `sources/<id>/raw/` and its `provenance.json`; Tier 2 reads them and
writes `sources/<id>/full.md`; `refs check`, search and the site read full.md. All
of them take the names and the formats from here, so the two tiers never need each
other and a reader never parses a file its own way.

full.md starts with a YAML front matter block, then the lossless markdown body. The
converter writes `FRONT_MATTER_KEYS` in that order, then `SOURCE_SHA256`; a reader
accepts what the owner's working guide defines, whoever wrote the file:
`REQUIRED_KEYS` always, `conversion_notes` for papers only, `author` only where it
applies (a docs page has none) or `authors` as a list, and any further keys, kept as
written. `SOURCE_SHA256` is `source_digest` of the raw folder the converter read:
when the raw artifacts change, the full.md is stale (`is_stale`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import yaml

from . import fsio, yaml_limits
from .errors import RefsError

SOURCES_DIR = "sources"
RAW_DIR = "raw"
FULL_MD = "full.md"
PROVENANCE = "provenance.json"
SUBPAGES_DIR = "subpages"
IMAGES_DIR = "images"  # an HTML page's content images (`refs fetch`); never read by Tier 2

# Names of the arXiv artifacts, by the kind Tier 1 records for them.
ABSTRACT_PAGE = "abstract.html"
PAPER_PDF = "paper.pdf"
EPRINT_FILES = {
    "eprint-tar": "arxiv-eprint.tar.gz",
    "eprint-gzip": "arxiv-eprint.gz",
    "eprint-tar-plain": "arxiv-eprint.tar",
}

FRONT_MATTER_KEYS = (
    "title",
    "source_url",
    "fetch_date",
    "source_type",
    "author",
    "conversion_notes",
)
# Written by the converter, after the keys above; optional (older conversions lack it).
SOURCE_SHA256 = "source_sha256"
REQUIRED_KEYS = ("title", "source_url", "fetch_date", "source_type")
PAPER_KEYS = ("conversion_notes",)  # a paper's conversion method matters (LaTeX or PDF)
# ... but a hand-made copy may not say it: a warning (`front_matter_advice`), not an error.


def raw_rel(rid: str) -> str:
    return f"{SOURCES_DIR}/{rid}/{RAW_DIR}"


def full_md_rel(rid: str) -> str:
    """`sources/<id>/full.md`: the path every citation names."""
    return f"{SOURCES_DIR}/{rid}/{FULL_MD}"


# ---------- provenance ----------


def provenance_path(raw_dir: Path) -> Path:
    return Path(raw_dir) / PROVENANCE


def read_provenance(raw_dir: Path) -> dict:
    """The recorded provenance (``{"artifacts": {}}`` when there is none).

    A damaged file is an error, never silently ignored: what it says is the only
    record of where the artifacts came from.
    """
    path = provenance_path(raw_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"artifacts": {}}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise RefsError(  # RecursionError: JSON nested thousands deep (a stranger's file)
            f"cannot read provenance ({exc}); delete it and fetch with --force", path
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("artifacts"), dict):
        raise RefsError(
            "provenance has no `artifacts` mapping; delete it and fetch with --force", path
        )
    return data


def artifact_url(provenance: dict, rel: str) -> str:
    """Where the artifact at ``rel`` (path under raw/) came from, after redirects."""
    entry = provenance.get("artifacts", {}).get(rel)
    if isinstance(entry, dict):
        return str(entry.get("final_url") or entry.get("url") or "")
    return ""


def artifact_order(provenance: dict, rel: str) -> int | None:
    """The table-of-contents position Tier 1 recorded for a subpage, if any."""
    entry = provenance.get("artifacts", {}).get(rel)
    value = entry.get("order") if isinstance(entry, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def fetch_date(provenance: dict) -> str:
    """The date of the earliest fetch of the artifacts (`YYYY-MM-DD`, "" if unknown)."""
    stamps = sorted(
        str(a.get("fetched_at"))
        for a in provenance.get("artifacts", {}).values()
        if isinstance(a, dict) and a.get("fetched_at")
    )
    return stamps[0][:10] if stamps else ""


# The most a raw artifact may hold: the fetch cap (REFS_FETCH_MAX_BYTES' default), for
# files placed by hand too. A reader holds a whole artifact in memory, often several
# times over; a 3 GiB file would take minutes and gigabytes before failing.
MAX_RAW_BYTES = 200 * 1024 * 1024


def raw_problem(path: Path) -> str | None:
    """What keeps the raw artifact at ``path`` from being read, or None: a symbolic
    link out of the library (the path rule) or a size over `MAX_RAW_BYTES`."""
    link = fsio.link_problem(path)
    if link:
        return link
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if Path(path).is_file() and size > MAX_RAW_BYTES:
        return (
            f"is {size / 2**20:,.0f} MiB ({size:,} bytes), over the {MAX_RAW_BYTES >> 20} MiB "
            "a raw artifact may hold; "
            "keep the part the source needs (or link the resource: `link only`)"
        )
    return None


def raw_entries(raw_dir: Path) -> list[Path]:
    """Every file and symbolic link under ``raw_dir`` (links to folders are not walked)."""
    out = []
    for folder, dirs, files in os.walk(raw_dir):
        base = Path(folder)
        out += [base / d for d in dirs if (base / d).is_symlink()]
        out += [base / f for f in files]
    return sorted(out)


def raw_files(raw_dir: Path) -> list[Path]:
    """Every file under ``raw_dir``, once each has passed the path rule and the size
    bound: the first that does not is a `RefsError` naming it. Every step that reads
    a raw folder (convert, `--record`, staleness) lists it through here first."""
    out = []
    for p in raw_entries(Path(raw_dir)):
        problem = raw_problem(p)
        if problem:
            raise RefsError(problem, p)
        if p.is_file():
            out.append(p)
    return out


def source_digest(raw_dir: Path) -> str:
    """One sha256 over every raw artifact (path and content), provenance and the
    page images aside (the converter never reads them): what a full.md records it
    was converted from. A link out of the library or a file over the size bound is a
    `RefsError` (`raw_files`), before anything is read."""
    raw_dir = Path(raw_dir)
    digest = hashlib.sha256()
    files = sorted(
        p.relative_to(raw_dir).as_posix()
        for p in raw_files(raw_dir)
        if p.name != PROVENANCE
        and not p.name.startswith(".")
        and p.relative_to(raw_dir).parts[0] != IMAGES_DIR
    )
    for rel in files:
        file_digest = hashlib.sha256()
        with open(raw_dir / rel, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                file_digest.update(block)
        digest.update(f"{rel}\0{file_digest.hexdigest()}\n".encode())
    return digest.hexdigest()


# ---------- full.md ----------


class FrontMatterError(RefsError):
    """A full.md whose front matter is missing or malformed."""


def front_matter(meta: dict) -> str:
    """YAML front matter in the fixed key order; values quoted so any text is safe."""
    lines = ["---"]
    keys = [*FRONT_MATTER_KEYS, *([SOURCE_SHA256] if meta.get(SOURCE_SHA256) else [])]
    for key in keys:
        value = str(meta.get(key, ""))
        dumped = yaml.safe_dump(value, allow_unicode=True, width=10_000).strip()
        lines.append(f"{key}: {dumped.removesuffix(chr(10) + '...')}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def parse(text: str, path: Path | str | None = None) -> tuple[dict, str]:
    """(front matter, body) of a full.md text; `FrontMatterError` names what is wrong.

    A UTF-8 byte-order mark is accepted (editors on some systems write one).
    """
    text = text.removeprefix("\ufeff")
    if not text.startswith("---\n"):
        raise FrontMatterError(
            "no front matter: full.md must start with a `---` YAML block", path, 1
        )
    end = text.find("\n---\n", 4)
    if end < 0:
        raise FrontMatterError("front matter is not closed by a `---` line", path, 1)
    try:
        meta = yaml_limits.safe_load(text[4:end], path, 2) or {}
    except RefsError as exc:  # a limit: an alias bomb or deep nesting
        raise FrontMatterError(exc.message, path, exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1: the opening `---`
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise FrontMatterError(
            f"front matter does not parse as YAML: {problem}", path, line
        ) from None
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter must be a YAML mapping", path, 2)
    problem = front_matter_problem(meta)
    if problem:
        raise FrontMatterError(problem, path, _key_line(text[4:end], problem))
    return meta, text[end + 5 :]


def front_matter_problem(meta: dict) -> str | None:
    """What a front matter mapping breaks of the rules, or None (extra keys are fine)."""
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        return f"front matter lacks {', '.join(missing)}"
    author = meta.get("author")
    if author is not None and not isinstance(author, str | list):
        return "front matter field author: must be text (or a list of names)"
    authors = meta.get("authors")
    if authors is not None and not (
        isinstance(authors, str)
        or (isinstance(authors, list) and all(isinstance(a, str | dict) for a in authors))
    ):
        return "front matter field authors: must be a list of names"
    return None


def front_matter_advice(meta: dict) -> str | None:
    """What a valid front matter had better say (a warning): a paper's
    `conversion_notes`, how its text was made (LaTeX source, PDF, by hand)."""
    if str(meta.get("source_type", "")).strip().lower() != "paper":
        return None
    missing = [k for k in PAPER_KEYS if k not in meta]
    if missing:
        return (
            f"a paper's front matter lacks {', '.join(missing)}; say how this copy was made "
            "(LaTeX source, PDF text, by hand) so a reader knows what to trust"
        )
    return None


def authors_of(meta: dict) -> list[str]:
    """The names a front matter gives, from `author` (text or list) or `authors` (a
    list of names, or of mappings with a `name`)."""
    out: list[str] = []
    for key in ("author", "authors"):
        value = meta.get(key)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict):
                item = item.get("name")
            if isinstance(item, str) and item.strip() and item.strip() not in out:
                out.append(item.strip())
    return out


def _key_line(block: str, problem: str) -> int:
    """The file line of the field a problem names (the opening `---` is line 1)."""
    m = re.search(r"field (\w+):", problem)
    if m:
        for n, row in enumerate(block.splitlines(), start=2):
            if row.startswith(m.group(1) + ":"):
                return n
    return 1


def read(path: Path) -> tuple[dict, str]:
    """(front matter, body) of the full.md at ``path``."""
    return parse(fsio.read_text(path), path)


def is_stale(meta: dict, raw_dir: Path) -> bool:
    """Whether the raw artifacts changed since the full.md with front matter ``meta``
    was converted (False when it recorded no digest: nothing to compare)."""
    recorded = str(meta.get(SOURCE_SHA256) or "")
    if not recorded or not Path(raw_dir).is_dir():
        return False
    try:
        return recorded != source_digest(raw_dir)
    except RefsError:  # a link out of the library or an oversize file: `refs check` says so
        return False
