"""Lines -> paragraphs, headings, captions, code, formulas and tables, in reading
order; rejoined across columns, pages and floats."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .captions import CAPTION, is_table_caption
from .code import is_code
from .headings import (
    KNOWN_HEADINGS,
    Styles,
    bold_number,
    emphatic,
    lead_phrase,
    outline_key,
    run_in_heading,
    section_number,
    standalone_heading,
    statement,
    upper,
)
from .layout import columns, indent, just_below, line_spacing, right_edge
from .tables import table_at
from .text import Line, Page
from .words import WORD

_REFS = {"references", "bibliography"}
_REF_ENTRY = re.compile(r"^\s*(\[\d+\]|\d{1,3}\.\s)")
_MATH_CHAR = re.compile(r"[\U0001D400-\U0001D7FF\u0370-\u03FF=+−·×∑∏∫√≤≥≈′^_()\[\]{}|/]")
_SENTENCE_END = ".!?:"
_CHAPTER = re.compile(r"(Chapter|CHAPTER|Appendix|APPENDIX)\s+(\d{1,2}|[A-Z]|[IVX]{1,4})")


@dataclass
class Para:
    """One block of the output: a paragraph, heading, caption, code, formula or table."""

    lines: list[Line]
    heading: tuple[int, str] | None = None
    kind: str = "text"  # text | heading | caption | table | code | math
    lead: str = ""  # a run-in lead kept in the text (not a heading)
    rows: list[list[str]] = field(default_factory=list)


class Builder:
    """Lines -> paragraphs, headings, captions and tables, in reading order."""

    def __init__(self, lines: list[Line], pages: list[Page], styles: Styles):
        self.lines = lines
        self.styles = styles
        self.by_page: dict[int, list[Line]] = {}
        for ln in lines:
            self.by_page.setdefault(ln.page, []).append(ln)
        self.lefts = {p.number: columns(self.by_page.get(p.number, [])) for p in pages}
        self.edges = right_edge(lines)
        self.spacing = line_spacing(lines)  # the usual gap between lines, and a little
        self.rules = {p.number: p.rules for p in pages}
        widths = sorted(ln.x1 - ln.x0 for ln in lines if abs(ln.size - styles.body) < 0.6)
        self.body_width = widths[len(widths) * 3 // 4] if widths else 300.0
        self.paras: list[Para] = []
        self.level = 2
        self.in_refs = False

    def _indented(self, line: Line) -> bool:
        return indent(line, self.lefts.get(line.page, [])) > line.size * 0.6

    def _short(self, line: Line) -> bool:
        return line.x1 < self.edges.get(line.block, line.x1) - line.size * 1.5

    def _heading(self, level: int, text: str, line: Line) -> None:
        self.paras.append(Para([line], (level, text), "heading"))
        self.level = level
        self.styles.seen_section = True
        bare = re.sub(r"^[\dA-Z.]+\s+", "", text).lower().rstrip(".:")
        self.in_refs = bare in _REFS or text.lower().rstrip(".:") in _REFS

    def build(self) -> list[Para]:
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
            and last is not None
            and prev_para.kind == "caption"
            and self._caption_goes_on(last, line)
        ):
            prev_para.lines.append(line)
            return k + 1
        if last is not None and not starts_para and last.text.rstrip()[-1:] in _SENTENCE_END:
            spaced = last.page != line.page or line.y0 - last.y1 > self.spacing
            if _lead_style(line, spaced):
                starts_para = True  # a bold phrase after a full stop opens a paragraph
        table = table_at(lines, k, self.rules) if not self.in_refs else None
        if table:
            rows, end = table
            self.paras.append(Para(lines[k:end], None, "table", rows=rows))
            return end
        chapter, end = self._chapter(k)
        if chapter:
            self._heading(2, chapter, line)
            return end
        heading = None
        restyled = last is not None and (
            line.italic != last.italic or abs(line.size - last.size) > 0.6
        )
        if starts_para or last is None or restyled or emphatic(line, self.styles.body):
            heading = standalone_heading(line, self.styles)
        if heading and (self._mid_sentence(prev_para, line) or self._in_title_block(line)):
            heading = None
        if heading and not (self.in_refs and _REF_ENTRY.match(line.text)):
            level, text = heading
            j = k + 1
            while j < len(lines) and j - k <= 2 and self._wraps(lines[j - 1], lines[j], text):
                text = text + " " + self._cased(lines[j], lines[k])
                j += 1
            self._heading(level, text.strip(), line)
            return j
        if starts_para and not self.in_refs and self._bold_head(k):
            level = self.styles.level_for_size(line.size)
            self._heading(level, line.text.strip(), line)
            return k + 1
        if starts_para and not self.in_refs and not self._title_block(line):
            run_in = run_in_heading(line, self.styles)
            if run_in and not self._list_item(k, run_in[1]):
                num, lead, rest = run_in
                if num:
                    numbered = section_number(f"{num} {lead}", self.styles.roman)
                    level = numbered[0] if numbered else min(self.level + 1, 6)
                    text = f"{num} {lead}"
                else:
                    level = max(3, min(self.level + 1, 6))
                    text = lead
                self.paras.append(Para([line], (level, text), "heading"))
                if rest:
                    para = Para([_with_text(line, rest)])
                    self.paras.append(para)
                return k + 1
        code_para = (
            prev_para
            if prev_para is not None
            and last is not None
            and prev_para.kind == "code"
            and just_below(last, line, 2.5)
            else None
        )
        in_code = code_para is not None
        bare_number = bool(re.fullmatch(r"[\d\s{}();]*", line.text))  # an empty listing line
        if (is_code(line) or in_code and bare_number) and not self.in_refs:
            if code_para is not None:
                code_para.lines.append(line)
            else:
                self.paras.append(Para([line], None, "code"))
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
                and last is not None
                and prev_para.kind == "text"
                and (last.text.endswith("=") or self._fragment(last))
            )
            if close and prev_para is not None and (prev_para.kind == "math" or lead_in):
                prev_para.lines.append(line)
            else:
                self.paras.append(Para([line], None, "math"))
            return k + 1
        if (CAPTION.match(line.text) or is_table_caption(line.text)) and starts_para:
            self.paras.append(Para([line], None, "caption"))
            return k + 1
        self._add_text(line, starts_para, prev_para)
        return k + 1

    def _mid_sentence(self, prev: Para | None, line: Line) -> bool:
        """An unnumbered line just below a text line that broke off mid-sentence
        ("... (discussed in Section" / "VII-B, C)") goes on with that sentence."""
        if prev is None or prev.kind != "text" or section_number(line.text, self.styles.roman):
            return False
        if self.in_refs or line.text.lower().rstrip(".:") in KNOWN_HEADINGS:
            return False  # a reference entry ends as it likes
        last = prev.lines[-1]
        tail = last.text.rstrip()
        if not tail or tail[-1] in _SENTENCE_END or not just_below(last, line, 1.5):
            return False
        return tail[-1].isalnum() or tail[-1] in ",;(-–"

    def _in_title_block(self, line: Line) -> bool:
        """An unnumbered line of another name in the title block (authors in bold or
        larger type, "Martin Trapp") before the first heading: not a heading."""
        text = line.text.strip()
        bare = text.lower().rstrip(".:")
        if section_number(text, self.styles.roman) or bare in KNOWN_HEADINGS:
            return False
        if self.styles.outline.get(outline_key(text)) is not None:
            return False
        return self._title_block(line)

    def _title_block(self, line: Line) -> bool:
        """On the first page before any heading: names and affiliations, not run-in heads."""
        return line.page == 0 and not any(p.heading for p in self.paras)

    def _list_item(self, k: int, lead: str) -> bool:
        """A bold lead without a full stop on a line whose neighbours open the same way
        at the same indent: a glossary or a table's first column, not headings."""
        if lead.endswith((".", ":", "—", "–")) or self.lines[k].text.rstrip().endswith(lead):
            return False
        line = self.lines[k]
        for j in (k - 1, k + 1):
            if 0 <= j < len(self.lines):
                other = self.lines[j]
                spans = [s for s in other.spans if s.text.strip()]
                if (
                    other.page == line.page
                    and abs(other.x0 - line.x0) < 2
                    and len(spans) >= 2
                    and spans[0].bold
                    and not spans[0].text.rstrip().endswith((".", ":"))
                ):
                    return True
        return False

    def _bold_head(self, k: int) -> bool:
        """An unnumbered heading in bold at about the body size ("The EM Algorithm"):
        a short bold line alone, more space above it than between lines of a
        paragraph, body text after it, once the numbered sections have begun."""
        line = self.lines[k]
        text = line.text.strip()
        body = self.styles.body
        if not (line.bold and self.styles.seen_section and abs(line.size - body) < 1.0):
            return False
        if self._title_block(line) or len(line.cells) >= 2:
            return False
        if (
            not 1 <= len(text.split()) <= 10
            or text.endswith((".", ",", ";", ":"))
            or not (text[0].isupper() or line.caps)
            or statement(text)
            or CAPTION.match(text)
            or id(line) in self.styles.plain
        ):
            return False
        if k + 1 >= len(self.lines) or k == 0:
            return False
        prev, nxt = self.lines[k - 1], self.lines[k + 1]
        if nxt.bold or abs(nxt.size - body) > 0.6 or nxt.page != line.page:
            return False
        if not 0 <= nxt.y0 - line.y1 < 2 * line.size or abs(nxt.x0 - line.x0) > 2 * line.size:
            return False
        gap_after = nxt.y0 - line.y1
        gap_before = line.y0 - prev.y1 if prev.page == line.page and prev.y1 <= line.y0 else None
        return gap_before is None or gap_before > gap_after + 0.25 * line.size

    def _chapter(self, k: int) -> tuple[str, int]:
        """A "Chapter 1" line set apart, its title on the next line(s): one heading
        "1 Title", and the index of the line after it."""
        line = self.lines[k]
        m = _CHAPTER.fullmatch(line.text.strip())
        if not m or k + 1 >= len(self.lines) or not emphatic(line, self.styles.body):
            return "", k
        nxt = self.lines[k + 1]
        below = nxt.page == line.page and 0 <= nxt.y0 - line.y1 < 4 * line.size
        title_like = (nxt.bold or nxt.size >= self.styles.body + 2) and len(nxt.text.split()) <= 14
        if not below or not title_like or id(nxt) in self.styles.plain:
            return "", k
        title, j = nxt.text.strip(), k + 2
        while j < len(self.lines) and j - k <= 3:
            more = self.lines[j]  # a long title wraps in its own style
            same = abs(more.size - nxt.size) < 0.6 and more.bold == nxt.bold
            gap = more.y0 - self.lines[j - 1].y1
            if not (same and more.page == nxt.page and 0 <= gap < nxt.size):
                break
            title += " " + more.text.strip()
            j += 1
        return f"{m.group(2)} {title}", j

    def _fragment(self, line: Line) -> bool:
        """A short piece of a display formula: mathematical letters or operators in a
        line far narrower than the column."""
        if line.x1 - line.x0 > self.body_width * 0.45:
            return False
        text = line.text
        mathy = sum(1 for ch in text if _MATH_CHAR.match(ch))
        words = WORD.findall(text)
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
            and not CAPTION.match(line.text)
            and len(line.cells) < 2
        )

    def _cased(self, nxt: Line, head: Line) -> str:
        """A small-capitals continuation line reads in the case of its heading."""
        if head.caps and upper(nxt.text) and nxt.size < head.size - 0.6:
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
        if section_number(nxt.text, self.styles.roman) and not self._full(line):
            return False  # "A Second Line" after a full first line; else its own heading
        if len(nxt.text.split()) > 14 or CAPTION.match(nxt.text):
            return False
        if line.caps and (nxt.caps or upper(nxt.text)) and 0.65 <= nxt.size / line.size <= 1.05:
            return True
        bold = line.bold or bold_number(line)  # "4.3 Warm-up: simple iOPRF with" / "Security"
        same = abs(nxt.size - line.size) < 0.6 and nxt.bold == bold and nxt.italic == line.italic
        if not same:
            return False
        if bold or line.italic or upper(line.text) and upper(nxt.text):
            return nxt.bold or nxt.italic or upper(nxt.text)
        return line.size >= self.styles.body + 0.8

    def _add_text(self, line: Line, starts_para: bool, prev: Para | None) -> None:
        if prev is None or prev.kind in ("heading", "table"):
            self.paras.append(Para([line]))
            return
        last = prev.lines[-1]
        if self.in_refs:
            new_entry = _REF_ENTRY.match(line.text) or (
                not _REF_ENTRY.match(prev.lines[0].text)
                and line.x0 < last.x0 - 3
                and last.page == line.page
            )
            if new_entry or (prev.kind != "text"):
                self.paras.append(Para([line]))
            else:
                prev.lines.append(line)
            return
        if prev.kind == "caption":
            if line.block == last.block and line.page == last.page and not self._indented(line):
                prev.lines.append(line)
            else:
                self.paras.append(Para([line]))
            return
        if not starts_para:
            prev.lines.append(line)
            return
        new_block = last.block != line.block
        if new_block and not self._indented(line) and self._continues(prev, line):
            prev.lines.append(line)
        else:
            self.paras.append(Para([line]))

    def _continues(self, prev: Para, line: Line) -> bool:
        """A paragraph broken by a column or page goes on unindented, mid-sentence."""
        tail = prev.lines[-1].text.rstrip()
        if not tail or abs(line.size - prev.lines[-1].size) > 0.6:
            return False
        if tail[-1] in _SENTENCE_END and not line.text[:1].islower():
            return False
        moved = line.page != prev.lines[-1].page or line.y0 < prev.lines[-1].y0 - 5
        return moved or line.text[:1].islower()


def _lead_style(line: Line, spaced: bool) -> bool:
    """The line opens with a bold or italic phrase followed by plain text: ended by
    its own full stop or colon, or (bold) after more space than between lines. A
    bold name that a sentence merely starts a line with ("**BatchWeight** (Ren et
    al.): a method ...") has neither."""
    spans = [s for s in line.spans if s.text.strip()]
    if len(spans) < 2:
        return False
    lead, _ = lead_phrase(spans)
    ends = lead.rstrip().endswith((".", ":", "—", "–"))
    if spans[0].bold:
        return not spans[-1].bold and (ends or spaced)
    return spans[0].italic and not spans[-1].italic and ends


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


def _unfinished(para: Para) -> bool:
    tail = para.lines[-1].text.rstrip()
    return para.kind == "text" and bool(tail) and tail[-1] not in _SENTENCE_END


def rejoin_across_floats(paras: list[Para], body: float) -> list[Para]:
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
