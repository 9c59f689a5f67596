"""The one anchor rule (`extract.anchors`) is GitHub's: headings as CommonMark reads them,
slugs as github-slugger makes them — checked against a table, against cmark-gfm (GitHub's
own parser) and against what the converter writes."""

from __future__ import annotations

from pathlib import Path

import cmarkgfm
import pytest
from anchor_corpus import SLUGS, TRICKY, TRICKY_ANCHORS
from bs4 import BeautifulSoup
from cmarkgfm.cmark import Options

from extract.anchors import Anchorer, anchor_set, explicit_anchors, headings, slugify
from extract.convert.document import render
from extract.convert.run import build

FIXTURES = Path(__file__).parent / "fixtures"


def github_anchors(markdown: str) -> list[str]:
    """The anchors GitHub gives: cmark-gfm renders, each h1-h6's text content is slugged."""
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    anchorer = Anchorer()
    return [anchorer(h.get_text()) for h in BeautifulSoup(html, "lxml").find_all(HEADINGS)]


HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


@pytest.mark.parametrize(("text", "slug"), SLUGS)
def test_slug_table(text, slug):
    assert slugify(text) == slug


def test_tricky_corpus_gets_githubs_anchors():
    assert [h.anchor for h in headings(TRICKY)] == TRICKY_ANCHORS
    assert github_anchors(TRICKY) == TRICKY_ANCHORS


@pytest.mark.parametrize(
    "path",
    sorted(FIXTURES.glob("*/sources/*/full.md")) + sorted(FIXTURES.glob("*/refs/resources/*.md")),
    ids=lambda p: f"{p.parts[-4]}/{p.parts[-2]}/{p.name}",
)
def test_every_fixture_file_agrees_with_githubs_parser(path):
    text = path.read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2] if text.startswith("---\n") else text
    assert [h.anchor for h in headings(text)] == github_anchors(body)


def test_setext_headings_have_their_text_line_and_underline():
    md = "Intro.\n\nBackends\n--------\n\nTwo\nlines\n===\n\n## ATX\n"
    got = [(h.level, h.text, h.anchor, h.line, h.end_line, h.setext) for h in headings(md)]
    assert got == [
        (2, "Backends", "backends", 3, 4, True),
        (1, "Two lines", "twolines", 6, 8, True),  # text content "Two\nlines": \n goes
        (2, "ATX", "atx", 10, 10, False),
    ]


def test_front_matter_and_thematic_breaks_are_not_headings():
    md = "---\ntitle: x\n---\n\nText\n\n---\n\n- item\n---\n\nText\n***\n"
    assert headings(md) == []
    # without front matter a `---` under text is a setext underline
    assert [h.anchor for h in headings("Text\n---\n")] == ["text"]


def test_code_and_html_blocks_hide_headings_and_markers():
    md = (
        '```\n# no\n<a id="in-fence"></a>\n```\n\n'
        '    # no\n    <a id="indented"></a>\n\n'
        "<div>\n# no\n</div>\n\n"
        '<a id="kept"></a>\n# Yes\n'
    )
    assert [h.anchor for h in headings(md)] == ["yes"]
    assert explicit_anchors(md) == {"kept"}
    assert anchor_set(md) == {"yes", "kept"}


def test_nested_headings_count_as_on_github():
    hs = headings("> ## In a quote\n\n- ### In a list\n")
    assert [(h.anchor, h.nested) for h in hs] == [("in-a-quote", True), ("in-a-list", True)]


def test_duplicates_are_numbered_like_github():
    a = Anchorer()
    assert [a("Setup"), a("Setup"), a("Setup"), a("Setup-1")] == [
        "setup",
        "setup-1",
        "setup-2",
        "setup-1-1",
    ]


PAGE = """<!doctype html><html><head><title>Tricky headings — Example Docs</title>
<link rel="canonical" href="https://docs.example.invalid/guide/tricky.html"></head>
<body><nav><a href="/">Home</a> <a href="/guide/">Guide</a></nav>
<main><article>
<h1>Tricky headings</h1><p>Made-up intro text for the page.</p>
<h2>causal_stream_inference.py</h2><p>A file name with underscores.</p>
<h2>🚀 Traceable Collectives!</h2><p>Emoji and punctuation.</p>
<h2><code>torch.compile</code> and <em>fast</em> paths</h2><p>Inline code.</p>
<h2>Entities &amp; &lt;tags&gt;</h2><p>Entities.</p>
<h2>snake_case and *stars* and [brackets]</h2><p>Characters markdown would read.</p>
<h2>Results</h2><p>First.</p><h2>Results</h2><p>Second.</p>
<h3>Ünïcödé Größe: Straße</h3><p>Unicode.</p>
<h2 id="backends-id">Backends<a class="headerlink" href="#backends-id">¶</a></h2>
<p>A permalink glyph is chrome.</p>
</article></main><footer>Footer text</footer></body></html>
"""


def test_converted_headings_keep_the_anchor_of_the_page_heading(tmp_path):
    """What the converter writes reads back as the page's heading text, so the anchor
    is the one GitHub gives that text; GitHub's parser agrees on the file as written."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "page.html").write_text(PAGE, encoding="utf-8")
    doc = build(raw, "https://docs.example.invalid/guide/tricky.html")
    full = render({"title": doc.title}, doc.body)
    soup = BeautifulSoup(PAGE, "lxml")
    anchorer = Anchorer()
    expected = [
        anchorer(h.get_text().rstrip("¶")) for h in soup.select("article")[0].find_all(HEADINGS)
    ]
    assert expected == [
        "tricky-headings",
        "causal_stream_inferencepy",
        "-traceable-collectives",
        "torchcompile-and-fast-paths",
        "entities--tags",
        "snake_case-and-stars-and-brackets",
        "results",
        "results-1",
        "ünïcödé-größe-straße",
        "backends",
    ]
    assert [h.anchor for h in headings(full)] == expected
    assert github_anchors(full.split("---\n", 2)[2]) == expected
    assert "backends-id" in anchor_set(full)  # the page's own id survives as a marker
