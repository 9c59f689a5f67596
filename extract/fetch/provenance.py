"""`sources/<id>/raw/provenance.json`: where every artifact came from.

Shape: {"resource": id, "urls": [its URLs, in manifest order],
"artifacts": {"<path under raw/>": {url, final_url, status, content_type, etag,
last_modified, sha256, bytes, fetched_at, kind}}}, plus, when a fetch chose not to
store an answer (an arXiv e-print that is only the PDF, or none),
"not_stored": {"<name>": {url, final_url, status, content_type, kind, reason}}.
A 304 re-fetch keeps the entry and adds `checked_at`; comments.json adds `pages`.
kind: html, pdf, json, file, eprint-tar, eprint-gzip, eprint-tar-plain.
Tier 1 writes it here; both tiers read it through `extract.full_md.read_provenance`
(Tier 2: fetch_date is fetched_at's date, source_url the first URL).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import fsio
from ..full_md import provenance_path


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
    fsio.write_text(
        provenance_path(raw_dir), json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    )


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
