"""What the site's search index leaves out, so that a result's snippet is the passage.

Material's search shows each section's first lines as the result's snippet and indexes
every word of it, so what opens a section decides what a reader sees:

- a source's title block (authors, e-mail addresses, affiliations, an arXiv line,
  "Created On" dates): the blocks between the title and the first paragraph of prose;
- a card's field table (`| Field | Value |`: source, type, topics, status);
- a paper's bibliography (a `References` / `Bibliography` section): a tenth of the
  index of a paper-heavy library, a list of other titles that matches every query.

Each is marked with Material's `data-search-exclude` (an HTML wrapper or a heading
attribute), in the page's markdown, so a plain Material build of `refs site --out`
leaves out the same. The page shows them as before.
"""

from __future__ import annotations

import re

from extract.markdown import atx_heading, code_lines

EXCLUDE = "data-search-exclude"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\}@[\w-]+\.")
_SENTENCE_END = re.compile(r"[.!?:][)\"'’”]*$")
_FIELD_HEADER = re.compile(r"^\s*\|\s*Field\s*\|\s*Value\s*\|\s*$", re.I)
_BIBLIOGRAPHY = re.compile(
    r"^(#{1,6} (?:[A-Z0-9]{1,3}(?:\.\d+)*\.?\s+)?(?:references|bibliography|works cited)"
    r"\s*\{ #[^ }]+)( \})\s*$",
    re.I,
)
# A title block is a few short lines; a longer run before any prose is content.
_BLOCK_LIMIT = 1500


def hidden(lines: list[str]) -> list[str]:
    """``lines`` inside a wrapper that Material's search skips (md_in_html renders the
    markdown inside as usual). A `<section>`, not a `<div>`: Material's indexer tells
    elements apart by tag alone, so the first inner `</div>` (a code block's) would end
    the skipping."""
    return [f'<section markdown="1" {EXCLUDE}>', "", *lines, "", "</section>"]


def _chunks(lines: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) of each block between ``start`` and ``end``: a run of fenced code
    lines, or a run of non-blank lines."""
    code = code_lines(lines[:end])  # what is code before `end` needs no line after it
    out: list[tuple[int, int]] = []
    i = start
    while i < end:
        if i not in code and not lines[i].strip():
            i += 1
            continue
        j = i + 1
        while j < end and (j in code) == (i in code) and (j in code or lines[j].strip()):
            j += 1
        out.append((i, j))
        i = j
    return out


def _prose(text: str) -> bool:
    """A paragraph of running text, not a byline, a date, a list of names or addresses."""
    if _EMAIL.search(text) or text.lstrip().startswith(("|", "```", "~~~", "<", "- ", "* ")):
        return False
    words = text.split()
    lower = sum(1 for w in words if w[:1].islower())
    # Running text ends a sentence and is mostly lower-case words; a byline, a list of
    # names or affiliations is not.
    return (
        len(words) >= 8 and lower >= len(words) * 0.3 and bool(_SENTENCE_END.search(text.strip()))
    )


def title_block(markdown: str) -> str:
    """A source page with its title block (the blocks between the `# title` and the
    first paragraph of prose or heading) out of search."""
    lines = markdown.split("\n")
    title = next((i for i, ln in enumerate(lines) if (atx_heading(ln) or (0,))[0] == 1), None)
    if title is None:
        return markdown
    end = next((i for i in range(title + 1, len(lines)) if atx_heading(lines[i])), len(lines))
    run: list[tuple[int, int]] = []
    for a, b in _chunks(lines, title + 1, end):
        text = "\n".join(lines[a:b])
        if _prose(text) or len(text) > _BLOCK_LIMIT:
            break
        run.append((a, b))
    if not run:
        return markdown
    a, b = run[0][0], run[-1][1]
    return "\n".join(lines[:a] + hidden(lines[a:b]) + lines[b:])


def field_table(markdown: str) -> str:
    """A card with its `| Field | Value |` table out of search."""
    lines = markdown.split("\n")
    code = code_lines(lines)
    for i, line in enumerate(lines):
        if i not in code and _FIELD_HEADER.match(line):
            j = i
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                j += 1
            return "\n".join(lines[:i] + hidden(lines[i:j]) + lines[j:])
    return markdown


def bibliography(markdown: str) -> str:
    """A source page whose `References` sections (headings already carrying their
    `{ #id }`) are out of search."""
    if "{ #" not in markdown:
        return markdown
    lines = markdown.split("\n")
    found = [
        (i, m)
        for i, line in enumerate(lines)
        if line[:1] == "#" and (m := _BIBLIOGRAPHY.match(line))
    ]
    if not found:
        return markdown
    code = code_lines(lines)
    for i, m in found:
        if i not in code:
            lines[i] = f"{m.group(1)} {EXCLUDE}{m.group(2)}"
    return "\n".join(lines)
