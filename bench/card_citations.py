"""Real cards' citations, resolved the way `refs check` resolves them.

    python bench/card_citations.py [CORPUS_DIR]      (default ../shared/corpus)

For every card in CORPUS_DIR/_cards/, every citation (`find_citations`, any relative
prefix) is judged by `citations.Resolver` in two throwaway libraries: one whose
`sources/<id>/full.md` are the corpus' hand-made reference files, one whose full.md
are our conversions of the raw artifacts (`convert.run.build` + `render`). Prints the
share that resolves in each, and every citation that does not. Then, for every
reference full.md and every conversion, how many of the anchors GitHub gives its
headings (cmark-gfm, GitHub's parser, a test dependency) `extract.anchors` gives too,
in the same order. Nothing is written outside a temporary folder. Skips cleanly
(exit 0) when the folder is absent.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console  # noqa: E402

from extract.anchors import Anchorer, front_matter_end, headings  # noqa: E402
from extract.cards import find_citations  # noqa: E402
from extract.citations import Resolver  # noqa: E402
from extract.convert.document import render  # noqa: E402
from extract.convert.run import build  # noqa: E402
from extract.errors import RefsError  # noqa: E402
from extract.library import Library  # noqa: E402
from extract.output import table  # noqa: E402

console = Console(width=150, highlight=False)


def source_url(folder: Path) -> str:
    ref = folder / "full.md"
    if ref.exists():
        m = re.search(r"^source_url:\s*\"?([^\"\n]+)", ref.read_text(encoding="utf-8"), re.M)
        if m:
            return m.group(1).strip()
    return ""


def library(root: Path, full_mds: dict[str, str]) -> Library:
    """A minimal library holding the given full.md texts (id -> text)."""
    (root / "refs").mkdir(parents=True)
    rows = [
        f"  - id: {rid}\n    title: {rid}\n    urls: [https://example.invalid/{rid}]\n"
        "    type: docs\n    topics: [1]\n    priority: high\n    status: converted\n"
        "    local_paths: []\n    notes: ''\n"
        for rid in sorted(full_mds)
    ]
    (root / "refs/manifest.yaml").write_text("resources:\n" + "".join(rows), encoding="utf-8")
    for rid, text in full_mds.items():
        (root / "sources" / rid).mkdir(parents=True)
        (root / "sources" / rid / "full.md").write_text(text, encoding="utf-8")
    return Library(root)


def github_anchors(markdown: str) -> list[str]:
    import cmarkgfm
    from bs4 import BeautifulSoup
    from cmarkgfm.cmark import Options

    lines = markdown.split("\n")
    body = "\n".join(lines[front_matter_end(lines) :])
    html = cmarkgfm.github_flavored_markdown_to_html(body, options=Options.CMARK_OPT_UNSAFE)
    anchorer = Anchorer()
    found = BeautifulSoup(html, "lxml").find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    return [anchorer(h.get_text()) for h in found]


def agreement(texts: dict[str, dict[str, str]]) -> list[list[str]]:
    rows = []
    for kind, by_id in texts.items():
        for rid, text in sorted(by_id.items()):
            gh, ours = github_anchors(text), [h.anchor for h in headings(text)]
            same = sum(1 for a in gh if a in set(ours))
            rows.append([kind, rid, str(len(gh)), str(same), "yes" if gh == ours else "no"])
    return rows


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "shared/corpus"
    cards_dir = corpus / "_cards"
    if not cards_dir.is_dir():
        console.print(f"no cards under {cards_dir}; nothing to measure (skipped)")
        return 0
    cites = []
    for card in sorted(cards_dir.glob("*.md")):
        cites += [(card.name, c) for c in find_citations(card.read_text(encoding="utf-8"))]
    rids = {c.rid for _, c in cites}
    reference, ours, notes = {}, {}, []
    for rid in sorted(rids):
        folder = corpus / rid
        if (folder / "full.md").is_file():
            reference[rid] = (folder / "full.md").read_text(encoding="utf-8")
        if (folder / "raw").is_dir():
            try:
                doc = build(folder / "raw", source_url(folder))
                ours[rid] = render({"title": doc.title}, doc.body)
            except RefsError as exc:
                notes.append(f"{rid}: conversion failed: {exc}")
    prefixes = Counter(c.text.split("sources/")[0] or "(none)" for _, c in cites)
    rows, broken = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for name, texts in (("reference full.md", reference), ("our conversions", ours)):
            resolver = Resolver(library(Path(tmp) / name.replace(" ", "-"), texts))
            ok = 0
            for card, c in cites:
                problem = resolver.problem(c)
                ok += problem is None
                if problem:
                    broken.append([name, f"{card}:{c.line}", c.target, problem[:70]])
            rows.append([name, str(ok), str(len(cites)), f"{ok / len(cites):.3f}"])
    console.print(table("Card citations that resolve", ("against", "ok", "of", "share"), rows))
    console.print("relative prefixes: " + ", ".join(f"{p} x{n}" for p, n in prefixes.items()))
    if broken:
        console.print(table("Not resolving", ("against", "card:line", "target", "why"), broken))
    for n in notes:
        console.print(n)
    others = {
        f.parent.name: f.read_text(encoding="utf-8")
        for f in sorted(corpus.glob("*/full.md"))
        if f.parent.name not in reference
    }
    for folder in sorted(p for p in corpus.iterdir() if (p / "raw").is_dir()):
        if folder.name not in ours:
            try:
                doc = build(folder / "raw", source_url(folder))
                ours[folder.name] = render({"title": doc.title}, doc.body)
            except RefsError as exc:
                notes.append(f"{folder.name}: conversion failed: {exc}")
    columns = ("file", "id", "GitHub headings", "same anchor here", "identical list")
    rows = agreement({"reference": {**reference, **others}, "ours": ours})
    console.print(table("Anchors as GitHub gives them (cmark-gfm)", columns, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
