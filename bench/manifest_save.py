"""Benchmark a manifest save: how much of it runs under the writers' lock.

For each manifest given (default: this repo's and the catalog owner's real one
from ../shared/corpus), on a copy in a temp folder: a plain save (one field
changed), and a save that must merge a hand edit of another entry saved after
the read. It prints the time of the whole save, the time the lock is held, and
the ratio, and the save's CPU time (the steadier figure on a loaded machine); the
dump and the check that it reads back happen before the lock, so a plain save
holds it for a small fraction. It then checks the merge kept the hand edit, our
change and every comment line of the file.

Run: `.venv/bin/python bench/manifest_save.py [MANIFEST ...] [--rounds N]`.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from extract import manifest as manifest_mod
from extract.manifest import Manifest

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS = [
    ROOT / "refs" / "manifest.yaml",
    ROOT.parent / "shared" / "corpus" / "owner-library" / "refs" / "manifest.yaml",
]

held: list[float] = []
_real_lock = manifest_mod.writer_lock


@contextlib.contextmanager
def timed_lock(path, wait=None):
    with _real_lock(path, wait):
        start = time.perf_counter()
        try:
            yield
        finally:
            held.append(time.perf_counter() - start)


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def one(path: Path, rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="refs-bench-") as tmp:
        copy = Path(tmp) / "refs" / "manifest.yaml"
        copy.parent.mkdir()
        shutil.copyfile(path, copy)
        ids = list(Manifest(copy).resources)
        mine, theirs = ids[0], ids[-1]
        rows = {}
        for kind in ("plain", "merge"):
            totals, locks, cpus = [], [], []
            for i in range(rounds):
                m = Manifest(copy)
                m.set_fields(mine, notes=f"bench {kind} {i}")
                if kind == "merge":  # a person saves another entry after our read
                    fresh = Manifest(copy)
                    fresh.set_fields(theirs, notes=f"by hand {i}")
                    copy.write_text(fresh.dumps(), encoding="utf-8")
                held.clear()
                start, cpu = time.perf_counter(), time.process_time()
                m.save()
                totals.append(time.perf_counter() - start)
                cpus.append(time.process_time() - cpu)
                locks.append(held[0])
            rows[kind] = (
                statistics.median(totals),
                statistics.median(locks),
                statistics.median(cpus),
            )
        before = comments(path.read_text(encoding="utf-8"))
        after = Manifest(copy)
        ok = (
            after.resources[mine].notes == f"bench merge {rounds - 1}"
            and after.resources[theirs].notes == f"by hand {rounds - 1}"
            and comments(copy.read_text(encoding="utf-8")) == before
        )
    print(f"{path} ({len(ids)} entries)")
    for kind, (total, lock, cpu) in rows.items():
        print(
            f"  {kind:5} save: {total * 1000:6.1f} ms ({cpu * 1000:6.1f} ms CPU), "
            f"lock held {lock * 1000:6.1f} ms "
            f"({lock / total:.0%} of the save)"
        )
    print(f"  merge kept the hand edit, our change and all {len(before)} comments: {ok}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("manifests", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    manifest_mod.writer_lock = timed_lock
    paths = args.manifests or [p for p in DEFAULTS if p.is_file()]
    if not paths:
        print("no manifest found; pass one", file=sys.stderr)
        return 0
    for path in paths:
        one(path, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
