"""Converted markdown renders the same in Python-Markdown (the site) and on GitHub.

Each case converts a small page written for this test, then renders the result
with the site's Python-Markdown extensions and with cmark-gfm (GitHub's own
parser; raw HTML allowed, as GitHub's sanitiser keeps `<br>` and `<a id>`), and
checks the structure both produce.
"""

from __future__ import annotations

import re

import cmarkgfm
import markdown as python_markdown
import pytest
from bs4 import BeautifulSoup
from cmarkgfm.cmark import Options
from math_blocks import site_formulas, split_on_github

from extract.convert.document import render
from extract.convert.html import convert_html
from extract.markdown import escape_block_start, table_cell

SITE_EXTENSIONS = [
    "tables",
    "attr_list",
    "md_in_html",
    "toc",
    "pymdownx.arithmatex",
    "pymdownx.superfences",
]
SITE_CONFIG = {"pymdownx.arithmatex": {"generic": True}}


def convert(article: str) -> str:
    doc = convert_html(
        f"<html><body><article><h1>T</h1>{article}</article></body></html>",
        "https://x.example/p.html",
    )
    return render({}, doc.body).split("---\n", 2)[2]  # neutralised, as written to full.md


def site(md: str) -> str:
    return python_markdown.markdown(md, extensions=SITE_EXTENSIONS, extension_configs=SITE_CONFIG)


def github(md: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE)


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


NESTED = (
    "<ul><li>Outer one<ul><li>Inner alpha with <span class='math'>\\(x^2\\)</span></li>"
    "<li>Inner beta<ol><li>Deep one</li></ol></li></ul></li><li>Outer two"
    "<pre><code class='language-python'>spin()\n</code></pre></li></ul>"
    "<ol start='98'><li>ninety-eight</li><li>ninety-nine<ul><li>under it</li></ul></li>"
    "<li>one hundred<ul><li>under the wide marker</li></ul></li></ol>"
)


def test_nested_lists_nest_in_both_renderers():
    md = convert(NESTED)
    for html in (site(md), github(md)):
        flat = re.sub(r"\s+|</?p>", "", html)  # loose or tight: the nesting is what counts
        assert "Outerone<ul><li>Inneralpha" in flat
        assert "Innerbeta<ol><li>Deepone</li></ol>" in flat
        assert re.search(r'Outertwo(<divclass="highlight">)?<pre', flat)  # code stays in the item
        assert re.search(r"</ul>(<!---->)?<ol", flat)  # two lists in a row stay two lists
        assert "ninety-nine<ul><li>underit</li></ul>" in flat
        assert "onehundred<ul><li>underthewidemarker</li></ul>" in flat
    # Math inside a nested item is found by the site's math extension, not left as TeX.
    assert '<span class="arithmatex">\\(x^2\\)</span>' in site(md)


def test_line_breaks_show_no_backslash():
    md = convert("<p>first line<br>second line</p><p>Type &lt;br&gt; to break a line.</p>")
    assert "first line<br>\nsecond line" in md
    for html in (site(md), github(md)):
        assert "\\" not in text_of(html)
        assert re.search(r"first line<br ?/?>\s*second line", html)
        assert "Type &lt;br&gt; to break" in html  # the literal text stays text


def test_numbered_text_is_escaped_after_its_digits():
    assert escape_block_start("1. Introduction") == "1\\. Introduction"
    md = convert("<p>1. Introduction, as printed.</p>")
    for html in (site(md), github(md)):
        assert "<ol" not in html and "1. Introduction, as printed." in html
        assert "\\" not in text_of(html)


def test_math_in_table_cells_renders():
    md = convert(
        "<table><tr><th>name</th><th>formula</th></tr>"
        "<tr><td>norm | abs</td><td><script type='math/tex; mode=display'>\\left| x \\right| + \\|v\\|</script></td></tr>"
        "<tr><td>inline</td><td><script type='math/tex'>a|b</script></td></tr></table>"
    )
    assert "| norm \\| abs | $\\left\\vert x \\right\\vert + \\Vert v\\Vert$ |" in md
    assert "| inline | $a\\vert b$ |" in md
    html = site(md)
    cells = re.findall(r"<td>(.*?)</td>", html)
    assert cells[0] == "norm | abs"
    assert cells[1].startswith('<span class="arithmatex">') and "$" not in cells[1]
    assert "\\vert" in cells[1] and "\\|" not in cells[1]
    assert len(re.findall(r"<td>", github(md))) == 4  # the same 2 x 2 cells on GitHub


def test_table_cell_keeps_code_and_escaped_dollars():
    assert table_cell("`a|b` costs \\$5 | $$x$$") == "`a\\|b` costs \\$5 \\| $x$"


def test_backslash_line_breaks_of_any_reader_become_br():
    # What a LaTeX reader writes for `\\` in running text, beside a display formula.
    body = "**for** $t$ in steps \\\nsample a batch \\\nupdate\n\n$$\na \\\\\nb\n$$\n\nlast line \\"
    md = render({}, body).split("---\n", 2)[2]
    assert "**for** $t$ in steps<br>\nsample a batch<br>\nupdate" in md
    assert "$$\na \\\\\nb\n$$" in md  # TeX rows untouched
    for html in (site(md), github(md)):
        assert "steps<br" in html.replace(" <br", "<br")


# A display formula whose rows begin as markdown blocks do, a comment in one of them.
DISPLAY_TEX = "f(x) =\n- \\!\\!\\min_y g(y) % the dual\n  > 0\n\n= h\n1) k"
DISPLAY_READ = "f(x) = - \\!\\!\\min_y g(y) > 0 = h 1) k"  # as TeX reads it


@pytest.mark.parametrize(
    "article",
    [
        "<p>Before</p><script type='math/tex; mode=display'>{tex}</script><p>After</p>",
        "<p>Before <script type='math/tex; mode=display'>{tex}</script> after</p>",
        "<p>Before \\[{tex}\\] after</p>",
        "<ul><li>Item<div><script type='math/tex; mode=display'>{tex}</script></div></li></ul>",
    ],
)
def test_display_math_of_a_page_is_one_formula_whatever_its_rows_begin_with(article):
    md = convert(article.format(tex=DISPLAY_TEX))
    assert split_on_github(md) == []
    paragraphs = BeautifulSoup(github(md), "lxml").find_all("p")
    found = [f for p in paragraphs for f in re.findall(r"\$\$(.*?)\$\$", p.get_text(), re.S)]
    # (GitHub reads `\\!` as an escaped `!` before its math renderer sees it)
    assert [" ".join(f.replace("\\", "").split()) for f in found] == [
        DISPLAY_READ.replace("\\", "")
    ]
    assert site_formulas(md)[1] == []
    shown = BeautifulSoup(site(md), "lxml").select(".arithmatex")
    # (in running text arithmatex writes `\\(...\\)`: its inline form of `$$`)
    assert [" ".join(e.get_text()[2:-2].split()) for e in shown] == [DISPLAY_READ]
