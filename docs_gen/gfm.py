"""Markdown written for GitHub, made to read the same to Python-Markdown.

GitHub renders with cmark-gfm (CommonMark): a list may follow a paragraph line
directly, a nested list is indented to its parent's text (2 or 3 spaces), `1)` is an
ordered marker, a fence or a table may interrupt a paragraph, and markdown resumes
inside `<details>` / `<div>` after a blank line. Python-Markdown (MkDocs) needs a blank
line before each of those, 4-space nesting, `1.` markers and `markdown="1"` on the
HTML. No maintained extension does this: mdx_truly_sane_lists and mdx_breakless_lists
fix one rule each by a fixed indent (and are unmaintained), mdx_better_lists is alpha
and replaces the list processors. So the page's markdown is rewritten instead: parsed
by markdown-it-py (the CommonMark parser the anchor rule uses already), each list,
block quote and HTML block is written in the form both readers agree on; every other
block is kept byte for byte. Inline constructs (bare URLs, `~~strike~~`) are left to
Python-Markdown extensions (`EXTENSIONS`), so both builds name the same ones.

Display math gets no protection here: GitHub parses blocks before its math renderer
looks for `$$`, so a `$$` block with a line starting `- ` or `> ` is a paragraph, a list
or a quote and a stray `$$` there, and the site shows the same; a writer sees it broken
on GitHub and fixes it. What the converters write cannot split
(`extract.markdown.one_paragraph_math`).

`gfm(markdown)` runs last on a page from the repo (cards, topic docs, guides, the
curriculum, full.md), after the passes that count lines: it may add blank lines.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from extract.markdown import BLOCK_NESTING, block_tokens, code_lines

# Python-Markdown extensions the pages need, for the plugin and `refs site --out` alike
# (besides MkDocs' defaults): sane_lists honours a list's first number and keeps ordered
# and bullet lists apart; magiclink links bare URLs and `www.` names as GitHub does;
# tilde is GitHub's `~~strikethrough~~` (its `~sub~` turned off: GitHub has none).
EXTENSIONS = {
    "sane_lists": {},
    "pymdownx.magiclink": {"hide_protocol": False, "repo_url_shortener": False},
    "pymdownx.tilde": {"subscript": False},
}

_QUICK = re.compile(
    r"^(?: {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)| {0,3}(?:```|~~~|\||>|<[a-zA-Z]))", re.M
)
_ITEM = re.compile(
    r"^(?P<indent>[ ]{0,3})(?P<marker>[-*+]|\d{1,9}[.)])(?P<space>[ ]*)(?P<rest>.*)$"
)
_QUOTE = re.compile(r"^[ ]{0,3}> ?")
_OPEN_TAG = re.compile(
    r"^(?P<lead>[ ]{0,3}<(?P<tag>details|div|section|article|aside|center|figure)\b)"
    r"(?P<attrs>[^>]*)>",
    re.I,
)
# Anything else that could start a block `_container` rewrites or spaces (an HTML block
# of any kind, indented code, a table without a leading pipe): without these and
# `_QUICK`, a container is paragraphs and headings, kept as they are without a parse.
_MAYBE_SPACED = re.compile(r"^(?: {0,3}<| {4}| {0,3}\t)|\|", re.M)
_LISTS = ("bullet_list", "ordered_list")
_SPACED = (*_LISTS, "table", "fence", "html_block", "blockquote", "code_block")


def gfm(markdown: str) -> str:
    """``markdown`` with every list, quote and HTML block written so Python-Markdown
    reads the structure GitHub reads (unchanged when there is none)."""
    if not _may_change(markdown):
        return markdown
    lines = markdown.split("\n")
    if "\r" in markdown:  # markdown-it counts a lone CR as a line end: one parse
        return "\n".join(_container(lines, item=False))
    out: list[str] = []
    last: list[Token | None] = [None]
    for start, end, tokens in _sections(lines, markdown):
        _rewrite(out, last, lines[start:end], tokens, item=False)
    return "\n".join(out)


def _may_change(markdown: str) -> bool:
    """Whether the page has anything the pass may rewrite: a line `_QUICK` finds, a
    hard break, a table (one with no leading pipe has a delimiter-like line)."""
    return bool(
        _QUICK.search(markdown)
        or _has_break(markdown)
        or _may_hold_a_table(markdown, 0, len(markdown))
    )


# A document is cut before an ATX heading at column 0 that follows a blank line: there
# every block CommonMark may be in has ended (a paragraph, table or HTML block ends at
# the blank line; a list item or quote at a line not indented under it that is no lazy
# paragraph line), except a fenced code block or an HTML block of the kinds that run to
# an end marker, at the top level: a section whose parse ends in one of those (its
# token reaching the section's end) is not cut after. Each section then parses alone to
# what the whole document parses to there, so a section of paragraphs and headings only
# (nothing `_QUICK` or `_MAYBE_SPACED` finds) needs no parse at all; the rest parse
# section by section, at the same cost as one parse of them.
_SECTION_START = re.compile(r"\n[ \t]*\n(?=#{1,6}(?:[ \t]|$))", re.M)
_RUNS_TO_A_MARKER = ("fence", "html_block")


def _sections(lines: list[str], text: str | None = None):
    """(start, end, tokens: None for a section that needs no parse) covering ``lines``
    (``text``: the lines joined, when the caller has it)."""
    if text is None:
        text = "\n".join(lines)
    cuts, offsets, line, pos = [0], [0], 0, 0  # each cut's line and its offset in `text`
    for m in _SECTION_START.finditer(text):
        line += text.count("\n", pos, m.end())
        pos = m.end()
        cuts.append(line)
        offsets.append(pos)
    cuts.append(len(lines))
    offsets.append(len(text) + 1)
    deepest = BLOCK_NESTING - 2  # past it markdown-it skips to the document's end
    start = a = 0  # the section's first line and its offset in `text`
    plain_from: int | None = None  # a run of sections that need no parse
    for end, after in zip(cuts[1:], offsets[1:], strict=True):
        if end <= start:
            continue
        b = after - 1  # the section is text[a:b], without the newline ending it
        tables = _may_hold_a_table(text, a, b)
        if not _has_break(text, a, b) and (
            not _has_special_line(text, a, b, tables) or _kept_as_written(lines[start:end], tables)
        ):
            plain_from = start if plain_from is None else plain_from
            start, a = end, after
            continue
        if plain_from is not None:
            yield plain_from, start, None
            plain_from = None
        if end == len(lines):
            yield start, end, block_tokens(text[a:b])
            return
        # Its last line (the blank one) ended by its newline, as in the whole document:
        # markdown-it counts it, so a block still open runs to the section's end.
        tokens = block_tokens(text[a:after])
        if any(
            (t.level == 0 and t.type in _RUNS_TO_A_MARKER and t.map and t.map[1] >= end - start)
            or t.level >= deepest
            for t in tokens
        ):
            # A fence or marker-ended HTML block open at the cut (or nesting deep enough
            # for markdown-it to give up): the rest of the document in one parse.
            yield start, len(lines), block_tokens(text[a:])
            return
        yield start, end, tokens
        start, a = end, after
    if plain_from is not None:
        yield plain_from, len(lines), None


# What makes a line one to look at (`_special`: what `_QUICK` or `_MAYBE_SPACED` find
# in it): at its start a list marker, a fence, a quote, any HTML, indented code or a
# tab; and a pipe anywhere, in a section that may hold a table. GitHub's table needs a
# delimiter row, a line of `|`, `-`, `:`, spaces and tabs only, right under a header
# with a pipe (markdown-it's `table` rule): in a section with no such line the pipes
# (formulas' |x|, prose) make no table and need no parse. The line starts are searched
# in the whole text from the newline before each line (a literal first character,
# found at memchr speed; an alternation first is tried at every character).
_LINE_START = r"(?: {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)| {0,3}(?:```|~~~|>|<)| {4}| {0,3}\t)"
_STARTS_SPECIAL = re.compile(_LINE_START, re.M)
_SPECIAL_LINE = re.compile("\n" + _LINE_START, re.M)
_DELIMITER_LIKE = r"[ \t]*[|:-][ \t|:-]*$"
_STARTS_DELIMITER_LIKE = re.compile(_DELIMITER_LIKE, re.M)
_DELIMITER_LIKE_LINE = re.compile("\n" + _DELIMITER_LIKE, re.M)


def _may_hold_a_table(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] (whole lines) has a line a table's delimiter row could be."""
    if text.find("|", a, b) < 0:
        return False  # no table without a pipe (and no pipe to judge)
    return bool(_STARTS_DELIMITER_LIKE.match(text, a, b) or _DELIMITER_LIKE_LINE.search(text, a, b))


def _has_special_line(text: str, a: int, b: int, tables: bool) -> bool:
    """Whether a line of text[a:b] (whole lines) is one `_special` finds."""
    if tables and text.find("|", a, b) >= 0:
        return True
    return bool(_STARTS_SPECIAL.match(text, a, b) or _SPECIAL_LINE.search(text, a, b))


# A section whose only blocks beyond paragraphs and headings are written as both readers
# take them is kept without a parse: `<a id="..."></a>` marker lines (no HTML block in
# CommonMark: the tag is not alone on its line), and lists and tables each set apart by
# blank lines, which the pass writes back line for line: a list of one-line items with
# one marker kind, `-`/`*`/`+` or `1.`, and one space; a table whose header and rows
# carry a pipe and start no other block.
_ANCHOR_LINE = re.compile(r'<a (?:id|name)="[^"<>&]*"></a>\Z')
_SIMPLE_ITEM = re.compile(r"(?P<marker>[-*+]|\d{1,9}\.) (?P<text>\S(?:.*\S)?)\Z")
_DELIMITER_ROW = re.compile(r"[ ]{0,3}\|?[ ]*:?-+:?[ ]*(?:\|[ ]*:?-+:?[ ]*)*\|?[ ]*\Z")
_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # `* ***` is a break, no item
_BLOCK_START = re.compile(
    r" {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)| {0,3}(?:```|~~~|>|<|#)| {4}|[ ]{0,3}\t"
)


def _special(line: str, tables: bool = True) -> bool:
    """Whether a line is one to look at (see `_LINE_START`); a pipe counts only where
    the section may hold a table (``tables``)."""
    return bool(_STARTS_SPECIAL.match(line) or (tables and "|" in line))


def _kept_as_written(lines: list[str], tables: bool = True) -> bool:
    """Whether the pass writes this section line for line (see above), so it needs no
    parse: each block it would look at is a marker line, or a simple table or list
    after a blank line (or the section's start). A list's item runs over the blank
    lines after it (the pass writes them anew): a list is followed by one empty line and
    a paragraph or heading at column 0 (or by the section's end), and no line of a
    section with a list is indented (it could continue an item)."""
    i, n = 0, len(lines)
    listed = False
    while i < n:
        line = lines[i]
        if not line.strip() or not _special(line, tables) or _ANCHOR_LINE.match(line):
            i += 1
            continue
        if i and lines[i - 1].strip():
            return False  # a block right under text: the pass sets it apart
        j = i
        while j < n and lines[j].strip():
            j += 1
        block = lines[i:j]
        if _simple_list(block, tables):
            if j < n and not (
                lines[j] == "" and (j + 1 == n or _paragraph_line(lines[j + 1], tables))
            ):
                return False
            listed = True
        elif not _simple_table(block):
            return False
        k = j
        while k < n and not lines[k].strip():
            k += 1
        if k < n and lines[k].lstrip(" ").startswith("["):
            return False  # a link definition makes no block: the next is right under it
        i = j
    return not (listed and any(line[:1] in (" ", "\t") and line.strip() for line in lines))


def _paragraph_line(line: str, tables: bool) -> bool:
    """A line that starts a paragraph or heading, at column 0 (not a link definition,
    which makes no block)."""
    return bool(line.strip()) and line[0] not in " \t[" and not _special(line, tables)


def _simple_list(block: list[str], tables: bool) -> bool:
    kinds = set()
    for line in block:
        m = _SIMPLE_ITEM.match(line)
        if m is None or "\t" in line or _special(m.group("text"), tables) or _BREAK.match(line):
            return False
        marker = m.group("marker")
        kinds.add("." if marker[0].isdigit() else marker)
    return len(kinds) == 1


def _simple_table(block: list[str]) -> bool:
    """A table from the block's first line to its last, or (its columns not matching)
    paragraph lines in which no table starts: no delimiter row but the second line."""
    if len(block) < 2 or not _DELIMITER_ROW.match(block[1]):
        return False
    if any(_DELIMITER_ROW.match(line) for line in block[2:]):
        return False
    if any("\\|" in line and "`" in line for line in block) or _unbordered(block):
        return False  # what `_table` rewrites
    return all("|" in line and not _BLOCK_START.match(line) for line in block)  # no break: a pipe


def _container(lines: list[str], *, item: bool) -> list[str]:
    """The blocks of a document, a list item or a quote, each in Python-Markdown's form."""
    text = "\n".join(lines)
    if _has_break(text):
        pass  # a paragraph's hard break to write (`_paragraph`)
    elif not _QUICK.search(text) and not _MAYBE_SPACED.search(text):
        return lines  # most list items: one line of text, nothing to parse for
    elif all(not _special(line) or _marker_led(line) for line in lines):
        return lines  # a claim's item: its first line opens with its `<a id>` marker
    out: list[str] = []
    _rewrite(out, [None], lines, block_tokens(text), item=item)
    return out


# An `<a id>` marker with text after it on its line (the evidence pass puts one before
# each claim): no HTML block in CommonMark (the tag is followed by more than
# whitespace), so the line is paragraph text. Without a pipe it is no table's header.
_MARKER_LED = re.compile(r'<a (?:id|name)="[^"<>&]*"></a>')


def _marker_led(line: str) -> bool:
    return "|" not in line and _MARKER_LED.match(line) is not None


def _rewrite(
    out: list[str], last: list[Token | None], lines: list[str], tokens, *, item: bool
) -> None:
    """Append ``lines`` to ``out``, each block in Python-Markdown's form (``tokens``:
    their parse; None: paragraphs and headings only). ``last`` holds the block before
    them (None: the container's first), for the blank line between two blocks.

    Blocks that Python-Markdown would run together get a blank line between them; in a
    list item the first paragraph and a list right under it stay together (a tight
    item, which Python-Markdown reads alike)."""
    if tokens is None:
        # Its blocks are kept as written and set nothing apart; only its first (a
        # heading at the section's first line) may follow a block that needs a blank.
        heading = Token("heading_open", "h1", 1, map=[0, 1])
        tokens = [heading]
    cursor = 0
    previous = last[0]
    for i, tok in _top_blocks(tokens):
        start, end = tok.map
        out += lines[cursor:start]
        kind, before = _kind(tok), _kind(previous) if previous is not None else ""
        open_line = bool(out and out[-1].strip())
        if (before in _LISTS and kind in (before, "code_block")) or (
            before == kind == "blockquote"
        ):
            # Two lists in a row: GitHub started a new one (another marker); an indented
            # code block under a list (its items' text is further in): GitHub's code;
            # two quotes a blank line apart: GitHub's two. Python-Markdown would join
            # them (the code to the last item) unless something stands between.
            out += [""] * open_line + ["<!-- -->", ""]
        elif before and open_line and (kind in _SPACED or before in _SPACED):
            tight = (
                item
                and before == "paragraph"
                and previous is not None
                and _span(previous)[0] == 0
                and kind in _LISTS
            )
            if not tight:
                out.append("")
        out += _block(tokens, i, lines[start:end], item=item)
        cursor = end
        previous = tok
    out += lines[cursor:]
    last[0] = previous


def _top_blocks(tokens: list[Token]):
    """(index, opening token) of each block at the container's own level."""
    for i, tok in enumerate(tokens):
        if tok.level == 0 and tok.map is not None and tok.nesting >= 0:
            yield i, tok


def _span(tok: Token) -> tuple[int, int]:
    """The source lines [start, end) of a block's opening token (markdown-it maps every
    one; only inline and closing tokens have no map)."""
    if tok.map is None:
        raise ValueError(f"markdown-it gave the {tok.type} token no source lines")
    return tok.map[0], tok.map[1]


def _kind(tok: Token) -> str:
    return tok.type.removesuffix("_open")


def _block(tokens: list[Token], i: int, lines: list[str], *, item: bool) -> list[str]:
    tok = tokens[i]
    if tok.type == "paragraph_open":
        return _paragraph(lines, item=item)
    if tok.type == "table_open":
        return _table(lines)
    if _kind(tok) in _LISTS:
        return _list(tokens, i, lines)
    if tok.type == "blockquote_open":
        return _quote(lines)
    if tok.type == "html_block":
        return _html(tok, lines)
    return lines


def _list(tokens: list[Token], i: int, lines: list[str]) -> list[str]:
    """Each item as `marker text` with its other lines indented by 4 (Python-Markdown's
    nesting step); items are set apart by blank lines when the list is loose or any
    item holds several blocks (Python-Markdown needs them there)."""
    base = _span(tokens[i])[0]
    items: list[tuple[str, list[str]]] = []
    level = tokens[i].level + 1
    loose = False  # CommonMark's loose list (items apart): its paragraphs are not hidden
    for tok in tokens[i + 1 :]:
        if tok.level < level:
            break
        if tok.type == "list_item_open" and tok.level == level:
            start, end = (n - base for n in _span(tok))
            items.append(_item(lines[start:end], tok))
        elif tok.type == "paragraph_open" and tok.level == level + 1 and not tok.hidden:
            loose = True
    loose = loose or any("" in body for _, body in items)
    out: list[str] = []
    for n, (marker, body) in enumerate(items):
        while body and not body[-1].strip():
            body.pop()
        if n and loose:
            out.append("")
        first, *rest = body or [""]
        # Trailing spaces kept where they are a hard break (a line follows), so a page
        # with none is written as before.
        hard = bool(rest and rest[0].strip())
        out.append(f"{marker} {first}" if hard and first.strip() else f"{marker} {first}".rstrip())
        out += [("    " + line) if line.strip() else "" for line in rest]
    return out


def _item(lines: list[str], tok: Token) -> tuple[str, list[str]]:
    """(marker, content lines) of one list item, its content read as a container."""
    lines = [_expand(line) for line in lines]
    m = _ITEM.match(lines[0])
    if m is None:  # pragma: no cover - markdown-it said it is an item
        return tok.markup, lines
    marker = m.group("marker")
    if marker[-1] == ")":
        marker = marker[:-1] + "."
    space = m.group("space")
    width = len(m.group("indent")) + len(m.group("marker")) + len(space)
    first = m.group("rest")
    if len(space) > 4:  # `-      code`: one space, then an indented code block
        width = len(m.group("indent")) + len(m.group("marker")) + 1
        first = " " * (len(space) - 1) + first
    content = [first]
    for line in lines[1:]:
        stripped = len(line) - len(line.lstrip(" "))
        # A line not indented to the item's text is a lazy line of its paragraph: kept
        # one (not a list item of its own) when read without its indentation.
        content.append(line[width:] if stripped >= width else _lazy(line.lstrip(" ")))
    while content and not content[-1].strip():
        content.pop()
    if not any(line.strip() for line in content):
        return marker, [""]
    return marker, _container(_math_to_margin(content), item=True)


# A paragraph of display math indented 1-3 spaces past its item's text (a converter
# nests by 4, past `1. ` or `- `): CommonMark drops those spaces, but they would be
# left over once the item is 4 in, and arithmatex finds `$$` only at a block's start.
_INDENTED_MATH = re.compile(r" {1,3}\$\$")


def _math_to_margin(content: list[str]) -> list[str]:
    """The item's lines with each such paragraph's first line at the item's margin."""
    found = [
        i
        for i, line in enumerate(content)
        if i and _INDENTED_MATH.match(line) and not content[i - 1].strip()
    ]
    if not found:
        return content
    code = code_lines(content)
    out = list(content)
    for i in found:
        if i not in code:
            out[i] = out[i].lstrip(" ")
    return out


def _quote(lines: list[str]) -> list[str]:
    # A line without `>` in a quote is a lazy line of its paragraph.
    inner = [_QUOTE.sub("", line, count=1) if _QUOTE.match(line) else _lazy(line) for line in lines]
    body = _container(inner, item=False)
    return [  # trailing spaces kept where they are a hard break (a line follows)
        f"> {line}"
        if line.strip() and i + 1 < len(body) and body[i + 1].strip()
        else f"> {line}".rstrip()
        for i, line in enumerate(body)
    ]


def _html(tok: Token, lines: list[str]) -> list[str]:
    """`<details>` / `<div>` whose element goes on after this block (a blank line, then
    markdown): Python-Markdown reads the markdown inside only with `markdown="1"`."""
    m = _OPEN_TAG.match(lines[0])
    if not m or "markdown" in m.group("attrs").lower():
        return lines
    if re.search(rf"</{m.group('tag')}\s*>", tok.content, re.I):
        return lines  # the element closes inside the block: plain HTML
    return [f'{m.group("lead")}{m.group("attrs")} markdown="1">' + lines[0][m.end() :], *lines[1:]]


def _expand(line: str) -> str:
    """Leading tabs as CommonMark counts them (to the next multiple of 4)."""
    if "\t" not in line:
        return line
    body = line.lstrip(" \t")
    return line[: len(line) - len(body)].expandtabs(4) + body


# ---------- inside a paragraph and a table row ----------

# A line of a paragraph in a list item that Python-Markdown would start a list with (a
# marker, a space): in CommonMark it is the paragraph's text (an ordered item that
# starts past 1, or a line not indented to its item's text), so its marker is escaped.
_LIST_LIKE = re.compile(r"[ \t]*(?:\d{1,9}(?=[.)])|(?=[-*+]))")
_LIST_LIKE_MARK = re.compile(r"[ \t]*(?:\d{1,9}[.)]|[-*+])(?:[ \t]|$)")


def _lazy(line: str) -> str:
    """A lazy paragraph line, its list marker (if it opens with one) escaped, and so
    the first pipe of a table's delimiter row (GitHub makes no table of lazy lines)."""
    if _LIST_LIKE_MARK.match(line):
        return _LIST_LIKE.sub(r"\g<0>\\", line, count=1)
    if "|" in line and _STARTS_DELIMITER_LIKE.match(line):
        i = line.index("|")
        return line[:i] + "\\" + line[i:]
    return line


def _has_break(text: str, a: int = 0, b: int | None = None) -> bool:
    """Whether text[a:b] has a line ending in an odd number of backslashes (CommonMark's
    hard line break, when in a paragraph: Python-Markdown has none)."""
    end = len(text) if b is None else b
    i = text.find("\\\n", a, end)
    while i >= 0:
        k = i
        while k > a and text[k - 1] == "\\":
            k -= 1
        if (i - k) % 2 == 0:  # the backslash before the newline is not itself escaped
            return True
        i = text.find("\\\n", i + 2, end)
    return False


_FENCE_LIKE = re.compile(r"[ \t]*(?:```|~~~)")


def _paragraph(lines: list[str], *, item: bool) -> list[str]:
    """A paragraph's lines with GitHub's hard breaks (a backslash ending a line) as
    `<br>`; a line that looks like a fence (indented, or lazy in a list item: text to
    CommonMark, a code block to Python-Markdown) joined to the line before it (the soft
    break between them a space either way); in a list item, a line that Python-Markdown
    would read as a list item with its marker escaped."""
    out = lines
    if len(lines) > 1 and any(line.endswith("\\") for line in lines[:-1]):
        out = _hard_breaks(lines)
    if len(out) > 1 and any(_FENCE_LIKE.match(line) for line in out[1:]):
        joined = out[:1]
        for line in out[1:]:
            if _FENCE_LIKE.match(line) and not joined[-1].endswith(("  ", "\\", "<br>")):
                joined[-1] += " " + line.lstrip(" \t")
            else:
                joined.append(line)
        out = joined
    if item and len(lines) > 1 and any(_LIST_LIKE_MARK.match(line) for line in lines[1:]):
        out = out[:1] + [_lazy(line) for line in out[1:]]
    return out


def _hard_breaks(lines: list[str]) -> list[str]:
    """``lines`` with each hard break's backslash as `<br>`: not in a code span, in
    inline math (an odd number of `$` before it) or a paragraph of display math."""
    text = "\n".join(lines)
    if "$$" in text:
        return lines  # arithmatex's block: TeX's `\` before a line end is its own
    spans = _code_spans(text)
    out, pos = [], 0
    for line in lines[:-1]:
        end = pos + len(line)
        run = len(line) - len(line.rstrip("\\"))
        if (
            run % 2
            and not _URL_END.search(line)
            and not any(a <= end - 1 < b for a, b in spans)
            and text.count("$", 0, end) % 2 == 0
        ):
            line = line[:-1] + "<br>"
        out.append(line)
        pos = end + 1
    return [*out, lines[-1]]


# A bare URL right before the backslash: GitHub's autolink takes the backslash into
# the URL (no break), and so does magiclink.
_URL_END = re.compile(r"(?:^|[\s*_~]|(?<!\])\()(?:https?://|www\.)\S*\\$")


def _code_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each code span of ``text`` by CommonMark's rule: a run of
    backticks (not escaped) opens one, closed by the next run of the same length."""
    spans: list[tuple[int, int]] = []
    i = 0
    while (j := text.find("`", i)) >= 0:
        k = j
        while k and text[k - 1] == "\\":
            k -= 1
        run_end = j
        while run_end < len(text) and text[run_end] == "`":
            run_end += 1
        if (j - k) % 2:  # the first backtick is escaped: the run opens after it
            j += 1
            if j == run_end:
                i = run_end
                continue
        close = re.compile(rf"(?<!`)`{{{run_end - j}}}(?!`)").search(text, run_end)
        if close is None:
            i = run_end
            continue
        spans.append((j, close.end()))
        i = close.end()
    return spans


def _table(lines: list[str]) -> list[str]:
    """A table's rows with `\\|` in a code span written `|`: GitHub unescapes the pipe
    before it reads the cell; Python-Markdown keeps code as written (and does not split
    a cell at a pipe in a code span). A header without a leading pipe gets one when
    another line has it (see `_unbordered`)."""
    out = [_unescape_code_pipes(line) if "\\|" in line and "`" in line else line for line in lines]
    if _unbordered(out):
        out[0] = "| " + out[0].lstrip(" ")
    return out


_LEADING_PIPE = re.compile(r"[ ]{0,3}\|")


def _unbordered(block: list[str]) -> bool:
    """A table whose header has no leading pipe while another line has one: GitHub drops
    a leading pipe on every line; Python-Markdown only when the header has one (else
    the line's first cell is empty, and a delimiter row `|--|` makes no table)."""
    return not _LEADING_PIPE.match(block[0]) and any(_LEADING_PIPE.match(x) for x in block[1:])


def _unescape_code_pipes(line: str) -> str:
    out, pos = [], 0
    for a, b in _code_spans(line):
        out += [line[pos:a], line[a:b].replace("\\|", "|")]
        pos = b
    return "".join([*out, line[pos:]])
