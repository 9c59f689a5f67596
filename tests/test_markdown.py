"""extract.markdown: the one place for markdown syntax (fences, headings, escaping, writers)."""

from __future__ import annotations

import markdown as pymd
import pytest
from math_blocks import site_formulas, split_on_github, whole_on_github

from extract import markdown as md


@pytest.mark.parametrize(
    "text",
    [
        "init_process_group and torch.distributed",
        "_private, __dunder__ and x_",
        "[1] A. Author, a reference",
        "see [the docs](https://example.org) here",
        "a*b*c and **not bold**",
        "C:\\path\\file and back\\*slash",
        "`code` in prose",
        "5 < 6 & 7 > 3",
    ],
)
def test_escaped_text_renders_as_itself_in_python_markdown(text):
    html = pymd.markdown(md.escape(text, html=True))
    shown = html.removeprefix("<p>").removesuffix("</p>")
    expected = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert shown == expected


def test_escaping_leaves_readable_text_alone():
    assert md.escape("init_process_group") == "init_process_group"
    assert md.escape("[1] A. Author") == "[1] A. Author"
    assert md.escape("see [x](y)") == "see \\[x](y)"
    assert md.escape("a | b", table=True) == "a \\| b"


def test_block_start_escapes_keep_prose_prose():
    assert md.escape_block_start("1. Introduction") == "1\\. Introduction"
    assert md.escape_block_start("# 3 ranks") == "\\# 3 ranks"
    assert md.escape_block_start("plain") == "plain"


def test_fences_follow_commonmark():
    lines = ["```python", "x = 1", "``` not a close", "```", "after", "```a`b``` inline", "end"]
    assert [code for _, _, code in md.walk(lines)] == [True, True, True, True, False, False, False]
    assert md.open_fence(["~~~~", "code", "~~~"]) == "~~~~"
    assert md.close_fences("```\nopen") == "```\nopen\n```"


def test_demote_moves_headings_not_code():
    text = "# Title\n\n```\n# comment\n```\n###### deep"
    assert md.demote(text) == "## Title\n\n```\n# comment\n```\n###### deep"


def test_writers():
    assert md.fence_for("a ``` b") == "````"
    assert md.code_span("a`b") == "``a`b``"
    assert md.pipe_table([["h1", "h2"], ["x"]]) == "| h1 | h2 |\n|---|---|\n| x |  |"
    assert md.strip_trailing("anchor-1.") == ("anchor-1", ".")


def test_inline_pieces_concatenate_back():
    line = 'A [link](u "t") and `code [x](y)` and <b>tag</b> end'
    pieces = md.split_inline(line)
    assert "".join(p.raw for p in pieces) == line
    assert [p.kind for p in pieces if p.kind != "text"] == ["link", "code", "tag", "tag"]


def _split_by_scanning(line: str) -> list[tuple[str, str]]:
    """The rule of `split_inline` written out plainly (every span against every other):
    links unless they start inside a code span or a code span runs out of them, then
    code spans, then tags, each where nothing taken before overlaps it."""
    codes = [(m.start(), m.end(), m) for m in md.CODE_SPAN.finditer(line)]
    taken: list[tuple[int, int, str]] = []
    for m in md._LINK.finditer(line):
        a, b = m.span()
        if any(s <= a < e or a < s < b < e for s, e, _ in codes):
            continue
        taken.append((a, b, "image" if m.group("bang") else "link"))
    for s, e, _ in codes:
        if all(e <= a or s >= b for a, b, _ in taken):
            taken.append((s, e, "code"))
    for m in md._TAG.finditer(line):
        if all(m.end() <= a or m.start() >= b for a, b, _ in taken):
            taken.append((m.start(), m.end(), "tag"))
    return [(kind, line[a:b]) for a, b, kind in sorted(taken)]


def test_inline_pieces_are_the_plain_rule_on_crowded_lines():
    """`split_inline` finds overlaps by bisection (a line of thousands of tags stays
    linear): the same pieces as checking every span against every other."""
    import random

    atoms = ["`", "``", "[", "]", "(", ")", "!", "<a href='x'>", "</a>", "<b>", "x", " ",
             "\\", '"t"', "[a](b)", "`c`", "<i x=1>", "[`", "`]", "](", "`)", "<"]  # fmt: skip
    rng = random.Random(7)
    lines = ["".join(rng.choice(atoms) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    lines.append("<b>x</b> `<i>` [a `b](c)` d](e) " * 200)
    for line in lines:
        pieces = md.split_inline(line)
        assert "".join(p.raw for p in pieces) == line
        assert [(p.kind, p.raw) for p in pieces if p.kind != "text"] == _split_by_scanning(line)


def test_inline_pieces_of_a_line_without_code_or_tags_are_the_full_split():
    """A line with no backtick and no `<` is split by its links alone (no scan for code
    spans or tags): the very pieces the full split gives, link fields included."""
    import random

    atoms = ["[", "]", "(", ")", "!", "x", " ", "\\", '"t"', "'u'", "[a](b)", "![i](s.png)",
             "[s](sources/x/full.md#a)", "[t](u \"ti\")", "[[n]](m)", "(p)", "[a]", ">",
             "https://e.org/a_(b)", "*", "_"]  # fmt: skip
    rng = random.Random(29)
    lines = ["".join(rng.choice(atoms) for _ in range(rng.randint(0, 30))) for _ in range(4000)]
    linked = 0
    for line in lines:
        assert "`" not in line and "<" not in line
        pieces = md.split_inline(line)
        assert pieces == md._split_inline(line), line
        assert [(p.kind, p.raw) for p in pieces if p.kind != "text"] == _split_by_scanning(line)
        linked += any(p.kind in ("link", "image") for p in pieces)
    assert linked > 2000


@pytest.mark.parametrize(
    ("texts", "seed"), [(3000, 19), pytest.param(50000, 31, marks=pytest.mark.slow)]
)
def test_code_lines_are_the_lines_walk_calls_code(texts, seed):
    """`code_lines` (one search for lines that could be fences) and `prose_lines` give
    what stepping through every line with `walk` gives, on texts of fences of both
    characters and lengths, indented ones, info strings with backticks, closing lines
    with text after them, unclosed fences and CRs."""
    import random

    atoms = ["```", "````", "~~~", "~~~~", "```py", "``` a`b", "~~~ a`b", "   ```", "    ```",
             " ~~~", "```  ", "``` x", "text", "", "- ```", "``", "~~", "```\r", "\t```",
             "`````", "~~~ ~~~"]  # fmt: skip
    rng = random.Random(seed)
    coded = 0
    for _ in range(texts):
        lines = [rng.choice(atoms) for _ in range(rng.randint(0, 12))]
        walked = {i for i, _, in_code in md.walk(lines) if in_code}
        assert md.code_lines(lines) == walked, lines
        assert list(md.prose_lines(lines)) == [i for i in range(len(lines)) if i not in walked]
        coded += bool(walked)
    assert coded > texts / 2


def test_lines_are_commonmarks_with_or_without_a_carriage_return():
    """`lines_of` splits a text without CR by `str.split`, one with CR by the CommonMark
    rule: both give what the rule gives (a form feed or U+2028 ends no line)."""
    import random
    import re

    rule = re.compile(r"\r\n?|\n")
    rng = random.Random(7)
    atoms = ["a", " ", "\n", "\r", "\r\n", "\x0c", "\u2028", "\x0b", "\x85", ""]
    for _ in range(3000):
        text = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 10)))
        assert md.lines_of(text) == rule.split(text), repr(text)


# A formula line for each way a line can open a block after a paragraph line.
BLOCK_LIKE_MATH_LINES = [
    "- \\!\\!\\min_x f(x)",  # bullet item
    "+ g(x)",  # bullet item
    "* h",  # bullet item
    "-",  # empty item, or a setext underline
    "1) y",  # ordered item that may interrupt a paragraph
    "1. y",
    "2. y",  # a sibling item inside a list
    "# x",  # ATX heading
    "> 0",  # block quote
    ">0",
    "===",  # setext underline
    "---",  # setext underline, thematic break
    "* * *",  # thematic break
    "___",
    "|---|:-:|",  # table delimiter row
    "```x",  # fence
    "~~~ r",  # fence (TeX's ties)
    "<p \\le q",  # HTML block
    "<td",
    "<!-- c",
    "!!! note",  # admonition (Python-Markdown)
    "   - x",  # indented: still a list inside a list item
    "\t> y",
]


@pytest.mark.parametrize("line", BLOCK_LIKE_MATH_LINES)
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_display_math_is_one_formula_whatever_its_lines_begin_with(line, where):
    rows = {"first": [line, "a", "b"], "middle": ["a", line, "b"], "last": ["a", "b", line]}
    block = md.one_paragraph_math("$$\n" + "\n".join(rows[where]) + "\n$$")
    page = f"Text before.\n\n{block}\n\nText after.\n"
    tex = " ".join(" ".join(rows[where]).split())
    assert split_on_github(page) == []
    # (GitHub reads `\\!` as an escaped `!` before its math renderer sees it)
    whole = [" ".join(t.replace("\\", "").split()) for t in whole_on_github(page)]
    assert whole == [f"$$ {tex} $$".replace("\\", "")]
    formulas, left = site_formulas(page)
    assert left == [] and len(formulas) == 1
    assert " ".join(formulas[0].split()) == f"\\[ {tex} \\]"


def test_display_math_keeps_lines_that_open_no_block():
    block = "$$\n\\begin{aligned}\na &= b - c \\\\\n  &= 1.5 \\cdot x\n\\end{aligned}\n$$"
    assert md.one_paragraph_math(block) == block
    kept = "$$\n-x\n+\\alpha\n=a\n1.5\n2.x\n\\#\n< p\n|x|\n$$"
    assert md.one_paragraph_math(kept) == kept


def test_display_math_joins_as_tex_reads_a_line_end():
    join = md.one_paragraph_math
    assert join("$$\n\\alpha\n- x\n$$") == "$$\n\\alpha - x\n$$"  # a space ends `\alpha`
    assert join("$$\na \\\\\n- b\n$$") == "$$\na \\\\ - b\n$$"  # a row break stays one
    assert join("$$\na\\\n> b\n$$") == "$$\na\\ > b\n$$"  # `\` + line end: a control space
    assert join("$$\na\n\n    b\n\n$$") == "$$\na\n    b\n$$"  # blank lines: never in math
    # `%` swallows the line end: the comment goes, nothing is inserted
    assert join("$$\na % note\n- b\n$$") == "$$\na - b\n$$"
    assert join("$$\na 50\\% off\n- b\n$$") == "$$\na 50\\% off - b\n$$"
    assert join("$$\na \\\\% row\n- b\n$$") == "$$\na \\\\- b\n$$"
    # a line left blank or block-like by its comment is joined on in turn
    assert join("$$\na\n% only a comment\n- b\n$$") == "$$\na - b\n$$"
    assert join("$$\na\n-- % rule\n-\n$$") == "$$\na -- -\n$$"


def test_one_line_math_joins_every_row_as_tex_reads_them():
    assert md.one_line_math("$$a\n  - b % c\n\n= d\\\\\ne$$") == "$$a - b = d\\\\ e$$"
    assert md.one_line_math("$$x$$") == "$$x$$"
