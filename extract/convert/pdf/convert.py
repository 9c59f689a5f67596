"""The whole document: `pdf_to_markdown` (the PDF as markdown parts) and
`convert_pdf` (a PDF that is a resource of its own)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import RefsError
from ...figures import origin_comment
from ..document import Document
from .captions import CAPTION
from .figures import figure_origins
from .front import printed_title_lines, split_front
from .furniture import contents_lines, in_figure, running_heads
from .headings import Numbering, learn_styles, outline_key
from .paragraphs import Builder, rejoin_across_floats
from .render import escape_text, render_para
from .text import Line, PdfText, opened, read_pdf
from .words import vocabulary

METHOD = "PDFium text layer (pypdfium2) with font, numbering and layout cues"


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


def pdf_to_markdown(pdf: bytes | Path, artifact: str = "") -> PdfResult:
    """The PDF given as bytes or a path, as markdown parts (see `PdfResult`).
    ``artifact`` is its file under raw/: figure markers then name their page and box."""
    with opened(pdf) as handle:  # read, then asked again for the figures' drawings
        return _to_markdown(read_pdf(pdf, handle), handle, artifact)


def _to_markdown(doc: PdfText, handle: Any, artifact: str) -> PdfResult:
    furniture = running_heads(doc.pages)
    lines: list[Line] = []
    numbering = Numbering()  # a heading a figure's box overlaps keeps its place
    for page in doc.pages:
        for line in page.lines:
            if id(line) in furniture:
                continue
            if in_figure(line, page) and not CAPTION.match(line.text):
                if not numbering.continues(line):
                    continue  # text inside a figure is not prose; its caption is
            numbering.see(line)
            lines.append(line)
    if not lines:
        raise RefsError("the PDF has no extractable text (a scan?); a vision pass is needed")
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0]
    vocab = vocabulary(lines)
    title_lines = printed_title_lines(lines, body)
    title = " ".join(" ".join(ln.text for ln in title_lines).split())
    outline = {outline_key(e.title): e.level for e in doc.outline if outline_key(e.title)}
    styles = learn_styles(lines, body, outline, plain=contents_lines(doc.pages))
    title_ids = {id(ln) for ln in title_lines}
    content = [ln for ln in lines if id(ln) not in title_ids]
    paras = Builder(content, doc.pages, styles).build()
    paras = rejoin_across_floats(paras, body)
    front, abstract, rest = split_front(paras, vocab)
    rendered = [render_para(p, vocab) for p in rest]
    shown = [k for k, r in enumerate(rendered) if r.startswith("[Figure ")]
    stops = frozenset(id(ln) for p in rest if p.kind in ("caption", "table") for ln in p.lines)
    captions = [rest[k].lines for k in shown]
    origins = figure_origins(
        handle, artifact, captions, doc.pages, body, stops, frozenset(furniture)
    )
    for k, origin in zip(shown, origins, strict=True):
        if origin is not None:
            rendered[k] += origin_comment([origin])
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


def convert_pdf(path: Path, source_url: str, artifact: str = "") -> Document:
    """A PDF served as a resource's own URL (not an arXiv paper).

    The title is the printed one (the largest text atop page 1), else the PDF's
    metadata title, else the file name; the title block and the abstract stay.
    """
    path = Path(path)
    result = pdf_to_markdown(path, artifact or path.name)
    meta = result.metadata
    meta_title = (meta.get("title") or "").strip()
    title = result.title or meta_title or path.stem.replace("-", " ").replace("_", " ")
    source = (
        "printed title"
        if result.title
        else ("the PDF's metadata" if meta_title else "the file name (the PDF states none)")
    )
    parts = [f"# {escape_text(title)}", *result.front]
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
