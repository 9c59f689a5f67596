"""Untrusted text stays inert: the HTML sanitiser, and MathML made at build time."""

from __future__ import annotations

import pytest

from docs_gen.mathml import render_math
from docs_gen.sanitize import needs_sanitizing, sanitize_html


def test_sanitizer_drops_scripts_handlers_and_bad_links():
    html = (
        '<p>a<script>alert(1)</script><img src="x" onerror="alert(2)">'
        '<a href="javascript:alert(3)">x</a><iframe src="https://e.org"></iframe>'
        '<svg><a xlink:href="javascript:alert(4)"><text>t</text></a></svg>'
        '<span style="background:url(javascript:alert(5))">s</span>'
        '<object data="data:text/html,hi"></object><p ONCLICK="alert(6)">c</p></p>'
    )
    out = sanitize_html(html).lower()
    for bad in ("<script", "onerror", "javascript:", "<iframe", "<object", "onclick", "url("):
        assert bad not in out
    assert 'href="#blocked-unsafe-link"' in out and "<img" in out


def test_clean_html_is_returned_unchanged():
    html = '<h2 id="a">A<a class="headerlink" href="#a">¶</a></h2><p>Safe <a href="../b/">b</a> data: online=yes</p>'
    assert not needs_sanitizing(html)
    assert sanitize_html(html) is html


def test_math_becomes_mathml_and_bad_tex_stays_visible():
    html = (
        '<p><span class="arithmatex">\\(a^2 &lt; b\\)</span></p>'
        '<div class="arithmatex">\\[\\frac{1}{2}\\]</div>'
        '<p><span class="arithmatex">\\(\\frac{1}\\)</span></p>'
    )
    out = render_math(html)
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in out
    assert '<div class="refs-math"><math' in out and 'display="block"' in out
    assert "arithmatex" not in out
    assert "<msup><mi>a</mi><mn>2</mn></msup>" in out


@pytest.mark.parametrize(
    "html",
    [
        '<a title=">" onclick="x()">t</a>',
        "<a onclick=x title='>t</a>",
        "<img\nsrc=x\nonerror=y>",
        "<p>one = 1</p><a/onmouseover=x>t</a>",
        '<a href="jav&#x61;script:x">t</a>',
        '<a href=" javascript:x">t</a>',
        "<a href=JAVASCRIPT:x>t</a>",
        '<img srcset="a.png 1x, javascript:x 2x">',
        '<a href="data:text/html,x">t</a>',
        '<p style="background:url(x)">t</p>',
    ],
)
def test_the_page_scan_finds_every_unsafe_construct(html):
    assert needs_sanitizing(html)
    from bs4 import BeautifulSoup

    for el in BeautifulSoup(sanitize_html(html), "html.parser").find_all(True):
        assert not [a for a in el.attrs if a.lower().startswith("on")], el
        for a in ("href", "src", "srcset", "style"):
            value = " ".join(el.get(a)) if isinstance(el.get(a), list) else el.get(a, "")
            assert not any(x in value.lower() for x in ("javascript", "data:", "url(")), el


@pytest.mark.parametrize(
    "html",
    [
        "<p>text online=yes and a &gt; b onload=3</p>",
        '<p><a href="https://example.org/a?b=c#d">x</a> <img src="../img/a.png"></p>',
        '<p><a href="mailto:a@example.org">m</a> <a href="#sec-2">s</a></p>',
    ],
)
def test_text_that_only_looks_like_attributes_is_left_alone(html):
    assert not needs_sanitizing(html)


def test_markdown_sanitiser_leaves_what_the_html_sanitiser_leaves():
    from docs_gen.sanitize import sanitize_markdown

    md = (
        '# T {: onclick="x" }\n\nHi <script>alert(1)</script> and <img src=x\nonerror=alert(1)>'
        " ok <b>bold</b> `<script>` [a](javascript:alert(1)) ![i](data:x)\n"
        '<a href="javascript:x">link</a> <style>\np{}\n</style> after\n\n[r]: javascript:evil\n\n'
        "```\n<script>in code</script>\n```\n"
    )
    out = sanitize_markdown(md)
    assert "<script>alert" not in out and "onerror" not in out and "<style>" not in out
    assert "`<script>`" in out and "<script>in code</script>" in out  # code stays code
    assert "\\{: onclick" in out and "[r]: #blocked-unsafe-link" in out
    assert '<a href="#blocked-unsafe-link" title="link removed: it could run code">a</a>' in out
    assert "<b>bold</b>" in out and "![i]()" in out


def test_aligned_and_gathered_rows_render_as_tables_not_literal_ampersands():
    html = (
        '<div class="arithmatex">\\[\\begin{aligned}[t] a &amp;= b \\\\ c &amp;= d'
        "\\end{aligned}\\]</div>"
        '<div class="arithmatex">\\[\\begin{gathered} x \\\\ y \\end{gathered}\\]</div>'
    )
    out = render_math(html)
    assert out.count("<mtable") == 2 and out.count("<mtr>") == 4
    assert "<mi>&amp;</mi>" not in out and "<mi>&</mi>" not in out


MATH_MD = (
    "Inline $a_1 + b$ and \\(x^2\\), a price of \\$5, `$code$` and $\\frac{p-1}{m}$.\n\n"
    "$$\nT = (p-1) \\cdot t\n$$\n\n\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}\n\n"
    "```\n$not math$\n```\n"
)


def _arithmatex_formulas(md: str) -> list:
    """What arithmatex itself marks in this markdown (the plugin's path)."""
    import html
    import re

    import markdown

    out = markdown.markdown(
        md,
        extensions=["pymdownx.arithmatex", "pymdownx.superfences"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    found = []
    for tag, body in re.findall(r'<(span|div) class="arithmatex">(.*?)</\1>', out, re.S):
        tex = html.unescape(body).strip()
        tex = re.sub(r"^\\[\[(]|\\[\])]$", "", tex).strip()
        found.append((tex, tag == "div"))
    return found


def test_formula_finder_finds_what_arithmatex_marks():
    from docs_gen.mathml import formulas

    assert list(formulas(MATH_MD)) == _arithmatex_formulas(MATH_MD)


def test_the_formula_worker_gives_the_same_mathml(tmp_path):
    import time

    from docs_gen import math_store, mathml

    path = tmp_path / "full.md"
    path.write_text(MATH_MD, encoding="utf-8")
    mathml._DONE.clear()
    prefetch = math_store.Prefetch([path], min_bytes=0)
    assert prefetch.proc is not None  # a worker ran
    deadline = time.monotonic() + 60
    while prefetch.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    prefetch.collect()
    prefetch.close()
    from_worker = dict(mathml._DONE)
    assert len(from_worker) == len(set(mathml.formulas(MATH_MD))) >= 4
    mathml._DONE.clear()
    for (tex, block), out in from_worker.items():
        assert mathml.tex_to_mathml(tex, block) == out


def test_the_page_scan_finds_a_dropped_element_where_a_search_per_name_does():
    """The scan looks at each tag opening once, not the page once per dropped name:
    the same verdict as searching `<name` / `</name` as a whole name, glued or not."""
    import random

    from docs_gen import sanitize

    def per_name(low):
        for name in sanitize.DROP_ELEMENTS:
            for word in ("<" + name, "</" + name):
                if any(True for _ in sanitize._occurrences(low, word)):
                    return True
        return False

    atoms = ["<", "</", "/", "script", "scripts", "set", "settings", "animate", "motion",
             "animatemotion", "frame", "frameset", "x", "a", "-", ":", ">", " ", "p", "É",
             "<b>", "style", "STYLE", "Iframe"]  # fmt: skip
    rng = random.Random(5)
    pages = ["".join(rng.choice(atoms) for _ in range(rng.randint(1, 12))) for _ in range(20000)]
    for page in pages:
        assert sanitize._dropped_element(page.lower()) == per_name(page.lower()), page
