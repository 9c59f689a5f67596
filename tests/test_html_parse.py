"""`html_parse.parse` builds exactly the tree `BeautifulSoup(data, "lxml")` builds.

Every node is compared: its class, text or name, every field BeautifulSoup sets on
it (attributes with their value types, the per-tag settings) and every link
(parent, contents, siblings, the parse-order chain), on the project's own pages and
on markup that parsers repair in different ways.
"""

from __future__ import annotations

import gc
import warnings

import multipage_guide as guide
import pytest
import sample_pages as pages
from bs4 import BeautifulSoup, Tag

from extract.convert import html_parse

_LINKS = ("parent", "previous_element", "next_element", "next_sibling", "previous_sibling")
# The document's own fields that name the builder or the markup it was given.
_BUILDER_FIELDS = {"builder", "markup"}


def _nodes(soup: BeautifulSoup) -> list:
    out: list = [soup]
    stack = [iter(soup.contents)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        out.append(node)
        if isinstance(node, Tag):
            stack.append(iter(node.contents))
    return out


def tree_difference(a: BeautifulSoup, b: BeautifulSoup) -> str | None:
    """The first difference between two parsed documents, or None."""
    na, nb = _nodes(a), _nodes(b)
    if len(na) != len(nb):
        return f"{len(na)} vs {len(nb)} nodes"
    pos_a = {id(n): i for i, n in enumerate(na)}
    pos_b = {id(n): i for i, n in enumerate(nb)}

    def where(node, pos):
        return None if node is None else pos.get(id(node), "outside the tree")

    for i, (x, y) in enumerate(zip(na, nb, strict=True)):
        label = f"node {i} ({getattr(x, 'name', None) or str(x)[:30]!r})"
        if type(x) is not type(y):
            return f"{label}: {type(x).__name__} vs {type(y).__name__}"
        if not isinstance(x, Tag) and str(x) != str(y):
            return f"{label}: text {str(y)[:40]!r}"
        skip = _BUILDER_FIELDS if i == 0 else set()
        fx = {k: v for k, v in x.__dict__.items() if k not in skip}
        fy = {k: v for k, v in y.__dict__.items() if k not in skip}
        if fx.keys() != fy.keys():
            return f"{label}: fields {sorted(fx.keys() ^ fy.keys())}"
        for key, vx in fx.items():
            vy = fy[key]
            if key in _LINKS or key in ("_most_recent_element", "currentTag"):
                same = where(vx, pos_a) == where(vy, pos_b)
            elif key in ("contents", "tagStack"):
                same = [where(n, pos_a) for n in vx] == [where(n, pos_b) for n in vy]
            elif key == "attrs":
                same = (
                    type(vx) is type(vy)
                    and list(vx.items()) == list(vy.items())
                    and [type(v) for v in vx.values()] == [type(v) for v in vy.values()]
                )
            else:
                same = vx == vy
            if not same:
                return f"{label}: {key} {vx!r:.60} vs {vy!r:.60}"
    return None


def assert_same_parse(data: bytes | str) -> BeautifulSoup:
    expected = BeautifulSoup(data, "lxml")
    got = html_parse.parse(data)
    assert tree_difference(expected, got) is None
    assert got.decode() == expected.decode()
    assert got.original_encoding == expected.original_encoding
    return got


_PROJECT_PAGES = {
    name: getattr(pages, name)
    for name in dir(pages)
    if name.endswith(("_PAGE", "_BLOG")) and isinstance(getattr(pages, name), str)
}
_PROJECT_PAGES.update({f"guide {n}": guide.page(n) for n, _, _ in guide.PAGES.values()})


@pytest.mark.parametrize("name", sorted(_PROJECT_PAGES))
def test_the_project_pages_parse_to_the_same_tree(name):
    page = _PROJECT_PAGES[name]
    assert_same_parse(page)
    assert_same_parse(page.encode("utf-8"))


# Markup that parsers repair, and BeautifulSoup's own rules, each in one page.
TRICKY = {
    "misnested": "<p><b>bold <i>both</b> italic?</i> after</p><p>one<p>two<div>block in p</div>",
    "unclosed": "<ul><li>one<li>two<ul><li>inner</ul><li>three</ul><table><tr><td>a<td>b</table>",
    "stray end tags": "</div><p>text</span></p></b></body>tail</html>after",
    "whitespace": "<div>\n  <p>  a  </p>\t<span> </span>\r\n<pre>  \n  kept  </pre>"
    "<textarea>  </textarea><pre><b>  </b>\n</pre>\f</div>",
    "string classes": "<head><style>p{}</style><script>var a = '<p>';</script></head><body>"
    "<template><p>in template</p>  </template><ruby>字<rp>(</rp><rt>ji</rt><rp>)</rp></ruby>",
    "comments": "<!-- top --><p>a<!--  --><!--\n--><!---->b</p><!-- <p>not a tag</p> -->",
    "doctype": '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><p>x</p>',
    "processing instruction": "<?php echo 1; ?><p>x<?xml-stylesheet href='a'?></p>",
    "multi-valued attributes": '<p class=" a\tb\n c  " id="x y" accesskey="k l">t</p>'
    '<a rel="nofollow noopener" rev="r s" class="">l</a><link rel="stylesheet alternate">'
    '<table><tr><th headers="h1 h2">h</th><td headers="h3">d</td></tr></table>'
    '<form accept-charset="utf-8 latin1"></form><iframe sandbox="a b"></iframe>'
    '<P CLASS="Upper Case">u</P><output for="a b">o</output>',
    "attributes": '<p id=a id=b data-x="1 2" hidden title=\'"q"\' data-e="&amp;&lt;">t</p>'
    "<input disabled value=''><img src=x.png alt>",
    "meta substitutions": '<head><meta charset="utf-8"><meta http-equiv="Content-Type" '
    'content="text/html; charset=utf-8"><meta name="author" content="A"></head>',
    "entities": "<p>&amp; &lt;b&gt; &nbsp; &copy; &#8212; &#x1F600; &bogus; &amp</p>",
    "cdata and math": "<p><![CDATA[ raw ]]></p><svg><![CDATA[x]]><a xlink:href='#h'>s</a></svg>"
    '<math display="block"><mi>x</mi><annotation encoding="application/x-tex">x</annotation>'
    "</math>",
    "namespaces as written": '<html xmlns:foo="urn:x" xml:lang="en"><body>'
    '<foo:bar foo:a="1">t</foo:bar><svg xmlns="http://www.w3.org/2000/svg"></svg>',
    "void and odd tags": "<br/><br></br><hr><p>a<br>b</p><img><wbr><custom-el a=1>c</custom-el>"
    "<frameset><frame></frameset><noscript><p>n</p></noscript>",
    "text only": "just text, no tags at all\n\n  with lines  ",
    "empty": "",
    "head only": "<title>t</title>",
    "nested containers": "<script>a</script>b<template>c<script>d</script>e</template>f",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_markup_parses_to_the_same_tree(name):
    assert_same_parse(TRICKY[name])
    assert_same_parse(TRICKY[name].encode("utf-8"))


@pytest.mark.parametrize(
    "data",
    [
        '<meta charset="windows-1252"><p>caf\xe9 \x93quoted\x94</p>'.encode("latin-1"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            "<p>na\xefve</p>"
        ).encode("latin-1"),
        "<p>caf\xe9 without a declaration</p>".encode("cp1252"),
        "\ufeff<p>UTF-8 with a byte order mark: ü</p>".encode(),
        "<p>UTF-16: ü</p>".encode("utf-16"),
        "\ufeff<p>a str with a BOM</p>",
        b"<p>invalid UTF-8: \xff\xfe\xc3</p>",
    ],
    ids=["meta charset", "http-equiv", "undeclared", "utf-8 bom", "utf-16", "str bom", "invalid"],
)
def test_encodings_are_detected_as_beautifulsoup_detects_them(data):
    assert_same_parse(data)


def test_a_namespaced_name_is_left_to_beautifulsoups_own_builder():
    # The HTML parser reports `{a}` attribute names as `{namespace}local`, which
    # BeautifulSoup turns into namespaced attributes: the fast builder hands the page on.
    data = '<p {a}=1 class="c d">x</p><p>y</p>'
    got = assert_same_parse(data)
    assert type(got.builder) is not html_parse.FastLxmlBuilder
    plain = html_parse.parse("<p class='c d'>x</p>")
    assert type(plain.builder) is html_parse.FastLxmlBuilder


def test_the_tree_works_as_any_beautifulsoup_tree():
    soup = html_parse.parse(TRICKY["misnested"] + "<p class='a b'>find me</p>")
    assert soup.find("p", class_="b").get_text() == "find me"
    assert [p.get_text() for p in soup.select("p.a")] == ["find me"]
    new = soup.new_tag("tex-math")
    new.string = "$x$"
    soup.find("b").replace_with(new)
    soup.find("div").decompose()
    expected = BeautifulSoup(TRICKY["misnested"] + "<p class='a b'>find me</p>", "lxml")
    new = expected.new_tag("tex-math")
    new.string = "$x$"
    expected.find("b").replace_with(new)
    expected.find("div").decompose()
    assert tree_difference(expected, soup) is None


def test_the_cycle_collector_is_paused_only_while_parsing():
    assert gc.isenabled()
    html_parse.parse(TRICKY["whitespace"])
    assert gc.isenabled()
    gc.disable()
    try:
        html_parse.parse(TRICKY["whitespace"])
        assert not gc.isenabled()  # a caller's own pause is left as it was
    finally:
        gc.enable()


def test_parsing_warns_as_beautifulsoup_does():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        html_parse.parse(pages.SPHINX_PAGE)


def test_the_collector_is_enabled_again_when_reading_fails():
    with pytest.raises(ValueError), html_parse.collector_paused():
        assert not gc.isenabled()
        raise ValueError("a page that cannot be read")
    assert gc.isenabled()


def test_a_dismantled_tree_is_freed_without_the_cycle_collector():
    import weakref

    soup = html_parse.parse(TRICKY["misnested"] + TRICKY["string classes"])
    p = soup.find("p")
    text = p.find(string=True)
    refs = [weakref.ref(x) for x in (soup, soup.body, p, text, soup.find("script"))]
    kept = str(text)
    del p, text
    gc.disable()
    try:
        html_parse.dismantle(soup)
        del soup
        assert [r() for r in refs] == [None] * len(refs)  # by reference counting alone
    finally:
        gc.enable()
    assert kept == "bold "
