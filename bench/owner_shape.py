"""A library shaped like the owner's, to time `refs convert --all` where his own raw
artifacts are not at hand.

    python bench/owner_shape.py CORPUS [--out DIR] [--baseline REV] [--repeat N]
                                       [--jobs N] [--serial] [--no-convert]

CORPUS is the development corpus (``../shared/corpus``). Its ``owner-library/FILES.txt``
lists every file of the owner's repository, so it tells, for each of his resources, the
names of the raw artifacts it holds (``page.html``; ``abstract.html`` + ``paper.pdf``;
``issue.json`` + ``comments.json``; ``repo/...``; ``page.html`` + 31 ``subpages/``...).
For each of them this script makes a stand-in raw folder with the same names, taken
from the corpus:

- a corpus raw folder holding most of the same names, in turns among equals (his
  38 single HTML pages go round the corpus's HTML pages, his arXiv papers round the
  corpus's abstract + PDF pairs);
- his ``subpages/``: the corpus's HTML pages under his subpages' names;
- his ``repo/`` files: the same paths, each holding one of this project's own files of
  the same suffix (`.py`, `.md`, `.yaml`), in turns;
- a name the corpus has no file of (``comments.json``) is left out and said.

Each entry keeps his title, URLs and type (a URL decides a reader), status fetched.

Then it runs ``bench/convert_speed.py`` on that library (``--batch-only``: `refs convert
--all --force` with ``--baseline`` and with this checkout, in turns, wall and CPU, same
outputs or not). The issue's figure for his real library was 27 s wall on a quiet
machine, 40 s CPU, with the code of b9cb6f3; ``--baseline b9cb6f3`` on this library
tells how close the stand-in is. ``--out DIR`` keeps the library (``--no-convert``: only
make it). Skips cleanly (exit 0) when CORPUS or its FILES.txt is absent. Nothing of the
corpus is written into the project.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import convert_speed  # noqa: E402


def owner_raw_files(files_txt: Path) -> dict[str, list[str]]:
    """{resource id: paths under its raw/} from the owner's FILES.txt."""
    out: dict[str, list[str]] = {}
    for line in files_txt.read_text(encoding="utf-8").splitlines():
        parts = line.strip().split("/", 3)
        if len(parts) == 4 and parts[0] == "sources" and parts[2] == "raw":
            out.setdefault(parts[1], []).append(parts[3])
    return out


def top_names(paths: list[str]) -> frozenset[str]:
    return frozenset(p.split("/", 1)[0] for p in paths)


def corpus_folders(pool: Path) -> dict[frozenset[str], list[Path]]:
    """The assembled corpus library's raw folders by the names they hold (the joined
    guides left out: they stand in for `subpages/` only; so is a page rendered by
    JavaScript, which `refs convert` refuses at once)."""
    out: dict[frozenset[str], list[Path]] = {}
    for raw in sorted(pool.glob("sources/*/raw")):
        if raw.parent.name in (convert_speed.GUIDE_ID, convert_speed.SPHINX_ID):
            continue
        page = raw / "page.html"
        if page.is_file() and page.stat().st_size >= 1_000_000:
            continue  # a JavaScript app's page: it fails at once; his pages converted
        names = frozenset(p.name for p in raw.iterdir() if p.name != "provenance.json")
        out.setdefault(names, []).append(raw)
    return out


def own_files() -> dict[str, itertools.cycle]:
    """This project's own files (tracked by git) by suffix, to fill a stand-in repository."""
    tracked = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, text=True, check=True
    ).stdout.split("\0")
    by_suffix: dict[str, list[Path]] = {}
    for rel in sorted(tracked):
        path = ROOT / rel
        suffix = ".yaml" if path.suffix == ".yml" else path.suffix
        if suffix in (".py", ".md", ".yaml") and path.is_file():
            by_suffix.setdefault(suffix, []).append(path)
    return {suffix: itertools.cycle(paths) for suffix, paths in by_suffix.items()}


def make_library(corpus: Path, dest: Path) -> tuple[Counter, list[str]]:
    """Writes the owner-shaped library into ``dest``; returns the count of stand-ins by
    kind and the notes on names left out."""
    owner = owner_raw_files(corpus / "owner-library" / "FILES.txt")
    pool = dest.parent / (dest.name + "-pool")
    convert_speed.assemble(corpus, pool)
    folders = corpus_folders(pool)
    turns = {names: itertools.cycle(raws) for names, raws in folders.items()}
    own = own_files()
    guide = pool / "sources" / convert_speed.GUIDE_ID / "raw"
    guide_pages = sorted((guide / "subpages").glob("*.html"))
    kinds: Counter = Counter()
    left_out: Counter = Counter()
    entries = []
    for rid, paths in sorted(owner.items()):
        raw = dest / "sources" / rid / "raw"
        raw.mkdir(parents=True)
        names = top_names(paths)
        # The corpus folder sharing most names with his (fewest extra names among ties).
        best = max(folders, key=lambda f: (len(f & names), -len(f - names)))
        taken = best & names
        if taken:
            source = next(turns[best])
            for name in taken:
                shutil.copy(source / name, raw / name)
        for name in sorted(names - taken):
            if name == "subpages":
                subpages = [p for p in paths if p.startswith("subpages/")]
                (raw / "subpages").mkdir()
                for rel, page in zip(subpages, itertools.cycle(guide_pages)):
                    shutil.copy(page, raw / rel)
                if "page.html" not in taken:
                    shutil.copy(guide / "page.html", raw / "page.html")
            elif name == "repo":
                for rel in (p for p in paths if p.startswith("repo/")):
                    suffix = Path(rel).suffix
                    target = raw / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if suffix in own:
                        shutil.copy(next(own[suffix]), target)
                    else:
                        target.write_text("", encoding="utf-8")
            else:
                left_out[name] += 1
        kind = convert_speed.kind_of(raw)
        kinds[kind] += 1
        entries.append(rid)
    shutil.rmtree(pool)
    # His entries' facts (URLs decide readers, e.g. an arXiv abstract), status fetched.
    facts = {
        r["id"]: r
        for r in yaml.safe_load(
            (corpus / "owner-library/refs/manifest.yaml").read_text(encoding="utf-8")
        )["resources"]
    }
    lines = ["resources:"]
    for rid in entries:
        his = facts.get(rid, {})
        urls = his.get("urls") or [f"https://example.org/{rid}"]
        lines += [
            f"  - id: {rid}",
            f"    title: {json.dumps(his.get('title', rid))}",
            "    urls:",
            *(f"      - {json.dumps(url)}" for url in urls),
            f"    type: {his.get('type', 'docs')}",
            "    topics: [1]",
            "    priority: high",
            "    status: fetched",
            "    local_paths: []",
            '    notes: ""',
        ]
    (dest / "refs").mkdir(parents=True)
    (dest / "refs/manifest.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    notes = [
        f"{name}: no corpus file of that name, left out of {n}" for name, n in left_out.items()
    ]
    return kinds, notes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--out", type=Path, help="make the library here and keep it")
    ap.add_argument("--baseline", default="main", help="git revision to compare with")
    ap.add_argument("--repeat", type=int, default=1, help="turns of each version")
    ap.add_argument("--jobs", type=int, default=0, help="refs convert --jobs (0: default)")
    ap.add_argument("--serial", action="store_true", help="also ours with --jobs 1")
    ap.add_argument("--no-convert", action="store_true", help="only make the library")
    args = ap.parse_args()
    files_txt = args.corpus / "owner-library" / "FILES.txt"
    if not files_txt.is_file():
        print(f"{files_txt}: not found; nothing to measure")
        return 0
    if args.out is not None and args.out.exists():
        ap.error(f"{args.out} exists; name a new folder")
    tmp = Path(tempfile.mkdtemp(prefix="owner-shape-"))
    try:
        lib = args.out or tmp / "library"
        kinds, notes = make_library(args.corpus.resolve(), lib)
        shape = ", ".join(f"{kind} {n}" for kind, n in kinds.most_common())
        print(f"owner-shaped library: {sum(kinds.values())} resources ({shape}) in {lib}")
        for note in notes:
            print(f"  {note}")
        if args.no_convert:
            return 0
        cmd = [sys.executable, str(ROOT / "bench" / "convert_speed.py"), str(lib)]
        cmd += ["--batch-only", "--baseline", args.baseline, "--repeat", str(args.repeat)]
        cmd += ["--jobs", str(args.jobs)] + (["--serial"] if args.serial else [])
        return subprocess.run(cmd, check=False).returncode
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
