"""Markdown syntax, in one place: what is code, what is a heading, how text is written.

Every part of the library that reads or writes markdown (the anchor rule, the
converters, the neutraliser, passages, the site's rewriters) asks this module, so
they all agree on where a fence starts and ends, what a code span is and how a
character is escaped. Reading follows CommonMark; writing produces markdown that
renders the same on GitHub and in Python-Markdown.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from markdown_it import MarkdownIt

from .memo import memo

# ---------- fenced code (block level) ----------

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _states(lines: Iterable[str]) -> Iterator[tuple[int, str, bool, str | None]]:
    """(index, line, in_code, fence still open after this line)."""
    fence: str | None = None
    for i, line in enumerate(lines):
        m = FENCE.match(line)
        if fence is not None:
            run = m.group(1) if m else ""
            # CommonMark: a fence closes on the same character, at least as long,
            # with nothing after it.
            if (
                run
                and run[0] == fence[0]
                and len(run) >= len(fence)
                and not line.strip()[len(run) :].strip()
            ):
                fence = None
            yield i, line, True, fence
        elif m and not (m.group(1)[0] == "`" and "`" in line.strip()[len(m.group(1)) :]):
            # (a backtick fence's info string may not contain a backtick)
            fence = m.group(1)
            yield i, line, True, fence
        else:
            yield i, line, False, None


def walk(lines: Iterable[str]) -> Iterator[tuple[int, str, bool]]:
    """(index, line, in_code) for each line; fence lines themselves count as code."""
    for i, line, in_code, _ in _states(lines):
        yield i, line, in_code


def prose_lines(lines: list[str]) -> Iterator[int]:
    """Indexes of the lines outside fenced code, one at a time (a caller that stops at
    the first it wants reads no further; `code_lines` answers for a whole text)."""
    return (i for i, _, in_code in walk(lines) if not in_code)


# A line a fence could open or close, found after the newline before it: the search is
# for a literal newline (memchr speed), and only the lines it finds change `walk`'s state.
_FENCE_LINE = re.compile(r"\n {0,3}(?:`{3,}|~{3,})")


def code_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines `walk` calls code (fenced code, fences included): the same
    answer, from one search of the text for the lines that could be fences instead of
    a step per line. ``lines`` are a text's lines as `split` or `splitlines` gives them
    (none holds a newline)."""
    text = "\n".join(lines)
    found = [0] if FENCE.match(text) else []
    line = pos = 0
    for at in _FENCE_LINE.finditer(text):
        line += text.count("\n", pos, at.start() + 1)
        pos = at.start() + 1
        found.append(line)
    code: set[int] = set()
    fence: str | None = None
    opened = 0
    for i in found:
        row = lines[i]
        m = FENCE.match(row)
        if m is None:  # pragma: no cover - the search found a fence's start here
            continue
        run = m.group(1)
        if fence is not None:
            # the rule of `_states`: the same character, at least as long, nothing after
            if (
                run[0] == fence[0]
                and len(run) >= len(fence)
                and not row.strip()[len(run) :].strip()
            ):
                code.update(range(opened, i + 1))
                fence = None
        elif not (run[0] == "`" and "`" in row.strip()[len(run) :]):
            fence, opened = run, i
    if fence is not None:
        code.update(range(opened, len(lines)))
    return code


def open_fence(lines: Iterable[str]) -> str | None:
    """The fence left open after the last line (None when all are closed)."""
    last = None
    for last in _states(lines):  # noqa: B007 - only the state after the last line matters
        pass
    return last[3] if last else None


def close_fences(markdown: str) -> str:
    """Close a fence a text left open, so it cannot swallow what follows it."""
    fence = open_fence(markdown.split("\n"))
    return markdown.rstrip("\n") + "\n" + fence if fence else markdown


# ---------- lines ----------

_NEWLINE = re.compile(r"\r\n?|\n")


def lines_of(text: str) -> list[str]:
    """The lines of a text as CommonMark counts them (``\\n``, ``\\r\\n`` or ``\\r`` ends
    one; a form feed or U+2028 does not), so line numbers agree with the block reader."""
    if "\r" not in text:
        return text.split("\n")  # the same lines, several times faster than the regex
    return _NEWLINE.split(text)


# ---------- block structure (CommonMark, GitHub's reading) ----------

# GitHub renders with cmark-gfm: CommonMark plus tables and strikethrough (the other GFM
# extensions change no block boundary and no heading text). markdown-it-py implements
# the same spec; the inline pass runs only over heading text, where it is needed.
_BLOCK_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("inline")
_INLINE_PARSER = MarkdownIt("commonmark").enable(["strikethrough"])
# Containers nested deeper than this: markdown-it reads the rest of the text as nothing.
BLOCK_NESTING: int = _BLOCK_PARSER.options["maxNesting"]


@dataclass(frozen=True)
class BlockHeading:
    """A heading as CommonMark reads it (ATX or setext), with its visible text."""

    level: int
    source: str  # its inline markdown (a setext heading's lines joined by "\n")
    text: str  # its text content as the rendered HTML has it (what GitHub slugs)
    line: int  # 0-based index of its first line
    end: int  # 0-based index after its last line (a setext underline included)
    setext: bool
    nested: bool  # inside a block quote or a list item


@dataclass(frozen=True)
class Blocks:
    """What each line of a markdown text is, by CommonMark's reading."""

    headings: tuple[BlockHeading, ...]
    code: frozenset[int]  # lines of fenced or indented code blocks (fences included)
    html: frozenset[int]  # lines of raw HTML blocks
    paragraphs: tuple[tuple[int, int], ...]  # [start, end) of each top-level paragraph
    breaks: tuple[int, ...]  # lines that are thematic breaks, at top level


def block_tokens(text: str) -> list:
    """markdown-it-py's block tokens of ``text`` (CommonMark + GFM tables), each with
    its `map` of lines; inline content is not parsed."""
    return _BLOCK_PARSER.parse(text, {})


class BlocksMemo(Protocol):
    """Block structures kept beyond this process (the site keeps them between builds)."""

    def blocks(self, text: str) -> Blocks | None: ...
    def keep_blocks(self, text: str, found: Blocks) -> None: ...


blocks_memo: BlocksMemo | None = None  # installed by whoever keeps one (docs_gen's plugin)


@memo
def blocks(text: str) -> Blocks:
    """The block structure of ``text`` (front matter is the caller's to cut off)."""
    memo = blocks_memo
    if memo is not None and (kept := memo.blocks(text)) is not None:
        return kept
    found = _blocks(text)
    if memo is not None:
        memo.keep_blocks(text, found)
    return found


def _blocks(text: str) -> Blocks:
    env: dict = {}
    tokens = _BLOCK_PARSER.parse(text, env)
    found: list[BlockHeading] = []
    code: set[int] = set()
    html: set[int] = set()
    paragraphs: list[tuple[int, int]] = []
    breaks: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map:
            source = tokens[i + 1].content
            found.append(
                BlockHeading(
                    level=int(tok.tag[1]),
                    source=source,
                    text=inline_text(source, env),
                    line=tok.map[0],
                    end=tok.map[1],
                    setext=tok.markup in ("=", "-"),
                    nested=tok.level > 0,
                )
            )
        elif tok.type in ("fence", "code_block") and tok.map:
            code.update(range(*tok.map))
        elif tok.type == "html_block" and tok.map:
            html.update(range(*tok.map))
        elif tok.type == "paragraph_open" and tok.map and tok.level == 0:
            paragraphs.append((tok.map[0], tok.map[1]))
        elif tok.type == "hr" and tok.map and tok.level == 0:
            breaks.append(tok.map[0])
    return Blocks(tuple(found), frozenset(code), frozenset(html), tuple(paragraphs), tuple(breaks))


# Characters that start inline markup (markdown-it's code, emphasis, strikethrough,
# link, image, autolink, HTML, entity, escape and line-break rules) or that its
# normalising changes: text without any of them is its own text content.
_INLINE_MARKUP = re.compile(r"[\\`*_~\[\]!<&\n\r\0]")


def inline_text(source: str, env: dict | None = None) -> str:
    """The text content of inline markdown, as a browser's ``textContent`` has it.

    CommonMark decides what is emphasis (``_`` inside a word is text:
    ``causal_stream_inference.py``), what is code, a link or an entity. Tags and images
    add no text (GitHub does not slug an image's alt); a line break is a newline.
    """
    if not _INLINE_MARKUP.search(source):
        return source  # most headings: no inline parse needed
    return parsed_inline_text(source, env)


def parsed_inline_text(source: str, env: dict | None = None) -> str:
    """`inline_text` by markdown-it's inline parse, whatever the text."""
    tokens = _INLINE_PARSER.parseInline(source, env if env is not None else {})
    children = (tokens[0].children or []) if tokens else []
    out: list[str] = []
    for tok in children:
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


# ---------- headings ----------

ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
ATX_PREFIX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")  # the `#` run of a heading line


def atx_heading(line: str) -> tuple[int, str] | None:
    """(level, inline text) when ``line`` is an ATX heading, else None."""
    m = ATX.match(line)
    return (len(m.group(1)), m.group(2) or "") if m else None


def demote(markdown: str, by: int = 1) -> str:
    """Push every ATX heading ``by`` levels down (at most to level 6), code untouched."""
    lines = markdown.split("\n")
    for i, line, in_code in walk(lines):
        if not in_code and (m := ATX_PREFIX.match(line)):
            lines[i] = m.group(1) + "#" * min(6, len(m.group(2)) + by) + line[m.end() :]
    return "\n".join(lines)


# Glyphs a page puts beside a heading as its permalink: chrome, never heading text.
PERMALINK_GLYPHS = frozenset({"", "¶", "#", "§", "🔗", "⚓", "link"})


def strip_permalink_glyphs(text: str) -> str:
    return text.rstrip("¶#§🔗⚓ ").strip()


# ---------- inline ----------

CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")

# Punctuation that ends a sentence after a bare link or citation, not part of it.
TRAILING_PUNCTUATION = ".,;:!?"


def strip_trailing(text: str) -> tuple[str, str]:
    """(``text`` without its sentence punctuation, the punctuation)."""
    kept = text.rstrip(TRAILING_PUNCTUATION)
    return kept, text[len(kept) :]


# [text](url "title") and ![alt](src): one level of nested brackets in the text.
_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\\]|\\.|\[[^\]]*\])*)\]"
    r"\(\s*(?P<lt><?)(?P<url>[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)>?"
    r"(?P<title>\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_TAG = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>"
)


@dataclass
class Piece:
    """One inline piece of a line: what a rewriter sees, one kind at a time."""

    kind: str  # text | link | image | code | tag
    raw: str
    text: str = ""  # link text / code inner
    url: str = ""
    title: str = ""


def split_inline(line: str) -> list[Piece]:
    """The line as a sequence of pieces whose ``raw`` concatenate back to it."""
    if "`" not in line and "<" not in line:
        # No code span and no tag can be in it (most lines a card or page rewrites):
        # the links as `_LINK` finds them, which never overlap, and the text between,
        # without scanning a long line for code spans and tags that are not there.
        return _pieces(line, [(m.start(), m.end(), _link(m)) for m in _LINK.finditer(line)])
    return _split_inline(line)


def _link(m: re.Match[str]) -> Piece:
    kind = "image" if m.group("bang") else "link"
    return Piece(kind, m.group(0), m.group("text"), m.group("url"), m.group("title") or "")


def _pieces(line: str, found: list[tuple[int, int, Piece]]) -> list[Piece]:
    """``found`` (spans in order, none overlapping) with the text around them."""
    out: list[Piece] = []
    pos = 0
    for start, end, piece in found:
        if start > pos:
            out.append(Piece("text", line[pos:start]))
        out.append(piece)
        pos = end
    if pos < len(line):
        out.append(Piece("text", line[pos:]))
    return out


def _split_inline(line: str) -> list[Piece]:
    """`split_inline` of any line: links, code spans and tags, whichever comes first."""
    found: list[tuple[int, int, Piece]] = []
    # What is taken so far: spans that never overlap, so sorted by start they are
    # sorted by end too, and a span is free when the last taken one starting before its
    # end ends before its start (a bisection: a line of thousands of tags stays linear).
    starts: list[int] = []
    ends: list[int] = []

    def free(a: int, b: int) -> bool:
        k = bisect.bisect_left(starts, b)
        return k == 0 or ends[k - 1] <= a

    def take(a: int, b: int) -> None:
        k = bisect.bisect_left(starts, a)
        starts.insert(k, a)
        ends.insert(k, b)

    codes = [(m.start(), m.end(), m) for m in CODE_SPAN.finditer(line)]
    code_starts = [s for s, _, _ in codes]
    for m in _LINK.finditer(line):
        a, b = m.start(), m.end()
        # a link starting inside a code span is code; a code span may sit inside a link
        # (code spans never overlap: the last one starting at or before `a` is the only
        # one `a` can be inside, the last one starting before `b` the only one that can
        # run past `b`)
        k = bisect.bisect_right(code_starts, a)
        if k and a < codes[k - 1][1]:
            continue
        k = bisect.bisect_left(code_starts, b)
        if k and a < codes[k - 1][0] and b < codes[k - 1][1]:
            continue
        found.append((a, b, _link(m)))
        take(a, b)
    for s, e, m in codes:
        if free(s, e):
            found.append((s, e, Piece("code", m.group(0), text=m.group(2))))
            take(s, e)
    for m in _TAG.finditer(line):
        if free(m.start(), m.end()):
            found.append((m.start(), m.end(), Piece("tag", m.group(0))))
            take(m.start(), m.end())
    found.sort(key=lambda x: x[0])
    return _pieces(line, found)


# Reference-style links: `[text][label]`, `[label][]`, `[label]` and their definitions
# `[label]: url "title"` (CommonMark: labels match case-blind, runs of space as one).
_REF_DEFINITION = re.compile(
    r"^ {0,3}\[(?P<label>(?:[^\[\]\\]|\\.)+)\]:[ \t]*(?:<(?P<angled>[^<>\n]*)>|(?P<url>\S+))"
    r"(?:[ \t]+(?P<title>\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*$"
)
_REF_USE = re.compile(
    r"(?<!\\)(?P<bang>!?)\[(?P<text>(?:[^\[\]\\]|\\.)*)\]"
    r"(?:\[(?P<label>(?:[^\[\]\\]|\\.)*)\]|(?![(:]))"
)


def _label_key(label: str) -> str:
    return " ".join(label.split()).casefold()


def reference_definitions(lines: list[str]) -> dict[str, tuple[str, str]]:
    """label key -> (URL, title) of every reference definition outside code (first wins)."""
    found: dict[str, tuple[str, str]] = {}
    for _, line, in_code in walk(lines):
        m = None if in_code else _REF_DEFINITION.match(line)
        if m:
            url = m.group("angled") if m.group("angled") is not None else m.group("url")
            found.setdefault(_label_key(m.group("label")), (url, m.group("title") or ""))
    return found


def inline_references(text: str) -> str:
    """``text`` with every reference-style link that resolves written inline, line for line.

    So whatever judges links (citations, off-site evidence, the site's rewriters) sees
    `[x][ev]` with `[ev]: https://...` elsewhere exactly as it sees `[x](https://...)`.
    Definitions stay (they render as nothing); code is left alone.
    """
    lines = text.split("\n")
    defs = reference_definitions(lines)
    if not defs:
        return text

    def inline(m: re.Match[str]) -> str:
        label = m.group("label")
        key = _label_key(label if label else m.group("text"))
        if key not in defs:
            return m.group(0)
        url, title = defs[key]
        url = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        title = f' "{title[1:-1]}"' if title and '"' not in title[1:-1] else ""
        return f"{m.group('bang')}[{m.group('text')}]({url}{title})"

    for i, line, in_code in walk(lines):
        if in_code or "[" not in line or _REF_DEFINITION.match(line):
            continue
        lines[i] = "".join(
            _REF_USE.sub(inline, p.raw) if p.kind == "text" else p.raw for p in split_inline(line)
        )
    return "\n".join(lines)


def rewrite_inline(line: str, fn: Callable[[Piece], str | None]) -> str:
    """The line with each piece replaced by ``fn(piece)`` (None keeps it as it was)."""
    return "".join((new if (new := fn(p)) is not None else p.raw) for p in split_inline(line))


# ---------- writing ----------

# What escaping needs, and no more, so that converted text stays readable for an agent
# reading full.md raw: `init_process_group` and `[1]` are left alone.
_ESC_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")  # a backslash before punctuation
_ESC_ALWAYS = re.compile(r"[`*]")
_ESC_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")  # not between letters/digits
_ESC_BRACKET = re.compile(r"\[(?=[^\[\]]*\][(\[:])")  # a `[` that would open a link


def escape(text: str, *, html: bool = False, table: bool = False) -> str:
    """``text`` written so that markdown shows it as itself.

    ``html``: also write ``&``, ``<`` and ``>`` as entities (text bound for a page that
    is not neutralised afterwards, where ``<b>`` must not become a tag; Python-Markdown
    does not honour ``\\<``). ``table``: also escape ``|`` (a table cell) and fold
    newlines into spaces.
    """
    if html:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Each pattern only where its character occurs: most text has none of them.
    if "\\" in text:
        text = _ESC_BACKSLASH.sub(r"\\\\", text)
    if "`" in text or "*" in text:
        text = _ESC_ALWAYS.sub(lambda m: "\\" + m.group(0), text)
    if "_" in text:
        text = _ESC_UNDERSCORE.sub(r"\\_", text)
    if "[" in text:
        text = _ESC_BRACKET.sub(r"\\[", text)
    if table:
        text = text.replace("|", "\\|").replace("\n", " ")
    return text


_BLOCK_START = re.compile(r"^(\s*)([#>+=|-])")
_NUMBERED_START = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")


def escape_block_start(line: str) -> str:
    """A line of text that cannot start a heading, quote, list or table by accident
    (`# 3 ranks` or `1. Introduction` in prose stay prose)."""
    first = line.lstrip()[:1]  # `\s` and `str.isspace` are the same characters
    if not first or (first not in "#>+=|-" and not first.isdigit()):
        return line
    return _NUMBERED_START.sub(r"\1\\\2", _BLOCK_START.sub(r"\1\\\2", line))


# A line that GitHub (cmark-gfm), the site's GitHub pass (markdown-it) or Python-Markdown
# could read as the start of a block when it follows a paragraph line: a bullet or
# ordered item (any start number: in a list, `2.` starts a sibling item), an ATX
# heading, a quote, a setext underline, a thematic break, a table delimiter row, a
# fence, an HTML block, an admonition or details opener. Up to 3 spaces may come first
# (4 or a tab make a paragraph's continuation line); in a list item any may (they count
# from the item's text, not from the margin).
_OPENS_A_BLOCK = (
    r"(?:[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|[#>]|`{3}|~{3}|<[A-Za-z/!?]|!{3}|\?{3}"
    r"|=+[ \t]*$|[-|: \t]*-[-|: \t]*$|(?:_[ \t]*){3,}$|(?:\*[ \t]*){3,}$)"
)
_BLOCK_LIKE = re.compile(r"[ ]{0,3}" + _OPENS_A_BLOCK)
_BLOCK_LIKE_NESTED = re.compile(r"[ \t]*" + _OPENS_A_BLOCK)
_COMMENT = re.compile(r"(?<!\\)(?:\\\\)*%")  # TeX's `%`, not an escaped `\%`


def one_paragraph_math(block: str, *, nested: bool = False) -> str:
    """A `$$...$$` block of TeX written as one paragraph for every reader: a line that
    could open a block (`- \\!x`, `> 0`, `1. `) is joined to the line before it, and
    blank lines (a paragraph break to markdown, an error in TeX math) are dropped.
    ``nested``: the block goes into a list item, where an indented line may open one.

    TeX reads a line end as a space, so the joined line means what the two did (a
    control word keeps the space that ends it: `\\alpha` + `x`); a `%` comment ends
    where its line did, so the comment is dropped with the line end it swallowed."""
    opens = _BLOCK_LIKE_NESTED if nested else _BLOCK_LIKE
    lines: list[str] = []
    for line in block.split("\n"):
        _add_math_line(lines, line, opens)
    return "\n".join(lines)


_ANY_LINE = re.compile("")


def one_line_math(block: str) -> str:
    """A `$$...$$` block of TeX on one line, joined as `one_paragraph_math` joins (for
    a formula inside a paragraph, whose lines a writer escapes and breaks as text)."""
    lines: list[str] = []
    for line in block.split("\n"):
        _add_math_line(lines, line, _ANY_LINE)
    return "\n".join(lines)


def _add_math_line(lines: list[str], line: str, opens: re.Pattern[str]) -> None:
    while line.strip():
        if not lines or not opens.match(line):
            lines.append(line)
            return
        before = lines.pop()
        comment = _COMMENT.search(before)
        if comment is None:
            lines.append(before.rstrip(" \t") + " " + line.lstrip(" \t"))
            return
        # TeX drops the comment, its line end and the next line's leading blanks; what
        # is left may itself be blank or open a block, so it is added anew. (The joined
        # line starts with punctuation or a digit: no control word runs on into it.)
        line = before[: comment.end() - 1] + line.lstrip(" \t")


_BACKSLASH_BREAK = re.compile(r"(?<!\\)(?:\\\\)*\\$")  # an odd run of backslashes ends the line


def portable_breaks(markdown: str) -> str:
    """Hard line breaks written as `<br>`: CommonMark reads a line-ending backslash
    as one, Python-Markdown shows the backslash. Code and display math (`$$` blocks,
    where `\\\\` ends a row) are left alone, and so is a paragraph's last line."""
    lines = markdown.split("\n")
    in_math = False
    for i, line, in_code in walk(lines):
        if in_code:
            continue
        opens = len(re.findall(r"(?<!\\)\$\$", line)) % 2 == 1
        if in_math or opens:
            in_math = in_math != opens
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if nxt.strip() and _BACKSLASH_BREAK.search(line):
            lines[i] = line[:-1].rstrip() + "<br>"
    return "\n".join(lines)


def fence_for(code: str, char: str = "`") -> str:
    """A fence no run of ``char`` inside ``code`` can close."""
    longest = max((len(m) for m in re.findall(re.escape(char) + "+", code)), default=0)
    return char * max(3, longest + 1)


def fenced(code: str, language: str = "") -> str:
    fence = fence_for(code)
    return f"{fence}{language}\n{code}\n{fence}"


def code_span(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds ("" for blank)."""
    if not text.strip():
        return ""
    longest = max((len(m) for m in re.findall("`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


# `$...$` / `$$...$$` in a line; a `\$` is a dollar sign, not a delimiter.
_CELL_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(?!\s)(.+?)(?<![\s\\])\$")


def table_cell(text: str) -> str:
    """Markdown already rendered for a cell: one line, pipes escaped, math inline.

    A table row is one line, so display math (`$$...$$`) becomes inline math; a
    `|` inside a formula is written `\\vert` (and TeX's `\\|`, `\\Vert`), since
    an escaped pipe would reach the formula as TeX's double bar in Python-Markdown.
    """
    line = " ".join(text.replace("\\\n", " ").split())
    out, last = [], 0
    for m in _CELL_MATH.finditer(line):
        out.append(line[last : m.start()].replace("|", "\\|"))
        tex = (m.group(1) if m.group(1) is not None else m.group(2)).strip()
        tex = re.sub(r" {2,}", " ", tex.replace("\\|", "\\Vert ").replace("|", "\\vert ")).strip()
        out.append(f"${tex}$")
        last = m.end()
    out.append(line[last:].replace("|", "\\|"))
    return "".join(out)


def pipe_table(rows: list[list[str]]) -> str:
    """A pipe table; the first row is the header, short rows are padded."""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(["---"] * width) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(out)


_HTML_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def html_images_to_figures(markdown: str) -> str:
    """`<img alt=...>` tags in someone's markdown become `[Figure: alt]` (outside code)."""

    def figure(m: re.Match[str]) -> str:
        alt = _ALT.search(m.group(0))
        text = " ".join(next((g for g in alt.groups() if g), "").split()) if alt else ""
        return f"[Figure: {text}]" if text else "[Figure]"

    lines = markdown.split("\n")
    for i, line, in_code in walk(lines):
        if not in_code:
            lines[i] = _HTML_IMG.sub(figure, line)
    return "\n".join(lines)
