"""`sources/<id>/raw/provenance.json`: where every artifact came from.

Shape: {"resource": id, "urls": [its URLs, in manifest order],
"artifacts": {"<path under raw/>": {url, final_url, status, content_type, etag,
last_modified, sha256, bytes, fetched_at, kind}}}, plus, when a fetch chose not to
store an answer (an arXiv e-print that is only the PDF, or none),
"not_stored": {"<name>": {url, final_url, status, content_type, kind, reason}}.
A 304 re-fetch keeps the entry and adds `checked_at`; comments.json adds `pages`.
kind: html, pdf, json, file, eprint-tar, eprint-gzip, eprint-tar-plain.
Tier 2 reads it: fetch_date is fetched_at's date, source_url the first URL.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import fsio
from ..errors import RefsError

FILENAME = "provenance.json"
FIELDS = (
    "url",
    "final_url",
    "status",
    "content_type",
    "etag",
    "last_modified",
    "sha256",
    "bytes",
    "fetched_at",
    "kind",
)


def path_for(raw_dir: Path) -> Path:
    return Path(raw_dir) / FILENAME


def load(raw_dir: Path) -> dict:
    """The recorded provenance, or an empty record; a damaged file is an error, not ignored."""
    path = path_for(raw_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"artifacts": {}}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RefsError(
            f"cannot read provenance ({exc}); delete it and fetch with --force", path
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("artifacts"), dict):
        raise RefsError(
            "provenance has no `artifacts` mapping; delete it and fetch with --force", path
        )
    return data


def merge(
    resource: str,
    urls: list[str],
    old: dict,
    artifacts: dict[str, dict],
    not_stored: dict[str, dict],
    raw_dir: Path,
) -> dict:
    """This run's entries over the old ones; old entries stay only while their file exists."""
    kept = {
        rel: entry
        for rel, entry in old.get("artifacts", {}).items()
        if rel not in artifacts and (Path(raw_dir) / rel).is_file()
    }
    record: dict = {
        "resource": resource,
        "urls": list(urls),
        "artifacts": dict(sorted({**kept, **artifacts}.items())),
    }
    if not_stored:
        record["not_stored"] = dict(sorted(not_stored.items()))
    return record


def save(raw_dir: Path, record: dict) -> None:
    fsio.write_text(path_for(raw_dir), json.dumps(record, indent=2, ensure_ascii=False) + "\n")


def entry_is_current(raw_dir: Path, rel: str, entry: dict | None) -> bool:
    """True when the file on disk is the one the entry describes (safe to revalidate)."""
    if not entry or not entry.get("sha256"):
        return False
    path = Path(raw_dir) / rel
    if not path.is_file():
        return False
    return file_sha256(path) == entry["sha256"]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
