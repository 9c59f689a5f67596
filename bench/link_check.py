"""Link check of a built library site: internal links to missing pages and anchors.

    python bench/link_check.py LIBRARY [LIBRARY ...]        any library with an mkdocs.yml
    python bench/link_check.py --corpus [CORPUS_DIR] [--keep DIR]
    python bench/link_check.py --owner [CORPUS_DIR] [--keep DIR]
    python bench/link_check.py --all [CORPUS_DIR] [--keep DIR]

Builds each library with `mkdocs build` (not strict: every warning is counted) into a
temporary folder, then follows every internal link of every built page
(`docs_gen.link_check`) and prints how many point at a page that is not there and how
many at an anchor their page lacks (the goal is 0 and 0), the pages with the most, and
the build's warning count.

`--corpus` first makes a scratch library from the development corpus (default
`../shared/corpus`): every raw artifact converted with `refs convert` (as
bench/publishability.py does), plus every hand-made reference `full.md` of the corpus
as a source of its own (`sources/<id>-hand/full.md`). `--owner` assembles the owner's
library from what the corpus holds of it: his curriculum and manifest, and of the files
his FILES.txt lists, the raw artifacts, hand-made full.md files and cards the corpus
has. `--all` is the whole corpus in his library: `--owner`'s library, every other raw
artifact of the corpus added to his manifest as a resource of its own, the raw files
recorded (`refs fetch --record --all`) and every resource without a full.md converted
(`refs convert --all`); his hand-made full.md files stay as they are. All three skip
cleanly (exit 0) when the corpus is absent; `--keep DIR` leaves the
library there to look at. Exit 0: a measure, not a test (exit 2 on bad arguments).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from publishability import _env, convert, make_library, page_url, raw_folders  # noqa: E402

from docs_gen.link_check import check_site  # noqa: E402
from extract.library import CURRICULUM  # noqa: E402

_WARNING = re.compile(r"^WARNING\s+-\s+")


def build(root: Path, site: Path) -> tuple[int, int, float]:
    """(exit code, warnings, seconds) of `mkdocs build` of the library at ``root``."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
        capture_output=True, text=True, cwd=root, env=_env(), timeout=1800, check=False,
    )  # fmt: skip
    lines = (proc.stdout + "\n" + proc.stderr).splitlines()
    if proc.returncode != 0:
        print("\n".join(lines[-20:]), file=sys.stderr)
    warnings = sum(1 for ln in lines if _WARNING.match(ln.strip()))
    return proc.returncode, warnings, time.perf_counter() - t0


def report(name: str, root: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="refs-links-") as tmp:
        site = Path(tmp) / "site"
        code, warnings, seconds = build(root, site)
        if code != 0:
            print(f"{name}: mkdocs build failed (exit {code}); nothing to check")
            return
        r = check_site(site)
    print(f"\n== {name}: {r.pages} pages, {r.links} internal links (build {seconds:.1f}s)")
    print(f"   links to missing pages:   {r.count('page')}")
    print(f"   links to missing anchors: {r.count('anchor')}")
    print(f"   mkdocs build warnings:    {warnings}")
    for kind in ("page", "anchor"):
        worst = r.by_page(kind).most_common(5)
        for page, n in worst:
            example = next(b for b in r.bad if b.page == page and b.kind == kind)
            print(f"     {n:5d} missing {kind}s on {page}, e.g. {example.href}")


def corpus_library(corpus: Path, root: Path) -> None:
    """Every raw artifact converted, plus each hand-made full.md as a source of its own."""
    make_library(corpus, root)
    convert(root)
    for full in sorted(corpus.glob("*/full.md")):
        if not full.parent.name.startswith(("_", ".")):
            dest = root / "sources" / f"{full.parent.name}-hand" / "full.md"
            dest.parent.mkdir(parents=True)
            shutil.copy(full, dest)


def owner_library(corpus: Path, root: Path) -> None:
    """His curriculum and manifest, and the files of his FILES.txt the corpus holds."""
    owner = corpus / "owner-library"
    root.mkdir(parents=True)
    shutil.copy(owner / CURRICULUM, root / CURRICULUM)
    (root / "refs").mkdir()
    shutil.copy(owner / "refs" / "manifest.yaml", root / "refs" / "manifest.yaml")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    listed = set((owner / "FILES.txt").read_text(encoding="utf-8").split())
    raws = dict(raw_folders(corpus))
    for rel in sorted(listed):
        parts = rel.split("/")
        found = None
        if parts[0] == "sources" and len(parts) >= 3:
            rid = parts[1]
            if parts[2] == "raw" and rid in raws:
                found = raws[rid].joinpath(*parts[3:])
            elif parts[2:] == ["full.md"]:
                found = corpus / rid / "full.md"
        elif parts[:2] == ["refs", "resources"]:
            found = corpus / "_cards" / parts[2]
        if found is not None and found.is_file():
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(found, dest)


def _refs(root: Path, *args: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "extract.cli", "--root", str(root), *args],
        capture_output=True, text=True, cwd=REPO, env=_env(), timeout=1800, check=False,
    )  # fmt: skip
    if proc.returncode not in (0, 1):  # 1: some resources could not be done; said below
        print(proc.stdout[-2000:], proc.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"refs {' '.join(args)} failed (exit {proc.returncode})")


def all_library(corpus: Path, root: Path) -> None:
    """His library, and every other raw artifact of the corpus as a resource of his
    manifest, recorded and converted (his hand-made full.md files kept)."""
    owner_library(corpus, root)
    manifest = root / "refs" / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    known = set(re.findall(r"^\s*-\s*id:\s*(\S+)", text, re.M))
    added = []
    for rid, raw in raw_folders(corpus):
        dest = root / "sources" / rid / "raw"
        if not dest.exists():
            shutil.copytree(raw, dest)
        if rid not in known:
            url = page_url(raw)
            kind = "paper" if (raw / "paper.pdf").exists() or "eprint" in str(raw) else "docs"
            added.append(
                f"\n  - id: {rid}\n    title: {rid}\n    urls: {json.dumps([url] if url else [])}\n"
                f"    type: {kind}\n"
                "    topics: [1]\n    priority: low\n    status: pending\n    local_paths: []\n"
            )
            known.add(rid)
    manifest.write_text(text.rstrip("\n") + "\n" + "".join(added), encoding="utf-8")
    _refs(root, "fetch", "--record", "--all")
    _refs(root, "convert", "--all")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("libraries", nargs="*", help="library folders (each with its mkdocs.yml)")
    ap.add_argument("--corpus", nargs="?", const=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--owner", nargs="?", const=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--all", nargs="?", const=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--keep", help="make the scratch library in this (new) folder, keep it")
    args = ap.parse_args(argv)
    modes = (("corpus", args.corpus), ("owner", args.owner), ("all", args.all))
    made = [(k, v) for k, v in modes if v]
    if len(made) + bool(args.libraries) != 1:
        ap.error("give library folders, or --corpus, --owner or --all (one of them)")
    for lib in map(Path, args.libraries):
        if not (lib / "mkdocs.yml").is_file():
            print(
                f"{lib}: no mkdocs.yml; copy this project's mkdocs.yml into the library "
                "(README: Use it on an existing library)",
                file=sys.stderr,
            )
            return 2
        report(str(lib), lib)
    for kind, folder in made:
        corpus = Path(folder)
        if not corpus.is_dir() or (kind != "corpus" and not (corpus / "owner-library").is_dir()):
            print(f"corpus folder {corpus} not found; nothing to measure (skipped)")
            return 0
        if args.keep and Path(args.keep).exists():
            print(f"{args.keep} exists; give a new folder to --keep", file=sys.stderr)
            return 2
        tmp = None if args.keep else tempfile.TemporaryDirectory(prefix="refs-links-lib-")
        root = Path(args.keep) if args.keep else Path(tmp.name) / "lib"
        try:
            makers = {"corpus": corpus_library, "owner": owner_library, "all": all_library}
            makers[kind](corpus, root)
            report(f"{kind} library", root)
        finally:
            if tmp is not None:
                tmp.cleanup()
        if args.keep:
            print(f"library kept in {root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
