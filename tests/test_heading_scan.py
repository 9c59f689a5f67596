"""The heading line scan against markdown-it's block parse: where the scan answers, it
gives the parse's headings, and code lines that agree with the parse's on every line
holding ``<a`` (what `extract.anchors` asks of it).

Random documents are built from line pieces chosen to be tricky (fences of both kinds
and lengths, in and out of lists and quotes, setext underlines, thematic breaks, every
HTML block opener, indented and tab-indented lines, headings with closing runs or
escapes, link reference definitions, tables, `<a id>` markers in code and out). A
plain `pytest` tries a thousand; the slow pass tens of thousands. Real documents: every
full.md and markdown file of ../shared/corpus when it is there.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from extract import anchors
from extract.heading_scan import scan
from extract.markdown import _blocks, inline_text, lines_of, parsed_inline_text

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"

PIECES = [
    # headings and lines that only look like them
    "# Title", "## Title ##", "###### six", "####### seven", "#", "# ", "#tag", "\\# escaped",
    "  # indented", "   ## three", "    # code", "## a  ###  ", "# x #", "# x\\#", "#\tx",
    "## *em* and `code`", "## [ref]", "## [link](https://example.invalid/x)", "# a | b",
    "# a\u00a0", "#\u00a0a", "## Ünïcödé &amp; entity",
    # paragraph text
    "Para text", "more text", "\u00a0x", "text with | pipe", "$$", "x = 1", "[x]", " text",
    "  text",
    # link reference definitions
    "[ref]: /url", "[ref]:", "  /url", '[ref]: /u "ti', '  tle"', "[Ref]: <x y>",
    # <a id> markers
    '<a id="x"></a>', '<a id="y"></a> text', '  <a id="e"></a>', '    <a id="d"></a>',
    '      <a id="c"></a>', '\t<a id="f"></a>', '> <a name="g"></a>', '-     <a id="h"></a>',
    '>     <a id="i"></a>', '- <a id="l"></a>', '1. <a id="m"></a> note',
    # fences
    "```", "````", "~~~", "~~~~", "```py", "``` `x`", "  ```", "   ```", "    ```", "\t```",
    " ~~~~", "```\t", "~~~ ~", "`` x", "```  ",
    # setext underlines and thematic breaks
    "===", "---", "  ---", "    ---", "- - -", "***", "___", "* * *", "_ _ _", "-", "=", "--",
    "  ===",
    # lists
    "- item", "* item", "+ item", "1. item", "2) item", "10. x", "  - nested", "    - deep",
    "-\titem", "- # h", "1. ```", "  ```", "   code in item", "      code", "- ---",
    "- ```", "- ~~~", "* ````", "  ~~~", "     ```", "      ```", "  - ```", "1.  ```", "2. ```",
    "0. ```", "   x", "    x", "1.  x", "  ````", "  ``` `x`", "- - ```", "   - ```", "  `` x",
    "- [ ] task", "* ", "1.", "1)  x", "0. zero", "0) x", "-     x", "  1. x", "   - x", "- > q",
    # block quotes
    "> quote", "> # h", ">", "> ```", "> - item", ">> x", "> > x", ">\tx", "> ===", "> ---",
    " > q",
    # HTML blocks, each type
    "<div>", "</div>", "<DIV>", "<!-- c", "-->", "<!-- c -->", "<script>", "</script>",
    "<?php", "?>", "<!DOCTYPE html>", "<![CDATA[", "]]>", "<span>", '<span class="x">',
    '<a href="x">', "<pre>", "</pre>", "<textarea>", "</textarea>",
    # tables
    "| a | b |", "|---|---|", "| - | - |", "a | b", "--|--", ":-:|:-:", "| c |", "a|b", "-|-",
    "| x \\| y |", "|:--|--:|", "x | y | z",
    # indentation
    "    code", "\tcode", "  \tx", "     more",
    # blank
    "", "", "", "   ", "\t",
]  # fmt: skip


def random_doc(rng: random.Random, longest: int = 25) -> str:
    lines = [rng.choice(PIECES) for _ in range(rng.randint(1, longest))]
    text = "\n".join(lines)
    return text + "\n" if rng.random() < 0.3 else text


# Fenced code in list items: items of each kind, and fences, text, headings and markers
# 0-7 columns in, so every column a fence may open, close or be cut off at comes up.
LIST_PIECES = [
    "- x", "* x", "+ x", "1. x", "2. x", "10. x", "1.  x", "-", "- ```", "1. ```", "- ~~~",
    "  - x", "   1. x", "- - ```", "-     x", "  -      x", "1.      ```", "- \t```", "- \tx", "", "", "",
    *(" " * n + piece for n in range(8) for piece in ("```", "````", "~~~", "x", "# h", '<a id="k"></a>')),
]  # fmt: skip


def disagreement(text: str) -> str | None:
    """What the scan gets wrong about ``text`` (None: it agrees, or it is not sure)."""
    found = scan(text)
    if found is None:
        return None
    heads, code = found
    parsed = _blocks(text)
    if heads != parsed.headings:
        return f"headings {heads} != {parsed.headings}"
    if not code <= parsed.code:
        return f"code {sorted(code - parsed.code)} not code"
    lines = text.split("\n")
    missed = [i for i in parsed.code - code if i < len(lines) and "<a" in lines[i]]
    return f"code lines with <a missed: {missed}" if missed else None


@pytest.mark.parametrize(
    "count, seed, longest",
    [
        (400, 7, 25),
        (600, 8, 6),
        pytest.param(6000, 11, 25, marks=pytest.mark.slow),
        pytest.param(30000, 12, 6, marks=pytest.mark.slow),
    ],
)
def test_scan_agrees_with_the_parse_on_random_documents(count, seed, longest):
    """A plain `pytest` tries 1,000 random documents (long ones, and short ones where
    every pair of pieces comes up); the slow pass 36,000 others."""
    rng = random.Random(seed)
    answered = 0
    for _ in range(count):
        text = random_doc(rng, longest)
        assert disagreement(text) is None, text
        answered += scan(text) is not None
    assert answered > count // 3  # the scan answers for most documents, not only trivial ones


@pytest.mark.parametrize(
    "count, seed", [(1500, 13), pytest.param(40000, 14, marks=pytest.mark.slow)]
)
def test_scan_agrees_with_the_parse_on_fences_in_list_items(count, seed):
    """A plain `pytest` tries 1,500 random lists with fences; the slow pass 40,000."""
    rng = random.Random(seed)
    answered = 0
    for _ in range(count):
        text = "\n".join(rng.choice(LIST_PIECES) for _ in range(rng.randint(2, 8)))
        assert disagreement(text) is None, text
        answered += scan(text) is not None
    assert answered > count // 3


@pytest.mark.parametrize(
    "text",
    [
        # a reference link in a heading: its text is the link's, which the parse's env knows
        "## [ref]\n\n[ref]: https://example.invalid/x\n",
        "[ref]: /u\n\n# A [ref] heading\n",
        # a definition, then lines the parser reads afresh after it
        '[ref]: /u\n    <a id="x"></a>\n',
        "[ref]: /u\n2. item\n  # nested\n",
        # setext headings, top level and nested
        "Title\n===\n",
        '<a id="x"></a>\n---\n',
        "- item\n  ---\n",
        "> quote\n===\n",
        # code inside a list item holding a marker
        '- item\n\n      <a id="x"></a>\n',
        '-     <a id="x"></a>\n',
        '>     <a id="x"></a>\n',
        # a fence in a nested item whose text starts as code (its column is the item's)
        "- x\n  -      y\n    ```\n      ```\n    # h\n",
        "- x\n\n  -      y\n    ```\n      ```\n    # h\n",
        # a fence in a list item, closed by a line at the margin
        "- item\n  ```\n# heading\n  ```\n",
        # a table whose header is an ATX line
        "# a | b\n|---|---|\n| c | d |\n",
        # nesting deeper than markdown-it reads (in lists, it then reads nothing more)
        ">" * 30 + " x\n# after\n",
        "- " * 20 + "x\n\n# after\n",
        "".join("  " * k + "- a\n" for k in range(15)) + "\n# after\n",
    ],
)
def test_scan_is_unsure_or_right_on_the_hard_cases(text):
    assert disagreement(text) is None


def test_a_table_the_parser_stops_filling_is_left_to_it():
    """markdown-it-py stops a table once its rows leave too many cells to fill in: the
    lines after are read as a paragraph, so an indented marker line is text, not code."""
    header = "|" + "|".join("h" * 1 for _ in range(300)) + "|"
    text = "\n".join([header, "|" + "---|" * 300, *(["x"] * 300), '    <a id="late"></a>', "# End"])
    assert disagreement(text) is None
    assert scan(text) is None


def test_scan_answers_for_the_common_shapes():
    """Lists, tables, `<a id>` lines, fences at the margin, math and quotes without
    headings do not send a document to the parse."""
    text = "\n".join(
        [
            "# Title",
            "",
            '<a id="intro"></a>',
            "## Intro",
            "",
            "Some text with a [link](https://example.invalid/).",
            "",
            "- one",
            "- two",
            "  continued",
            "",
            '1. <a id="fn1"></a>A note.',
            "",
            "| a | b |",
            "|---|---|",
            "| 1 | 2 |",
            "",
            "```python",
            "# a comment, not a heading",
            "```",
            "",
            "$$",
            "x = 1",
            "$$",
            "",
            "> A quote",
            "> over two lines",
            "",
            "    indented code",
            "",
            "## End ##",
        ]
    )
    found = scan(text)
    assert found is not None
    assert [h.text for h in found[0]] == ["Title", "Intro", "End"]
    assert disagreement(text) is None


def _body_by_lines(markdown: str) -> tuple[str, int]:
    """The body as `extract.anchors` cut it before: split into lines, joined again."""
    lines = lines_of(markdown)
    start = anchors.front_matter_end(lines)
    while start < len(lines) - 1 and lines[start] == "":
        start += 1
    return "\n".join(lines[start:]), start


@pytest.mark.parametrize("count, seed", [(2000, 3), pytest.param(40000, 5, marks=pytest.mark.slow)])
def test_the_body_is_cut_as_by_lines(count, seed):
    rng = random.Random(seed)
    pieces = ["---", " --- ", "...", "title: x", "", "", " ", "# H", "text", "\r", "\r\n", "---\t"]
    for _ in range(count):
        text = "\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert anchors._body(text) == _body_by_lines(text), repr(text)


@pytest.mark.parametrize(
    "count, seed", [(3000, 3), pytest.param(100000, 9, marks=pytest.mark.slow)]
)
def test_inline_text_without_markup_is_the_parse(count, seed):
    """`inline_text` skips the parse for text with no markup character: the same text
    content as the parse, on random text with and without them."""
    rng = random.Random(seed)
    alphabet = [*"ab  \t:#$%@^{}()=+-.,;'\"/|?>1é😀\u00a0\u2028\x0c\x0b", *"\\`*_~[]!<&\n\r\0"]
    alphabet += ["http://x.y", "www.x.com", "a@b.c", "--", "...", "(c)", "&amp;", "[a](b)", "`c`"]
    for _ in range(count):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert inline_text(text) == parsed_inline_text(text), repr(text)


def test_anchors_read_through_the_scan_as_through_the_parse():
    text = '---\ntitle: x\n---\n\n# A\n\n<a id="m"></a>\n\n```\n<a id="code"></a>\n```\n\n## A\n'
    assert [(h.anchor, h.line) for h in anchors.headings(text)] == [("a", 5), ("a-1", 13)]
    assert anchors.explicit_anchors(text) == {"m"}


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted({*CORPUS.rglob("full.md"), *(CORPUS / "owner-library").rglob("*.md")})


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no ../shared/corpus beside the checkout")
def test_scan_agrees_with_the_parse_on_the_corpus():
    files = _corpus_files()
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert disagreement(anchors._body(text)[0]) is None, path
