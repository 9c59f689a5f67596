"""The front matter: the printed title, the title block (authors, affiliations)
and the abstract, apart from the body for the caller to place."""

from __future__ import annotations

import re

from .headings import KNOWN_HEADINGS, section_number
from .paragraphs import Para
from .render import bold_lead, escape_text, render_para
from .text import Line
from .words import WORD, join_lines


def printed_title_lines(lines: list[Line], body: float) -> list[Line]:
    """The printed title: the largest lines near the top of the first page."""
    first = [ln for ln in lines if ln.page == 0]
    if not first:
        return []
    top = [
        ln
        for ln in first
        if ln.y0 < first[0].y0 + 400
        and len(ln.text) > 1
        # A section heading is not the title: "1 Introduction" set large on page 1
        # ("A Thesis on ..." is a title, not appendix A).
        and not _numbered(ln.text)
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


def _numbered(text: str) -> bool:
    found = section_number(text, False)
    return found is not None and any(c.isdigit() for c in found[1])


def split_front(paras: list[Para], vocab: set[str]) -> tuple[list[str], str, list[Para]]:
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
        text = join_lines(para.lines, vocab) if para.kind == "text" else ""
        m = re.match(r"^(Abstract|ABSTRACT)\s*[—–:.-]\s*(.*)$", text, re.S)
        if m and not abstract_parts:
            abstract_parts.append(escape_text(m.group(2)))
            abstract_size = para.lines[0].size
            in_abstract = False
            continue
        if in_abstract and para.kind == "text" and not bold_lead(para.lines[0]):
            size = para.lines[0].size
            if abstract_size is None or abs(size - abstract_size) < 0.6:
                abstract_size = size
                abstract_parts.append(escape_text(text))
                continue
        in_abstract = False
        front.append(render_para(para, vocab))
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


def _author_words(authors: list[str]) -> set[str]:
    return {w.lower() for a in authors for w in WORD.findall(a)}


def front_without_authors(front: list[str], authors: list[str]) -> list[str]:
    """Title-block paragraphs minus those that only repeat the author names (the
    byline already gives them); affiliations and e-mail addresses stay."""
    names = _author_words(authors) | {"and"}
    out = []
    for para in front:
        words = [w.lower() for w in WORD.findall(para)]
        if words and sum(w in names for w in words) >= 0.8 * len(words):
            continue
        out.append(para)
    return out
