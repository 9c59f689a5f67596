"""PDF readers compared on real papers: heading precision, recall and level, time.

    python bench/pdf_readers.py [CORPUS_DIR] [--readers a,b,...] [--papers p,q] [--misses]
                                [--weights]

CORPUS_DIR (default `../shared/corpus`) holds the papers. Their labels come from two
places:
- `bench/labels/*.yaml`, written by reading the rendered pages (`gpipe`, `pdf/<id>`);
- every paper under `pdf-tex/` (compiled PDF + LaTeX source), labelled at run time
  by `bench/tex_labels.py` from its .tex: sectioning commands, the run-in ones
  apart, and the bold or italic lead-ins the .tex itself sets (no corpus text is
  kept in the project).
Papers in `HELD_OUT` were not looked at while the reader was tuned: their figures
are reported apart ("held out") from the others ("tuned").

Readers (each runs in its own process, so one library's import cannot change
another's behaviour, and is skipped when what it needs is not installed):
- `ours`: the project's reader, through `extract.convert.run.build` (what
  `refs convert` writes: abstract page + PDF for arXiv papers, the PDF alone else);
- `fontcues-pymupdf`: the previous reader (font cues on PyMuPDF, frozen in
  `bench/baselines/`), with the abstract page's title and abstract in front;
- `pymupdf4llm`: `pymupdf4llm.to_markdown` (PyMuPDF's own heuristics; PyMuPDF 2.x
  ships it, install `pymupdf` into a scratch environment to measure it: it stays
  out of the project's install, AGPL-3.0);
- `pymupdf4llm-layout`: the same with `pymupdf.layout` (its ONNX layout model) on;
- `layout+numbering`: `pymupdf4llm-layout`'s blocks, with heading levels and
  headings re-decided by our numbering rules (a heading needs a section number
  or a known name; a bold numbered paragraph becomes a heading);
- `pdfminer-text`, `pdfium-text`: the raw text layers only (no structure), for speed.

Figures per paper and reader:
- recall (sections): labelled headings that are not run-in, found among the
  output's headings; run-in kept: run-in labels (`\\paragraph`, LNCS/ACM/IEEE
  `\\subsubsection`) found;
- precision: output headings (the title aside) that match a label, over those that
  match neither a label nor a lead-in the .tex sets in bold or italic (such a
  lead-in made a heading counts neither for nor against); strict precision: over
  all output headings (a lead-in made a heading counts against);
- level right: matched section labels whose level the output gives (chapter or
  section 2, then one per level);
  a heading matches a label when their texts agree to 0.85 (difflib ratio) once
  section numbers, citations, case, spacing and punctuation are left aside (the
  .tex cannot know the numbers `\\ref` and `\\cite` print);
- word precision / recall: bags of words against the reference — for `gpipe` its
  hand-made `full.md` (its bracketed figure descriptions left out), for the others
  the PDF's own text layer (line-end hyphens joined) plus the abstract page's title,
  authors and abstract; words said twice (an abstract repeated) or invented count
  against precision, words lost against recall (running heads a reader drops count
  as lost: the text layer has them; a review copy's line numbers, runs of ten or more
  numbers counting up, are not the paper's words and are left out of it);
- seconds per paper (wall clock, this machine, the reader's import included once;
  the machine is shared, so compare readers within one run), and the CPU seconds
  of the reader's process (less noisy under load; a reader that runs threads may
  spend more CPU than wall clock).
`--keep DIR` writes each output to `DIR/<reader>/<paper>.md`, to read them.
`--weights` also builds a fresh virtualenv per PDF stack and prints its size.
Skips cleanly (exit 0) when the corpus folder is absent.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # tex_labels beside this file

import yaml  # noqa: E402

from extract.anchors import headings, plain_heading_text  # noqa: E402

LABELS = ROOT / "bench" / "labels"
# Papers kept out of sight while the reader was tuned (issue 19): their figures are
# reported apart, as the honest estimate for papers the reader has never seen.
HELD_OUT = ("icml-dataopt", "usenix-tock")
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
_COMMENT = re.compile(r"<!--.*?-->", re.S)


# ---------- metrics ----------
_NUMBER = re.compile(
    r"^(?:chapter|appendix|section)?\s*(?:\d{1,2}(?:\.\d{1,2})*|[A-Z](?:\.\d{1,2})*|[IVXL]{1,5})"
    r"[.):]?\s+(?=\S)",
    re.I,
)


def key(text: str, numbered: bool = True) -> str:
    """Heading text compared: markup, a leading section number (when ``numbered``),
    case, spacing and punctuation dropped."""
    text = unicodedata.normalize("NFKC", plain_heading_text(text)).strip()
    text = re.sub(r"\[[^\]]{1,40}\]", "", text)  # citations: numbers the .tex cannot know
    if numbered:
        text = _NUMBER.sub("", text, count=1)
    return "".join(ch for ch in text.lower() if ch.isalnum())


def words(markdown: str, drop_figures: bool = False) -> Counter:
    text = _COMMENT.sub(" ", markdown)  # not shown: a figure's origin marker, say
    text = _LINK_TARGET.sub("]", text)
    text = _URL.sub(" ", text)
    text = _FIGURE.sub(lambda m: " " if drop_figures else " " + m.group(0)[8:-1] + " ", text)
    return Counter(w.lower() for w in _WORD.findall(text))


def overlap(a: Counter, b: Counter) -> int:
    return sum(min(n, b[w]) for w, n in a.items())


def _similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return m.ratio() if m.real_quick_ratio() >= 0.85 and m.quick_ratio() >= 0.85 else 0.0


def section_labels(label: dict) -> list[dict]:
    """The labels scored: section headings only (the title is the front matter's
    business, and a thesis has no \\title to derive one from)."""
    return [h for h in label["headings"] if h["level"] > 1]


def match(label: dict, output: str) -> tuple[list, dict[int, int], set[int]]:
    """(output headings, output index -> label index, output indices that are the
    .tex's own lead-ins). Each label matches one output heading at most: the most
    similar text (0.85 or more, section numbers aside); of several, the next in reading order."""
    labelled = section_labels(label)
    strip = not label.get("from_tex")
    keys = [key(h["text"], numbered=strip) for h in labelled]
    leads = [key(t, numbered=False) for t in label.get("lead_ins", [])]
    ours = [h for h in headings(output) if h.level > 1]  # the title is front matter's
    taken: dict[int, int] = {}
    used: set[int] = set()
    neutral: set[int] = set()
    last = -1
    for i, h in enumerate(ours):
        k = key(h.text)
        bare = key(h.text, numbered=False)
        sims = {j: max(_similar(k, lk), _similar(bare, lk)) for j, lk in enumerate(keys)}
        fits = [j for j, r in sims.items() if j not in used and r >= 0.85]
        lead = max((_similar(bare, lk) for lk in leads), default=0.0)
        if fits and lead > max(sims[j] for j in fits):
            neutral.add(i)  # the .tex's own lead-in, nearer than any heading's text
        elif fits:
            # the next such label in reading order (a repeated title: the one due here)
            best_j = min((j for j in fits if j > last), default=fits[0])
            taken[i] = best_j
            used.add(best_j)
            last = best_j
        elif lead >= 0.85:
            neutral.add(i)
    return ours, taken, neutral


def score(label: dict, output: str, reference: Counter) -> dict:
    labelled = section_labels(label)
    ours, taken, neutral = match(label, output)
    hit = set(taken.values())
    sections = [j for j, h in enumerate(labelled) if not h.get("run_in")]
    run_ins = [j for j, h in enumerate(labelled) if h.get("run_in")]
    levels = [(ours[i].level, labelled[j]["level"]) for i, j in taken.items()]
    level_pairs = [
        (mine, want)
        for (i, j), (mine, want) in zip(taken.items(), levels, strict=True)
        if not labelled[j].get("run_in")
    ]
    got = words(output)
    common = overlap(reference, got)
    return {
        "h_hit": len(hit),
        "h_of": len(labelled),
        "s_hit": sum(1 for j in sections if j in hit),
        "s_of": len(sections),
        "r_hit": sum(1 for j in run_ins if j in hit),
        "r_of": len(run_ins),
        "p_good": len(taken),
        "p_of": len(ours) - len(neutral),
        "p_all": len(ours),
        "neutral": len(neutral),
        "l_good": sum(1 for mine, want in level_pairs if mine == want),
        "l_of": len(level_pairs),
        "common": common,
        "ref": sum(reference.values()),
        "ours": sum(got.values()),
    }


def _print_misses(console, name: str, label: dict, output: str) -> None:
    labelled = section_labels(label)
    ours, taken, neutral = match(label, output)
    hit = set(taken.values())
    for j, h in enumerate(labelled):
        if j not in hit:
            tag = " (run-in)" if h.get("run_in") else ""
            console.print(f"  {name} {label['paper']}: missed  {h['text']}{tag}", markup=False)
    for i, h in enumerate(ours):
        if i in taken:
            want = labelled[taken[i]]
            if not want.get("run_in") and want["level"] != h.level:
                console.print(
                    f"  {name} {label['paper']}: level   {h.level} for {want['level']}  {h.text}",
                    markup=False,
                )
        elif i not in neutral:
            console.print(f"  {name} {label['paper']}: extra   {h.text}", markup=False)


def load_labels(corpus: Path) -> list[dict]:
    """The hand-written labels (`bench/labels/*.yaml`) and those derived by script from
    the LaTeX source of every paper under `pdf-tex/` (`bench/tex_labels.py`)."""
    from tex_labels import labels as tex_labels

    out = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(LABELS.glob("*.yaml"))]
    out = [lab for lab in out if (corpus / lab["pdf"]).is_file()]
    for folder in sorted((corpus / "pdf-tex").glob("*/SOURCE.txt")):
        paper = folder.parent
        try:
            derived = tex_labels(paper)
        except ValueError as exc:
            print(f"skipped {paper.name}: {exc}")
            continue
        out.append(
            {
                "paper": paper.name,
                "pdf": f"pdf-tex/{paper.name}/raw/paper.pdf",
                "from_tex": True,
                **derived,
            }
        )
    for lab in out:
        lab["held_out"] = lab["paper"] in HELD_OUT
    return out


def reference_words(corpus: Path, label: dict) -> Counter:
    folder = (corpus / label["pdf"]).parents[1]
    ref = folder / "full.md"
    if ref.exists():
        text = ref.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        return words(body, drop_figures=True)
    bag = words(re.sub(r"-\s*\n\s*", "", without_line_numbers(_pdf_text(corpus / label["pdf"]))))
    page = folder / "raw" / "abstract.html"
    if page.exists():
        from extract.convert.arxiv import read_abstract_page

        info = read_abstract_page(page.read_text(encoding="utf-8", errors="replace"))
        extra = words(" ".join([info.title, " ".join(info.authors), info.abstract]))
        bag = bag | extra  # what the abstract page adds, once (not on top of the PDF's copy)
    return bag


def without_line_numbers(text: str) -> str:
    """``text`` without a review copy's line numbers: runs of ten or more whole numbers
    each one more than the last, with nothing but white space between them."""

    def drop(m: re.Match) -> str:
        values = m.group(0).split()
        keep, run = [], [values[0]]
        for v in values[1:]:
            if int(v) == int(run[-1]) + 1:
                run.append(v)
                continue
            keep += run if len(run) < 10 else []
            run = [v]
        keep += run if len(run) < 10 else []
        return " ".join(keep) if keep else "\n"  # (a line-end hyphen before them still joins)

    return re.sub(r"(?<!\S)\d{1,4}(?:\s+\d{1,4}){9,}(?!\S)", drop, text)


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
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        text = run_reader(name, Path(pdf))
    except ImportError as exc:
        print(json.dumps({"skip": f"not installed ({exc.name})"}))
        return 0
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"text": text, "seconds": seconds, "cpu": cpu}))
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


def _cells(s: Counter) -> list[str]:
    return [
        f"{ratio(s['s_hit'], s['s_of'])} ({s['s_hit']}/{s['s_of']})",
        f"{s['r_hit']}/{s['r_of']}",
        f"{ratio(s['p_good'], s['p_of'])} ({s['p_good']}/{s['p_of']})",
        f"{ratio(s['p_good'], s['p_all'])}",
        f"{ratio(s['l_good'], s['l_of'])} ({s['l_good']}/{s['l_of']})",
        ratio(s["common"], s["ours"]),
        ratio(s["common"], s["ref"]),
    ]


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return child(argv[1], argv[2])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--readers", default=",".join(READERS))
    parser.add_argument("--papers", default="", help="only these papers (comma-separated)")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the readers")
    parser.add_argument("--weights", action="store_true", help="also measure install weight")
    parser.add_argument("--keep", default="", help="write each output to KEEP/<reader>/<paper>.md")
    parser.add_argument(
        "--misses", action="store_true", help="list missed, misplaced and unlabelled headings"
    )
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus folder {corpus} not found; nothing to measure (skipped)")
        return 0
    from rich.console import Console

    from extract.output import table

    console = Console(width=230, highlight=False)
    unknown = set(args.readers.split(",")) - set(READERS)
    if unknown:
        print(f"unknown reader(s) {', '.join(sorted(unknown))}; known: {', '.join(READERS)}")
        return 2
    labels = load_labels(corpus)
    if args.papers:
        wanted = set(args.papers.split(","))
        missing = wanted - {lab["paper"] for lab in labels}
        if missing:
            print(f"no labelled paper named {', '.join(sorted(missing))} under {corpus}")
            return 2
        labels = [lab for lab in labels if lab["paper"] in wanted]
    columns = (
        "reader",
        "paper",
        "recall (sections)",
        "run-in kept",
        "precision",
        "strict prec.",
        "level right",
        "word prec.",
        "word recall",
        "time (wall / CPU)",
        "licence",
    )
    rows, totals = [], {}
    for name in args.readers.split(","):
        for lab in labels:
            pdf = corpus / lab["pdf"]
            got = measure(name, pdf, args.python)
            paper = lab["paper"] + (" (held out)" if lab["held_out"] else "")
            if "skip" in got:
                rows.append([name, paper, got["skip"], *[""] * (len(columns) - 3)])
                continue
            timing = f"{got['seconds']:.2f}s / {got['cpu']:.2f}s"
            if name.endswith("-text"):
                cells = ["-"] * 7
                rows.append([name, paper, *cells, timing, LICENCES[name]])
                continue
            if args.keep:
                out = Path(args.keep) / name / f"{lab['paper']}.md"
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(got["text"], encoding="utf-8")
            s = score(lab, got["text"], reference_words(corpus, lab))
            if args.misses:
                _print_misses(console, name, lab, got["text"])
            group = "held out" if lab["held_out"] else "tuned"
            for part in (group, "ALL"):
                t = totals.setdefault((name, part), Counter())
                t.update(s)
                t["seconds"] += got["seconds"]
                t["cpu"] += got["cpu"]
                t["papers"] += 1
            rows.append([name, paper, *_cells(Counter(s)), timing, ""])
    for (name, part), t in totals.items():
        seconds = f"{t['seconds'] / t['papers']:.2f}s / {t['cpu'] / t['papers']:.2f}s per paper"
        rows.append([name, f"{part} ({t['papers']})", *_cells(t), seconds, LICENCES.get(name, "")])
    console.print(table("PDF readers", columns, rows))
    if args.weights:
        weights = [[stack, venv_size(pkgs)] for stack, pkgs in STACKS.items()]
        console.print(table("install weight (fresh virtualenv)", ("stack", "size"), weights))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
