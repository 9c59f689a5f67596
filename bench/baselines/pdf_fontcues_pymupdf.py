"""Baseline for `bench/pdf_readers.py`: the project's previous PDF reader, frozen.

Font-cue heuristics on PyMuPDF's text dictionary, as the PDF reader (then
`extract/convert/pdf.py`) had them before the PDFium reader replaced it; kept only
so the benchmark can measure the old against the new on the same papers. Needs
PyMuPDF (AGPL-3.0), which the project no longer depends on: the benchmark skips it
when absent.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import RefsError

MARGIN = 0.08  # top and bottom share of the page where running heads live
KNOWN_HEADINGS = (
    "abstract",
    "references",
    "bibliography",
    "acknowledgements",
    "acknowledgments",
    "acknowledgement",
    "acknowledgment",
    "appendix",
    "appendices",
    "supplementary material",
    "introduction",
    "related work",
    "conclusion",
    "conclusions",
    "discussion",
    "limitations",
    "broader impact",
    "broader impacts",
    "ethics statement",
    "reproducibility statement",
)
_NUMBERED = re.compile(
    r"^(?:appendix\s+)?(?P<num>\d{1,2}(?:\.\d{1,2}){0,3}|[A-Z](?:\.\d{1,2}){0,3})\.?\s+"
    r"(?P<title>[A-Za-z(][^\n]*)$",
    re.I,
)
_REF_ENTRY = re.compile(r"^\s*(\[\d+\]|\d{1,3}\.\s)")
_CAPTION = re.compile(r"^(Figure|Fig\.|Table|Algorithm)\s+(\d+|[A-Z]\.?\d*)\s*[:.]\s*(.*)$", re.S)
_WORD = re.compile(r"[A-Za-z]+")


@dataclass
class Line:
    text: str
    size: float
    bold: bool
    x0: float
    y0: float
    y1: float
    page: int
    block: int
    lead_bold: str = ""  # a bold run-in phrase at the start of the line


@dataclass
class PdfResult:
    body: str
    notes: list[str] = field(default_factory=list)


def _is_bold(span: dict) -> bool:
    font = span.get("font", "")
    return bool(span.get("flags", 0) & 16) or bool(
        re.search(r"bold|black|heavy|semibold|medi(?!um)|-bd|\.b$", font, re.I)
    )


def _page_lines(page, number: int) -> list[Line]:
    import pymupdf

    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
    data = page.get_text("dict", flags=flags, sort=False)
    lines: list[Line] = []
    for b, block in enumerate(data.get("blocks", [])):
        if block.get("type") != 0:
            continue
        for raw in block.get("lines", []):
            dx, dy = raw.get("dir", (1, 0))
            if abs(dy) > 0.1 or dx < 0:
                continue  # rotated text: margin stamps and figure axis labels
            spans = [s for s in raw.get("spans", []) if s.get("text")]
            if not spans:
                continue
            text = "".join(s["text"] for s in spans)
            if not text.strip():
                continue
            weights = Counter()
            for s in spans:
                weights[round(s["size"] * 2) / 2] += len(s["text"].strip())
            size = weights.most_common(1)[0][0]
            solid = [s for s in spans if s["text"].strip()]
            bold = all(_is_bold(s) for s in solid)
            lead = ""
            if not bold and solid and _is_bold(solid[0]):
                lead = "".join(s["text"] for s in spans[: spans.index(solid[0]) + 1]).strip()
                k = spans.index(solid[0]) + 1
                while k < len(spans) and _is_bold(spans[k]):
                    lead += spans[k]["text"]
                    k += 1
                lead = lead.strip()
                # Only a run-in heading ("Setup." / "Results:") is a bold lead; bold
                # numbers in a table row are not.
                if not re.fullmatch(r"[A-Z(][^.:]*[A-Za-z)][.:]", lead):
                    lead = ""
            x0, y0, _, y1 = raw["bbox"]
            prev = lines[-1] if lines else None
            if prev and prev.block == b and abs(prev.y0 - y0) < 2 and x0 > prev.x0:
                # Same baseline (a heading's number and its title, or split spans).
                gap = "" if prev.text.endswith(" ") or text.startswith(" ") else " "
                prev.text += gap + text
                prev.bold = prev.bold and bold
                continue
            lines.append(Line(text, size, bold, x0, y0, y1, number, b, lead))
    for line in lines:
        line.text = re.sub(r"\s+", " ", line.text).strip()
    return lines


def _normalise(text: str) -> str:
    # Ligatures and compatibility forms (ﬁ, ﬂ) become plain letters.
    import unicodedata

    out = []
    for ch in text:
        if "\ufb00" <= ch <= "\ufb06":
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return "".join(out)


def _running_heads(pages: list[list[Line]], heights: list[float]) -> set[int]:
    """ids of header/footer/page-number lines: text (digits ignored) that repeats in
    the top or bottom margin of many pages, or a lone number there."""
    marked: set[int] = set()
    seen: Counter[str] = Counter()
    margin_lines: list[tuple[str, Line]] = []
    for lines, height in zip(pages, heights, strict=True):
        keys = set()
        for line in lines:
            if line.y0 < height * MARGIN or line.y1 > height * (1 - MARGIN):
                key = re.sub(r"\d+", "#", line.text.lower())
                margin_lines.append((key, line))
                keys.add(key)
        seen.update(keys)
    threshold = max(2, int(len(pages) * 0.4))
    for key, line in margin_lines:
        if seen[key] >= threshold or re.fullmatch(r"[#ivxlc\s.\-–]*", key):
            marked.add(id(line))
    return marked


def _heading_level(line: Line, body_size: float) -> tuple[int, str] | None:
    """(level, heading text) when ``line`` reads as a section heading."""
    text = line.text.strip()
    if len(text) > 120 or len(text) < 2:
        return None
    emphatic = line.bold or line.size >= body_size + 1
    if not emphatic:
        return None
    lowered = text.lower().rstrip(".:")
    if lowered in KNOWN_HEADINGS:
        return 2, text.rstrip(".:")
    m = _NUMBERED.match(text)
    if m:
        title = m.group("title").strip()
        num = m.group("num")
        if len(_WORD.findall(title)) == 0 or title.endswith((",", ";")):
            return None
        if num[0].isdigit() and int(num.split(".")[0]) > 40:
            return None
        if num[0].isalpha() and not (
            line.size >= body_size + 1 or text.lower().startswith("appendix")
        ):
            if "." not in num and not line.bold:
                return None
        if len(title.split()) > 14:
            return None
        return min(num.count(".") + 2, 6), text
    if line.size >= body_size + 1.5 and len(text.split()) <= 12 and not text.endswith("."):
        return 2 if line.size >= body_size + 2 else 3, text
    return None


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([*_`$])", r"\\\1", text)
    return re.sub(r"^([#>+-]|\d+\.\s)", r"\\\1", text)


def _dehyphenate(first: str, second: str, vocab: set[str]) -> str:
    """Join two lines, undoing a line-end hyphen unless it belongs to the word."""
    m1 = re.search(r"([A-Za-z]+)-$", first)
    m2 = re.match(r"([a-z]+)", second)
    if not (m1 and m2):
        return first + " " + second
    left, right = m1.group(1).lower(), m2.group(1).lower()
    joined = left + right
    keep = joined not in vocab and (
        f"{left}-{right}" in vocab
        or (len(left) >= 3 and len(right) >= 3 and left in vocab and right in vocab)
    )
    return first + second if keep else first[:-1] + second


def _vocabulary(lines: list[Line]) -> set[str]:
    """Words of the document, leaving out the two halves of every line-end hyphen
    (they are what is being decided)."""
    words: set[str] = set()
    broken = False
    for line in lines:
        text = line.text
        if broken:
            text = re.sub(r"^\S+", "", text)
        broken = bool(re.search(r"[A-Za-z]-$", text))
        if broken:
            text = re.sub(r"\S+$", "", text)
        words.update(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text))
        words.update(w.lower() for w in _WORD.findall(text))
    return words


@dataclass
class _Para:
    lines: list[Line]
    heading: tuple[int, str] | None = None


def _paragraphs(lines: list[Line], body_size: float) -> list[_Para]:
    paras: list[_Para] = []
    in_refs = False
    spacing = _line_spacing(lines)
    for line in lines:
        heading = _heading_level(line, body_size)
        if heading:
            paras.append(_Para([line], heading))
            in_refs = heading[1].lower().rstrip(".:") in ("references", "bibliography") or (
                bool(_NUMBERED.match(heading[1]))
                and _NUMBERED.match(heading[1]).group("title").lower() in ("references",)
            )
            continue
        prev = paras[-1] if paras else None
        if prev is None or prev.heading:
            paras.append(_Para([line]))
            continue
        last = prev.lines[-1]
        new_block = last.block != line.block or last.page != line.page
        gap = line.y0 - last.y1
        starts_entry = in_refs and _REF_ENTRY.match(line.text)
        if starts_entry or line.lead_bold:
            paras.append(_Para([line]))
        elif new_block or (last.page == line.page and gap > spacing * 0.9) or gap < -spacing:
            if _continues(prev, line, in_refs):
                prev.lines.append(line)
            else:
                paras.append(_Para([line]))
        else:
            prev.lines.append(line)
    return paras


def _line_spacing(lines: list[Line]) -> float:
    gaps = Counter()
    for a, b in zip(lines, lines[1:], strict=False):
        if a.block == b.block and a.page == b.page and 0 <= b.y0 - a.y1 < 20:
            gaps[round(b.y0 - a.y1)] += 1
    return max(float(gaps.most_common(1)[0][0]) if gaps else 3.0, 1.0) + 2.0


def _continues(prev: _Para, line: Line, in_refs: bool) -> bool:
    """A paragraph broken by a column or page: no sentence end, next starts lower-case."""
    if in_refs:
        return not _REF_ENTRY.match(line.text) and bool(_REF_ENTRY.match(prev.lines[0].text))
    tail = prev.lines[-1].text.rstrip()
    if _CAPTION.match(prev.lines[0].text):
        return False
    return bool(tail) and tail[-1] not in ".!?:" and line.text[:1].islower()


def _render_para(para: _Para, vocab: set[str]) -> str:
    if para.heading:
        level, text = para.heading
        return "#" * level + " " + _escape(text)
    text = para.lines[0].text
    for line in para.lines[1:]:
        text = _dehyphenate(text, line.text, vocab)
    lead = para.lines[0].lead_bold
    cap = _CAPTION.match(text)
    if cap:
        kind, num, rest = cap.groups()
        label = "Figure" if kind.startswith("Fig") else kind
        if label == "Figure":
            return f"[Figure {num}: {_escape(rest.strip())}]"
        return f"**{label} {num}:** {_escape(rest.strip())}"
    if lead and text.startswith(lead) and len(lead) < len(text):
        return f"**{_escape(lead)}** {_escape(text[len(lead) :].strip())}"
    return _escape(text)


def _is_section(heading: tuple[int, str]) -> bool:
    text = heading[1].lower().rstrip(".:")
    return text in KNOWN_HEADINGS or bool(_NUMBERED.match(heading[1]))


def _skip_front(paras: list[_Para]) -> tuple[list[_Para], bool]:
    """Drop the first page's title block and abstract (the abstract page gives both):
    everything before the first real section heading, and the Abstract section."""
    start = next((k for k, p in enumerate(paras) if p.heading and _is_section(p.heading)), None)
    if start is None or paras[start].lines[0].page > 0:
        return paras, False
    if paras[start].heading[1].lower().rstrip(".:") == "abstract":
        nxt = next((k for k in range(start + 1, len(paras)) if paras[k].heading), None)
        if nxt is None:
            return paras, False
        start = nxt
    return paras[start:], start > 0


def _unfinished(para: _Para) -> bool:
    tail = para.lines[-1].text.rstrip()
    return (
        not para.heading
        and bool(tail)
        and tail[-1] not in ".!?:"
        and not _CAPTION.match(para.lines[0].text)
    )


def _rejoin_across_floats(paras: list[_Para], body_size: float) -> list[_Para]:
    """A paragraph cut by a figure, a caption or a footnote continues after them: the
    first lower-case body paragraph within the next few is moved up to join it."""
    out = list(paras)
    k = 0
    while k < len(out):
        para = out[k]
        if _unfinished(para) and para.lines[0].size == body_size:
            for j in range(k + 1, min(k + 6, len(out))):
                cand = out[j]
                if cand.heading:
                    break
                first = cand.lines[0]
                if first.text[:1].islower() and first.size == body_size:
                    if j > k + 1:
                        para.lines.extend(cand.lines)
                        del out[j]
                    break
                between_ok = _CAPTION.match(first.text) or first.size != body_size
                if not between_ok and first.page == para.lines[-1].page:
                    break
        k += 1
    return out


def pdf_to_markdown(pdf: bytes | Path) -> PdfResult:
    """Markdown body (headings from level 2) of the PDF given as bytes or a path."""
    import pymupdf

    try:
        doc = (
            pymupdf.open(stream=pdf, filetype="pdf")
            if isinstance(pdf, bytes)
            else pymupdf.open(Path(pdf))
        )
    except Exception as exc:  # pymupdf raises its own error types for broken files
        where = None if isinstance(pdf, bytes) else pdf
        raise RefsError(f"cannot open the PDF ({exc}); re-fetch it", where) from exc
    with doc:
        pages = [_page_lines(page, n) for n, page in enumerate(doc)]
        heights = [page.rect.height for page in doc]
    for lines in pages:
        for line in lines:
            line.text = _normalise(line.text)
            line.lead_bold = _normalise(line.lead_bold)
    dropped = _running_heads(pages, heights)
    lines = [line for page in pages for line in page if id(line) not in dropped]
    if not lines:
        raise RefsError("the PDF has no extractable text (a scan?); a vision pass is needed")
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    body_size = sizes.most_common(1)[0][0]
    vocab = _vocabulary(lines)
    paras, skipped = _skip_front(_paragraphs(lines, body_size))
    paras = _rejoin_across_floats(paras, body_size)
    body = "\n\n".join(_render_para(p, vocab) for p in paras)
    notes = [
        "PDF text extraction with headings recovered from numbering and font size; "
        "running headers, footers and page numbers dropped; paragraphs rejoined and "
        "de-hyphenated; equations and tables are plain text, figures only their captions "
        "(a vision pass over the rendered pages may help for figures and tables)"
    ]
    if skipped:
        notes.append("the PDF's title block and abstract were replaced by the abstract page's")
    if not any(p.heading for p in paras):
        notes.append("no section headings could be recovered from the PDF")
    return PdfResult(body=body.strip() + "\n", notes=notes)
