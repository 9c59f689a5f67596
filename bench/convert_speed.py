"""Tier 2 speed: `refs convert` time per resource and for a whole library, against a
baseline commit measured in the same run, and whether the outputs are byte-identical.

    python bench/convert_speed.py FOLDER [--baseline REV] [--repeat N] [--jobs N]
                                         [--keep DIR] [--only ID ...] [--copies N]
                                         [--guide-pages N] [--guides-only]
                                         [--no-batch | --batch-only] [--serial]

FOLDER is a library (``refs/manifest.yaml`` and ``sources/<id>/raw/``) or a corpus of
raw folders (any ``<...>/raw/`` below it, like ``../shared/corpus``). A corpus is
assembled into a library in a temporary folder first, with two extra resources, each
one joined document of ``--guide-pages`` pages (default 32, the size of the NCCL user
guide the issue times): ``joined-guide``, the corpus's HTML pages repeated as one page
with subpages, and ``sphinx-guide``, a generated Sphinx user guide
(`bench/joined_guide.py`: the whole table of contents on every page, labelled
sections, API entries, thousands of links between the pages). ``--guides-only``
times just those two (the generated one alone when FOLDER is absent). Nothing is
written into the project or into FOLDER.

The baseline is the code at ``--baseline`` (default ``main``), checked out in a
temporary git worktree. Two worker processes, one per code version, convert the same
resources in turns (base then ours, then ours then base), so the shared machine's
load falls on both alike; each resource's time is the best of ``--repeat`` turns.
Then ``refs convert --all --force`` runs over a copy of the library with each
version (``--jobs`` worker processes): its wall clock and its CPU time, its workers'
included. ``--serial`` runs ours once more with ``--jobs 1``, to show what the worker
processes gain, and checks that serial and parallel write the same files. Printed:
seconds per resource (CPU time of the worker, and the wall time of that same turn),
per kind and in all, ours / base as a ratio, and for every resource whether our
full.md is byte-identical to the baseline's (the regression test of a speed change);
one line per joined document (the issue's "one joined doc" figure); the load average
beside the batch figures (the machine is shared: compare ratios, not seconds).
``--keep DIR`` keeps both versions' outputs there.

Skips cleanly (exit 0) when FOLDER is absent (unless ``--guides-only``). Exit 1 when
an output differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import joined_guide  # noqa: E402

GUIDE_ID = "joined-guide"
SPHINX_ID = "sphinx-guide"
GUIDE_PAGES = 32
GUIDE_URL = "https://docs.example.org/guide/"


# ---------- the library to convert ----------
def raw_folders(corpus: Path) -> dict[str, Path]:
    """{id: raw folder} of a corpus: every `raw/` below it, named by its parent's
    path (`pdf/gpipe/raw` -> `pdf-gpipe`)."""
    out = {}
    for raw in sorted(p for p in corpus.rglob("raw") if p.is_dir()):
        rel = raw.parent.relative_to(corpus).as_posix()
        out[rel.replace("/", "-")] = raw
    return out


def assemble(
    corpus: Path | None,
    dest: Path,
    copies: int = 1,
    guide_pages: int = GUIDE_PAGES,
    guides_only: bool = False,
) -> None:
    """A library in ``dest`` holding ``copies`` copies of every raw folder of ``corpus``
    (status fetched; none with ``guides_only``), the joined guide made of its HTML pages
    and the generated Sphinx guide, each of ``guide_pages`` pages."""
    entries = []
    folders = raw_folders(corpus) if corpus is not None and not guides_only else {}
    for n in range(copies):
        for rid, raw in folders.items():
            rid = rid if n == 0 else f"{rid}-{n + 1}"
            shutil.copytree(raw, dest / "sources" / rid / "raw")
            entries.append((rid, f"https://example.org/{rid}", "docs"))
    pages = sorted(
        p
        for p in (corpus.rglob("page.html") if corpus is not None else ())
        if p.stat().st_size < 1_000_000
    )  # a JavaScript app's page is a failure, not a guide page
    if pages:
        raw = dest / "sources" / GUIDE_ID / "raw"
        (raw / "subpages").mkdir(parents=True)
        artifacts = {"page.html": {"url": GUIDE_URL, "fetched_at": "2026-01-01T00:00:00Z"}}
        shutil.copy(pages[0], raw / "page.html")
        for i in range(1, guide_pages):
            rel = f"subpages/page{i:02d}.html"
            shutil.copy(pages[i % len(pages)], raw / rel)
            # No `order`, as Tier 1 records it: the order comes from page.html's links.
            artifacts[rel] = {"url": f"{GUIDE_URL}page{i:02d}.html"}
        (raw / "provenance.json").write_text(json.dumps({"artifacts": artifacts}))
        entries.append((GUIDE_ID, GUIDE_URL, "docs"))
    joined_guide.write_guide(dest / "sources" / SPHINX_ID / "raw", guide_pages)
    entries.append((SPHINX_ID, joined_guide.BASE + "index.html", "docs"))
    lines = ["resources:"]
    for rid, url, kind in entries:
        lines += [
            f"  - id: {rid}",
            f"    title: {rid}",
            "    urls:",
            f"      - {url}",
            f"    type: {kind}",
            "    topics: [1]",
            "    priority: high",
            "    status: fetched",
            "    local_paths: []",
            '    notes: ""',
        ]
    (dest / "refs").mkdir(parents=True, exist_ok=True)
    (dest / "refs/manifest.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def library_jobs(lib: Path) -> list[dict]:
    """One job per resource with raw artifacts: its raw folder and the front matter
    the manifest gives it (what `refs convert` passes to `run.convert_one`)."""
    from extract.convert.batch import meta_of
    from extract.library import Library

    library = Library(lib)
    jobs = []
    for res in library.manifest.resources.values():
        raw = library.raw_dir(res.id)
        if raw.is_dir() and res.status != "link_only":
            jobs.append({"id": res.id, "raw": str(raw), "meta": meta_of(res)})
    return jobs


def kind_of(raw: Path) -> str:
    names = {p.name for p in raw.iterdir()}
    if (raw / "subpages").is_dir():
        return "joined"
    for marker, kind in (
        ("arxiv-eprint.tar.gz", "latex"),
        ("paper.pdf", "pdf"),
        ("issue.json", "issue"),
        ("abstract.html", "arxiv"),
    ):
        if marker in names:
            return kind
    if any(n.startswith("repo") for n in names):
        return "repo"
    return "html"


# ---------- workers: one per code version ----------
def worker(out_dir: str) -> None:
    """Convert the jobs read from stdin, one JSON line each; answer one line each."""
    import extract
    from extract.convert.run import convert_one

    print(json.dumps({"code": str(Path(extract.__file__).parent.parent)}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            text, error = convert_one(job["raw"], job["meta"]), ""
        except Exception as exc:  # noqa: BLE001 - a failure is a result to compare
            text, error = "", f"{type(exc).__name__}: {exc}"
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if out_dir:
            Path(out_dir, job["id"] + ".md").write_text(text or error, encoding="utf-8")
        digest = hashlib.sha256((text or error).encode()).hexdigest()
        print(json.dumps({"cpu": cpu, "wall": wall, "sha": digest, "error": error}), flush=True)


class Worker:
    def __init__(self, code: Path, out_dir: Path | None):
        env = {**os.environ, "PYTHONPATH": str(code)}
        args = [sys.executable, __file__, "--worker", str(out_dir or "")]
        self.proc = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=code
        )
        self.code = json.loads(self._read())["code"]
        if Path(self.code).resolve() != code.resolve():
            raise SystemExit(f"worker imported extract from {self.code}, not {code}")

    def _read(self) -> str:
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"worker for {self.code if hasattr(self, 'code') else '?'} died")
        return line

    def convert(self, job: dict) -> dict:
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        return json.loads(self._read())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


# ---------- the baseline's code ----------
def checkout(rev: str, where: Path) -> Path:
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(where), rev],
        check=True,
    )
    return where


def remove_checkout(where: Path) -> None:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(where)])


# ---------- the whole library, as `refs convert --all` ----------
def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def batch_seconds(code: Path, lib: Path, jobs: int) -> tuple[float, float]:
    """(wall, CPU) seconds of `refs convert --all --force` on ``lib``; the CPU time
    counts its worker processes too (a process's children's usage includes the
    children they waited for)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    args = [sys.executable, "-m", "extract.cli", "--root", str(lib), "convert", "--all"]
    args += ["--force", "--json"] + (["--jobs", str(jobs)] if jobs else [])
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(args, env=env, cwd=code, capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
    if done.returncode not in (0, 1):
        raise SystemExit(f"refs convert --all failed with {code}:\n{done.stderr[-2000:]}")
    return seconds, cpu


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"


def full_mds(lib: Path) -> dict[str, bytes]:
    return {p.parent.name: p.read_bytes() for p in sorted(lib.glob("sources/*/full.md"))}


def batch(args, lib: Path, tmp: Path, codes: dict[str, Path]) -> list[str]:
    """`refs convert --all --force` with each version in turns (best of --repeat), and
    ours serially with --serial; prints wall and CPU; returns what differs."""
    runs = [("base", args.jobs), ("ours", args.jobs)]
    if args.serial:
        runs.append(("ours", 1))
    best: dict[tuple[str, int], tuple[float, float]] = {}
    texts: dict[tuple[str, int], dict[str, bytes]] = {}
    loads = [load()]
    for turn in range(args.repeat):  # in turns, best of --repeat each
        for name, jobs in runs if turn % 2 == 0 else runs[::-1]:
            copy = tmp / f"batch-{name}-{jobs}-{turn}"
            shutil.copytree(lib, copy, ignore=shutil.ignore_patterns("full.md"))
            wall, cpu = batch_seconds(codes[name], copy, jobs)
            old = best.get((name, jobs))
            best[(name, jobs)] = (min(old[0], wall), min(old[1], cpu)) if old else (wall, cpu)
            texts[(name, jobs)] = full_mds(copy)
            shutil.rmtree(copy)
    loads.append(load())
    base, ours = best[runs[0]], best[runs[1]]
    same = texts[runs[0]] == texts[runs[1]]
    print(
        f"refs convert --all --force (jobs={args.jobs or 'default'}, "
        f"{len(texts[runs[1]])} full.md, load {loads[0]} -> {loads[1]}): "
        f"wall base {base[0]:.1f} s, ours {ours[0]:.1f} s, ratio {ours[0] / base[0]:.2f}; "
        f"CPU base {base[1]:.1f} s, ours {ours[1]:.1f} s, ratio {ours[1] / base[1]:.2f}; "
        f"outputs {'identical' if same else 'DIFFER'}"
    )
    differ = [] if same else ["(batch)"]
    if args.serial:
        serial = best[("ours", 1)]
        alike = texts[("ours", 1)] == texts[runs[1]]
        print(
            f"ours --jobs 1: wall {serial[0]:.1f} s, CPU {serial[1]:.1f} s; parallel / serial "
            f"wall {ours[0] / serial[0]:.2f}; outputs {'identical' if alike else 'DIFFER'}"
        )
        differ += [] if alike else ["(serial vs parallel)"]
    return differ


# ---------- report ----------
def joined_line(job: dict, base: dict, ours: dict) -> str:
    """The issue's "one joined doc" figure: a joined guide's time, base and ours."""
    raw = Path(job["raw"])
    pages = sorted(raw.rglob("*.html"))
    size = sum(p.stat().st_size for p in pages) / 1e6
    ratio = ours["cpu"] / base["cpu"] if base["cpu"] else 1.0
    return (
        f"one joined doc: {job['id']}, {len(pages)} pages ({size:.1f} MB of HTML): "
        f"base {base['cpu']:.2f} s CPU ({base['wall']:.2f} s wall), "
        f"ours {ours['cpu']:.2f} s CPU ({ours['wall']:.2f} s wall), ratio {ratio:.2f}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--baseline", default="main", help="git revision to compare with")
    ap.add_argument("--repeat", type=int, default=1, help="turns per resource (best counts)")
    ap.add_argument("--jobs", type=int, default=0, help="refs convert --jobs (0: its default)")
    ap.add_argument("--keep", type=Path, help="keep both versions' outputs in this folder")
    ap.add_argument("--only", nargs="*", default=[], help="only these resource ids")
    ap.add_argument("--no-batch", action="store_true", help="skip refs convert --all")
    ap.add_argument("--batch-only", action="store_true", help="only refs convert --all")
    ap.add_argument(
        "--serial", action="store_true", help="also ours with --jobs 1 (and the same files)"
    )
    ap.add_argument(
        "--copies",
        type=int,
        default=1,
        help="a corpus: copies of each raw folder (a larger library)",
    )
    ap.add_argument(
        "--guide-pages",
        type=int,
        default=GUIDE_PAGES,
        help=f"pages of each joined guide (default {GUIDE_PAGES})",
    )
    ap.add_argument(
        "--guides-only", action="store_true", help="only the joined guides (a corpus or none)"
    )
    args = ap.parse_args()
    if args.guide_pages < 1:
        ap.error("--guide-pages must be at least 1")
    if not args.folder.is_dir() and not args.guides_only:
        print(f"{args.folder}: no such folder; nothing to measure")
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # the checkout is removed
    sys.path.insert(0, str(ROOT))
    tmp = Path(tempfile.mkdtemp(prefix="convert-speed-"))
    base_code = None
    workers: dict[str, Worker] = {}
    try:
        lib = args.folder
        if not (lib / "refs/manifest.yaml").is_file():
            lib = tmp / "library"
            corpus = args.folder if args.folder.is_dir() else None
            assemble(corpus, lib, max(1, args.copies), args.guide_pages, args.guides_only)
        jobs = [j for j in library_jobs(lib) if not args.only or j["id"] in args.only]
        if not jobs:
            print(f"{args.folder}: no resource with raw artifacts")
            return 0
        base_code = checkout(args.baseline, tmp / "base")
        keep = args.keep or tmp / "out"
        outs = {"base": keep / "base", "ours": keep / "ours"}
        for d in outs.values():
            d.mkdir(parents=True, exist_ok=True)
        workers["base"] = Worker(base_code, outs["base"])
        workers["ours"] = Worker(ROOT, outs["ours"])
        print(
            f"{len(jobs)} resources; baseline {args.baseline} vs {ROOT.name}, best of {args.repeat}"
        )
        width = max(len(j["id"]) for j in jobs)
        print(
            f"{'resource':<{width}}  {'kind':<7} {'base s':>8} {'ours s':>8} {'ratio':>6} "
            f"{'wall base':>9} {'ours':>6}  output"
        )
        rows, totals, differ = 0, {"base": 0.0, "ours": 0.0}, []
        joined: list[str] = []
        kinds: dict[str, dict[str, float]] = {}
        for n, job in enumerate([] if args.batch_only else jobs):
            best: dict[str, dict] = {}
            for turn in range(args.repeat):
                order = ("base", "ours") if (n + turn) % 2 == 0 else ("ours", "base")
                for name in order:
                    r = workers[name].convert(job)
                    if name not in best or r["cpu"] < best[name]["cpu"]:
                        best[name] = r
            b, o = best["base"], best["ours"]
            same = b["sha"] == o["sha"]
            if not same:
                differ.append(job["id"])
            kind = kind_of(Path(job["raw"]))
            for name in totals:
                totals[name] += best[name]["cpu"]
                per_kind = kinds.setdefault(kind, {"n": 0, "base": 0.0, "ours": 0.0})
                per_kind[name] += best[name]["cpu"]
            kinds[kind]["n"] += 1
            state = "identical" if same else "DIFFERS"
            if o["error"]:
                state += f" (fails: {o['error'][:60]})"
            rows += 1
            ratio = o["cpu"] / b["cpu"] if b["cpu"] else 1.0
            print(
                f"{job['id']:<{width}}  {kind:<7} {b['cpu']:8.2f} {o['cpu']:8.2f} {ratio:6.2f} "
                f"{b['wall']:9.2f} {o['wall']:6.2f}  {state}",
                flush=True,
            )
            if kind == "joined":
                joined.append(joined_line(job, b, o))
        for w in workers.values():
            w.close()
        ratio = totals["ours"] / totals["base"] if totals["base"] else 1.0
        for kind, k in sorted(kinds.items(), key=lambda item: -item[1]["base"]):
            label = f"kind {kind} ({int(k['n'])})"
            k_ratio = k["ours"] / k["base"] if k["base"] else 1.0
            print(f"{label:<{width + 9}} {k['base']:8.2f} {k['ours']:8.2f} {k_ratio:6.2f}")
        if rows:
            print(
                f"{'all (CPU, one process)':<{width + 9}} {totals['base']:8.2f} "
                f"{totals['ours']:8.2f} {ratio:6.2f}  "
                f"{rows - len(differ)}/{rows} identical"
            )
        for line in joined:
            print(line)
        if not args.no_batch:
            differ += batch(args, lib, tmp, {"base": base_code, "ours": ROOT})
        if differ:
            print(f"outputs differ: {', '.join(differ)}" + (f" (see {keep})" if args.keep else ""))
        return 1 if differ else 0
    finally:
        for w in workers.values():
            w.proc.kill()  # a run stopped midway: its workers stop too
            w.proc.wait()
        if base_code is not None:
            remove_checkout(base_code)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
    else:
        sys.exit(main())
