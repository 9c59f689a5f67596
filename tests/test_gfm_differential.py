"""Random documents of what people write for GitHub render on our site as cmark-gfm
renders them (`gfm_random`: the pieces, the normalisation, the known differences), and
each difference the differential found and `docs_gen.gfm` now writes is pinned by a
construct that failed before. A plain `pytest` renders 300 documents; the slow pass
3,000 others. `bench/gfm_differential.py` runs the same comparison over real files."""

from __future__ import annotations

import random

import pytest
from gfm_corpus import github, ours
from gfm_random import KNOWN, document, known_difference, shape

from docs_gen import gfm as pass_
from docs_gen.headings import with_heading_ids


@pytest.mark.parametrize(
    ("count", "seed"),
    [(300, 1), pytest.param(3000, 2, marks=pytest.mark.slow)],
    ids=["quick", "stress"],
)
def test_random_documents_render_as_github_renders_them(count, seed):
    rng = random.Random(seed)
    excluded: dict[str, int] = {}
    for _ in range(count):
        text = document(rng)
        if (why := known_difference(text)) is not None:
            excluded[why] = excluded.get(why, 0) + 1
            continue
        assert shape(ours(text)) == shape(github(text)), text
    assert sum(excluded.values()) < count / 8, excluded  # the rules stay exceptions


# Each construct rendered otherwise before the pass wrote it (a lost break, a list made
# of text, code shown with its backslash, a table read as a paragraph...).
FIXED = {
    "backslash hard break": "line one\\\nline two\n",
    "backslash break in a list item": "- line one\\\n  line two\n",
    "backslash break in a quote": "> line one\\\n> line two\n",
    "two-space break on an item's first line": "- line one  \n  line two\n",
    "two-space break in a quote": "> line one  \n> line two\n",
    "backslash in a code span is no break": "a `b\\\nc` d\n",
    "escaped backslash is no break": "a\\\\\nb\n",
    "bare URL before a backslash": "see https://example.com/x\\\nmore\n",
    "link before a backslash break": "see [it](https://example.com/x)\\\nmore\n",
    "backslash escapes of any punctuation": 'a \\= b \\: c \\" d \\< e \\% f \\~ g\n\\=\n',
    "escaped pipe in a code span in a table": "| a | b |\n|---|---|\n| `x \\| y` | z |\n",
    "table without outer pipes under a paragraph": "Timings:\nstage | time\n--- | ---:\none | 1\n",
    "delimiter row with pipes under a bare header": "a | b\n|---|---|\n1 | 2\n",
    "row with a leading pipe in a bare table": "a | b\n--|--\n| 1\n",
    "ordered item past 1 under item text": "- intro\n  3. not a list\n",
    "lazy line with a marker under a 2-space nesting": "1. one\n  2. two\n    1. lazy text\n",
    "lazy `1)` line": "1. one\n  2. two\n    1) lazy text\n",
    "indented code under a 2-space nested list": "1. one\n  1. two\n\n    * code\n",
    "two quotes a blank line apart": "> first\n\n> second\n",
    "lazy table lines in a quote": "> quote\n| a | b |\n|---|---|\n",
    "lazy table lines in a list": "- a\n  - b\n| x | y |\n|---|---|\n| 1 | 2 |\n",
    "fence lines lazy in an under-indented item": (
        "- x\n    1. y\n      2. z\n         ```\n         code()\n         ```\n"
    ),
}


@pytest.mark.parametrize("name", list(FIXED))
def test_each_fixed_construct_renders_as_github(name):
    text = FIXED[name]
    assert shape(ours(text)) == shape(github(text))


# One document per known difference: it does differ, and its rule names it.
KNOWN_EXAMPLES = {
    "markdown right under an HTML line": "<br>\n**bold**\n",
    "a link definition next to a line": "See [a][r].\n[r]: https://example.com/r\n",
    "a hard break in a setext heading": "Title  \nmore\n---\n",
    "a backslash break beside `$$` math": "a\\\nb\n$$\nx\n$$\n",
    "an HTML line right under a table, list or quote": '- item\n<img src="i.png">\n',
    "indented code under a link definition or a closing tag": (
        "<details>\n<summary>s</summary>\n\ntext\n\n</details>\n\n    code\n"
    ),
    "single tildes": "a ~5 ms~ wait\n",
    "`[text] [label]` with a space": "[see] [r]\n\n[r]: https://example.com/r\n",
}


@pytest.mark.parametrize("name", list(KNOWN))
def test_each_known_difference_is_real_and_named_by_its_rule(name):
    text = KNOWN_EXAMPLES[name]
    assert known_difference(text) == name
    assert shape(ours(text)) != shape(github(text))


@pytest.mark.parametrize(
    ("pages", "seed"), [(1500, 61), pytest.param(12000, 67, marks=pytest.mark.slow)]
)
def test_the_fast_paths_write_what_one_parse_writes(pages, seed):
    """Pages with hard breaks, tables with and without outer pipes, escaped pipes in
    code, lazy lines and quotes beside headings that cut sections: `gfm` (its gate,
    sections kept without a parse) writes what rewriting the page from one parse does."""

    def one_parse(text):
        if not pass_._may_change(text):
            return text
        return "\n".join(pass_._container(text.split("\n"), item=False))

    atoms = ["text\\", "text  ", "a\\\\", "x `y\\", "z` w", "\n# H", "\n## H", "", "", "a | b",
             "--|--", "|---|---|", "| `c \\| d` |", "| 1 | 2 |", "> q\\", "> r", "- a", "  3. b",
             "    1. c", "1) d", "```", "    code", "$$", "see https://e.com\\", "---", "<div>"]  # fmt: skip
    rng = random.Random(seed)
    for _ in range(pages):
        text = "\n".join(rng.choice(atoms) for _ in range(rng.randint(1, 14)))
        assert pass_.gfm(text) == one_parse(text), text


def test_pages_that_need_nothing_are_kept_byte_for_byte():
    for text in ["# T\n\nA line\\\\\nand `code\\`\n", "a | b in prose\n\nno table here\n",
                 "| a | b |\n|---|---|\n| `x` | y |\n", "> a quote\n> of two lines\n"]:  # fmt: skip
        assert pass_.gfm(with_heading_ids(text)[0]) == with_heading_ids(text)[0]
