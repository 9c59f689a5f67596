"""How often `refs search` puts the right section first: labelled queries on real text.

    .venv/bin/python bench/search_eval.py [CORPUS_DIR] [--keep DIR] [--show-misses]

Builds a library in a temp folder from CORPUS_DIR (default ../shared/corpus):
every raw artifact there converted by our converter (`convert_one`, as
bench/tier2_fidelity.py does), the corpus' reference full.md used instead where
ours holds under a fifth of its words (dit-paper has no PDF), the owner's
curriculum and manifest, and the two real cards of `_cards/`. Skips cleanly
(exit 0) when the corpus is absent.

Two query sets, each query labelled with the section that answers it:
- card claims: each claim of the real cards, searched by its first eight
  content words; the label is every `sources/<id>/full.md#anchor` it cites;
- bench/search_eval_queries.json: queries we wrote against the corpus
  conversions (claims in our own words, searched the same way, and a few short
  look-ups), split into `dev` (what the ranking was tuned on) and `test`;
- bench/search_eval_paraphrases.json: claims written the way a card writer
  writes them, in other words than the cited heading's, mostly citing a parent
  section with subsections, a heading made of an API name, or a section with
  look-alike neighbours; split into `tune` (what the ranking may be tuned on)
  and `held-out` (written before the ranking was run on it and never tuned on:
  report it, do not fit it; --show-misses leaves it out). A held-out part that
  has been looked at while tuning moves to `tune`, and a new one is written.

Searches run among sources, as an agent checking a claim would. For each set
it prints top-1, top-5 and MRR (reciprocal rank within the first 10) for the
current ranking and for the previous one (FTS5 BM25 over whole heading chunks,
every-word hits first; kept below as `old_search`), in one run.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tier2_fidelity import source_url, split_reference  # noqa: E402

from extract.cards import parse_card  # noqa: E402
from extract.convert.run import convert_one  # noqa: E402
from extract.errors import RefsError  # noqa: E402
from extract.library import Library  # noqa: E402
from extract.passages import chunks  # noqa: E402
from extract.search import search  # noqa: E402
from extract.search_index import doc_title, scan  # noqa: E402
from extract.search_terms import content_words  # noqa: E402

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "search_eval_queries.json"
PARAPHRASES = HERE / "search_eval_paraphrases.json"
DEFAULT_CORPUS = HERE.parents[1] / "shared" / "corpus"
GROUPS = ("pdf", "latex")  # corpus folders that hold several resources
DEPTH = 10


# ---------- the library ----------


def corpus_folders(corpus: Path) -> list[Path]:
    found = [p for p in corpus.iterdir() if (p / "raw").is_dir()]
    for group in GROUPS:
        if (corpus / group).is_dir():
            found += [p for p in (corpus / group).iterdir() if (p / "raw").is_dir()]
    return sorted(found, key=lambda p: p.name)


def _words(markdown: str) -> int:
    return len(re.findall(r"\w+", markdown))


def build_library(corpus: Path, root: Path) -> list[str]:
    """Convert the corpus into a library at ``root``; returns one note per resource."""
    notes = []
    (root / "refs" / "resources").mkdir(parents=True)
    owner = corpus / "owner-library"
    for name in ("distributed_video_dit_inference.md", "refs/manifest.yaml"):
        if (owner / name).is_file():
            shutil.copyfile(owner / name, root / name)
    for card in sorted((corpus / "_cards").glob("*.md")):
        shutil.copyfile(card, root / "refs" / "resources" / card.name)
    for folder in corpus_folders(corpus):
        rid = folder.name
        try:
            ours = convert_one(str(folder / "raw"), {"source_url": source_url(folder)})
        except RefsError as exc:
            ours = ""
            notes.append(f"{rid}: conversion failed ({exc})")
        text, origin = ours, "converted"
        ref = folder / "full.md"
        if ref.is_file():
            reference = ref.read_text(encoding="utf-8")
            if _words(split_reference(ours)[1]) < _words(split_reference(reference)[1]) / 5:
                text, origin = reference, "reference full.md (ours holds too little)"
        if not text:
            continue
        (root / "sources" / rid).mkdir(parents=True)
        (root / "sources" / rid / "full.md").write_text(text, encoding="utf-8")
        notes.append(f"{rid}: {origin}, {_words(text)} words")
    return notes


# ---------- the queries ----------


def card_queries(root: Path) -> list[dict]:
    out = []
    for path in sorted((root / "refs" / "resources").glob("*.md")):
        card = parse_card(path)
        for claim in card.claims:
            targets = sorted({c.target for c in claim.citations})
            if targets:
                out.append(
                    {
                        "set": "card claims",
                        "label": f"{card.rid} claim {claim.number}",
                        "query": " ".join(content_words(claim.text)),
                        "targets": targets,
                        "type": "card",
                    }
                )
    return out


def own_queries(path: Path = QUERIES, name: str = "ours") -> list[dict]:
    out = []
    for n, q in enumerate(json.loads(path.read_text(encoding="utf-8")), 1):
        text = q.get("claim") or q["query"]
        out.append(
            {
                "set": f"{name} ({q['split']})",
                "label": f"#{n}",
                "query": " ".join(content_words(text)) if "claim" in q else text,
                "targets": [q["target"]],
                "type": q["type"],
            }
        )
    return out


def answerable(root: Path, q: dict) -> bool:
    """A label can be found when it names a heading of the file whose section holds text."""
    for target in q["targets"]:
        path, _, anchor = target.partition("#")
        f = root / path
        if f.is_file():
            for ch in chunks(f.read_text(encoding="utf-8")):
                if ch.anchor == anchor and ch.body.strip():
                    return True
    return False


# ---------- the previous ranking, kept to compare against ----------

_OLD_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_OLD_TERM = re.compile(r'"([^"]+)"|(\S+)')
_OLD_KIND = {"card": 1.3, "topic": 1.15, "doc": 1.1, "source": 1.0}


def old_index(root: Path) -> sqlite3.Connection:
    """The previous index: one FTS5 row per heading chunk, porter stemming."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE chunks(id INTEGER PRIMARY KEY, path, kind, rid, anchor)")
    conn.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(heading, doc, body, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    lib = Library(root)
    for f in scan(lib).values():
        text = (root / f.path).read_text(encoding="utf-8", errors="replace")
        doc = doc_title(f.kind, text, f.rid)
        for ch in chunks(text):
            if not (ch.heading or ch.body):
                continue
            cur = conn.execute(
                "INSERT INTO chunks(path, kind, rid, anchor) VALUES (?,?,?,?)",
                (f.path, f.kind, f.rid, ch.anchor),
            )
            conn.execute(
                "INSERT INTO fts(rowid, heading, doc, body) VALUES (?,?,?,?)",
                (cur.lastrowid, ch.heading, doc, _OLD_LINK.sub(r"\1", ch.body)),
            )
    return conn


def old_search(conn: sqlite3.Connection, query: str, limit: int, kinds: list[str]) -> list[str]:
    found = []
    for m in _OLD_TERM.finditer(query):
        words = re.findall(r"\w+", m.group(1) or m.group(2))
        if words:
            found.append('"' + " ".join(words) + '"')
    if not found:
        return []
    cases = " ".join(f"WHEN '{k}' THEN {w}" for k, w in _OLD_KIND.items())
    sql = (
        "SELECT c.id, c.path, c.anchor, bm25(fts, 10.0, 1.0, 1.0) * "
        f"(CASE c.kind {cases} ELSE 1.0 END) AS score FROM fts JOIN chunks c ON c.id = fts.rowid "
        f"WHERE fts MATCH ? AND c.kind IN ({','.join('?' * len(kinds))}) ORDER BY score LIMIT ?"
    )
    hits: list[str] = []
    seen: set[int] = set()
    passes = [" AND ".join(found)] + ([" OR ".join(found)] if len(found) > 1 else [])
    for match in passes:
        for row_id, path, anchor, _ in conn.execute(sql, (match, *kinds, limit + len(seen))):
            if row_id not in seen and len(hits) < limit:
                seen.add(row_id)
                hits.append(f"{path}#{anchor}" if anchor else path)
    return hits


# ---------- measuring ----------


def rank_of(hits: list[str], targets: list[str]) -> int | None:
    for i, h in enumerate(hits, 1):
        if h in targets:
            return i
    return None


def figures(ranks: list[int | None]) -> tuple[float, float, float]:
    n = len(ranks) or 1
    top1 = sum(1 for r in ranks if r == 1) / n
    top5 = sum(1 for r in ranks if r and r <= 5) / n
    mrr = sum(1 / r for r in ranks if r) / n
    return top1, top5, mrr


def evaluate(queries: list[dict], ranker: Callable[[str], list[str]]) -> list[int | None]:
    return [rank_of(ranker(q["query"]), q["targets"]) for q in queries]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--keep", type=Path, help="build the library here and keep it (must not exist)")
    ap.add_argument(
        "--reuse", type=Path, help="measure on a library an earlier --keep built (no rebuild)"
    )
    ap.add_argument(
        "--show-misses", action="store_true", help="list queries not ranked first (not held-out)"
    )
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus folder {args.corpus} not found; nothing to measure (skipped)")
        return 0
    if args.keep and args.keep.exists():
        print(f"{args.keep} exists; give a new folder", file=sys.stderr)
        return 2
    if args.reuse and not (args.reuse / "refs" / "manifest.yaml").is_file():
        print(f"{args.reuse} holds no library built by --keep", file=sys.stderr)
        return 2
    tmp = None if args.keep or args.reuse else tempfile.mkdtemp(prefix="refs-search-eval-")
    root = args.reuse or args.keep or Path(tmp) / "lib"
    try:
        if not args.reuse:
            t0 = time.perf_counter()
            notes = build_library(args.corpus, root)
            print(f"library: {len(notes)} sources built in {time.perf_counter() - t0:.1f} s")
            for n in notes:
                print(f"  {n}")
        queries = card_queries(root) + own_queries() + own_queries(PARAPHRASES, "paraphrased")
        lost = [q for q in queries if not answerable(root, q)]
        queries = [q for q in queries if q not in lost]
        for q in lost:
            print(
                f"unanswerable label (its section holds no text in this library), left out: "
                f"{q['set']} {q['label']} -> {', '.join(q['targets'])}"
            )
        lib = Library(root)
        t0 = time.perf_counter()
        search(lib, "warm up", limit=1)  # builds the index
        print(f"index built in {time.perf_counter() - t0:.1f} s")
        old = old_index(root)

        def new_ranker(query: str) -> list[str]:
            return [h.target for h in search(lib, query, limit=DEPTH, kinds=["source"])]

        def old_ranker(query: str) -> list[str]:
            return old_search(old, query, DEPTH, ["source"])

        new_ranks = evaluate(queries, new_ranker)
        old_ranks = evaluate(queries, old_ranker)
        sets = sorted({q["set"] for q in queries})
        groups = [(s, [i for i, q in enumerate(queries) if q["set"] == s]) for s in sets]
        ours = [i for i, q in enumerate(queries) if q["set"].startswith("ours")]
        groups.append(("ours (all)", ours))
        for t in sorted({queries[i]["type"] for i in ours}):
            groups.append((f"  ours, {t}", [i for i in ours if queries[i]["type"] == t]))
        labelled = [i for i, q in enumerate(queries) if not q["set"].startswith("paraphrased")]
        groups.append(("cards + ours", labelled))
        groups.append(("everything", list(range(len(queries)))))
        print()
        print(f"{'query set':<24} {'n':>3}   {'top-1':>12} {'top-5':>12} {'MRR':>12}")
        print(f"{'':<24} {'':>3}   {'new (old)':>12} {'new (old)':>12} {'new (old)':>12}")
        for name, idx in groups:
            new = figures([new_ranks[i] for i in idx])
            was = figures([old_ranks[i] for i in idx])
            cells = " ".join(f"{a:>5.2f} ({b:.2f})" for a, b in zip(new, was, strict=True))
            print(f"{name:<24} {len(idx):>3}   {cells}")
        if args.show_misses:
            print("\nnot first (new ranking; held-out queries left out, never tune on them):")
            for q, r in zip(queries, new_ranks, strict=True):
                if r != 1 and "held-out" not in q["set"]:
                    top = new_ranker(q["query"])[:3]
                    print(f"  [{q['set']} {q['label']}] rank {r}: {q['query']!r}")
                    print(f"      want {q['targets'][0]}")
                    print(f"      got  {', '.join(top)}")
        return 0
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
