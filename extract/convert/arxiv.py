"""The arXiv reader: abstract page + (LaTeX e-print | PDF) -> one `Document` paper.

Metadata (title, authors, date, abstract) always comes from `abstract.html`. The
paper itself comes from the LaTeX source when the e-print holds one, else from the
PDF (`paper.pdf`, or an e-print that is really a PDF); the notes say which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bs4 import BeautifulSoup

from ..errors import RefsError
from ..full_md import ABSTRACT_PAGE, PAPER_PDF
from .document import Document
from .eprint import find_eprint, read_eprint
from .figures_from_pdf import fill_from_pdf
from .html_attrs import attr
from .latex import convert_latex
from .pdf import PdfResult, front_without_authors, pdf_to_markdown


@dataclass
class AbstractPage:
    title: str
    authors: list[str]
    abstract: str
    date: str  # ISO date of the version the page describes
    arxiv_id: str  # with version when the page states it


def _text(node) -> str:
    for descriptor in node.select("span.descriptor"):
        descriptor.decompose()
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


def _meta(soup: BeautifulSoup, name: str) -> list[str]:
    contents = (
        " ".join(attr(m, "content").split()) for m in soup.find_all("meta", attrs={"name": name})
    )
    return [c for c in contents if c]


def _iso(value: str) -> str:
    value = value.strip()
    for fmt in ("%Y/%m/%d", "%Y-%m-%d", "%a, %d %b %Y", "%d %b %Y"):
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return ""


def _version_date(soup: BeautifulSoup) -> str:
    """The date of the newest version in the submission history (what was fetched)."""
    history = soup.select_one("div.submission-history")
    if history is not None:
        dates = re.findall(r"[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4}", history.get_text(" "))
        if dates:
            return _iso(dates[-1])
    dateline = soup.select_one("div.dateline")
    if dateline is not None:
        m = re.search(
            r"(?:last revised|Submitted on) (\d{1,2} [A-Z][a-z]{2} \d{4})[^\]]*$",
            dateline.get_text(" "),
        )
        if m:
            return _iso(m.group(1))
    return ""


def _readable_name(name: str) -> str:
    """citation_author is "Last, First"; the page and the paper say "First Last"."""
    if "," in name:
        last, first = name.split(",", 1)
        return f"{first.strip()} {last.strip()}".strip()
    return name


def read_abstract_page(html: str, source_url: str = "") -> AbstractPage:
    """Title, authors, abstract, date and id from an arXiv abs page (or its meta tags)."""
    soup = BeautifulSoup(html, "lxml")
    node = soup.select_one("h1.title")
    title = _text(node) if node else ""
    title = title or next(iter(_meta(soup, "citation_title")), "")
    if not title and soup.title:
        title = re.sub(r"^\[[^\]]+\]\s*", "", soup.title.get_text(" ")).strip()
    node = soup.select_one("div.authors")
    authors = (
        [re.sub(r"\s+", " ", a.get_text(" ")).strip() for a in node.find_all("a")] if node else []
    )
    authors = [a for a in authors if a] or [
        _readable_name(a) for a in _meta(soup, "citation_author")
    ]
    node = soup.select_one("blockquote.abstract")
    abstract = _text(node) if node else ""
    abstract = abstract or next(iter(_meta(soup, "citation_abstract")), "")
    date = _version_date(soup)
    for name in ("citation_online_date", "citation_date"):
        date = date or next((_iso(v) for v in _meta(soup, name) if _iso(v)), "")
    arxiv_id = next(iter(_meta(soup, "citation_arxiv_id")), "")
    if not arxiv_id:
        m = re.search(r"(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})", source_url)
        arxiv_id = m.group(1) if m else ""
    dateline = soup.select_one("div.dateline")
    version = re.search(r"this version, (v\d+)", dateline.get_text(" ")) if dateline else None
    if arxiv_id and version and not re.search(r"v\d+$", arxiv_id):
        arxiv_id += version.group(1)
    return AbstractPage(title, authors, abstract, date, arxiv_id)


def _paper(raw_dir: Path) -> tuple[str, str, list[str], PdfResult | None]:
    """(markdown body of the paper, the source's own abstract, notes, the PDF's parts
    when the paper came from the PDF)."""
    notes: list[str] = []
    pdf: bytes | Path | None = None
    eprint_path = find_eprint(raw_dir)
    if eprint_path is not None:
        eprint = read_eprint(eprint_path)  # an unsafe archive is refused, loudly
        if eprint.kind == "pdf":
            pdf = eprint.pdf
            notes.append(f"{eprint_path.name} is a PDF, not LaTeX source")
        else:
            try:
                result = convert_latex(eprint.files, eprint.other_files, eprint_path.name)
            except RefsError as exc:
                # Nothing to fall back on: the paper's text would be lost, so the e-print's
                # problem (a bomb, nesting too deep, no main file) is the conversion's error.
                if not (raw_dir / PAPER_PDF).is_file():
                    raise RefsError(exc.message, eprint_path) from exc
                notes.append(f"LaTeX source not usable ({exc.message}); PDF used instead")
            else:
                body = result.body
                if (raw_dir / PAPER_PDF).is_file():
                    body, named = fill_from_pdf(body, raw_dir / PAPER_PDF, PAPER_PDF)
                    if named:
                        notes.append(
                            f"{named} figure(s) with no file in the e-print (drawn in TeX, or "
                            f"left out) shown from their region of {PAPER_PDF}"
                        )
                return body, result.abstract, result.notes + notes, None
    if pdf is None and (raw_dir / PAPER_PDF).is_file():
        pdf = raw_dir / PAPER_PDF
    if pdf is None:
        notes.append(
            "no paper text: neither LaTeX source nor a PDF was fetched, so only the "
            "abstract page is converted (run `refs fetch` for this resource)"
        )
        return "", "", notes, None
    artifact = PAPER_PDF if isinstance(pdf, Path) else eprint_path.name if eprint_path else ""
    read = pdf_to_markdown(pdf, artifact)
    return read.body, read.abstract, notes + read.notes, read


def convert_arxiv(raw_dir: Path, source_url: str) -> Document:
    """The whole paper of ``raw_dir`` (abstract.html, paper.pdf, arxiv-eprint.tar.gz).

    From LaTeX, the title and abstract are the abstract page's. From the PDF, they
    are the ones printed in it, the abstract page's where the PDF has none; the
    PDF's title block (affiliations, e-mail addresses) stays under the byline.
    """
    raw_dir = Path(raw_dir)
    page_path = raw_dir / ABSTRACT_PAGE
    try:
        html = page_path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise RefsError(
            f"cannot read the arXiv abstract page ({exc.strerror}); run `refs fetch` first",
            page_path,
        ) from exc
    page = read_abstract_page(html, source_url)
    if not page.title:
        raise RefsError("no title on the arXiv abstract page; re-fetch it", page_path)
    body, own_abstract, notes, pdf = _paper(raw_dir)
    heading = page.title
    front: list[str] = []
    if pdf is not None:
        abstract = own_abstract or page.abstract
        heading = pdf.title or page.title
        front = front_without_authors(pdf.front, page.authors)
        notes.append(
            "title "
            + ("as printed in the PDF" if pdf.title else "from the abstract page")
            + ", abstract "
            + ("as printed in the PDF" if own_abstract else "from the abstract page")
        )
    else:
        abstract = page.abstract or own_abstract
        if not page.abstract and own_abstract:
            notes.append("abstract taken from the LaTeX source (the abstract page has none)")
    byline = [", ".join(page.authors)] if page.authors else []
    stamp = " · ".join(
        x for x in (f"arXiv:{page.arxiv_id}" if page.arxiv_id else "", page.date) if x
    )
    parts = [f"# {heading}", *byline]
    if stamp:
        parts.append(stamp)
    parts += front
    if abstract:
        parts += ["## Abstract", abstract]
    if body.strip():
        parts.append(body.strip())
    return Document(
        title=page.title,
        body="\n\n".join(parts) + "\n",
        author=", ".join(page.authors),
        source_url=source_url,
        notes=notes,
        date=page.date,
    )
