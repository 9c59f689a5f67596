"""Formulas in headings and titles outside the page body (`docs_gen/heading_math.py`):
the table of contents' entries as MathML, titles as MathML or as their TeX, and search
titles without arithmatex's delimiters. Unit tests on Python-Markdown's real output."""

from __future__ import annotations

import html
import re

import markdown
from mkdocs.structure.toc import get_toc

from docs_gen import heading_math
from docs_gen.headings import with_heading_ids
from docs_gen.mathml import tex_to_mathml
from docs_gen.pages.snippets import attr_text, tick, title_in_html
from docs_gen.plugin import REQUIRED_EXTENSIONS
from docs_gen.sanitize import sanitize_html
from extract.anchors import headings

PAGE = """\
# Notes on $O(n^2)$ attention

## 4.1 Bound on $\\frac{k-4}{B+k-14}$

### The $x < y$ case <b onclick="x()">bold</b>

## Cost in $5 and $10

## Plain heading

## `code \\(x\\) $y$` and $\\alpha_i$

## Only `\\(code\\)`
"""


def convert(text: str):
    """(sanitised HTML, toc) of a page as the plugin's Python-Markdown makes them."""
    tagged, _ = with_heading_ids(text)
    names = ["toc", "pymdownx.arithmatex", "attr_list"]
    md = markdown.Markdown(
        extensions=names, extension_configs={n: REQUIRED_EXTENSIONS[n] for n in names}
    )
    page_html = md.convert(tagged)
    return sanitize_html(page_html), get_toc(md.toc_tokens)


def flat(toc):
    out = []
    for item in toc:
        out.append(item)
        out += flat(item.children)
    return out


def test_a_toc_entry_with_a_formula_gets_its_mathml_and_keeps_its_link():
    page_html, toc = convert(PAGE)
    anchors = [h.anchor for h in headings(PAGE)]
    shown = heading_math.toc_formulas(toc, page_html)
    items = {t.id: t for t in flat(toc)}
    assert list(items) == anchors  # the one anchor rule's ids, untouched
    bound = items["41-bound-on-frack-4bk-14"]
    mathml = tex_to_mathml("\\frac{k-4}{B+k-14}", False)
    assert bound.typeset["title"] == (
        f'4.1 Bound on <span class="refs-math-inline">{mathml}</span>'
    )
    assert bound.url == "#41-bound-on-frack-4bk-14"
    assert bound.title == "4.1 Bound on \\frac{k-4}{B+k-14}"  # the nested list's label
    assert "\\(\\frac{k-4}{B+k-14}\\)" in shown


def test_a_toc_entry_keeps_only_text_and_formulas_and_nothing_live():
    page_html, toc = convert(PAGE)
    heading_math.toc_formulas(toc, page_html)
    case = {t.id: t for t in flat(toc)}["the-x--y-case-bold"]
    rich = case.typeset["title"]
    assert rich.startswith('The <span class="refs-math-inline"><math')
    assert rich.endswith("</math></span> case bold")
    assert "onclick" not in rich and "<b" not in rich  # text only, as Material's toc
    assert case.title == "The x &lt; y case bold"  # escaped: Material prints it as HTML


def test_entries_without_a_formula_are_left_as_they_are():
    page_html, toc = convert(PAGE)
    before = [(t.id, t.title) for t in flat(toc)]
    heading_math.toc_formulas(toc, page_html)
    for item, (ident, title) in zip(flat(toc), before, strict=True):
        if ident in ("cost-in-5-and-10", "plain-heading", "only-code"):
            assert item.title == title and not hasattr(item, "typeset"), ident


def test_a_code_span_that_shows_delimiters_is_no_formula():
    page_html, toc = convert(PAGE)
    heading_math.toc_formulas(toc, page_html)
    items = {t.id: t for t in flat(toc)}
    code = items["code-x-y-and-alpha_i"]
    # The code span's `\(x\) $y$` stays text; only `$\alpha_i$` is a formula.
    assert code.typeset["title"].startswith("code \\(x\\) $y$ and <span")
    assert code.typeset["title"].count("<math") == 1
    assert code.title == "code \\(x\\) $y$ and \\alpha_i"


def test_a_toc_without_delimiters_is_not_read():
    page_html, toc = convert("## Plain\n\n## Also plain\n")
    assert heading_math.toc_formulas(toc, "not the page: never parsed") == []
    assert all(not hasattr(t, "typeset") for t in flat(toc))


def test_the_page_formulas_are_kept_with_its_toc():
    page_html, toc = convert(PAGE)
    shown = heading_math.toc_formulas(toc, page_html)
    assert sorted(heading_math.page_formulas(toc)) == sorted(shown)
    assert len(shown) == 4  # O(n^2), the bound, x < y, alpha_i


def test_search_titles_read_as_tex():
    page_html, toc = convert(PAGE)
    shown = heading_math.toc_formulas(toc, page_html)
    entries = [
        {"location": "p/", "title": "Notes on \\(O(n^2)\\) attention", "text": "\\(a\\)"},
        {"location": "p/#41", "title": "4.1 Bound on \\(\\frac{k-4}{B+k-14}\\)", "text": ""},
        {"location": "p/#case", "title": "The \\(x &lt; y\\) case bold", "text": ""},
        {"location": "p/#code", "title": "<code>code \\(x\\) $y$</code> and \\(\\alpha_i\\)"},
        {"location": "p/#cost", "title": "Cost in $5 and $10", "text": ""},
    ]
    heading_math.search_titles(entries, shown)
    assert [e["title"] for e in entries] == [
        "Notes on O(n^2) attention",
        "4.1 Bound on \\frac{k-4}{B+k-14}",
        "The x &lt; y case bold",
        "<code>code \\(x\\) $y$</code> and \\alpha_i",
        "Cost in $5 and $10",
    ]
    assert entries[0]["text"] == "\\(a\\)"  # the text keeps the TeX as the body has it


def test_a_section_named_after_a_title_with_a_formula_reads_its_text():
    entries = [{"location": "p/", "title": "Card: x <span>MathML</span>", "text": ""}]
    heading_math.search_titles(entries, [], ("Card: x <span>MathML</span>", "Card: x"))
    assert entries[0]["title"] == "Card: x"


def test_titles_with_formulas_as_html_and_as_text():
    text = "Notes on $O(n^2)$ and <b> & $x < y$"
    rich = heading_math.title_html(text)
    assert rich == (
        f'Notes on <span class="refs-math-inline">{tex_to_mathml("O(n^2)", False)}</span>'
        f' and &lt;b&gt; &amp; <span class="refs-math-inline">{tex_to_mathml("x < y", False)}'
        "</span>"
    )
    assert heading_math.plain_title(text) == "Notes on O(n^2) and <b> & x < y"
    shown = heading_math.escaped_title(html.escape(text))
    assert shown == (rich, "Notes on O(n^2) and &lt;b&gt; &amp; x &lt; y")


def test_titles_without_formulas_are_left_alone():
    for text in ("Cost in $5 and $10", "Plain", "Escaped \\$x$", "`$code$` only", "$ x $"):
        assert not heading_math.has_formula(text), text
        assert heading_math.title_html(text) is None
        assert heading_math.plain_title(text) == text
        assert heading_math.escaped_title(html.escape(text)) is None


def test_a_title_in_html_and_in_an_attribute():
    assert title_in_html("A <b> title") == "A &lt;b&gt; title"
    assert "<math" in title_in_html("On $O(n)$")
    assert attr_text('A "quoted" $5 title') == "A &quot;quoted&quot; $5 title"
    # An attribute holds text: the TeX, with nothing arithmatex could take for a formula.
    assert attr_text("On $O(n)$ and $\\alpha$") == "On O(n) and &#92;alpha"
    label = tick("r", "On $O(n)$ $<b>$")
    assert "$" not in label and "<b>" not in label and "<math" not in label


def test_the_export_labels_headings_with_formulas_for_its_toc():
    tagged, _ = with_heading_ids(PAGE + "\n```\n## $x$ in code { #c }\n```\n")
    labelled = heading_math.toc_labels(tagged)
    labels = dict(re.findall(r'\{ #(\S+) data-toc-label="([^"]*)" \}$', labelled, re.M))
    assert {k: html.unescape(v) for k, v in labels.items()} == {
        "notes-on-on2-attention": "Notes on O(n^2) attention",
        "41-bound-on-frack-4bk-14": "4.1 Bound on \\frac{k-4}{B+k-14}",
        "the-x--y-case-bold": "The x < y case bold",
        # the code span's `$y$` is code, shown as it is
        "code-x-y-and-alpha_i": "code \\(x\\) $y$ and \\alpha_i",
    }  # not `$5 and $10`, not a heading in code
    assert all(re.fullmatch(r"[\w &#;]*", v) for v in labels.values())  # no syntax left
    assert heading_math.toc_labels("## Plain { #plain }\n") == "## Plain { #plain }\n"
    # Python-Markdown reads the label as text: the toc entry is the TeX, the id the same.
    md = markdown.Markdown(extensions=["toc", "attr_list", "pymdownx.arithmatex"])
    md.convert(labelled)
    entries = [(t["id"], html.unescape(t["name"])) for t in md.toc_tokens[0]["children"]]
    assert entries[:2] == [
        ("41-bound-on-frack-4bk-14", "4.1 Bound on \\frac{k-4}{B+k-14}"),
        ("cost-in-5-and-10", "Cost in $5 and $10"),
    ]


def test_the_export_front_matter_of_a_title_with_a_formula():
    meta = {"title": html.escape("Card: On $O(n)$ <b>"), "search": {"exclude": False}}
    out = heading_math.export_meta(meta)
    assert out["search"] == meta["search"]
    assert "<math" in out["title"] and "<b>" not in out["title"]
    assert out["refs_title_text"] == "Card: On O(n) &lt;b&gt;"
    plain = {"title": "Card: Plain $5"}
    assert heading_math.export_meta(plain) is plain
    # the key main.html prints unescaped is the site's alone, never a page's own
    forged = {"title": "Plain", "refs_title_text": "</title><script>x()</script>"}
    assert heading_math.export_meta(forged) == {"title": "Plain"}


FOOTER = """<main>Gamma $x$</main><footer class="md-footer">
<nav class="md-footer__inner md-grid" aria-label="Footer" >
<a href="../a/" class="md-footer__link md-footer__link--prev" aria-label="Previous: On $O(n)$">
<div class="md-footer__title"><span class="md-footer__direction">Previous</span>
<div class="md-ellipsis">
On $O(n)$
</div></div></a>
<a href="../b/" class="md-footer__link md-footer__link--next" aria-label="Next: Plain">
<div class="md-footer__title"><span class="md-footer__direction">Next</span>
<div class="md-ellipsis">
Plain
</div></div></a></nav></footer>"""


def test_the_footer_links_to_a_title_with_a_formula_show_it():
    shown = heading_math.escaped_title("On $O(n)$")
    assert shown is not None
    out = heading_math.footer_titles(FOOTER, {"On $O(n)$": shown})
    assert out.count("<math") == 1 and 'aria-label="Previous: On O(n)"' in out
    assert f'<div class="md-ellipsis">\n{shown[0]}\n</div>' in out
    assert out.startswith("<main>Gamma $x$</main>")  # the page above the footer as it was
    assert out.replace(shown[0], "On $O(n)$").replace(": On O(n)", ": On $O(n)$") == FOOTER
    assert heading_math.footer_titles(FOOTER, {}) is FOOTER
    assert heading_math.footer_titles("<p>no footer</p>", {"On $O(n)$": shown}) == (
        "<p>no footer</p>"
    )


def test_a_formula_outside_the_body_keeps_only_safe_links():
    text = "## Go $\\href{javascript:alert(1)}{x} + \\href{https://example.org/}{y}$\n"
    page_html, toc = convert(text)
    heading_math.toc_formulas(toc, page_html)
    (item,) = flat(toc)
    for rich in (item.typeset["title"], heading_math.title_html(text[3:])):
        assert rich is not None and "<math" in rich
        assert "javascript" not in rich and 'href="https://example.org/"' in rich
