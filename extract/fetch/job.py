"""One resource's fetch: artifacts are staged, then moved into `raw/` all together.

Every artifact is downloaded into a staging folder beside `raw/` (each through
`fsio.atomic_open`). Only when every required artifact arrived are they moved
into `raw/` and provenance written; on any failure the staging folder is removed,
so `raw/` only ever holds complete artifacts that its provenance describes. The
folder is locked while the job lives (`staging`), so one left by a killed run is
told apart from one in use and cleared by the next fetch of the resource.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import fsio
from ..errors import RefsError
from ..staging import Stage, clear_dead_stages
from . import checks, provenance
from .dispatch import Endpoints
from .http import Client, Fetched, FetchError


@dataclass
class Artifact:
    rel: str  # path under raw/
    entry: dict  # its provenance entry
    state: str  # new | changed | unchanged
    staged: bool  # False when a 304 kept the file already in raw/


@dataclass
class ResourceJob:
    rid: str
    client: Client
    endpoints: Endpoints
    raw: Path
    old: dict  # the provenance recorded by the last fetch
    urls: list[str] = field(default_factory=list)  # the resource's, for provenance
    subpages: int = 0  # how many table-of-contents pages a docs guide may follow
    artifacts: dict[str, Artifact] = field(default_factory=dict)
    not_stored: dict[str, dict] = field(default_factory=dict)
    retired: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    _stage: Stage | None = None
    _created_source_dir: bool = False

    # ---------- staging ----------
    @property
    def stage(self) -> Path:
        if self._stage is None:
            source = self.raw.parent
            self._created_source_dir = not source.exists()
            source.mkdir(parents=True, exist_ok=True)
            clear_dead_stages(source)  # this resource's leftovers of killed runs, any age
            self._stage = Stage(source)
        return self._stage.path

    def _close_stage(self) -> None:
        if self._stage is not None:
            self._stage.close()
            self._stage = None

    def discard(self) -> None:
        """Forget everything staged; leave no trace of this attempt on disk."""
        self._close_stage()
        source = self.raw.parent
        if self._created_source_dir:
            with contextlib.suppress(OSError):
                source.rmdir()  # only if still empty

    def commit(self) -> dict:
        """Move staged artifacts into raw/, drop retired ones, write provenance."""
        try:
            for art in self.artifacts.values():
                if art.staged:
                    dest = self.raw / art.rel
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    fsio.replace(self.stage / art.rel, dest)
            for rel in self.retired - set(self.artifacts):
                with contextlib.suppress(FileNotFoundError):
                    (self.raw / rel).unlink()
            old = {
                "artifacts": {
                    k: v for k, v in self.old.get("artifacts", {}).items() if k not in self.retired
                }
            }
            entries = {rel: art.entry for rel, art in self.artifacts.items()}
            record = provenance.merge(self.rid, self.urls, old, entries, self.not_stored, self.raw)
            provenance.save(self.raw, record)
            return record
        finally:
            self._close_stage()

    def run(self, body: Callable[[], object]) -> str | None:
        """Run `body`, then commit: None on success, else the failure's message.

        A fetch error (RefsError, OSError) discards the stage and becomes the
        message; anything else (Ctrl-C, a bug) discards it too and propagates,
        so no failure ever leaves a half-filled raw/.
        """
        try:
            body()
            self.commit()
        except (RefsError, OSError) as exc:
            self.discard()
            return getattr(exc, "message", None) or str(exc)
        except BaseException:
            self.discard()
            raise
        return None

    # ---------- fetching ----------
    def _previous(self, url: str, names: tuple[str, ...]) -> tuple[str, dict] | None:
        """The recorded artifact of this URL that is still intact on disk, if any."""
        for rel in names:
            entry = self.old.get("artifacts", {}).get(rel)
            if (
                entry
                and entry.get("url") == url
                and provenance.entry_is_current(self.raw, rel, entry)
            ):
                return rel, entry
        return None

    def _recorded(self, names: tuple[str, ...]) -> tuple[str, dict] | None:
        """The last fetch's entry under any of these names, whatever is on disk now."""
        for rel in names:
            if entry := self.old.get("artifacts", {}).get(rel):
                return rel, entry
        return None

    def fetch(
        self,
        url: str,
        rel: str,
        check: str,
        *,
        required: bool = True,
        renames: dict[str, str] | None = None,
        discard: tuple[str, ...] = (),
        decode: bool = True,
    ) -> Artifact | Fetched | None:
        """Fetch ``url`` as artifact ``rel`` (conditionally when we have it already).

        ``renames`` maps a detected kind to another name (an e-print's name says
        what it is); a body of a kind in ``discard`` is not stored and the
        `Fetched` facts are returned instead. An optional artifact that fails is a
        warning, not a failure.
        """
        names = (rel, *(renames or {}).values())
        previous = self._previous(url, names)
        try:
            facts = self.client.get(
                url,
                dest=self.stage / rel,
                check=checks.CHECKS[check],
                discard=discard,
                conditional=previous[1] if previous else None,
                decode=decode,
            )
        except FetchError as exc:
            if required:
                raise
            self.warnings.append(f"{rel}: {exc.message}")
            return None
        if facts.not_modified and previous:
            prev_rel, entry = previous
            art = Artifact(prev_rel, {**entry, "checked_at": facts.fetched_at}, "unchanged", False)
            self.artifacts[prev_rel] = art
            return art
        if facts.not_modified:  # 304 to a request we did not make conditional
            raise FetchError(f"HTTP 304 for {url} without a conditional request")
        if not facts.stored:
            return facts
        final = (renames or {}).get(facts.kind, rel)
        if final != rel:
            (self.stage / final).parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.stage / rel, self.stage / final)
        if facts.kind == "json":
            _require_json(self.stage / final, url)
        return self._add(final, facts.provenance(), previous or self._recorded(names))

    def write(self, rel: str, data: bytes, entry: dict) -> Artifact:
        """Store bytes we assembled ourselves (e.g. all comment pages merged)."""
        fsio.write_bytes(self.stage / rel, data)
        entry = {**entry, "sha256": _sha256(data), "bytes": len(data)}
        return self._add(rel, entry, self._recorded((rel,)))

    def _add(self, rel: str, entry: dict, previous: tuple[str, dict] | None) -> Artifact:
        if previous is None:
            state = "new"
        elif previous[1].get("sha256") == entry["sha256"] and previous[0] == rel:
            state = "unchanged"
        else:
            state = "changed"
        if previous and previous[0] != rel:
            self.retired.add(previous[0])
        art = Artifact(rel, entry, state, True)
        self.artifacts[rel] = art
        return art

    def get_json(self, url: str) -> tuple[object, Fetched]:
        """An API answer parsed in memory (listings, comment pages)."""
        facts = self.client.get(url, check=checks.json_body)
        try:
            return json.loads(facts.body or b""), facts
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise FetchError(f"{url} did not answer valid JSON") from None


def _require_json(path: Path, url: str) -> None:
    try:
        json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise FetchError(f"{url} did not answer valid JSON") from None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
