"""HTML reader: chrome goes, the article stays, across the site families."""

from __future__ import annotations

import pytest
from convert_helpers import (
    DISCOURSE_PAGE,
    NVIDIA_PAGE,
    PROJECT_PAGE,
    SPHINX_PAGE,
    STATIC_BLOG,
    WORDPRESS_PAGE,
)

from extract.anchors import anchor_set, headings
from extract.convert.html import convert_html, prune_anchors


def body(page: str, url: str = "") -> str:
    return prune_anchors(convert_html(page, url).body)


@pytest.mark.parametrize(
    ("page", "kept", "gone"),
    [
        (
            SPHINX_PAGE,
            ["# Widget guide", "Widgets spin", "## Sharing state", "Spinning is safe"],
            [
                "Sidebar intro link",
                "Crumb trail",
                "Rate this Page",
                "previous Intro",
                "toc entry",
                "Edit on GitHub",
                "cookies",
                "newsletter",
                "Copyright",
                "evil",
            ],
        ),
        (
            NVIDIA_PAGE,
            ["# Demo Kernel Guide", "## 1. Tile Basics", "Tiles are loaded"],
            ["Products menu", "Search In", "Docs Hub", "Copyright", "Book sidebar", "Privacy"],
        ),
        (
            STATIC_BLOG,
            ["# Fast Loops", "## Set-up: the first step", "Second results"],
            ["Demo Blog footer", "About", "Share this", "Tweet", "Apr 5, 2023"],
        ),
        (
            WORDPRESS_PAGE,
            ["# Tuning Notes", "## Measure first", "perf stat ./app"],
            [
                "Home menu",
                "Posted in",
                "Previous post",
                "One thought",
                "Recent Posts",
                "powered by WordPress",
                "Example Press",
            ],
        ),
        (
            DISCOURSE_PAGE,
            ["# How do stages overlap?", "My stages never overlap", "separate streams"],
            ["Powered by Discourse", "Categories"],
        ),
        (
            PROJECT_PAGE,
            [
                "# StageFlow: Overlapping Stages",
                "## Abstract",
                "hide latency",
                "## BibTeX",
                "Ann One",
            ],
            ["More research", "Creative Commons"],
        ),
    ],
    ids=["sphinx", "nvidia", "static-blog", "wordpress", "discourse", "project-page"],
)
def test_chrome_goes_article_stays(page, kept, gone):
    md = body(page)
    for text in kept:
        assert text in md
    for text in gone:
        assert text not in md


def test_code_blocks_keep_language_and_text():
    assert "```python\nimport widgets\n# a comment that must stay\nwidgets.spin()\n```" in body(
        SPHINX_PAGE
    )
    assert "```bash\nperf stat ./app\n```" in body(WORDPRESS_PAGE)
    # A fence inside the code cannot close the block: the fence is longer.
    assert '````rust\nfn main() { println!("```"); }\n````' in body(STATIC_BLOG)


def test_sourcecode_class_names_the_language():
    page = '<article><h1>T</h1><pre class="sourceCode haskell"><code>main = pure ()</code></pre></article>'
    assert "```haskell\nmain = pure ()\n```" in body(page)


def test_tables_become_pipe_tables_with_escaped_pipes():
    md = body(NVIDIA_PAGE)
    assert "Table 1. Tile sizes." in md
    assert "| Tile | Cost \\| ratio |\n|---|---|\n| 16x16 | 1 \\| 2 |\n| spanning cell |  |" in md


def test_math_keeps_its_tex_source():
    md = body(STATIC_BLOG)
    assert "when $n \\le 10$ and also $$\\sum_i x_i$$ holds" in md
    assert "Inline $a^2 + b^2$ and display:" in md
    assert "\n$$E = mc^2$$\n" in md
    assert "$y = \\frac{1}{2}$ is KaTeX." in md
    assert "rendered" not in md  # KaTeX's visual twin is dropped
    assert "${T}_{\\mathrm{load}}$" in body(NVIDIA_PAGE)  # bare MathML translated


def test_nested_lists_keep_their_structure():
    # 4 spaces per level: Python-Markdown flattens anything less, CommonMark accepts it.
    nested = "- Outer one\n    - Inner alpha\n    - Inner beta\n        1. Deep one\n- Outer two"
    assert nested in body(STATIC_BLOG)


def test_links_absolute_and_figures_described():
    md = body(STATIC_BLOG, "https://blog.example.net/2023/04/05/fast-loops.html")
    assert "[relative link](https://blog.example.net/2023/04/other.html#part)" in md
    assert "[Figure: Figure 2: the loop, unrolled.]" in md  # figcaption preferred over alt
    assert "a loop diagram" not in md
    assert "[Figure: plain picture]" in md
    assert "[Figure: tile-diagram.svg]" in body(NVIDIA_PAGE)


def test_links_resolve_against_canonical_when_no_url_given():
    md = body(SPHINX_PAGE)
    assert "[`spin()`](https://docs.example.org/api/spin.html#spin)" in md


def test_permalink_glyphs_removed_and_duplicate_unicode_headings_anchor():
    md = body(SPHINX_PAGE + "")
    assert "¶" not in md and "Widget guide#" not in md and "state#" not in md
    blog = body(STATIC_BLOG)
    anchors = [h.anchor for h in headings(blog)]
    assert "ünïcode--überblick" in anchors
    assert "results" in anchors and "results-1" in anchors


def test_original_heading_ids_stay_citable():
    sphinx = body(SPHINX_PAGE)
    # The second "Sharing state" gets anchor sharing-state-1; the page called it id1.
    assert '<a id="id1"></a>\n## Sharing state' in sphinx
    # Ids equal to our own anchor add nothing and are not repeated.
    assert '<a id="sharing-state"></a>' not in sphinx
    assert {"id1", "sharing-state", "sharing-state-1"} <= anchor_set(sphinx)
    blog = body(STATIC_BLOG)
    assert '<a id="setup-step"></a>\n## Set-up: the first step' in blog
    assert "tile-basics" in anchor_set(body(NVIDIA_PAGE))


def test_metadata_from_the_page():
    doc = convert_html(STATIC_BLOG, "https://blog.example.net/x")
    assert (doc.title, doc.author, doc.date) == ("Fast Loops", "Ada Example", "2023-04-05")
    assert doc.source_url == "https://blog.example.net/x"
    assert convert_html(SPHINX_PAGE).source_url == "https://docs.example.org/guide/widgets.html"


def test_page_without_article_text_is_an_error():
    with pytest.raises(ValueError, match="no article text"):
        convert_html(
            "<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>"
        )
    with pytest.raises(ValueError):
        convert_html(b"")


def test_text_between_list_items_is_kept_after_the_list():
    page = (
        "<html><body><article><h1>Steps</h1><ul><li>first step</li>"
        "<p>a stray paragraph inside the list</p><li>second step</li> loose words</ul>"
        "</article></body></html>"
    )
    md = convert_html(page, "https://example.org/steps").body
    assert "- first step\n- second step" in md
    assert md.index("second step") < md.index("a stray paragraph inside the list")
    assert "loose words" in md
