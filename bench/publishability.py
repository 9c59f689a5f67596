"""Publishability benchmark: does a library built from real artifacts publish?

    python bench/publishability.py [CORPUS_DIR] [--keep DIR]

Builds a library in a temporary folder from every raw artifact under CORPUS_DIR
(default `../shared/corpus`; every `<...>/raw/` folder, whatever its kind), with a
manifest generated here (ids are the folder names, URLs those of the project's own
manifest when it knows the id, else the artifact's canonical URL), the project's
curriculum and `mkdocs.yml`, and the cards under `CORPUS_DIR/_cards/`. Then runs
`refs convert --all` and `mkdocs build` (not strict, so every warning is counted)
and counts the build's warnings by class:

- broken citation: a card's evidence that does not resolve (the cards' own
  business, reported by the site on purpose);
- everything else (links and anchors inside full.md, front matter, ...): the
  figure to drive to 0.

Prints the conversion outcomes, the warnings by class with examples, and the
figure. `--keep DIR` leaves the library there for a look in the browser. Skips
cleanly (exit 0) when the corpus folder is absent. Exit 0 otherwise too: it is
a measure, not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402
from rich.console import Console  # noqa: E402

from extract.convert.html import parse  # noqa: E402
from extract.convert.html_content import canonical_url  # noqa: E402
from extract.full_md import ABSTRACT_PAGE, PROVENANCE  # noqa: E402
from extract.library import CURRICULUM  # noqa: E402
from extract.output import table  # noqa: E402

console = Console(width=150, highlight=False)
FIXED_TIME = "2025-01-01T00:00:00Z"  # provenance needs a fetch time; the corpus has none
_WARNING = re.compile(r"^WARNING\s+-\s+(.*)$")
_KINDS = {".html": "html", ".pdf": "pdf", ".json": "json"}


def raw_folders(corpus: Path) -> list[tuple[str, Path]]:
    """(resource id, raw folder) for every `raw/` folder of the corpus."""
    found = []
    for raw in sorted(corpus.rglob("raw")):
        if raw.is_dir() and not any(p.startswith((".", "_")) for p in raw.parts[-3:-1]):
            found.append((raw.parent.name, raw))
    return found


def project_manifest() -> dict:
    """The project's own manifest: every catalog resource (pending), its reading order."""
    data = yaml.safe_load((REPO / "refs" / "manifest.yaml").read_text(encoding="utf-8"))
    for res in data.get("resources", []):
        if res.get("status") != "link_only":
            res.update(status="pending", local_paths=[])
    return data


def page_url(raw: Path) -> str:
    for name in ("page.html", ABSTRACT_PAGE):
        if (raw / name).is_file():
            url = canonical_url(parse((raw / name).read_bytes()))
            if url:
                return url
    return ""


def _kind(path: Path) -> str:
    if path.name.startswith("arxiv-eprint"):
        return "eprint-tar" if path.name.endswith(".tar.gz") else "eprint-gzip"
    return _KINDS.get(path.suffix, "file")


def provenance(rid: str, urls: list[str], raw: Path) -> dict:
    """What Tier 1 would have recorded: the first URL for the main artifact."""
    arts = {}
    for path in sorted(p for p in raw.rglob("*") if p.is_file() and p.name != PROVENANCE):
        rel = path.relative_to(raw).as_posix()
        url = urls[0] if rel in ("page.html", ABSTRACT_PAGE, "issue.json") and urls else ""
        if rel == "paper.pdf" and urls and "arxiv.org/abs/" in urls[0]:
            url = urls[0].replace("/abs/", "/pdf/")
        elif rel == "paper.pdf" and urls:
            url = urls[0]
        data = path.read_bytes()
        arts[rel] = {
            "url": url,
            "final_url": url,
            "status": 200,
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "fetched_at": FIXED_TIME,
            "kind": _kind(path),
        }
    return {"resource": rid, "urls": urls, "artifacts": arts}


def make_library(corpus: Path, root: Path) -> list[str]:
    """Write the library under ``root``: the whole catalog, the corpus resources
    fetched. Returns the corpus resource ids."""
    manifest = project_manifest()
    known = {r["id"]: r for r in manifest["resources"]}
    (root / "refs" / "resources").mkdir(parents=True)
    (root / "docs_gen" / "site_docs").mkdir(parents=True)
    shutil.copy(REPO / CURRICULUM, root / CURRICULUM)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    ids = []
    for rid, raw in raw_folders(corpus):
        entry = known.get(rid)
        if entry is None:
            url = page_url(raw)
            entry = {
                "id": rid,
                "title": rid,
                "urls": [url] if url else [],
                "type": "paper" if (raw / ABSTRACT_PAGE).exists() else "docs",
                "topics": [1],
                "priority": "high",
                "notes": "",
            }
            manifest["resources"].append(entry)
            known[rid] = entry
        entry.update(status="fetched", local_paths=[])
        dest = root / "sources" / rid / "raw"
        shutil.copytree(raw, dest)
        (dest / PROVENANCE).write_text(json.dumps(provenance(rid, entry["urls"], dest), indent=2))
        ids.append(rid)
    (root / "refs" / "manifest.yaml").write_text(
        yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    cards = corpus / "_cards"
    if cards.is_dir():
        for card in sorted(cards.glob("*.md")):
            shutil.copy(card, root / "refs" / "resources" / card.name)
    return ids


def _env() -> dict:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def convert(root: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "extract.cli", "--root", str(root), "convert", "--all", "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=_env(),
        timeout=900,
        check=False,
    )
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        console.print(proc.stdout[-2000:], proc.stderr[-2000:], markup=False)
        raise SystemExit("refs convert did not answer JSON") from None


def build(root: Path) -> tuple[int, list[str]]:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")],
        capture_output=True,
        text=True,
        cwd=root,
        env=_env(),
        timeout=900,
        check=False,
    )
    lines = (proc.stdout + "\n" + proc.stderr).splitlines()
    return proc.returncode, [m.group(1) for ln in lines if (m := _WARNING.match(ln.strip()))]


def classify(warning: str) -> str:
    if "broken citation" in warning:
        return "broken citation"
    if "contains a link" in warning and "anchor" in warning:
        return "link to a missing anchor"
    if "contains a link" in warning or "unrecognized relative link" in warning:
        return "link to a missing file"
    return "other"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--keep", help="build the library in this (new) folder and leave it there")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus folder {corpus} not found; nothing to measure (skipped)")
        return 0
    started = time.perf_counter()
    tmp = None
    if args.keep:
        root = Path(args.keep)
        if root.exists():
            print(f"{root} exists; give a new folder to --keep", file=sys.stderr)
            return 2
    else:
        tmp = tempfile.TemporaryDirectory(prefix="refs-publish-")
        root = Path(tmp.name) / "lib"
    try:
        ids = make_library(corpus, root)
        t0 = time.perf_counter()
        report = convert(root)
        t_convert = time.perf_counter() - t0
        rows = [
            (r["id"], r["result"], (r["message"] or "")[:110])
            for r in report.get("results", [])
            if r["id"] in ids
        ]
        console.print(table("refs convert --all", ("resource", "result", "message"), rows))
        t0 = time.perf_counter()
        code, warnings = build(root)
        t_build = time.perf_counter() - t0
    finally:
        if tmp is not None:
            tmp.cleanup()
    by_class = Counter(classify(w) for w in warnings)
    examples: dict[str, list[str]] = {}
    for w in warnings:
        examples.setdefault(classify(w), []).append(w)
    rows = [
        (cls, n, "\n".join(x[:140] for x in examples[cls][:3]))
        for cls, n in sorted(by_class.items(), key=lambda kv: -kv[1])
    ]
    console.print(table("mkdocs build warnings by class", ("class", "count", "examples"), rows))
    failed = sum(1 for r in report.get("results", []) if r["result"] == "failed")
    others = sum(n for cls, n in by_class.items() if cls != "broken citation")
    console.print(
        f"{len(ids)} resources, {failed} failed to convert; mkdocs build exit {code}; "
        f"convert {t_convert:.1f}s, build {t_build:.1f}s, total {time.perf_counter() - started:.1f}s"
    )
    console.print(
        f"publishability: {others} warning(s) that are not broken citations "
        f"(goal 0); {by_class.get('broken citation', 0)} broken citation(s)"
    )
    if args.keep:
        console.print(f"library kept in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
