"""Findings `refs mcp` keeps between `check` calls, so a warm whole-library check is fast.

The costly resource rules (the `Rule`s marked ``kept``: claim support, the source
links summary, the staleness digest) read a handful of files each. Their findings are
kept per (rule, resource) with a fingerprint of exactly those files: the manifest, the
resource's card and review record, everything under sources/<id>/, and what the rule
run consulted beyond them (`Checker.consulted`: the cited sources' folders, the files
a full.md links to). A fingerprint is (path, mtime_ns, size) from `os.stat`, whole
folders walked, so an added or removed file shows too. While it is unchanged the
kept findings are reused; otherwise the rule runs again. Findings are not kept while a
file they depend on is younger than `RACY_NS` at the check's start: a second edit in
the same timestamp tick, of the same size, would otherwise go unseen (git's "racily
clean" files). The library rules (those
looking across resources) and the cheap resource rules run on every call, so the
result is always what `refs check --json` prints now.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from .check import Checker, Finding, Rule
from .figures import eps_converter
from .full_md import SOURCES_DIR
from .library import CARDS_DIR, Library
from .manifest import Resource
from .review_record import RECORD_DIR

# A file modified this recently (timestamps tick coarsely: 4 ms on Linux, 2 s on FAT)
# may change again without its (mtime, size) changing.
RACY_NS = 2_000_000_000
Fingerprint = tuple[tuple[str, int | None, int | None], ...]


@dataclass(frozen=True)
class _Kept:
    own: Fingerprint  # the manifest and the resource's own files, before the run
    consulted: frozenset[str]  # what the run read beyond them
    seen: Fingerprint  # those consulted paths, after the run
    findings: tuple[Finding, ...]


def fingerprint(root: Path, rel: str) -> Fingerprint:
    """(path, mtime_ns, size) of ``rel`` and, for a folder, of everything under it
    (symbolic links as links, never followed); (path, None, None) when missing."""
    out: list[tuple[str, int | None, int | None]] = []

    def walk(path: Path, name: str) -> None:
        try:
            st = os.stat(path, follow_symlinks=False)
        except (OSError, ValueError):  # missing, or a name no file system accepts
            out.append((name, None, None))
            return
        out.append((name, st.st_mtime_ns, st.st_size))
        if stat.S_ISDIR(st.st_mode):
            try:
                children = sorted(os.listdir(path))
            except OSError:
                return
            for child in children:
                walk(path / child, f"{name}/{child}")

    walk(root / rel, rel)
    return tuple(out)


class KeptFindings:
    """The findings of the ``kept`` rules, per (rule, resource), with their
    fingerprints; one instance lives as long as the server (one check at a time)."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], _Kept] = {}
        self._lib: Library | None = None
        self._memo: dict[str, Fingerprint] = {}
        self._converter: str | None = None
        self._started = 0

    def begin(self, lib: Library) -> None:
        """Start a check: files are stat'ed afresh (once per path within the check)."""
        self._lib = lib
        self._memo = {}
        self._started = time.time_ns()
        converter = eps_converter()  # Ghostscript installed or removed: figure rule
        if converter != self._converter:
            self._kept.clear()
            self._converter = converter
        # A resource gone from the manifest takes its findings along, so a server
        # that outlives many edits holds no more than the library it serves.
        live = set(lib.ids)
        for key in [key for key in self._kept if key[1] not in live]:
            del self._kept[key]

    def kept_ids(self) -> set[str]:
        """The resources some of whose findings are kept."""
        return {rid for _, rid in self._kept}

    def _print(self, rel: str) -> Fingerprint:
        assert self._lib is not None, "begin() first"
        if rel not in self._memo:
            self._memo[rel] = fingerprint(self._lib.root, rel)
        return self._memo[rel]

    def _own(self, res: Resource) -> Fingerprint:
        lib = self._lib
        assert lib is not None, "begin() first"
        rid = res.id
        return tuple(
            entry
            for rel in (
                lib.rel(lib.manifest_path),
                f"{CARDS_DIR}/{rid}.md",  # lib.card_path, record_path, lib.source_dir
                f"{RECORD_DIR}/{rid}.json",
                f"{SOURCES_DIR}/{rid}",
            )
            for entry in self._print(rel)
        )

    def _seen(self, consulted: frozenset[str]) -> Fingerprint:
        return tuple(entry for rel in sorted(consulted) for entry in self._print(rel))

    def check(self, checker: Checker, rule: Rule, res: Resource) -> None:
        """Add ``rule``'s findings for ``res`` to the checker's: the kept ones while
        nothing they depend on changed, else the rule's, run now (and kept)."""
        key = (rule.check.__name__, res.id)
        own = self._own(res)
        kept = self._kept.get(key)
        if kept is not None and kept.own == own and kept.seen == self._seen(kept.consulted):
            checker.findings.extend(kept.findings)
            return
        start = len(checker.findings)
        checker.consulted = set()
        rule.check(checker, res)
        consulted = frozenset(checker.consulted)
        # `own` was stat'ed before the run, so an edit made while it ran shows next
        # time; the consulted paths are known only after it (most were stat'ed already).
        seen = self._seen(consulted)
        young = self._started - RACY_NS
        if any(mtime is not None and mtime >= young for _, mtime, _ in (*own, *seen)):
            self._kept.pop(key, None)  # run again next time
        else:
            self._kept[key] = _Kept(own, consulted, seen, tuple(checker.findings[start:]))
