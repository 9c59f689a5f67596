"""Saving the manifest once for many results: at most every few seconds, and at the end.

A round-trip save of the whole manifest (dump, validate, merge, swap) costs a good
fraction of a second, so one save per resource would serialise a parallel fetch or
convert behind it: a library of 60 resources spent over ten seconds of its convert
run saving. Both tiers record each result in memory and let a `ManifestBatch` save.
A large manifest, or a loaded machine, makes a save slower; the batch then saves
less often, so saving never takes more than about a twentieth of the run.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .errors import RefsError
from .library import Library
from .outcome import Outcome

SHARE = 20  # the next save waits at least this many times what the last one took


class ManifestBatch:
    """Saves the manifest at most every ``interval`` seconds (longer after a slow
    save: `SHARE`), and at `flush`.

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
        clock: Callable[[], float] = time.monotonic,
    ):
        self.lib, self.record, self.stored, self.interval = lib, record, stored, interval
        self.clock = clock
        self.unsaved: list[Outcome] = []
        self.last = clock()
        self.wait = interval  # before the next save

    def add(self, outcome: Outcome) -> None:
        try:
            if self.record(outcome):
                self.unsaved.append(outcome)
        except RefsError as exc:
            self._not_recorded(outcome, exc)
        if self.unsaved and self.clock() - self.last >= self.wait:
            self.flush()

    def flush(self) -> None:
        if not self.unsaved:
            return
        start = self.clock()
        try:
            self.lib.manifest.save()
        except RefsError as exc:
            for outcome in self.unsaved:
                self._not_recorded(outcome, exc)
            self.lib.reload()  # drop the unsaved in-memory changes
        self.unsaved = []
        self.last = self.clock()
        self.wait = max(self.interval, SHARE * (self.last - start))

    def _not_recorded(self, outcome: Outcome, exc: RefsError) -> None:
        outcome.result = "failed"
        outcome.message = f"{self.stored}, but the manifest was not updated: {exc}"
