"""Page generation runs without MkDocs, by MkDocs' own rules: held equal here."""

from __future__ import annotations

import pytest
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from docs_gen.links import page_url, relative_url
from docs_gen.site import label, split_front_matter

SRCS = [
    "index.md",
    "README.md",
    "catalog.md",
    "refs/topics/index.md",
    "refs/resources/alpha-paper.md",
    "sources/alpha-paper/full.md",
    "sources/alpha-paper/notes/README.md",
    "sources/a b/full.md",
    "sources/ü/full.md",
    "sources/alpha-paper/raw/page.html.txt",
    "assets/refs-library/refs-library.css",
    "refs.json",
]


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("src", SRCS)
def test_page_urls_are_mkdocs_urls(src, directory_urls):
    f = File(src, src_dir=None, dest_dir="", use_directory_urls=directory_urls)
    assert page_url(src, directory_urls) == f.url


@pytest.mark.parametrize(
    ("url", "other"),
    [
        ("sources/a/full/", "refs/resources/b/"),
        ("sources/a/full/", "index.html"),
        ("./", "refs/topics/"),
        ("refs.json", "catalog/"),
        ("a/b/c.html", "a/b/d.html"),
        ("x/", "x/"),
    ],
)
def test_relative_urls_are_mkdocs_relative_urls(url, other):
    assert relative_url(url, other) == get_relative_url(url, other)


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: A\nsource_url: https://x\n---\n\n# A\n",
        "---\ntitle: [unclosed\n---\n# body\n",
        "---\n- a list\n---\n# body\n",
        "Title: MultiMarkdown\nAuthor: me\n    more\n\n# Body\n",
        "# No meta\n\ntext\n",
        "Not: meta but\nplain text: here\n",
        "",
    ],
)
def test_front_matter_is_split_as_mkdocs_splits_it(text):
    assert split_front_matter(text) == get_data(text)


def test_labels_are_text_for_html():
    assert label("vector<int> & Evil <script>") == "vector&lt;int&gt; &amp; Evil &lt;script&gt;"
    assert label('say "hi"') == "say &quot;hi&quot;"
