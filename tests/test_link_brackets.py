"""A claim with thousands of links builds in linear time (issue 24, item 6).

Python-Markdown rebuilt its table of bracket ends once per link in a paragraph
(quadratic: a card with 2,000 links in one claim took minutes). The site's
`docs_gen.link_brackets` reuses one table for the paragraph's tail; the HTML is
Python-Markdown's own, byte for byte.
"""

from __future__ import annotations

import random
import re

import markdown
import pytest
from markdown.inlinepatterns import LinkInlineProcessor
from mkdocs_site import build, plain_build, refs_site

from docs_gen import link_brackets
from docs_gen.link_brackets import DENSE, dense_links_as_html

EXTENSION = "docs_gen.link_brackets"


def _paragraph(n: int, seed: int) -> str:
    """Links, images, references, nested and unclosed brackets, mixed."""
    rng = random.Random(seed)
    forms = [
        lambda i: f"[a [b] c{i}](x{i}.md)",
        lambda i: f"![im{i}](i{i}.png)",
        lambda i: f"[ref{i}][r]",
        lambda i: "[unclosed [",
        lambda i: "] stray",
        lambda i: f'[l{i}](../../sources/a/full.md#x{i} "t")',
        lambda i: f"[p{i}](<a b{i}.md>)",
        lambda i: f"[[r]]({i})",
    ]
    body = " ".join(rng.choice(forms)(i) for i in range(n))
    return body + "\n\n[r]: http://r.example/\n"


@pytest.mark.parametrize("seed", range(6))
def test_the_html_is_python_markdowns_own(seed):
    text = _paragraph(150, seed)
    assert markdown.markdown(text, extensions=[EXTENSION]) == markdown.markdown(text)


def test_one_bracket_table_serves_a_paragraph_of_2000_links(monkeypatch):
    made = []
    original = link_brackets.bracket_ends

    def counted(data):
        made.append(len(data))
        return original(data)

    monkeypatch.setattr(link_brackets, "bracket_ends", counted)
    links = " ".join(f"[q{i}](../../sources/a/full.md#x{i})" for i in range(2000))
    html = markdown.markdown(links, extensions=[EXTENSION])
    assert html.count("<a href=") == 2000
    # One per pattern that reads brackets (reference, link); without the extension,
    # one per link: 2,000.
    assert len(made) == 2


@pytest.mark.parametrize("seed", range(4))
def test_the_bracket_table_answers_as_python_markdowns_at_every_bracket(seed):
    rng = random.Random(seed)
    data = "".join(rng.choice("[[]]ab\\") for _ in range(400))
    full = LinkInlineProcessor._findBracketEnds(data)
    ends = link_brackets.bracket_ends(data)
    after = [i for i in range(1, len(data) + 1) if data[i - 1] == "["]
    assert sorted(ends) == after
    assert all(ends[i] == full[i] for i in after)


def test_a_question_not_just_after_a_bracket_gets_python_markdowns_answer():
    processor = markdown.Markdown(extensions=[EXTENSION]).inlinePatterns["link"]
    data = "x [a [b] c] d ]"
    for index in range(len(data) + 1):
        stock = LinkInlineProcessor.getText(LinkInlineProcessor(r"\[", None), data, index)
        assert processor.getText(data, index) == stock


def test_the_export_writes_a_dense_paragraphs_links_as_tags_that_render_the_same():
    """For `refs site --out`, built by a plain MkDocs without the extension."""
    links = [f'[**q{i}** x](../a/full.md#x{i} "T {i}") and' for i in range(DENSE)]
    dense = "Evidence: " + " ".join(links[:50]) + "\n" + " ".join(links[50:]) + " [z](b&c.md)\n"
    sparse = "A [link](x.md) alone.\n"
    fenced = "```\n" + " ".join(links) + "\n```\n"
    text = "\n".join([dense, sparse, fenced])
    out = dense_links_as_html(text, lambda url: None if url == "b&c.md" else url)
    first = out.split("\n\n")[0]
    assert first.count("<a href=") == DENSE and first.endswith(" [z](b&c.md)")  # unknown: kept
    assert out.split("\n\n")[1:] == text.split("\n\n")[1:]  # others byte for byte
    assert markdown.markdown(out) == markdown.markdown(text)
    assert dense_links_as_html(sparse, lambda url: "changed") == sparse


def test_a_card_claim_with_2000_links_builds(make_library, tmp_path):
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    card = root / "refs/resources/beta-blog.md"
    links = " ".join(
        f"[q{i}](../../sources/beta-blog/full.md#why-queues-fill-up)" for i in range(2000)
    )
    text = card.read_text(encoding="utf-8").replace(
        "[missing](../../sources/beta-blog/full.md#no-such-heading)", links
    )
    card.write_text(text, encoding="utf-8")
    result = build(root, tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr
    plugin_page = tmp_path / "site/refs/resources/beta-blog/index.html"
    exported = refs_site(root, "--out", str(tmp_path / "out"))  # built by a plain MkDocs
    assert exported.returncode == 0, exported.stderr
    plain = plain_build(tmp_path / "out", tmp_path / "plain")
    assert plain.returncode == 0, plain.stderr
    plain_page = tmp_path / "plain/refs/resources/beta-blog/index.html"
    for page in (plugin_page, plain_page):
        hrefs = re.findall(r'href="([^"]*)"', page.read_text(encoding="utf-8"))
        assert hrefs.count("../../../sources/beta-blog/full/#why-queues-fill-up") >= 2000, page
