"""Tier 2 fidelity benchmark: convert a corpus and compare with reference full.md files.

    python bench/tier2_fidelity.py CORPUS_DIR

CORPUS_DIR holds `<id>/raw/...` and optionally `<id>/full.md` (a hand-made
reference). There is no manifest: the kind comes from the raw files, the source
URL from the reference's front matter or the page's canonical link.

Measures, per resource and overall (sums over resources):
- heading recall: the reference's heading anchors found among ours (via
  `extract.anchors`; hyphen runs and a trailing `-<number>` we add, e.g. an
  issue number, are not held against us);
- word recall / precision: bags of words, front matter, link targets and
  anchor markers left out; the reference's `[Figure: ...]` descriptions are
  left out too (hand-written, absent from the raw artifact);
- for raw pages without a reference: the share of the words of the page's
  visible main text (main/article element, chrome tags dropped) that survive.
Then the PDF papers of `bench/labels/` (gpipe and `pdf/*`): heading recall
against the labels, word precision, and seconds per paper.
Reference files are imperfect: a score is a measure, not an oracle.
Skips cleanly (exit 0) when the folder is absent.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/pdf_readers.py

import yaml  # noqa: E402
from rich.console import Console  # noqa: E402

from extract.anchors import anchor_set, front_matter_end, headings  # noqa: E402
from extract.convert.html import parse  # noqa: E402
from extract.convert.html_content import canonical_url  # noqa: E402
from extract.convert.run import build, plan  # noqa: E402
from extract.errors import RefsError  # noqa: E402
from extract.output import table  # noqa: E402

console = Console(width=150, highlight=False)  # a wide table even when piped

_LINK_TARGET = re.compile(r"\]\((?:[^()]|\([^()]*\))*\)")
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>\s]*>")
_MARKER = re.compile(r"""<a id="[^"]*"></a>""")
_FIGURE = re.compile(r"\[Figure(?::[^\]]*)?\]")
_URL = re.compile(r"https?://\S+")
_WORD = re.compile(r"[^\W_]+")


def words(markdown: str, drop_figures: bool) -> Counter:
    text = _LINK_TARGET.sub("]", markdown)
    text = _AUTOLINK.sub(" ", text)
    text = _MARKER.sub(" ", text)
    text = _URL.sub(" ", text)
    # Ours: only the description (alt or caption text) counts, not the word "Figure".
    text = _FIGURE.sub(lambda m: " " if drop_figures else " " + m.group(0)[8:-1] + " ", text)
    return Counter(w.lower() for w in _WORD.findall(text))


def overlap(a: Counter, b: Counter) -> int:
    return sum(min(n, b[w]) for w, n in a.items())


def _key(anchor: str) -> str:
    return re.sub(r"-+", "-", anchor).strip("-")


def heading_hits(reference: str, ours: str) -> tuple[int, int]:
    ref = {_key(h.anchor) for h in headings(reference) if h.anchor}
    mine = {_key(a) for a in anchor_set(ours)}
    mine |= {re.sub(r"-\d+$", "", a) for a in mine}
    return sum(1 for a in ref if a in mine), len(ref)


def visible_words(page: Path) -> Counter:
    soup = parse(page.read_bytes())
    for el in soup.find_all(["script", "style", "noscript", "template", "nav", "aside", "footer"]):
        el.decompose()
    roots = soup.find_all(["main", "article"]) or [soup.body or soup]
    root = max(roots, key=lambda el: len(el.get_text()))
    return Counter(w.lower() for w in _WORD.findall(root.get_text(" ")))


def split_reference(text: str) -> tuple[dict, str]:
    """(front matter, body) of a hand-made reference (its front matter may be partial)."""
    lines = text.split("\n")
    end = front_matter_end(lines)
    try:
        meta = yaml.safe_load("\n".join(lines[1 : end - 1])) if end else {}
    except yaml.YAMLError:
        meta = {}
    return (meta if isinstance(meta, dict) else {}), "\n".join(lines[end:])


def source_url(folder: Path) -> str:
    ref = folder / "full.md"
    if ref.exists():
        meta, _ = split_reference(ref.read_text(encoding="utf-8"))
        if meta.get("source_url"):
            return str(meta["source_url"])
    for name in ("page.html", "abstract.html"):
        page = folder / "raw" / name
        if page.exists():
            return canonical_url(parse(page.read_bytes()))
    return ""


def ratio(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "-"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: tier2_fidelity.py CORPUS_DIR", file=sys.stderr)
        return 2
    corpus = Path(argv[0])
    if not corpus.is_dir():
        print(f"corpus folder {corpus} not found; nothing to measure (skipped)")
        return 0
    started = time.perf_counter()
    rows = []
    totals: dict[str, Counter] = {}
    for folder in sorted(p for p in corpus.iterdir() if (p / "raw").is_dir()):
        raw = folder / "raw"
        url = source_url(folder)
        t0 = time.perf_counter()
        try:
            kind = "+".join(a.kind for a in plan(raw, url))
            ours = build(raw, url).body
        except RefsError as exc:
            rows.append([folder.name, "?", "error", "", "", "", str(exc)[:60]])
            continue
        seconds = time.perf_counter() - t0
        tot = totals.setdefault(kind, Counter())
        ref_path = folder / "full.md"
        if ref_path.exists():
            _, ref = split_reference(ref_path.read_text(encoding="utf-8"))
            hit, of = heading_hits(ref, ours)
            ref_words, our_words = words(ref, True), words(ours, False)
            common = overlap(ref_words, our_words)
            ref_n, our_n = sum(ref_words.values()), sum(our_words.values())
            tot.update(h_hit=hit, h_of=of, common=common, ref=ref_n, ours=our_n)
            rows.append(
                [
                    folder.name,
                    kind,
                    f"{ratio(hit, of)} ({hit}/{of})",
                    ratio(common, ref_n),
                    ratio(common, our_n),
                    "",
                    f"{seconds:.2f}s",
                ]
            )
        else:
            page = raw / "page.html"
            if page.exists():
                seen = visible_words(page)
                kept = overlap(seen, words(ours, False))
                tot.update(vis_kept=kept, vis=sum(seen.values()))
                survival = ratio(kept, sum(seen.values()))
            else:
                survival = "-"
            rows.append([folder.name, kind, "-", "-", "-", survival, f"{seconds:.2f}s"])
    for kind, t in sorted(totals.items()):
        rows.append(
            [
                f"ALL {kind}",
                kind,
                ratio(t["h_hit"], t["h_of"]),
                ratio(t["common"], t["ref"]),
                ratio(t["common"], t["ours"]),
                ratio(t["vis_kept"], t["vis"]),
                "",
            ]
        )
    columns = (
        "resource",
        "kind",
        "heading recall",
        "word recall",
        "word precision",
        "visible text kept",
        "time",
    )
    console.print(table("Tier 2 fidelity", columns, rows))
    pdf_rows(console, corpus)
    console.print(f"total time: {time.perf_counter() - started:.2f}s")
    return 0


def pdf_rows(console: Console, corpus: Path) -> None:
    """The PDF reader on the labelled papers (`bench/labels/*.yaml`, headings written by
    reading each PDF): heading recall and word precision as `bench/pdf_readers.py`
    measures them, and the seconds each paper takes to convert."""
    import pdf_readers

    rows = []
    total: Counter = Counter()
    for path in sorted(pdf_readers.LABELS.glob("*.yaml")):
        label = yaml.safe_load(path.read_text(encoding="utf-8"))
        pdf = corpus / label["pdf"]
        if not pdf.is_file():
            continue
        t0 = time.perf_counter()
        try:
            ours = build(pdf.parents[1] / "raw", "").body
        except RefsError as exc:
            rows.append([label["paper"], "error", "", "", str(exc)[:60]])
            continue
        seconds = time.perf_counter() - t0
        s = pdf_readers.score(label, ours, pdf_readers.reference_words(corpus, label))
        total.update(s)
        total["seconds"] += seconds
        total["papers"] += 1
        rows.append(
            [
                label["paper"],
                f"{ratio(s['h_hit'], s['h_of'])} ({s['h_hit']}/{s['h_of']})",
                ratio(s["p_good"], s["p_of"]),
                ratio(s["common"], s["ours"]),
                f"{seconds:.2f}s",
            ]
        )
    if not rows:
        return
    rows.append(
        [
            "ALL",
            f"{ratio(total['h_hit'], total['h_of'])} ({total['h_hit']}/{total['h_of']})",
            ratio(total["p_good"], total["p_of"]),
            ratio(total["common"], total["ours"]),
            f"{total['seconds'] / max(total['papers'], 1):.2f}s/paper",
        ]
    )
    columns = ("paper (PDF)", "heading recall", "heading precision", "word precision", "time")
    console.print(table("PDF papers against bench/labels", columns, rows))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
