"""Headings and code lines of a markdown text by a line scan, where it reads as the parser does.

`extract.markdown.blocks` runs markdown-it's whole block parse, and the anchors of a long
converted document need only its headings and which of its lines are code. Such texts are
mostly top-level paragraphs, ATX headings, fences, tables, thematic breaks, HTML blocks,
indented code, and lists or quotes of plain text. `scan` follows markdown-it's block rules
for those, rule by rule at the top level (the same order, the same tests, the parser's own
HTML and table helpers), and skips a list or quote as a whole once it has seen every line
of it is plain, following fenced code in a list item whose content column is sure. Where
it cannot be sure it gives up (None) and the caller parses: a setext underline candidate;
a heading, HTML or ``<a`` line inside a list or quote, or a fence there other than those;
a tab in a container's indentation; a link reference definition that could start before
a line the scan would read otherwise, or change a heading's text; nesting deep enough to
reach markdown-it's limit. `tests/test_heading_scan.py` checks it against the parse on
random and real documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import markdown_it.common.utils as _mdit_utils
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.rules_block.table import escapedSplit, headerLineRe

from .markdown import BlockHeading, inline_text

# The trim markdown-it-py's heading and table rules use (4: the CommonMark whitespace
# set; 3: str.strip).
_trim: Callable[[str], str] = getattr(_mdit_utils, "mdTrim", str.strip)

# markdown-it-py 4 ends a table whose rows leave more than this many cells to fill in;
# a table that could reach it is left to the parser.
_CELLS = 0x10000
# A list or quote line whose text starts further right than this may sit deeper than
# markdown-it's nesting limit (after which it reads nothing): left to the parser.
_DEEPEST = 12

_LEAD = re.compile(r"[ \t]*")
_SPACES = re.compile(r" *")
_HR = re.compile(r"([*_-])(?:[ \t]*\1){2,}[ \t]*\Z")
_UNDERLINE = re.compile(r"(?:=+|-+)[ \t]*\Z")
_ATX_START = re.compile(r"#{1,6}(?:[ \t]|\Z)")
_ORDERED = re.compile(r"(\d{1,9})[.)](?=[ \t]|\Z)")
_FENCE_RUN = re.compile(r"`{3,}|~{3,}")
_MARKER = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?= |\Z)")  # a list item's marker
_DELIMITER = re.compile(r"[-:|][-:| \t]*\Z")
_MARKER_TAB = re.compile(r"(?:[-+*]|\d{1,9}[.)])\t")
# First characters of a line that may be blank, indented or start a block (or a setext
# underline): a paragraph line starting with none of them, and holding no `|`, goes on.
_MAY_START = frozenset(" \t#`~>*-_+=<0123456789") | {""}
_TERMINATES_PARAGRAPH = tuple(seq[2] for seq in HTML_SEQUENCES)
_ENDS_LIST = len(HTML_SEQUENCES) - 1  # sequences before the last (type 7) interrupt text


class _Unsure(Exception):
    """The scan cannot be sure it reads a line as the parser does."""


def scan(text: str) -> tuple[tuple[BlockHeading, ...], frozenset[int]] | None:
    """(headings, lines of code blocks outside lists and quotes) of ``text`` as
    `extract.markdown.blocks` finds them, or None where the scan is not sure.

    Every heading the scan returns is a top-level ATX heading (it is unsure of any other
    kind). Lines inside lists and quotes are never in the code set, and the scan is
    unsure of any such line containing ``<a``, so the ``<a id>`` markers outside code
    are those of the lines not in the set, as the parse has them.
    """
    if "\0" in text or "\r" in text:
        return None  # the parser replaces NUL and reads CR as a line end
    try:
        return _Scan(text).run()
    except _Unsure:
        return None


def _indent(line: str) -> tuple[int, int]:
    """(characters of leading spaces and tabs, their width with tabs expanded)."""
    if line[:1] not in " \t" or not line:
        return 0, 0  # (long lines are not copied to be measured)
    lead = _LEAD.match(line).end()  # type: ignore[union-attr]  # it matches anywhere
    if "\t" not in line[:lead]:
        return lead, lead
    width = 0
    for ch in line[:lead]:
        width += 4 - width % 4 if ch == "\t" else 1
    return lead, width


def _fence_open(s: str) -> tuple[str, int] | None:
    m = _FENCE_RUN.match(s)
    if m is None or (s[0] == "`" and "`" in s[m.end() :]):
        return None
    return s[0], m.end()


def _html_open(s: str) -> int | None:
    """Index in `HTML_SEQUENCES` of the HTML block ``s`` opens (None: none)."""
    for k, seq in enumerate(HTML_SEQUENCES):
        if seq[0].search(s):
            return k
    return None


def _list_marker(s: str) -> tuple[int, int] | None:
    """(marker value, position after it; -1 for a bullet) of a list item line."""
    if s[0] in "*-+":
        return (-1, 1) if len(s) == 1 or s[1] in " \t" else None
    m = _ORDERED.match(s)
    return (int(m.group(1)), m.end()) if m else None


def _item_start(line: str, blank: bool) -> tuple[int, str] | None:
    """(content column, text) of a line that surely opens a list item (or items) at the
    margin: its marker 0-3 spaces in (further may be code), text after 1-4 spaces (more
    is code), and not text the marker could continue (an ordered item numbered other
    than 1 cannot interrupt a paragraph: sure only after a blank line)."""
    lead = _SPACES.match(line).end()  # type: ignore[union-attr]  # it matches anywhere
    if lead > 3:
        return None
    pos, first = lead, True
    while m := _MARKER.match(line, pos):
        spaces = _SPACES.match(line, m.end()).end() - m.end()  # type: ignore[union-attr]
        if not 1 <= spaces <= 4 or m.end() + spaces == len(line) or line[m.end() + spaces] == "\t":
            return None  # text that starts as code or after a tab, or no text
        if first and not blank and line[pos] not in "-+*" and int(m.group(0)[:-1]) != 1:
            return None
        pos, first = m.end() + spaces, False
    if first or pos > _DEEPEST:
        return None
    return pos, line[pos:]


def _item_fence(line: str, blank: bool, item: int | None) -> tuple[int, str, int] | None:
    """(the content column of its list item, marker, length) of a fence that surely
    opens inside a list item: on the item's own first line, or 0-3 columns right of the
    content column of an item sure to be open (further right it would be code)."""
    if "`" not in line and "~" not in line:
        return None
    if (start := _item_start(line, blank)) is not None:
        indent, text = start
    else:
        lead = _SPACES.match(line).end()  # type: ignore[union-attr]
        if item is None or not item <= lead <= item + 3:
            return None
        indent, text = item, line[lead:]
    if text[:1] not in ("`", "~") or (f := _fence_open(text)) is None:
        return None
    if "<a" in line:
        raise _Unsure  # a fence line is code: the scan keeps no such line in a container
    return (indent, *f)


def _item_after(line: str, blank: bool, item: int | None) -> int | None:
    """The content column of the list item sure to be open after a plain ``line``:
    one it opens, or the one before when the line is as far right as its content (a
    line further left may be lazy text, or end it)."""
    if (start := _item_start(line, blank)) is not None:
        return None if start[1][:1] == ">" else start[0]
    lead = _SPACES.match(line).end()  # type: ignore[union-attr]
    if item is None or lead < item or line[lead] == ">":
        return None
    # a list marker it may open (an item the rules above are not sure of): not sure
    return None if _MARKER.match(line, lead) or _MARKER_TAB.match(line, lead) else item


class _Scan:
    def __init__(self, text: str):
        lines = text.split("\n")
        if not lines[-1].strip(" \t"):
            lines.pop()  # the parser counts no last line of only spaces and tabs
        self.lines = lines
        self.n = len(lines)
        self.refs = "]:" in text  # a link reference definition may exist
        self.headings: list[BlockHeading] = []
        self.code: set[int] = set()

    def run(self) -> tuple[tuple[BlockHeading, ...], frozenset[int]]:
        # markdown-it's top-level tokenize: blank lines skipped, then the first rule that
        # takes the line (table, code, fence, blockquote, hr, list, reference, html,
        # heading, lheading, paragraph).
        i, lines = 0, self.lines
        while i < self.n:
            line = lines[i]
            lead, width = _indent(line)
            s = line[lead:]
            if not s:
                i += 1
                continue
            if width >= 4:
                i = self._code(i)
                continue
            if "|" in s and (cols := self._table_start(i, s)):
                i = self._table(i, cols)
                continue
            c = s[0]
            if c in "`~" and (f := _fence_open(s)):
                i = self._fence(i, *f)
            elif c == ">" or (c in "*-+0123456789" and _list_marker(s) and not _HR.match(s)):
                i = self._container(i)
            elif c in "*-_" and _HR.match(s):
                i += 1
            elif c == "<" and (k := _html_open(s)) is not None:
                i = self._html(i, k, s)
            elif c == "#" and _ATX_START.match(s):
                self._heading(i, line, lead)
                i += 1
            else:
                i = self._paragraph(i, definition=c == "[")
        return tuple(self.headings), frozenset(self.code)

    # ---------- leaf blocks ----------

    def _heading(self, i: int, line: str, lead: int) -> None:
        # markdown-it's heading rule: the `#` run, then the text without its closing run.
        pos = lead
        while pos < len(line) and line[pos] == "#":
            pos += 1
        level = pos - lead
        end = len(line)
        while end > pos and line[end - 1] in " \t":
            end -= 1
        tmp = end
        while tmp > pos and line[tmp - 1] == "#":
            tmp -= 1
        if tmp < end and tmp > pos and line[tmp - 1] in " \t":
            end = tmp
        source = _trim(line[pos:end])
        if self.refs and "[" in source:
            raise _Unsure  # its text may hold a reference link (the parse's env has them)
        self.headings.append(
            BlockHeading(level, source, inline_text(source), i, i + 1, False, False)
        )

    def _code(self, i: int) -> int:
        j = last = i + 1
        while j < self.n:
            lead, width = _indent(self.lines[j])
            if lead == len(self.lines[j]):
                j += 1
            elif width >= 4:
                j += 1
                last = j
            else:
                break
        self.code.update(range(i, last))
        return last

    def _fence(self, i: int, marker: str, length: int) -> int:
        for j in range(i + 1, self.n):
            line = self.lines[j]
            if marker not in line[:4]:
                continue  # (a tab before it puts the line 4 columns in: code)
            s = line.lstrip(" ")
            if s[:1] == marker and len(line) - len(s) < 4:
                run = len(s) - len(s.lstrip(marker))
                if run >= length and not s[run:].strip(" \t"):
                    self.code.update(range(i, j + 1))
                    return j + 1
        self.code.update(range(i, self.n))
        return self.n

    def _html(self, i: int, kind: int, s: str) -> int:
        end = HTML_SEQUENCES[kind][1]
        j = i + 1
        if not end.search(s):
            while j < self.n:
                t = self.lines[j].lstrip(" \t")
                if end.search(t):
                    if t:
                        j += 1
                    break
                j += 1
        return j

    def _table_start(self, i: int, s: str) -> int:
        """markdown-it's table rule at line ``i`` (its text ``s``, not code): the number
        of columns when a table starts there, else 0."""
        if i + 1 >= self.n:
            return 0
        lead, width = _indent(self.lines[i + 1])
        d = self.lines[i + 1][lead:]
        if width >= 4 or len(d) < 2 or d[0] not in "|-:":
            return 0
        if d[1] not in "|-: \t" or (d[0] == "-" and d[1] in " \t"):
            return 0
        if not _DELIMITER.match(d):
            return 0
        columns = d.split("|")
        aligns = 0
        for k, col in enumerate(columns):
            t = _trim(col)
            if not t:
                if k == 0 or k == len(columns) - 1:
                    continue
                return 0
            if not headerLineRe.search(t):
                return 0
            aligns += 1
        header = _trim(s)
        if "|" not in header:
            return 0
        cells = escapedSplit(header)
        if cells and cells[0] == "":
            cells.pop(0)
        if cells and cells[-1] == "":
            cells.pop()
        return len(cells) if cells and len(cells) == aligns else 0

    def _table(self, i: int, columns: int) -> int:
        j = i + 2
        while j < self.n:
            line = self.lines[j]
            lead, width = _indent(line)
            s = line[lead:]
            if width < 4 and s and self._interrupts(s, in_paragraph=False):
                break
            if not _trim(s) or width >= 4:
                break
            if (j - i - 1) * columns > _CELLS:
                raise _Unsure  # the parser may stop filling cells here
            j += 1
        return j

    def _interrupts(self, s: str, in_paragraph: bool) -> bool:
        """Whether a line (its text ``s``, not code) ends a paragraph (or, outside one, a
        table): markdown-it's terminators fence, blockquote, hr, list, html, heading."""
        c = s[0]
        if c in "`~" and _fence_open(s):
            return True
        if c == ">" or (c in "*-_" and _HR.match(s)):
            return True
        if c in "*-+0123456789" and (m := _list_marker(s)):
            # after a paragraph only an item with text, numbered 1 if ordered
            return not in_paragraph or (m[0] in (-1, 1) and bool(s[m[1] :].strip(" \t")))
        if c == "<" and (k := _html_open(s)) is not None:
            return _TERMINATES_PARAGRAPH[k]
        return c == "#" and bool(_ATX_START.match(s))

    def _paragraph(self, i: int, definition: bool) -> int:
        """A paragraph from line ``i``: its end. ``definition``: it starts with ``[``, so
        the parser may take its first lines for link reference definitions and read the
        lines after them afresh; the scan is then unsure of any line that would not be
        plain text there too."""
        j, lines = i + 1, self.lines
        while j < self.n:
            line = lines[j]
            if line[:1] not in _MAY_START and "|" not in line:
                j += 1  # text at the margin that starts no block: most lines
                continue
            lead, width = _indent(line)
            s = line[lead:]
            if not s:
                break
            if width >= 4:
                if definition:
                    raise _Unsure
                j += 1
                continue
            if _UNDERLINE.match(s):
                raise _Unsure  # a setext heading
            if "|" in s and self._table_start(j, s):
                break
            if self._interrupts(s, in_paragraph=True):
                break
            if definition and (_list_marker(s) or (s[0] == "<" and _html_open(s) is not None)):
                raise _Unsure
            j += 1
        return j

    # ---------- lists and block quotes ----------

    def _container(self, i: int) -> int:
        """A run of lists and quotes from line ``i``: the line where the top level
        resumes. Only plain lines are taken (`_plain`), and fenced code in a list item
        whose content column is sure (`_item_fence`); the run ends at a line at the
        margin that ends any list or quote (a heading, fence, break or HTML block that
        interrupts text), or at a line at the margin after a blank line that opens no
        list or quote."""
        lines = self.lines
        blank, item = False, None  # item: the content column of a list item sure to be open
        j = i
        while j < self.n:
            line = lines[j]
            if line[:1] in " \t" and not line.strip(" \t") or not line:
                blank = True
                j += 1
                continue
            c = line[0]
            if c not in " \t" and j > i:
                if c in "`~" and _fence_open(line):
                    return j
                if c == "#" and _ATX_START.match(line):
                    return j
                if c in "*-_" and _HR.match(line):
                    if not blank and _UNDERLINE.match(line):
                        raise _Unsure  # a setext underline, or a break
                    return j
                if c == "<" and (k := _html_open(line)) is not None and k < _ENDS_LIST:
                    return j
                if blank and c != ">" and not _list_marker(line):
                    return j
            if (fence := _item_fence(line, blank, item)) is not None:
                j, item = self._fence_in_item(j, *fence)
            else:
                self._plain(line, after_blank=blank)
                item = _item_after(line, blank, item)
                j += 1
            blank = False
        return j

    def _fence_in_item(
        self, i: int, indent: int, marker: str, length: int
    ) -> tuple[int, int | None]:
        """markdown-it's fence rule in a list item whose content column is ``indent``:
        (the line after the fence, the item's content column if it is still open)."""
        for j in range(i + 1, self.n):
            line = self.lines[j]
            lead, width = _indent(line)
            if lead == len(line):
                continue
            if "\t" in line[:lead]:
                raise _Unsure
            if width < indent:
                return j, None  # the item ends, and its fence with it
            if "<a" in line:
                raise _Unsure  # code in a container: the scan keeps no such line
            if width - indent < 4 and line[lead] == marker:
                run = len(line) - lead - len(line[lead:].lstrip(marker))
                if run >= length and not line[lead + run :].strip(" \t"):
                    return j + 1, indent
        return self.n, None

    def _plain(self, line: str, after_blank: bool) -> None:
        """Raise unless ``line`` (inside a list or quote) is plain: whatever container
        it sits in, no reading of it is a heading, a setext underline, a fence, an HTML
        block or code holding ``<a``."""
        rest, marked, deep, after_marker = line, False, False, False
        while True:
            t = rest.lstrip(" ")
            # Code inside a container starts 4 columns right of where its text would:
            # a line with no such run of spaces (5 after a list marker, its own space
            # included) is not code, whatever container it continues.
            deep = deep or len(rest) - len(t) >= (5 if after_marker else 4)
            if not t:
                return
            c = t[0]
            if c == "\t":
                raise _Unsure
            if c == "#" and _ATX_START.match(t):
                raise _Unsure
            if c in "`~" and _fence_open(t):
                raise _Unsure
            if c == "<" and _html_open(t) is not None:
                raise _Unsure
            if c in "=-" and not after_blank and _UNDERLINE.match(t):
                raise _Unsure
            if c == ">":
                rest, after_marker = t[2:] if t[1:2] == " " else t[1:], False
            elif m := _MARKER.match(t):
                rest, after_marker = t[m.end() :], True
            elif _MARKER_TAB.match(t):
                raise _Unsure  # a list item whose text starts after a tab
            else:
                break
            marked = True
        if marked and len(line) - len(t) > _DEEPEST:
            raise _Unsure
        if deep and "<a" in line:
            raise _Unsure
