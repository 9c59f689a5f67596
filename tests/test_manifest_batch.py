"""`ManifestBatch`: many results, one save every few seconds, fewer after a slow save.

The clock is the test's own (a list of readings), so what is checked is when the
batch saves for given times, never how long anything took.
"""

from __future__ import annotations

from extract.library import Library
from extract.manifest_batch import SHARE, ManifestBatch
from extract.outcome import Outcome


class Clock:
    """A clock that reads ``now``, which the test sets (and a save moves on)."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _batch(make_library, clock: Clock, save_takes: float):
    root = make_library(
        resources=[{"id": f"r{i}", "urls": [f"https://ex.org/{i}"]} for i in range(6)]
    )
    lib = Library(root)
    saves: list[float] = []
    save = lib.manifest.save

    def timed_save() -> None:  # the real save, which "takes" save_takes on the clock
        save()
        saves.append(clock.now)
        clock.now += save_takes

    lib.manifest.save = timed_save  # type: ignore[method-assign]

    def record(outcome: Outcome) -> bool:
        lib.advance(outcome.rid, "converted", [], save=False)
        return True

    return lib, ManifestBatch(lib, record, "full.md written", interval=2.0, clock=clock), saves


def _add(batch: ManifestBatch, clock: Clock, rid: str, at: float) -> None:
    clock.now = max(clock.now, at)
    batch.add(Outcome(rid, "converted", "ok"))


def test_saves_every_interval_while_saves_are_quick(make_library):
    clock = Clock()
    lib, batch, saves = _batch(make_library, clock, save_takes=0.05)
    for i, at in enumerate([0.5, 2.5, 3.0, 5.0, 5.5]):
        _add(batch, clock, f"r{i}", at)
    assert saves == [2.5, 5.0]  # 2 s after the start, then 2 s after the last save ended
    batch.flush()
    assert saves == [2.5, 5.0, 5.5]
    again = Library(lib.root)
    assert [again.resource(f"r{i}").status for i in range(5)] == ["converted"] * 5


def test_a_slow_save_puts_the_next_one_off(make_library):
    clock = Clock()
    lib, batch, saves = _batch(make_library, clock, save_takes=0.5)
    _add(batch, clock, "r0", 2.0)
    assert saves == [2.0]  # ends at 2.5; the next waits SHARE times 0.5 s
    wait = SHARE * 0.5
    _add(batch, clock, "r1", 2.5 + 2.0)
    _add(batch, clock, "r2", 2.5 + wait - 0.1)
    assert saves == [2.0]
    _add(batch, clock, "r3", 2.5 + wait)
    assert saves == [2.0, 2.5 + wait]
    batch.flush()  # the end of the run saves what is left, however soon
    _add(batch, clock, "r4", clock.now)
    batch.flush()
    assert len(saves) == 3
    again = Library(lib.root)
    assert [again.resource(f"r{i}").status for i in range(5)] == ["converted"] * 5
    assert again.resource("r5").status == "fetched"
