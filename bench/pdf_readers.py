"""PDF readers compared on real papers: heading recall, word precision, time.

    python bench/pdf_readers.py [CORPUS_DIR] [--readers a,b,...] [--weights]

CORPUS_DIR (default `../shared/corpus`) holds the papers that `bench/labels/*.yaml`
name (`gpipe/raw/paper.pdf`, `pdf/<id>/raw/paper.pdf`, ...). Each label file lists
the paper's headings as printed, written by reading its rendered pages.

Readers (each runs in its own process, so one library's import cannot change
another's behaviour, and is skipped when what it needs is not installed):
- `ours`: the project's reader, through `extract.convert.run.build` (what
  `refs convert` writes: abstract page + PDF for arXiv papers, the PDF alone else);
- `fontcues-pymupdf`: the previous reader (font cues on PyMuPDF, frozen in
  `bench/baselines/`), with the abstract page's title and abstract in front;
- `pymupdf4llm`: `pymupdf4llm.to_markdown` (PyMuPDF's own heuristics);
- `pymupdf4llm-layout`: the same with `pymupdf.layout` (its ONNX layout model) on;
- `layout+numbering`: `pymupdf4llm-layout`'s blocks, with heading levels and
  headings re-decided by our numbering rules (a heading needs a section number
  or a known name; a bold numbered paragraph becomes a heading);
- `pdfminer-text`, `pdfium-text`: the raw text layers only (no structure), for speed.

Figures per paper and reader:
- heading recall: labelled headings whose anchor (`extract.anchors`) is among the
  output's; `sec` counts the labels that are not run-in paragraph headings;
- heading precision: output headings that are labelled;
- word precision / recall: bags of words against the reference — for `gpipe` its
  hand-made `full.md` (its bracketed figure descriptions left out), for the others
  the PDF's own text layer (line-end hyphens joined) plus the abstract page's title,
  authors and abstract; words said twice (an abstract repeated) or invented count
  against precision, words lost against recall;
- seconds per paper (wall clock, this machine, the reader's import included once).
`--weights` also builds a fresh virtualenv per PDF stack and prints its size.
Skips cleanly (exit 0) when the corpus folder is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from extract.anchors import anchor_set, headings, plain_heading_text, slugify  # noqa: E402

LABELS = ROOT / "bench" / "labels"
READERS = (
    "ours",
    "fontcues-pymupdf",
    "pymupdf4llm",
    "pymupdf4llm-layout",
    "layout+numbering",
    "pdfminer-text",
    "pdfium-text",
)
LICENCES = {  # of the PDF machinery each reader runs on
    "ours": "Apache-2.0/BSD-3 (pypdfium2)",
    "fontcues-pymupdf": "AGPL-3.0 (PyMuPDF)",
    "pymupdf4llm": "AGPL-3.0 (PyMuPDF)",
    "pymupdf4llm-layout": "AGPL-3.0 (PyMuPDF)",
    "layout+numbering": "AGPL-3.0 (PyMuPDF)",
    "pdfminer-text": "MIT (pdfminer.six)",
    "pdfium-text": "Apache-2.0/BSD-3 (pypdfium2)",
}
STACKS = {  # what each stack installs into a fresh virtualenv, for --weights
    "project (no PDF extra)": ["-e", str(ROOT)],
    "pypdfium2 (our PDF extra)": ["pypdfium2"],
    "pdfplumber + pdfminer.six": ["pdfplumber"],
    "pymupdf 2.0 (+ pymupdf4llm, pymupdf-layout)": ["pymupdf"],
}
_WORD = re.compile(r"[^\W_]+")
_FIGURE = re.compile(r"\[Figure(?::[^\]]*)?\]")
_LINK_TARGET = re.compile(r"\]\((?:[^()]|\([^()]*\))*\)")
_URL = re.compile(r"https?://\S+")


# ---------- metrics ----------
def key(text: str) -> str:
    return re.sub(r"-+", "-", slugify(plain_heading_text(text))).strip("-")


def words(markdown: str, drop_figures: bool = False) -> Counter:
    text = _LINK_TARGET.sub("]", markdown)
    text = _URL.sub(" ", text)
    text = _FIGURE.sub(lambda m: " " if drop_figures else " " + m.group(0)[8:-1] + " ", text)
    return Counter(w.lower() for w in _WORD.findall(text))


def overlap(a: Counter, b: Counter) -> int:
    return sum(min(n, b[w]) for w, n in a.items())


def score(label: dict, output: str, reference: Counter) -> dict:
    labelled = label["headings"]
    mine = {re.sub(r"-+", "-", a).strip("-") for a in anchor_set(output)}
    mine |= {re.sub(r"-\d+$", "", a) for a in mine}
    hits = [h for h in labelled if key(h["text"]) in mine]
    sections = [h for h in labelled if not h.get("run_in")]
    wanted = {key(h["text"]) for h in labelled}
    ours = headings(output)
    good = sum(1 for h in ours if _labelled(h.anchor, wanted))
    got = words(output)
    common = overlap(reference, got)
    return {
        "h_hit": len(hits),
        "h_of": len(labelled),
        "s_hit": sum(1 for h in hits if not h.get("run_in")),
        "s_of": len(sections),
        "p_good": good,
        "p_of": len(ours),
        "common": common,
        "ref": sum(reference.values()),
        "ours": sum(got.values()),
    }


def _labelled(anchor: str, wanted: set[str]) -> bool:
    """An output anchor names a label (a `-N` the de-duplication added aside)."""
    a = re.sub(r"-+", "-", anchor).strip("-")
    return a in wanted or re.sub(r"-\d+$", "", a) in wanted


def _print_misses(console, name: str, label: dict, output: str) -> None:
    mine = {re.sub(r"-+", "-", a).strip("-") for a in anchor_set(output)}
    mine |= {re.sub(r"-\d+$", "", a) for a in mine}
    wanted = {key(h["text"]) for h in label["headings"]}
    for h in label["headings"]:
        if key(h["text"]) not in mine:
            console.print(f"  {name} {label['paper']}: missed  {h['text']}", markup=False)
    for h in headings(output):
        if not _labelled(h.anchor, wanted):
            console.print(f"  {name} {label['paper']}: extra   {h.text}", markup=False)


def reference_words(corpus: Path, label: dict) -> Counter:
    folder = (corpus / label["pdf"]).parents[1]
    ref = folder / "full.md"
    if ref.exists():
        text = ref.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        return words(body, drop_figures=True)
    bag = words(re.sub(r"-\s*\n\s*", "", _pdf_text(corpus / label["pdf"])))
    page = folder / "raw" / "abstract.html"
    if page.exists():
        from extract.convert.arxiv import read_abstract_page

        info = read_abstract_page(page.read_text(encoding="utf-8", errors="replace"))
        extra = words(" ".join([info.title, " ".join(info.authors), info.abstract]))
        bag = bag | extra  # what the abstract page adds, once (not on top of the PDF's copy)
    return bag


def _pdf_text(path: Path) -> str:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


# ---------- readers (run in a child process) ----------
def _front(folder: Path) -> str:
    page = folder / "raw" / "abstract.html"
    if not page.exists():
        return ""
    from extract.convert.arxiv import read_abstract_page

    info = read_abstract_page(page.read_text(encoding="utf-8", errors="replace"))
    return f"# {info.title}\n\n## Abstract\n\n{info.abstract}\n\n"


def _numbering(markdown: str) -> str:
    """pymupdf4llm's markdown with headings re-decided by our numbering rules."""
    from extract.convert.pdf.headings import KNOWN_HEADINGS, section_number

    out = []
    for line in markdown.split("\n"):
        m = re.match(r"^(#{1,6})\s+(.*)$", line) or re.match(r"^\*\*(.+?)\*\*\s*$", line)
        if not m:
            out.append(line)
            continue
        text = re.sub(r"[*_`]", "", m.group(m.lastindex)).strip()
        numbered = section_number(text, roman_doc=bool(re.match(r"^[IVX]+\.\s", text)))
        if numbered and len(text.split()) <= 18:
            out.append("#" * numbered[0] + " " + text)
        elif text.lower().rstrip(".:") in KNOWN_HEADINGS:
            out.append("## " + text)
        elif line.startswith("#"):
            out.append(text)  # a heading with no number or known name: text
        else:
            out.append(line)
    return "\n".join(out)


def run_reader(name: str, pdf: Path) -> str:
    folder = pdf.parents[1]
    if name == "ours":
        from extract.convert.run import build

        return build(folder / "raw", "").body
    if name == "fontcues-pymupdf":
        from bench.baselines.pdf_fontcues_pymupdf import pdf_to_markdown

        return _front(folder) + pdf_to_markdown(pdf).body
    if name in ("pymupdf4llm", "pymupdf4llm-layout", "layout+numbering"):
        import pymupdf4llm

        # pymupdf4llm 2.0 turns the layout model on whenever pymupdf-layout is installed.
        if hasattr(pymupdf4llm, "use_layout"):
            pymupdf4llm.use_layout(name != "pymupdf4llm")
        elif name != "pymupdf4llm":
            return _skip("pymupdf-layout")

        md = pymupdf4llm.to_markdown(str(pdf), show_progress=False)
        return _numbering(md) if name == "layout+numbering" else md
    if name == "pdfminer-text":
        from pdfminer.high_level import extract_text

        return extract_text(str(pdf))
    if name == "pdfium-text":
        return _pdf_text(pdf)
    raise SystemExit(f"unknown reader {name}")


def _skip(what: str):
    raise ImportError(what, name=what)


def child(name: str, pdf: str) -> int:
    t0 = time.perf_counter()
    try:
        text = run_reader(name, Path(pdf))
    except ImportError as exc:
        print(json.dumps({"skip": f"not installed ({exc.name})"}))
        return 0
    print(json.dumps({"text": text, "seconds": time.perf_counter() - t0}))
    return 0


def measure(name: str, pdf: Path, python: str) -> dict:
    proc = subprocess.run(
        [python, __file__, "--child", name, str(pdf)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        return {"skip": "failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1][:80]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------- install weight ----------
def venv_size(packages: list[str]) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        env = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
        base = _du(env)
        pip = [str(env / "bin" / "python"), "-m", "pip", "install", "-q", *packages]
        if subprocess.run(pip, capture_output=True).returncode != 0:
            return "install failed"
        return f"{(_du(env) - base) / 1e6:.0f} MB"


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "-"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return child(argv[1], argv[2])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--readers", default=",".join(READERS))
    parser.add_argument("--python", default=sys.executable, help="interpreter for the readers")
    parser.add_argument("--weights", action="store_true", help="also measure install weight")
    parser.add_argument(
        "--misses", action="store_true", help="list missed and unlabelled headings per paper"
    )
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus folder {corpus} not found; nothing to measure (skipped)")
        return 0
    from rich.console import Console

    from extract.output import table

    console = Console(width=160, highlight=False)
    labels = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(LABELS.glob("*.yaml"))]
    labels = [lab for lab in labels if (corpus / lab["pdf"]).is_file()]
    rows, totals = [], {}
    for name in args.readers.split(","):
        for lab in labels:
            pdf = corpus / lab["pdf"]
            got = measure(name, pdf, args.python)
            if "skip" in got:
                rows.append([name, lab["paper"], got["skip"], "", "", "", "", "", ""])
                continue
            if name.endswith("-text"):
                rows.append(
                    [
                        name,
                        lab["paper"],
                        "-",
                        "-",
                        "-",
                        "-",
                        "-",
                        f"{got['seconds']:.2f}s",
                        LICENCES[name],
                    ]
                )
                continue
            s = score(lab, got["text"], reference_words(corpus, lab))
            if args.misses:
                _print_misses(console, name, lab, got["text"])
            t = totals.setdefault(name, Counter())
            t.update(s)
            t["seconds"] += got["seconds"]
            t["papers"] += 1
            rows.append(
                [
                    name,
                    lab["paper"],
                    f"{ratio(s['h_hit'], s['h_of'])} ({s['h_hit']}/{s['h_of']})",
                    f"{ratio(s['s_hit'], s['s_of'])} ({s['s_hit']}/{s['s_of']})",
                    f"{ratio(s['p_good'], s['p_of'])} ({s['p_good']}/{s['p_of']})",
                    ratio(s["common"], s["ours"]),
                    ratio(s["common"], s["ref"]),
                    f"{got['seconds']:.2f}s",
                    "",
                ]
            )
    for name, t in totals.items():
        rows.append(
            [
                name,
                "ALL",
                f"{ratio(t['h_hit'], t['h_of'])} ({t['h_hit']}/{t['h_of']})",
                f"{ratio(t['s_hit'], t['s_of'])} ({t['s_hit']}/{t['s_of']})",
                f"{ratio(t['p_good'], t['p_of'])}",
                ratio(t["common"], t["ours"]),
                ratio(t["common"], t["ref"]),
                f"{t['seconds'] / t['papers']:.2f}s/paper",
                LICENCES.get(name, ""),
            ]
        )
    columns = (
        "reader",
        "paper",
        "heading recall",
        "recall, sections",
        "heading precision",
        "word precision",
        "word recall",
        "time",
        "licence",
    )
    console.print(table("PDF readers", columns, rows))
    if args.weights:
        weights = [[stack, venv_size(pkgs)] for stack, pkgs in STACKS.items()]
        console.print(table("install weight (fresh virtualenv)", ("stack", "size"), weights))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
