"""Saving the manifest once for many results: at most every few seconds, and at the end.

A round-trip save of the whole manifest (dump, validate, merge, swap) costs a good
fraction of a second, so one save per resource would serialise a parallel fetch or
convert behind it: a library of 60 resources spent over ten seconds of its convert
run saving. Both tiers record each result in memory and let a `ManifestBatch` save.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .errors import RefsError
from .library import Library
from .outcome import Outcome


class ManifestBatch:
    """Saves the manifest at most every ``interval`` seconds, and at `flush`.

    ``record(outcome)`` moves the outcome's resource forward in memory and says
    whether the manifest changed. Outcomes not yet saved are marked failed if a save
    is refused; ``stored`` says what is on disk all the same ("artifacts stored").
    """

    def __init__(
        self,
        lib: Library,
        record: Callable[[Outcome], bool],
        stored: str,
        interval: float = 2.0,
    ):
        self.lib, self.record, self.stored, self.interval = lib, record, stored, interval
        self.unsaved: list[Outcome] = []
        self.last = time.monotonic()

    def add(self, outcome: Outcome) -> None:
        try:
            if self.record(outcome):
                self.unsaved.append(outcome)
        except RefsError as exc:
            self._not_recorded(outcome, exc)
        if self.unsaved and time.monotonic() - self.last >= self.interval:
            self.flush()

    def flush(self) -> None:
        if not self.unsaved:
            return
        try:
            self.lib.manifest.save()
        except RefsError as exc:
            for outcome in self.unsaved:
                self._not_recorded(outcome, exc)
            self.lib.reload()  # drop the unsaved in-memory changes
        self.unsaved = []
        self.last = time.monotonic()

    def _not_recorded(self, outcome: Outcome, exc: RefsError) -> None:
        outcome.result = "failed"
        outcome.message = f"{self.stored}, but the manifest was not updated: {exc}"
