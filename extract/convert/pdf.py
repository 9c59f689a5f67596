"""PDF text -> markdown: the reader for PDF-only papers (and the arXiv fallback).

The text layer (`pdf_text.read_pdf`, PDFium) gives lines with their fonts. From
them this module:
- drops running headers, footers, page numbers and the text inside figures;
- finds headings by their numbering (`2.3`, `A.1`, `IV.`, `B.`, `2)`), which
  sets the level, confirmed by a cue of emphasis (bold, larger, small capitals,
  upper case, italic for IEEE's lettered subsections); unnumbered headings are
  known names (`References`) or lines in the style of a numbered heading; a
  heading that wraps onto a second line is joined; a bold or italic run-in
  phrase that opens a paragraph (`Weight Stashing.` ...) is a heading one level
  below its section;
- rejoins paragraphs across lines, columns, pages and floats, splitting them at
  indentation, and undoes line-end hyphenation;
- writes captions as `[Figure N: ...]` / `**Table N:** ...`, tables whose cells
  line up as markdown tables, the reference list one entry per paragraph;
- separates the front matter: the printed title, the title block (authors,
  affiliations) and the abstract, for the caller to place.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RefsError
from ..markdown import escape, escape_block_start, fenced, pipe_table, table_cell
from .document import Document
from .pdf_text import Line, Page, PdfText, read_pdf

METHOD = "PDFium text layer (pypdfium2) with font, numbering and layout cues"
MARGIN = 0.075  # top and bottom share of the page where running heads live
KNOWN_HEADINGS = {
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
    "artifact description",
    "artifact appendix",
    "keywords",
}
_REFS = {"references", "bibliography"}
_DIGITS = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?P<title>\S.*)$")
_LETTERED = re.compile(r"^(?P<num>[A-Z](?:\.\d{1,2}){1,3})\.?\s+(?P<title>\S.*)$")
_LETTER = re.compile(r"^(?P<num>[A-Z])(?P<dot>\.?)\s+(?P<title>[A-Z0-9(].*)$")
_ROMAN = re.compile(r"^(?P<num>[IVX]{1,5})\.\s+(?P<title>\S.*)$")
_PAREN = re.compile(r"^(?P<num>\d{1,2})\)\s+(?P<title>\S.*)$")
_APPENDIX = re.compile(r"^appendix\b", re.I)
_REF_ENTRY = re.compile(r"^\s*(\[\d+\]|\d{1,3}\.\s)")
_CAPTION = re.compile(
    r"^(?P<kind>Figure|Fig\.|Table|Algorithm|Listing)\s+(?P<num>\d+|[A-Z]\.?\d*)\s*(?P<sep>[:.|—–-])\s*(?P<rest>.*)$",
    re.S,
)
_WORD = re.compile(r"[A-Za-z]+")
_MATH_CHAR = re.compile(r"[\U0001D400-\U0001D7FF\u0370-\u03FF=+−·×∑∏∫√≤≥≈′^_()\[\]{}|/]")
_SENTENCE_END = ".!?:"
_NOT_RUN_IN = re.compile(
    r"^(Index Terms|Keywords|Key words|CCS Concepts|ACM Reference Format|Theorem|Lemma|"
    r"Proposition|Corollary|Definition|Assumption|Remark|Example|Proof|Claim|Note|"
    r"Observation|Takeaway|Figure|Fig\.|Table|Algorithm|Listing|Input|Output|Require|Ensure)\b",
    re.I,
)


@dataclass
class PdfResult:
    """The PDF as markdown parts: ``body`` holds the sections (headings from level 2);
    the front matter is apart so that the caller can prefer the abstract page's."""

    body: str
    notes: list[str] = field(default_factory=list)
    title: str = ""  # the printed title ("" when none is recognisable)
    front: list[str] = field(default_factory=list)  # title-block paragraphs (markdown)
    abstract: str = ""  # the PDF's own abstract (markdown, without its heading)
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class _Para:
    lines: list[Line]
    heading: tuple[int, str] | None = None
    kind: str = "text"  # text | heading | caption | table | front
    lead: str = ""  # a run-in lead kept in the text (not a heading)
    rows: list[list[str]] = field(default_factory=list)


# ---------- page furniture ----------
def _running_heads(pages: list[Page]) -> set[int]:
    """ids of header/footer/page-number lines: text (digits ignored) that repeats in
    the top or bottom margin of many pages, or a lone number there."""
    marked: set[int] = set()
    seen: Counter[str] = Counter()
    margin_lines: list[tuple[str, Line]] = []
    for page in pages:
        keys = set()
        for line in page.lines:
            lone_number = bool(re.fullmatch(r"[\divxlc]{1,4}", line.text.strip()))
            wide = 0.12 if lone_number else MARGIN  # page numbers sit a little lower or higher
            if line.y1 < page.height * wide or line.y0 > page.height * (1 - wide):
                key = re.sub(r"\d+", "#", line.text.lower()).strip()
                margin_lines.append((key, line))
                keys.add(key)
        seen.update(keys)
    threshold = max(2, int(len(pages) * 0.3))
    for key, line in margin_lines:
        if seen[key] >= threshold or re.fullmatch(r"[#ivxlc\s.\-–]*", key):
            marked.add(id(line))
    return marked


def _in_figure(line: Line, page: Page) -> bool:
    cx, cy = (line.x0 + line.x1) / 2, (line.y0 + line.y1) / 2
    return any(x0 - 2 <= cx <= x1 + 2 and y0 - 2 <= cy <= y1 + 2 for x0, y0, x1, y1 in page.figures)


# ---------- headings ----------
def _upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _emphatic(line: Line, body: float) -> bool:
    return line.bold or line.size >= body + 0.8 or line.caps or _upper(line.text)


def _numbered(text: str, roman_doc: bool) -> tuple[int, str, str] | None:
    """(level, number, title) when ``text`` starts with a section number."""
    m = _DIGITS.match(text)
    if m:
        num = m.group("num")
        if int(num.split(".")[0]) > 30 or num.startswith("0"):
            return None
        return min(num.count(".") + 2, 6), num, m.group("title")
    m = _LETTERED.match(text)
    if m:
        return min(m.group("num").count(".") + 2, 6), m.group("num"), m.group("title")
    m = _ROMAN.match(text)
    if m and _roman_value(m.group("num")) <= 20:
        return 2, m.group("num"), m.group("title")
    m = _LETTER.match(text)
    if m and (m.group("dot") or not roman_doc):
        return (3 if roman_doc else 2), m.group("num"), m.group("title")
    m = _PAREN.match(text)
    if m:
        return 4, m.group("num"), m.group("title")
    return None


def _roman_value(s: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = values[a]
        total += -v if b != " " and values.get(b, 0) > v else v
    return total


def _title_ok(title: str, strong: bool = False) -> bool:
    words = title.split()
    return (
        0 < len(words) <= 18
        and len(_WORD.findall(title)) > 0
        and any(len(w) >= 2 for w in _WORD.findall(title))
        and not title.rstrip().endswith((",", ";"))
        and (
            title[0].isupper()
            or title[0].isdigit()
            or title[0] in '(“"'
            or not title[0].isalpha()
            or (strong and bool(re.match(r"^[a-z]\w*[._(]", title)))  # "2.1 torch.jit.trace"
        )
    )


def _signature(line: Line) -> tuple:
    return (round(line.size * 2) / 2, line.bold, line.caps or _upper(line.text), line.italic)


@dataclass
class _Styles:
    body: float
    roman: bool
    by_signature: dict[tuple, int] = field(default_factory=dict)
    seen_section: bool = False  # unnumbered headings by style only after a first section
    outline: dict[str, int] = field(default_factory=dict)  # the PDF's bookmarks: key -> level


def _outline_key(text: str) -> str:
    """Bookmark and heading text compared without numbering, case and a final stop."""
    text = re.sub(r"^(?:[IVX]+\.|[A-Z](?:\.\d+)*\.?|\d+(?:\.\d+)*\.?|\d+\))\s+", "", text.strip())
    return " ".join(text.lower().rstrip(".:").split())


def _standalone_heading(line: Line, styles: _Styles) -> tuple[int, str] | None:
    """(level, text) when the whole ``line`` reads as a heading."""
    text = line.text.strip()
    if len(text) < 2 or len(text) > 160 or _CAPTION.match(text):
        return None
    body = styles.body
    bare = text.lower().rstrip(".:")
    numbered = _numbered(text, styles.roman)
    if numbered:
        level, num, title = numbered
        if not _title_ok(title, strong=line.bold or line.size >= body + 0.8):
            return None
        single_letter = bool(re.fullmatch(r"[A-Z]", num))
        if num.isdigit() and not line.caps and not _upper(title):
            # "3 Method": a number alone needs a clear cue (bold or larger).
            ok = line.bold or line.size >= body + 0.8
        elif single_letter and styles.roman:
            ok = line.italic or line.bold or line.caps
        elif single_letter:
            ok = line.size >= body + 0.8 or (line.bold and line.size >= body)
        else:
            ok = _emphatic(line, body) or (line.italic and line.size >= body - 0.5)
        if _PAREN.match(text):
            ok = False  # "1) ..." headings are run-in (handled there)
        if ok and line.size >= body - 1.5:
            return level, text
        if styles.outline.get(_outline_key(text)) is not None and len(text.split()) <= 16:
            return level, text  # in the PDF's outline: a heading even without a font cue
        return None
    if bare in KNOWN_HEADINGS or _APPENDIX.match(bare):
        if _emphatic(line, body) and len(text.split()) <= 8:
            level = styles.by_signature.get(_signature(line), 2)
            return level, text.rstrip(".:") if bare in KNOWN_HEADINGS else text
        return None
    bookmark = styles.outline.get(_outline_key(text)) if len(text.split()) <= 16 else None
    if bookmark is not None and _outline_key(text):
        # The PDF's own outline names this line: a heading even without a font cue.
        return min(bookmark + 1, 6), text
    if text.endswith((".", ",", ";")) or len(text.split()) > 12 or not text[0].isupper():
        return None
    level = styles.by_signature.get(_signature(line))
    if level is not None and _emphatic(line, body) and styles.seen_section:
        return level, text
    if line.size >= body + 2 and len(text.split()) <= 10 and styles.seen_section:
        return 2, text
    return None


def _run_in(line: Line, styles: _Styles) -> tuple[str, str, str] | None:
    """(number, lead, rest) when ``line`` opens with an emphasised phrase ending in
    a period or colon: "**Weight Stashing.** Weight stashing keeps ...".
    A leading number may be set plainly ("2.2.1 *Default Schedule.*")."""
    spans = [s for s in line.spans if s.text.strip()]
    if not spans:
        return None
    num = ""
    first = 0
    m = re.match(
        r"^\s*((?:\d{1,2}(?:\.\d{1,2}){1,3}|[A-Z](?:\.\d{1,2}){1,3}|\d{1,2}\)))\s+", spans[0].text
    )
    if m and not (spans[0].bold or spans[0].italic):
        num = m.group(1)
        rest0 = spans[0].text[m.end() :]
        if rest0.strip():
            return None
        first = 1
    lead = ""
    k = first
    bold = k < len(spans) and spans[k].bold
    # The lead keeps the first span's style: a bold phrase, or an italic one.
    while k < len(spans) and (spans[k].bold if bold else spans[k].italic) and not spans[k].mono:
        lead += spans[k].text
        k += 1
    if not lead.strip():
        return None
    text = " ".join(line.text.split())
    lead_clean = " ".join(lead.split())
    if not num:
        m2 = re.match(
            r"^((?:\d{1,2}(?:\.\d{1,2}){1,3}|[A-Z](?:\.\d{1,2}){1,3}|\d{1,2}\)))\s+(.*)$",
            lead_clean,
        )
        if m2:
            num, lead_clean = m2.group(1), m2.group(2)
    lead_words = lead_clean.rstrip(".:—– ").split()
    if (
        not (1 <= len(lead_words) <= 10)
        or not lead_clean[:1].isupper()
        and not lead_clean[:1].isdigit()
    ):
        return None
    if _NOT_RUN_IN.match(lead_clean) or _CAPTION.match(lead_clean):
        return None
    ends = lead_clean.endswith((".", ":", "—", "–"))
    italic_only = all(s.italic and not s.bold for s in spans[first:k])
    if italic_only and not ends:
        return None  # italics without a period are emphasis, not a heading
    if not ends and k == len(spans):
        return None  # a bold line with nothing after it: left to the standalone rules
    if not ends and not num and not all(s.bold for s in spans[first:k]):
        return None
    if lead_clean.lower().rstrip(".:—– ") == "abstract":
        return None
    start = text.find(lead_clean.split()[0]) if lead_clean else 0
    after = text[start:]
    idx = after.find(lead_clean)
    rest = after[idx + len(lead_clean) :].strip() if idx >= 0 else ""
    return num, lead_clean.rstrip(".:—– ").strip(), rest


def _learn_styles(lines: list[Line], body: float, outline: dict[str, int] | None = None) -> _Styles:
    """Which signatures (size, bold, caps, italic) numbered headings are set in, and
    at what level: unnumbered lines in that style are headings of that level."""
    roman_count = sum(
        1
        for ln in lines
        if _ROMAN.match(ln.text) and (ln.caps or _upper(ln.text)) and len(ln.text) < 120
    )
    styles = _Styles(body=body, roman=roman_count >= 2, outline=outline or {})
    counts: Counter[tuple] = Counter()
    levels: dict[tuple, Counter] = {}
    for line in lines:
        h = _standalone_heading(line, styles)
        if h and _numbered(line.text, styles.roman):
            sig = _signature(line)
            counts[sig] += 1
            levels.setdefault(sig, Counter())[h[0]] += 1
    styles.seen_section = False
    for sig, n in counts.items():
        # A style needs two numbered headings, and body text is never a heading style.
        if n >= 2 and (sig[0] > body + 0.4 or sig[1] or sig[2]):
            styles.by_signature[sig] = levels[sig].most_common(1)[0][0]
    return styles


# ---------- front matter ----------
def _title_lines(lines: list[Line], body: float) -> list[Line]:
    """The printed title: the largest lines near the top of the first page."""
    first = [ln for ln in lines if ln.page == 0]
    if not first:
        return []
    top = [
        ln
        for ln in first
        if ln.y0 < first[0].y0 + 400
        and len(ln.text) > 1
        # A section heading is not the title: "1 Introduction" set large on page 1.
        and not _numbered(ln.text, False)
        and ln.text.lower().rstrip(".:") not in KNOWN_HEADINGS
    ]
    if not top:
        return []
    biggest = max(ln.size for ln in top)
    if biggest < body + 3:
        return []
    out: list[Line] = []
    for ln in top:
        if abs(ln.size - biggest) < 0.6:
            if out and ln.y0 - out[-1].y1 > biggest * 1.2:
                break
            out.append(ln)
        elif out:
            break
    return out


# ---------- paragraphs ----------
def _columns(page_lines: list[Line]) -> list[float]:
    """Left edges shared by many lines of a page (the columns' text edges)."""
    xs = Counter(round(ln.x0) for ln in page_lines)
    lefts: list[float] = []
    for x, n in xs.most_common():
        if n < 4:
            break
        # An edge a little right of a more used one is that column's indent.
        if all(abs(x - other) > 4 and not 0 < x - other < 30 for other in lefts):
            lefts.append(float(x))
    return sorted(lefts)


def _indent(line: Line, lefts: list[float]) -> float:
    near = [x for x in lefts if x <= line.x0 + 1.5]
    return line.x0 - max(near) if near else 0.0


def _right_edge(lines: list[Line]) -> dict[int, float]:
    """Per block, the right edge its full lines reach."""
    edges: dict[int, float] = {}
    for ln in lines:
        edges[ln.block] = max(edges.get(ln.block, 0.0), ln.x1)
    return edges


def _escape(text: str) -> str:
    # `$` would open math on GitHub and in the site (PDF text holds no TeX); a `<`
    # stays as it is: the neutraliser makes anything tag-like inert.
    return escape_block_start(escape(text).replace("$", "\\$"))


def _dehyphenate(first: str, second: str, vocab: set[str]) -> str:
    """Join two lines, undoing a line-end hyphen unless it belongs to the word."""
    if re.search(r"(https?:/*|https?://\S*[/:.\-_?=&#%~])$", first) or (
        re.search(r"https?://\S*$", first) and second.startswith("/")
    ):
        return first + second  # a URL broken at the line end goes on without a space
    m1 = re.search(r"([A-Za-z]+)-$", first)
    m2 = re.match(r"([A-Za-z]+)", second)
    if not (m1 and m2):
        return first + " " + second
    left, right = m1.group(1).lower(), m2.group(1).lower()
    if re.match(r"[A-Za-z]+-[A-Za-z]", second):
        return first + second  # "seq-" + "to-seq": one link of a hyphenated chain
    if not m2.group(1)[0].islower() and not m2.group(1).isupper():
        # "Py- Torch": a capital after the break is still one word when the document
        # writes it joined somewhere.
        if left + right in vocab:
            return first[:-1] + second
        return first + second
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


def _line_spacing(lines: list[Line]) -> float:
    gaps: Counter[int] = Counter()
    for a, b in zip(lines, lines[1:], strict=False):
        if a.block == b.block and a.page == b.page and 0 <= b.y0 - a.y1 < 20:
            gaps[round(b.y0 - a.y1)] += 1
    return max(float(gaps.most_common(1)[0][0]) if gaps else 3.0, 1.0) + 2.0


class _Builder:
    """Lines -> paragraphs, headings, captions and tables, in reading order."""

    def __init__(self, lines: list[Line], pages: list[Page], styles: _Styles, vocab: set[str]):
        self.lines = lines
        self.styles = styles
        self.vocab = vocab
        self.lefts = {
            p.number: _columns([ln for ln in lines if ln.page == p.number]) for p in pages
        }
        self.edges = _right_edge(lines)
        self.rules = {p.number: p.rules for p in pages}
        widths = sorted(ln.x1 - ln.x0 for ln in lines if abs(ln.size - styles.body) < 0.6)
        self.body_width = widths[len(widths) * 3 // 4] if widths else 300.0
        self.by_page: dict[int, list[Line]] = {}
        for ln in lines:
            self.by_page.setdefault(ln.page, []).append(ln)
        self.spacing = _line_spacing(lines)
        self.paras: list[_Para] = []
        self.level = 2
        self.in_refs = False

    def _indented(self, line: Line) -> bool:
        return _indent(line, self.lefts.get(line.page, [])) > line.size * 0.6

    def _short(self, line: Line) -> bool:
        return line.x1 < self.edges.get(line.block, line.x1) - line.size * 1.5

    def _heading(self, level: int, text: str, line: Line) -> None:
        self.paras.append(_Para([line], (level, text), "heading"))
        self.level = level
        self.styles.seen_section = True
        bare = re.sub(r"^[\dA-Z.]+\s+", "", text).lower().rstrip(".:")
        self.in_refs = bare in _REFS or text.lower().rstrip(".:") in _REFS

    def build(self) -> list[_Para]:
        lines = self.lines
        k = 0
        while k < len(lines):
            line = lines[k]
            k = self._take(k, line)
        return self.paras

    def _take(self, k: int, line: Line) -> int:
        lines = self.lines
        prev_para = self.paras[-1] if self.paras else None
        last = prev_para.lines[-1] if prev_para else None
        starts_para = (
            last is None
            or last.block != line.block
            or self._indented(line)
            or (last.text.rstrip()[-1:] in _SENTENCE_END and self._short(last))
            or (prev_para is not None and prev_para.kind != "text")
        )
        if (
            prev_para is not None
            and prev_para.kind == "caption"
            and self._caption_goes_on(last, line)
        ):
            prev_para.lines.append(line)
            return k + 1
        if not starts_para and last.text.rstrip()[-1:] in _SENTENCE_END and _lead_style(line):
            starts_para = True  # a bold phrase after a full stop opens a paragraph
        table = self._table(k) if not self.in_refs else None
        if table:
            rows, end = table
            self.paras.append(_Para(lines[k:end], None, "table", rows=rows))
            return end
        heading = None
        restyled = last is not None and (
            line.italic != last.italic or abs(line.size - last.size) > 0.6
        )
        if starts_para or last is None or restyled or _emphatic(line, self.styles.body):
            heading = _standalone_heading(line, self.styles)
        if heading and not (self.in_refs and _REF_ENTRY.match(line.text)):
            level, text = heading
            j = k + 1
            while j < len(lines) and j - k <= 2 and self._wraps(lines[j - 1], lines[j], text):
                text = text + " " + self._cased(lines[j], lines[k])
                j += 1
            self._heading(level, text.strip(), line)
            return j
        if starts_para and not self.in_refs:
            run_in = _run_in(line, self.styles)
            if run_in:
                num, lead, rest = run_in
                if num:
                    numbered = _numbered(f"{num} {lead}", self.styles.roman)
                    level = numbered[0] if numbered else min(self.level + 1, 6)
                    text = f"{num} {lead}"
                else:
                    level = max(3, min(self.level + 1, 6))
                    text = lead
                self.paras.append(_Para([line], (level, text), "heading"))
                if rest:
                    para = _Para([_with_text(line, rest)])
                    self.paras.append(para)
                return k + 1
        in_code = prev_para is not None and prev_para.kind == "code" and _near(last, line, 2.5)
        bare_number = bool(re.fullmatch(r"[\d\s{}();]*", line.text))  # an empty listing line
        if (_is_code(line) or in_code and bare_number) and not self.in_refs:
            if in_code:
                prev_para.lines.append(line)
            else:
                self.paras.append(_Para([line], None, "code"))
            return k + 1
        if self._fragment(line) and not self.in_refs:
            # Pieces of a display formula: one paragraph, not one per piece.
            close = (
                last is not None
                and last.page == line.page
                and abs(line.y0 - last.y0) < 3 * line.size
            )
            lead_in = (
                prev_para is not None
                and prev_para.kind == "text"
                and (last.text.endswith("=") or self._fragment(last))
            )
            if close and prev_para is not None and (prev_para.kind == "math" or lead_in):
                prev_para.lines.append(line)
            else:
                self.paras.append(_Para([line], None, "math"))
            return k + 1
        if (_CAPTION.match(line.text) or _is_table_caption(line.text)) and starts_para:
            self.paras.append(_Para([line], None, "caption"))
            return k + 1
        self._add_text(line, starts_para, prev_para)
        return k + 1

    def _fragment(self, line: Line) -> bool:
        """A short piece of a display formula: mathematical letters or operators in a
        line far narrower than the column."""
        if line.x1 - line.x0 > self.body_width * 0.45:
            return False
        text = line.text
        mathy = sum(1 for ch in text if _MATH_CHAR.match(ch))
        words = _WORD.findall(text)
        return mathy >= max(1, len(text) // 6) and not any(len(w) > 3 for w in words)

    def _full(self, line: Line) -> bool:
        """The line reaches (nearly) the right edge of its column's text."""
        same_col = [ln.x1 for ln in self.by_page.get(line.page, []) if abs(ln.x0 - line.x0) < 20]
        right = max(same_col, default=line.x1)
        return line.x1 >= right - 0.15 * max(right - line.x0, 1)

    def _caption_goes_on(self, last: Line, line: Line) -> bool:
        """A caption's next line: just below it, same size, not left of it."""
        gap = line.y0 - last.y1
        return (
            line.page == last.page
            and -1 < gap < max(line.size, 6) * 0.9
            and abs(line.size - last.size) < 0.6
            and (
                last.x0 - 3 <= line.x0 < last.x1
                or abs((line.x0 + line.x1) / 2 - (last.x0 + last.x1) / 2) < 10  # centred
            )
            and not _CAPTION.match(line.text)
            and len(line.cells) < 2
        )

    def _cased(self, nxt: Line, head: Line) -> str:
        """A small-capitals continuation line reads in the case of its heading."""
        if head.caps and _upper(nxt.text) and nxt.size < head.size - 0.6:
            return nxt.text.lower()
        return nxt.text

    def _wraps(self, line: Line, nxt: Line, text: str) -> bool:
        """``nxt`` continues the heading on ``line``: set just below it in its style."""
        if nxt.page != line.page or text.rstrip().endswith("."):
            return False
        gap = nxt.y0 - line.y1
        if not (-1 < gap < max(line.size, nxt.size) * 0.8):
            return False
        if nxt.text.lower().rstrip(".:") in KNOWN_HEADINGS:
            return False
        if _numbered(nxt.text, self.styles.roman) and not self._full(line):
            return False  # "A Second Line" after a full first line; else its own heading
        if len(nxt.text.split()) > 14 or _CAPTION.match(nxt.text):
            return False
        if line.caps and (nxt.caps or _upper(nxt.text)) and 0.65 <= nxt.size / line.size <= 1.05:
            return True
        same = (
            abs(nxt.size - line.size) < 0.6 and nxt.bold == line.bold and nxt.italic == line.italic
        )
        if not same:
            return False
        if line.bold or line.italic or _upper(line.text) and _upper(nxt.text):
            return nxt.bold or nxt.italic or _upper(nxt.text)
        return line.size >= self.styles.body + 0.8

    def _add_text(self, line: Line, starts_para: bool, prev: _Para | None) -> None:
        if prev is None or prev.kind in ("heading", "table"):
            self.paras.append(_Para([line]))
            return
        last = prev.lines[-1]
        if self.in_refs:
            new_entry = _REF_ENTRY.match(line.text) or (
                not _REF_ENTRY.match(prev.lines[0].text)
                and line.x0 < last.x0 - 3
                and last.page == line.page
            )
            if new_entry or (prev.kind != "text"):
                self.paras.append(_Para([line]))
            else:
                prev.lines.append(line)
            return
        if prev.kind == "caption":
            if line.block == last.block and line.page == last.page and not self._indented(line):
                prev.lines.append(line)
            else:
                self.paras.append(_Para([line]))
            return
        if not starts_para:
            prev.lines.append(line)
            return
        new_block = last.block != line.block
        if new_block and not self._indented(line) and self._continues(prev, line):
            prev.lines.append(line)
        else:
            self.paras.append(_Para([line]))

    def _continues(self, prev: _Para, line: Line) -> bool:
        """A paragraph broken by a column or page goes on unindented, mid-sentence."""
        tail = prev.lines[-1].text.rstrip()
        if not tail or abs(line.size - prev.lines[-1].size) > 0.6:
            return False
        if tail[-1] in _SENTENCE_END and not line.text[:1].islower():
            return False
        moved = line.page != prev.lines[-1].page or line.y0 < prev.lines[-1].y0 - 5
        return moved or line.text[:1].islower()

    # ---------- tables ----------
    def _table(self, k: int) -> tuple[list[list[str]], int] | None:
        """Rows of a table starting at line ``k``: at least two lines of two or more
        cells, one under the other, next to a `Table N` caption or between rules."""
        lines = self.lines
        line = lines[k]
        if len(line.cells) < 2:
            return None
        end = k
        while end < len(lines):
            cur = lines[end]
            if cur.page != line.page or _CAPTION.match(cur.text):
                break
            if end > k:
                gap = cur.y0 - lines[end - 1].y1
                if gap > max(cur.size, 6) * 1.6 or gap < -cur.size * 3:
                    break
            if len(cur.cells) < 2 and not (
                end + 1 < len(lines) and len(lines[end + 1].cells) >= 2 and len(cur.text) < 40
            ):
                break
            end += 1
        if end - k < 2:
            return None
        near_caption = any(
            _is_table_caption(lines[j].text)
            for j in range(max(0, k - 12), min(len(lines), end + 4))
            if lines[j].page == line.page
        )
        rules = self.rules.get(line.page, [])
        top, bottom = line.y0, lines[end - 1].y1
        ruled = any(top - 25 < y0 <= top + 2 for _, y0, _, _ in rules) and any(
            bottom - 2 <= y0 < bottom + 25 for _, y0, _, _ in rules
        )
        if not (near_caption or ruled):
            return None
        return _grid(lines[k:end]), end


def _is_code(line: Line) -> bool:
    """Every letter of the line is set in a monospaced font: a code listing line."""
    solid = [s for s in line.spans if any(ch.isalnum() for ch in s.text)]
    if len(solid) > 1 and re.fullmatch(r"\s*\d{1,4}\s*", solid[0].text) and not solid[0].mono:
        solid = solid[1:]  # a listing's line number
    return bool(solid) and all(s.mono for s in solid)


def _near(a: Line, b: Line, lines: float) -> bool:
    return a.page == b.page and -2 < b.y0 - a.y1 < max(a.size, b.size) * lines


def _code_block(lines: list[Line]) -> str:
    """A fenced block; indentation comes back from how far right each line starts."""
    left = min(ln.x0 for ln in lines)
    out = []
    for ln in lines:
        width = max(ln.size * 0.6, 1.0)  # monospaced letters are about 0.6 em wide
        out.append(" " * round((ln.x0 - left) / width) + ln.text)
    return fenced("\n".join(out))


def _is_table_caption(text: str) -> bool:
    return bool(re.match(r"^(Table|TABLE)\s+([0-9]+|[IVX]+)\b", text)) and (
        bool(_CAPTION.match(text))
        or bool(re.fullmatch(r"(Table|TABLE)\s+([0-9]+|[IVX]+)\.?", text))
    )


def _lead_style(line: Line) -> bool:
    """The line opens with a bold or italic phrase followed by plain text."""
    spans = [s for s in line.spans if s.text.strip()]
    if len(spans) < 2:
        return False
    if spans[0].bold:
        return not spans[-1].bold
    return spans[0].italic and not spans[-1].italic and spans[0].text.rstrip().endswith((".", ":"))


def _with_text(line: Line, text: str) -> Line:
    clone = Line(
        spans=line.spans,
        x0=line.x0,
        y0=line.y0,
        x1=line.x1,
        y1=line.y1,
        page=line.page,
        text=text,
        size=line.size,
        bold=False,
        italic=False,
        block=line.block,
    )
    return clone


def _grid(lines: list[Line]) -> list[list[str]]:
    """Rows of cells in columns. The rows with the most cells define the columns
    (each column spans its cells' extents, whatever their alignment); every other
    cell goes to the column it overlaps most (a header cell over several columns
    lands on one of them)."""
    rows_cells: list[list[tuple[float, float, str]]] = []
    for ln in lines:
        cells: list[list] = []
        for span in ln.spans:
            if span.cell or not cells:
                cells.append([span.x0, span.x1, span.text])
            else:
                cells[-1][1] = max(cells[-1][1], span.x1)
                cells[-1][2] += span.text
        rows_cells.append([(a, b, " ".join(t.split())) for a, b, t in cells if t.strip()])
    width = max(len(r) for r in rows_cells)
    full = [r for r in rows_cells if len(r) == width]
    columns = [(min(r[i][0] for r in full), max(r[i][1] for r in full)) for i in range(width)]
    rows = []
    for cells in rows_cells:
        row = [""] * width
        for x0, x1, text in cells:
            best = max(
                range(width),
                key=lambda i: (
                    min(x1, columns[i][1]) - max(x0, columns[i][0]),
                    -abs((x0 + x1) / 2 - sum(columns[i]) / 2),
                ),
            )
            row[best] = (row[best] + " " + text).strip()
        rows.append(row)
    return rows


# ---------- rendering ----------
def _join_lines(lines: list[Line], vocab: set[str]) -> str:
    text = lines[0].text
    for line in lines[1:]:
        text = _dehyphenate(text, line.text, vocab)
    return " ".join(text.split())


def _render(para: _Para, vocab: set[str]) -> str:
    if para.heading:
        level, text = para.heading
        return "#" * level + " " + _escape(" ".join(text.split()))
    if para.kind == "table":
        return pipe_table([[table_cell(_escape(c)) for c in row] for row in para.rows])
    if para.kind == "code":
        return _code_block(para.lines)
    text = _join_lines(para.lines, vocab)
    cap = _CAPTION.match(text)
    ieee = re.match(r"^(TABLE|Table)\s+([0-9]+|[IVX]+)\.?\s+(.*)$", text, re.S)
    if para.kind == "caption" and not cap and ieee:
        return f"**Table {ieee.group(2)}:** {_escape(ieee.group(3).strip())}"
    if cap and para.kind == "caption":
        kind, num, rest = cap.group("kind"), cap.group("num"), cap.group("rest")
        label = "Figure" if kind.startswith("Fig") else kind
        if label == "Figure":
            return f"[Figure {num}: {_escape(rest.strip())}]"
        return f"**{label} {num}:** {_escape(rest.strip())}"
    first = para.lines[0]
    lead = _lead(first)
    if lead and text.startswith(lead) and len(lead) < len(text):
        return f"**{_escape(lead)}** {_escape(text[len(lead) :].strip())}"
    return _escape(text)


def _lead(line: Line) -> str:
    """A bold phrase opening a paragraph that is not a heading ("Index Terms—")."""
    spans = [s for s in line.spans if s.text.strip()]
    lead = ""
    for s in spans:
        if not s.bold:
            break
        lead += s.text
    lead = " ".join(lead.split())
    if lead and lead != " ".join(line.text.split()) and re.search(r"[.:—–]$", lead):
        return lead
    return ""


def _unfinished(para: _Para) -> bool:
    tail = para.lines[-1].text.rstrip()
    return para.kind == "text" and bool(tail) and tail[-1] not in _SENTENCE_END


def _rejoin_across_floats(paras: list[_Para], body: float) -> list[_Para]:
    """A paragraph cut by a figure, a caption, a table or a footnote continues after
    them: the first lower-case body paragraph within the next few joins it."""
    out = list(paras)
    k = 0
    while k < len(out):
        para = out[k]
        if _unfinished(para) and abs(para.lines[-1].size - body) < 0.6:
            for j in range(k + 1, min(k + 6, len(out))):
                cand = out[j]
                if cand.heading:
                    break
                first = cand.lines[0]
                if (
                    cand.kind == "text"
                    and first.text[:1].islower()
                    and abs(first.size - body) < 0.6
                ):
                    para.lines.extend(cand.lines)
                    del out[j]
                    break
                between_ok = (
                    cand.kind in ("caption", "table", "code") or abs(first.size - body) > 0.6
                )
                if not between_ok:
                    break
        k += 1
    return out


# ---------- the whole document ----------
def _split_front(paras: list[_Para], vocab: set[str]) -> tuple[list[str], str, list[_Para]]:
    """(title-block paragraphs, the abstract, the rest) of the paragraphs."""
    first_section = next(
        (
            k
            for k, p in enumerate(paras)
            if p.heading and p.heading[1].lower().rstrip(".:") != "abstract"
        ),
        len(paras),
    )
    if first_section == len(paras) or paras[first_section].lines[0].page > 1:
        first_section = next((k for k, p in enumerate(paras) if p.lines[0].page > 0), len(paras))
    front_paras = paras[:first_section]
    rest = paras[first_section:]
    front: list[str] = []
    abstract_parts: list[str] = []
    in_abstract = False
    abstract_size = None
    for para in front_paras:
        if para.heading and para.heading[1].lower().rstrip(".:") == "abstract":
            in_abstract = True
            continue
        text = _join_lines(para.lines, vocab) if para.kind == "text" else ""
        m = re.match(r"^(Abstract|ABSTRACT)\s*[—–:.-]\s*(.*)$", text, re.S)
        if m and not abstract_parts:
            abstract_parts.append(_escape(m.group(2)))
            abstract_size = para.lines[0].size
            in_abstract = False
            continue
        if in_abstract and para.kind == "text" and not _lead(para.lines[0]):
            size = para.lines[0].size
            if abstract_size is None or abs(size - abstract_size) < 0.6:
                abstract_size = size
                abstract_parts.append(_escape(text))
                continue
        in_abstract = False
        front.append(_render(para, vocab))
    return _compact(front), "\n\n".join(abstract_parts), rest


def _compact(front: list[str]) -> list[str]:
    """Runs of one-line title-block entries (a name, an affiliation, an address)
    become one paragraph, the entries separated by " · "."""
    out: list[str] = []
    run: list[str] = []
    for para in front:
        if (
            len(para) <= 80
            and "\n" not in para
            and not para.startswith(("#", "[", "**", "|"))
            and not para.endswith(":")
        ):
            run.append(para)
            continue
        if run:
            out.append(" · ".join(run))
            run = []
        out.append(para)
    if run:
        out.append(" · ".join(run))
    return out


def pdf_to_markdown(pdf: bytes | Path) -> PdfResult:
    """The PDF given as bytes or a path, as markdown parts (see `PdfResult`)."""
    doc: PdfText = read_pdf(pdf)
    furniture = _running_heads(doc.pages)
    figure_lines = 0
    lines: list[Line] = []
    for page in doc.pages:
        for line in page.lines:
            if id(line) in furniture:
                continue
            if _in_figure(line, page) and not _CAPTION.match(line.text):
                figure_lines += 1
                continue
            lines.append(line)
    if not lines:
        raise RefsError("the PDF has no extractable text (a scan?); a vision pass is needed")
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0]
    vocab = _vocabulary(lines)
    title_lines = _title_lines(lines, body)
    title = " ".join(" ".join(ln.text for ln in title_lines).split())
    outline = {_outline_key(e.title): e.level for e in doc.outline if _outline_key(e.title)}
    styles = _learn_styles(lines, body, outline)
    title_ids = {id(ln) for ln in title_lines}
    content = [ln for ln in lines if id(ln) not in title_ids]
    paras = _Builder(content, doc.pages, styles, vocab).build()
    paras = _rejoin_across_floats(paras, body)
    front, abstract, rest = _split_front(paras, vocab)
    rendered = [_render(p, vocab) for p in rest]
    notes = [
        f"converted from the PDF ({METHOD}): headings from numbering and font cues, "
        "running headers, footers, page numbers and text inside figures dropped, "
        "paragraphs rejoined and de-hyphenated, figures as their captions, tables as "
        "markdown tables where their cells line up; equations are plain text "
        "(`refs convert --render-pages` gives the pages for a vision pass)"
    ]
    if not any(p.heading for p in rest):
        notes.append("no section headings could be recovered from the PDF")
    return PdfResult(
        body="\n\n".join(r for r in rendered if r.strip()).strip() + "\n",
        notes=notes,
        title=title,
        front=front,
        abstract=abstract,
        metadata=doc.metadata,
    )


def _author_words(authors: list[str]) -> set[str]:
    return {w.lower() for a in authors for w in _WORD.findall(a)}


def front_without_authors(front: list[str], authors: list[str]) -> list[str]:
    """Title-block paragraphs minus those that only repeat the author names (the
    byline already gives them); affiliations and e-mail addresses stay."""
    names = _author_words(authors) | {"and"}
    out = []
    for para in front:
        words = [w.lower() for w in _WORD.findall(para)]
        if words and sum(w in names for w in words) >= 0.8 * len(words):
            continue
        out.append(para)
    return out


def convert_pdf(path: Path, source_url: str) -> Document:
    """A PDF served as a resource's own URL (not an arXiv paper).

    The title is the printed one (the largest text atop page 1), else the PDF's
    metadata title, else the file name; the title block and the abstract stay.
    """
    path = Path(path)
    result = pdf_to_markdown(path)
    meta = result.metadata
    meta_title = (meta.get("title") or "").strip()
    title = result.title or meta_title or path.stem.replace("-", " ").replace("_", " ")
    source = (
        "printed title"
        if result.title
        else ("the PDF's metadata" if meta_title else "the file name (the PDF states none)")
    )
    parts = [f"# {_escape(title)}", *result.front]
    if result.abstract:
        parts += ["## Abstract", result.abstract]
    parts.append(result.body.strip())
    return Document(
        title=title,
        body="\n\n".join(p for p in parts if p.strip()) + "\n",
        author=(meta.get("author") or "").strip(),
        source_url=source_url,
        notes=[*result.notes, f"title from the {source}"],
    )
