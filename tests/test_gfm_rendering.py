"""Markdown written for GitHub renders on our site as GitHub renders it (`docs_gen.gfm`
plus the extensions it names): for each construct people write (lists right after a
paragraph, 2- and 3-space nesting, bare URLs, autolinks, tables, HTML blocks, headings,
code spans...), the element tree of our HTML equals cmark-gfm's. Checked on the
markdown pass alone, then on built pages of both builds (the plugin, and `refs site
--out` built by plain MkDocs)."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from gfm_corpus import CONSTRUCTS, github, ours, site_markdown, structure
from mkdocs_site import build_both

from docs_gen.gfm import EXTENSIONS, gfm
from docs_gen.headings import with_heading_ids
from docs_gen.site_export import _extensions


@pytest.mark.parametrize("name", list(CONSTRUCTS))
def test_each_construct_has_githubs_structure(name):
    text = CONSTRUCTS[name]
    assert structure(ours(text)) == structure(github(text))


def test_without_the_pass_python_markdown_reads_many_of_them_otherwise():
    """The comparison can fail: Python-Markdown alone differs on the list constructs."""
    plain = site_markdown()
    differ = [
        name
        for name, text in CONSTRUCTS.items()
        if structure(plain.reset().convert(text)) != structure(github(text))
    ]
    assert {
        "list right after a paragraph line",
        "2-space nested list",
        "3-space nesting under a numbered item",
        "table right after a paragraph",
        "html details with markdown inside",
    } <= set(differ)


def test_the_pass_keeps_text_that_needs_nothing_and_code_as_written():
    plain = "# Title\n\nA paragraph.\n\n- one\n- two\n\n```\n- not\n  - a list\n```\n"
    assert gfm(plain) == plain
    fenced = "Text:\n```\nText:\n- a\n  - b\n```\n"
    assert gfm(fenced).split("```")[1] == "\nText:\n- a\n  - b\n"


def test_the_pass_is_stable_when_run_twice():
    for text in CONSTRUCTS.values():
        once = gfm(with_heading_ids(text)[0])
        assert structure(site_markdown().convert(gfm(once))) == structure(
            site_markdown().convert(once)
        )


def test_the_export_names_the_same_extensions():
    names = [next(iter(e)) if isinstance(e, dict) else e for e in _extensions([])]
    assert set(EXTENSIONS) <= set(names)


# ---------- the built pages ----------

GUIDE = "# Constructs\n\n" + "".join(
    f"## {name}\n\n{text}\n<!-- end -->\n\n" for name, text in CONSTRUCTS.items()
)


def article(html: str) -> tuple:
    soup = BeautifulSoup(html, "lxml")
    body = soup.select_one("article")
    for tag in body.select(".md-content__button, .md-source-file"):
        tag.decompose()
    return structure(str(body))


@pytest.fixture(scope="module")
def built(make_library, tmp_path_factory):
    """A card, a topic doc and a guide holding every construct, built by the plugin and
    by plain MkDocs from `refs site --out`."""
    base = tmp_path_factory.mktemp("gfm")
    root = make_library("published", root=base / "lib", files={"refs/constructs.md": GUIDE})
    build_both(root, base, "site")
    return base


@pytest.mark.parametrize("site", ["site", "plain"])
def test_a_guide_of_every_construct_builds_as_github_renders_it(built, site):
    page = (built / site / "refs" / "constructs" / "index.html").read_text(encoding="utf-8")
    assert article(page) == structure(github(GUIDE))


def test_the_exported_config_names_the_extensions(built):
    config = json.loads((built / "export" / "mkdocs.yml").read_text().split("\n", 2)[2])
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert set(EXTENSIONS) <= set(names)


def test_heading_ids_skip_the_parse_only_when_nothing_would_change():
    """`_neutralise` parses a page only when a line it could change is there: on tricky
    texts it changes exactly the lines the always-parsing rule changes."""
    import random

    from docs_gen import headings
    from extract.anchors import front_matter_end
    from extract.markdown import blocks

    def always_parsing(lines):
        skip = front_matter_end(lines)
        parsed = blocks("\n".join(lines[skip:]))
        for start, end in parsed.paragraphs:
            for i in range(skip + start, min(skip + end, len(lines))):
                if lines[i].startswith("#"):
                    lines[i] = "\\" + lines[i]
        for i in (skip + b for b in parsed.breaks):
            if i and lines[i - 1].strip() and headings._SETEXT_LIKE.match(lines[i]):
                lines[i] = lines[i].replace("-", "*")

    atoms = ["# h", "#tag", "#", "####### seven", "#\tx", "---", " ---", "- - -", "***",
             "text", "", "  ", "```", "- item", "> quote", "<div>", "    code", "|a|b|",
             "===", "---\ntitle: x\n---", "##x", "\xa0"]  # fmt: skip
    rng = random.Random(11)
    texts = list(CONSTRUCTS.values())
    texts += ["\n".join(rng.choice(atoms) for _ in range(rng.randint(1, 12))) for _ in range(4000)]
    for text in texts:
        ours, plain = text.split("\n"), text.split("\n")
        headings._neutralise(ours)
        always_parsing(plain)
        assert ours == plain, text


@pytest.mark.parametrize(
    ("texts", "seed"), [(3000, 3), pytest.param(60000, 29, marks=pytest.mark.slow)]
)
def test_the_newline_first_check_finds_what_the_one_pattern_found(texts, seed):
    """`_may_neutralise` (patterns that open with a newline, fast to search) answers as
    the single pattern it replaces, `^(?!#{1,6}(?:[ \t]|$))#|[^\n]\n {0,3}-+[ \t]*$`."""
    import random
    import re

    from docs_gen import headings

    one = re.compile(r"^(?!#{1,6}(?:[ \t]|$))#|[^\n]\n {0,3}-+[ \t]*$", re.M)
    atoms = ["#", "##", "#######", " ", "\t", "-", "--", "x", "\n", "\n", "\n\n", "*", "=",
             "# ", "#x", "\xa0", "\x0c", "  ---", "    -"]  # fmt: skip
    rng = random.Random(seed)
    for _ in range(texts):
        text = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 16)))
        assert headings._may_neutralise(text) == bool(one.search(text)), repr(text)


@pytest.mark.parametrize(
    ("pages", "seed"),
    [(400, 5), pytest.param(1500, 17, marks=pytest.mark.slow)],
    ids=["quick", "stress"],
)
def test_the_pass_by_sections_writes_what_one_parse_of_the_page_writes(pages, seed):
    """A page is parsed section by section (cut before a heading after a blank line,
    where no block can still be open) and sections of paragraphs and headings not at
    all: the same output as rewriting the page from one parse of it, also where a fence,
    a comment or a `<pre>` runs over a cut or containers nest past markdown-it's limit.
    A plain `pytest` tries 400 random pages; the slow pass 1,500 others."""
    import random

    from docs_gen import gfm as pass_

    def one_parse(text):
        if not pass_._may_change(text):
            return text
        return "\n".join(pass_._container(text.split("\n"), item=False))

    atoms = ["\n# h", "\n## h", "#x", "", "", "  ", "\t", "text", "- a", "  - b", "1. x", "2) y",
             "* z", "```", "```py", "~~~", "    code", "> q", "> - a", "<div>", "</div>",
             "<!--", "-->", "<pre>", "</pre>", "<details>", "|a|b|", "|-|-|", "---", "***",
             "===", "[r]: /u", "   ```", "<script>", "</script>", "<?x", "?>", "- ```",
             "  ```", ">" * 22 + " deep", "- " * 22 + "x"]  # fmt: skip
    rng = random.Random(seed)
    texts = ["\n\n".join(rng.sample(list(CONSTRUCTS.values()), 4)) for _ in range(50)]
    texts = [t.replace("\n\n", "\n\n# Part\n\n") for t in texts]
    texts += ["\n".join(rng.choice(atoms) for _ in range(rng.randint(1, 30))) for _ in range(pages)]
    cut = 0
    for text in texts:
        assert pass_.gfm(text) == one_parse(text), text
        cut += len(list(pass_._sections(text.split("\n")))) > 1
    assert cut > len(texts) / 6  # many pages were cut: the comparison is about the cuts


@pytest.mark.parametrize(
    ("pages", "seed"),
    [(1000, 29), pytest.param(4000, 23, marks=pytest.mark.slow)],
    ids=["quick", "stress"],
)
def test_sections_kept_without_a_parse_are_what_one_parse_writes(pages, seed):
    """A section whose lists, tables and `<a id>` lines the pass would write back line
    for line is kept without a parse: on pages built of such blocks and their near
    misses (a list right under text, a loose list, mixed markers, `* ***` (a break),
    two spaces after a marker, a table whose columns do not match, a link definition
    after a table, whitespace-only blank lines), the same output as one parse. A plain
    `pytest` tries 1,000 random pages; the slow pass 4,000 others."""
    import random

    from docs_gen import gfm as pass_

    def one_parse(text):
        if not pass_._may_change(text):
            return text
        return "\n".join(pass_._container(text.split("\n"), item=False))

    def block(r):
        k = r.random()
        if k < 0.3:
            first = r.choice(["- ", "* ", "+ ", "1. ", "2. ", "1) "])
            return "\n".join(
                (first if r.random() < 0.85 else r.choice(["- ", "* ", "1.  ", "-  ", "  - "]))
                + r.choice(
                    [
                        "a",
                        "b c",
                        "x | y",
                        "# h",
                        "> q",
                        "- n",
                        "[r]: /u",
                        "<b>x</b>",
                        "a  ",
                        "***",
                        "`c`",
                        "1. n",
                        "[ ] t",
                    ]
                )  # fmt: skip
                for _ in range(r.randint(1, 4))
            )
        if k < 0.55:
            rows = [r.choice(["| a | b |", "a | b", "|a|", "| a |", "a|b|c"]),
                    r.choice(["|---|---|", "--- | ---", "|-|", "---|---|---", "| :-: | -: |",
                              "- | -", "|---|", "---"])]  # fmt: skip
            rows += [r.choice(["| 1 | 2 |", "1 | 2", "| x |", "|---|---|", "plain", "# h | x",
                               "- a | b", "> q | r", "    | c |", "| <i>x</i> |"])
                     for _ in range(r.randint(0, 3))]  # fmt: skip
            return "\n".join(rows)
        if k < 0.65:
            return r.choice(['<a id="q"></a>', '<a name="z"></a>', '<a id="q"></a>\n# T',
                             '<a id="q"></a>\n- a', '<a id="a b"></a>'])  # fmt: skip
        if k < 0.85:
            return r.choice(["text", "text\nmore", "  indented", "para | pipe", "[r]: /u",
                             "===", "---", "a\n---"])  # fmt: skip
        return r.choice(["# H", "## Sub", "### x |"])

    rng = random.Random(seed)
    kept = 0
    for _ in range(pages):
        parts = [block(rng) for _ in range(rng.randint(1, 6))]
        text = parts[0]
        for part in parts[1:]:
            text += rng.choice(["\n", "\n\n", "\n\n", "\n\n", "\n  \n", "\n\n\n", "\n\t\n"]) + part
        text += rng.choice(["", "", "\n", "\n\n"])
        assert pass_.gfm(text) == one_parse(text), text
        lines = text.split("\n")
        kept += any(
            tokens is None and pass_._QUICK.search("\n".join(lines[a:b]))
            for a, b, tokens in pass_._sections(lines)
        )
    assert kept > pages * 3 / 40  # many pages had a list or table kept without a parse


@pytest.mark.parametrize(
    ("pages", "seed"),
    [(1000, 41), pytest.param(6000, 43, marks=pytest.mark.slow)],
    ids=["quick", "stress"],
)
def test_pipes_with_no_delimiter_row_in_their_section_need_no_parse(pages, seed):
    """A pipe in a section with no line a table's delimiter row could be (formulas'
    `|x|`, `a | b` in prose) makes no table, so it asks for no parse: on pages of such
    lines beside tables, lists, quotes, near-miss delimiter rows (`---`, `|:|`, `- | -`,
    `  |-|`, `\t|-|`) and headings that cut sections, the same output as one parse. A
    plain `pytest` tries 1,000 random pages; the slow pass 6,000 others."""
    import random

    from docs_gen import gfm as pass_

    def one_parse(text):
        if not pass_._may_change(text):
            return text
        return "\n".join(pass_._container(text.split("\n"), item=False))

    prose = ["a | b", "|x| = 1", "$|p|$ and |q|", "| a | b |", "|a", "x |", "\\| y", "text",
             "more text", "", "", "", "# H | x", "## Sub", "***", "===", "[r]: /u"]  # fmt: skip
    other = ["|-|-|", "---", "--|--", "|:|", ":-:", "- | -", "  |-|", "\t|-|", "| --- |", "-|",
             "- a", "- a | b", "1. x | y", "> q | r", "    | c |", "<b>x | y</b>", "```",
             "a\n---", "- a\n\nb | c"]  # fmt: skip
    rng = random.Random(seed)
    kept = 0
    for _ in range(pages):
        body = [
            rng.choice(prose if rng.random() < 0.85 else other) for _ in range(rng.randint(1, 14))
        ]
        text = "\n".join(body).replace("## Sub", "\n## Sub")
        assert pass_.gfm(text) == one_parse(text), text
        split = text.split("\n")
        kept += any(
            tokens is None and "|" in "\n".join(split[a:b])
            for a, b, tokens in pass_._sections(split)
        )
    assert kept > pages / 8  # many pages had pipes kept without a parse


@pytest.mark.parametrize(
    ("items", "seed"), [(3000, 47), pytest.param(40000, 53, marks=pytest.mark.slow)]
)
def test_a_container_led_by_an_anchor_marker_is_kept_as_one_parse_writes_it(items, seed):
    """A list item, quote or page whose only lines to look at open with an `<a id>`
    marker followed by text (a claim's item, after the evidence pass) is kept without a
    parse: the same lines as rewriting it from its parse, also beside pipes, delimiter
    rows, lists, fences, indented and HTML lines that do need one."""
    import random

    from docs_gen import gfm as pass_
    from extract.markdown import block_tokens

    def parsed(lines, item):
        out: list[str] = []
        pass_._rewrite(out, [None], lines, block_tokens("\n".join(lines)), item=item)
        return out

    atoms = ['<a id="claim-1"></a>**Claim**: text', '<a id="c"></a> x', '<a name="n"></a>y',
             '<a id="q"></a>', '<a id="x"></a>a | b', '<a id="x"></a>- z', "**Evidence**: e",
             "text", "", "|---|", "--|--", "- item", "1. one", "    code", "```", "<div>",
             "> q", "---", "===", '<a id="a b"></a>t', "  <a id=\"i\"></a>t", "<b>x</b> y",
             '<a id="x"></a>a |']  # fmt: skip
    rng = random.Random(seed)
    kept = 0
    for _ in range(items):
        lines = [rng.choice(atoms) for _ in range(rng.randint(1, 5))]
        item = rng.random() < 0.7
        assert pass_._container(lines, item=item) == parsed(lines, item), lines
        kept += any(pass_._marker_led(x) for x in lines) and all(
            not pass_._special(x) or pass_._marker_led(x) for x in lines
        )
    assert kept > items / 20
