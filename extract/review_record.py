"""The review record: what each claim's cited passages said when its card was accepted.

`refs review <id>` writes `refs/reviews/<id>.json` beside the card's folder: for each
passage a claim of the card cites (the heading's own text, what `refs cite` shows),
a digest of the whole passage and, per line, a short digest with the line's first
characters. When a source is re-fetched and re-converted and a cited passage's text
changes, the claims citing it are stale: `refs check` warns `claim-stale` with a short
before/after, `refs show` and the site say so, and the next `refs review` records the
new text and clears them. A re-convert that changes no cited passage flags nothing.

Why a sidecar and not the card or the manifest: the card is people's prose and review
must not rewrite it (hand edits and merges would clobber machine data in it); the
manifest is one short entry per resource that people edit, and a digest per claim per
citation would bury it. The sidecar is written only by `refs review`, travels with the
card in git, diffs line by line, and deleting it only means "not reviewed against
digests yet". It keeps at most `EXCERPT` characters of each cited line (a short quote,
like a card's own Evidence quotes), enough to show "before" next to "after".
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import fsio
from .cards import Card, Citation
from .errors import RefsError
from .library import Library
from .passages import find_passage

RECORD_DIR = "refs/reviews"
VERSION = 1
EXCERPT = 100  # characters of each cited line kept, to show "before"
SHOWN = 70  # characters of before/after shown in a message
UNBOUNDED = 10**9


def record_path(lib: Library, rid: str) -> Path:
    return lib.root / RECORD_DIR / f"{rid}.json"


def passage_lines(markdown: str, anchor: str) -> list[str] | None:
    """The non-blank lines of the passage under ``anchor`` (its heading's own text,
    whole), trailing spaces dropped: blank-line and whitespace noise is no change."""
    found = find_passage(markdown, anchor, max_lines=UNBOUNDED, max_chars=UNBOUNDED)
    if found is None:
        return None
    return [row.rstrip() for row in found.text.split("\n") if row.strip()]


def _digest(text: str, size: int = 64) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:size]


def snapshot(lines: list[str]) -> dict:
    return {
        "digest": "sha256:" + _digest("\n".join(lines)),
        "lines": [[_digest(row, 12), row[:EXCERPT]] for row in lines],
    }


class Sources:
    """Cited files' markdown, read once per run (None when missing or unreadable)."""

    def __init__(self, lib: Library):
        self.lib = lib
        self._texts: dict[str, str | None] = {}

    def text(self, rel: str) -> str | None:
        if rel not in self._texts:
            try:
                self._texts[rel] = fsio.read_text(self.lib.root / rel)
            except (OSError, RefsError):
                self._texts[rel] = None
        return self._texts[rel]

    def lines(self, c: Citation) -> list[str] | None:
        """The cited passage's lines, None when the file or the anchor is not there."""
        text = self.text(c.file)
        return passage_lines(text, c.anchor) if text is not None and c.anchor else None


def make_record(lib: Library, card: Card, day: str, sources: Sources | None = None) -> dict:
    """The record of ``card`` as its cited passages read now."""
    sources = sources or Sources(lib)
    passages: dict[str, dict] = {}
    claims = []
    for claim in card.claims:
        targets = []
        for c in claim.citations:
            lines = sources.lines(c)
            if lines is None:
                continue
            passages.setdefault(c.target, snapshot(lines))
            targets.append(c.target)
        if targets:
            claims.append({"number": claim.number, "targets": list(dict.fromkeys(targets))})
    return {
        "version": VERSION,
        "id": card.rid,
        "reviewed": day,
        "claims": claims,
        "passages": dict(sorted(passages.items())),
    }


def save_record(lib: Library, record: dict) -> Path:
    path = record_path(lib, record["id"])
    path.parent.mkdir(parents=True, exist_ok=True)
    fsio.write_text(path, json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    return path


def load_record(lib: Library, rid: str) -> dict | None:
    """The card's record, None when it has none; a damaged one is an error that says
    how to rebuild it."""
    path = record_path(lib, rid)
    if not path.is_file():
        return None
    fix = f"delete it and run `refs review {rid}` to record the cited passages again"
    try:
        data = json.loads(fsio.read_text(path))
    except json.JSONDecodeError as exc:
        raise RefsError(f"not a review record ({exc.msg}); {fix}", path, exc.lineno) from None
    except RecursionError:  # JSON nested thousands deep
        raise RefsError(f"not a review record (nested too deeply); {fix}", path) from None
    ok = (
        isinstance(data, dict)
        and isinstance(data.get("passages"), dict)
        and isinstance(data.get("reviewed"), str)
        and all(
            isinstance(p, dict)
            and isinstance(p.get("digest"), str)
            and isinstance(p.get("lines"), list)
            for p in data["passages"].values()
        )
    )
    if not ok:
        raise RefsError(f"not a review record this version of refs writes; {fix}", path, 1)
    return data


@dataclass(frozen=True)
class Stale:
    """A claim whose cited passage changed since its card was reviewed."""

    claim: int
    line: int
    target: str
    reviewed: str
    before: str
    after: str

    def to_dict(self) -> dict:
        return {
            "target": self.target,
            "reviewed": self.reviewed,
            "before": self.before,
            "after": self.after,
        }


def stale_claims(
    lib: Library, card: Card, record: dict | None = None, sources: Sources | None = None
) -> list[Stale]:
    """Each (claim, target) of ``card`` whose passage differs from the record. A target
    the record lacks (cited after the review) or that no longer resolves (the citation
    rule reports it) is not judged."""
    if record is None:
        record = load_record(lib, card.rid)
        if record is None:
            return []
    sources = sources or Sources(lib)
    seen: dict[str, tuple[str, str] | None] = {}
    out = []
    for claim in card.claims:
        for c in dict.fromkeys(claim.citations):
            old = record["passages"].get(c.target)
            if old is None:
                continue
            if c.target not in seen:
                lines = sources.lines(c)
                if lines is not None and snapshot(lines)["digest"] != old["digest"]:
                    seen[c.target] = before_after(old["lines"], lines)
                else:
                    seen[c.target] = None
            if (pair := seen[c.target]) is not None:
                before, after = pair
                out.append(
                    Stale(claim.number, claim.line, c.target, record["reviewed"], before, after)
                )
    return out


def before_after(old: list, new: list[str]) -> tuple[str, str]:
    """A short before/after of the first place the passage changed."""
    old_keys = [str(row[0]) for row in old if isinstance(row, list) and row]
    old_text = [str(row[1]) if len(row) > 1 else "" for row in old if isinstance(row, list) and row]
    new_keys = [_digest(row, 12) for row in new]
    ops = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes()
    tag, i1, i2, j1, j2 = next((op for op in ops if op[0] != "equal"), ("equal", 0, 0, 0, 0))
    before = old_text[i1] if i1 < i2 else ""
    after = new[j1] if j1 < j2 else ""
    if not before:
        return "(nothing)", _cut(after, 0)
    if not after:
        return _cut(before, 0), "(removed)"
    same = 0
    while same < min(len(before), len(after)) and before[same] == after[same]:
        same += 1
    if same >= len(before) and len(before) >= EXCERPT:
        # the change lies past the characters the record kept of this line
        return _cut(before, max(0, len(before) - SHOWN)) + " (…)", _cut(after, len(before) - 20)
    start = max(0, same - 20)
    return _cut(before, start), _cut(after, start)


def _cut(text: str, start: int) -> str:
    piece = text[start : start + SHOWN]
    return ("…" if start > 0 else "") + piece + ("…" if start + SHOWN < len(text) else "")
