"""extract.markdown: the one place for markdown syntax (fences, headings, escaping, writers)."""

from __future__ import annotations

import markdown as pymd
import pytest

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
