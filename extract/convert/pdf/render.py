"""Paragraphs -> markdown: headings, tables, code, captions and text."""

from __future__ import annotations

import re

from ...markdown import escape, escape_block_start, pipe_table, table_cell
from .captions import CAPTION
from .code import code_block
from .paragraphs import Para
from .text import Line
from .words import join_lines


def escape_text(text: str) -> str:
    """PDF text made literal in markdown."""
    # `$` would open math on GitHub and in the site (PDF text holds no TeX); a `<`
    # stays as it is: the neutraliser makes anything tag-like inert.
    return escape_block_start(escape(text).replace("$", "\\$"))


def render_para(para: Para, vocab: set[str]) -> str:
    """One paragraph as markdown."""
    if para.heading:
        level, text = para.heading
        return "#" * level + " " + escape_text(" ".join(text.split()))
    if para.kind == "table":
        return pipe_table([[table_cell(escape_text(c)) for c in row] for row in para.rows])
    if para.kind == "code":
        return code_block(para.lines)
    text = join_lines(para.lines, vocab)
    cap = CAPTION.match(text)
    ieee = re.match(r"^(TABLE|Table)\s+([0-9]+|[IVX]+)\.?\s+(.*)$", text, re.S)
    if para.kind == "caption" and not cap and ieee:
        return f"**Table {ieee.group(2)}:** {escape_text(ieee.group(3).strip())}"
    if cap and para.kind == "caption":
        kind, num, rest = cap.group("kind"), cap.group("num"), cap.group("rest")
        label = "Figure" if kind.startswith("Fig") else kind
        if label == "Figure":
            return f"[Figure {num}: {escape_text(rest.strip())}]"
        return f"**{label} {num}:** {escape_text(rest.strip())}"
    first = para.lines[0]
    lead = bold_lead(first)
    if lead and text.startswith(lead) and len(lead) < len(text):
        return f"**{escape_text(lead)}** {escape_text(text[len(lead) :].strip())}"
    return escape_text(text)


def bold_lead(line: Line) -> str:
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
