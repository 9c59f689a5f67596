"""PDF -> markdown: the reader for PDF-only papers (and the arXiv fallback).

The text layer (`text.read_pdf`, PDFium, the one module that talks to it) gives
lines with their fonts. From them the modules, named for what they do:
- `furniture` drops running headers, footers, page numbers, a review copy's line
  numbers and the text inside figures;
- `headings` finds headings by their numbering (`2.3`, `A.1`, `IV.`, `B.`, `2)`),
  which sets the level, confirmed by a cue of emphasis (bold, larger, small
  capitals, upper case, italic for IEEE's lettered subsections); unnumbered
  headings are known names (`References`) or lines in the style of a numbered
  heading; a bold or italic run-in phrase that opens a paragraph (`Weight
  Stashing.` ...) is a heading one level below its section;
- `paragraphs` rejoins paragraphs across lines, columns (`layout`), pages and
  floats, splitting them at indentation, joins a heading that wraps onto a second
  line, and sets apart `captions`, `code` listings and `tables` whose cells line up;
  `words` undoes line-end hyphenation;
- `render` writes markdown: captions as `[Figure N: ...]` / `**Table N:** ...`,
  tables as markdown tables, the reference list one entry per paragraph;
- `front` separates the front matter: the printed title, the title block
  (authors, affiliations) and the abstract, for the caller to place;
- `convert` runs them over the whole document (`pdf_to_markdown`, `convert_pdf`).
"""

from .convert import PdfResult, convert_pdf, pdf_to_markdown
from .front import front_without_authors

__all__ = ["PdfResult", "convert_pdf", "front_without_authors", "pdf_to_markdown"]
