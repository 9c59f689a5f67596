"""The one rule for links inside a full.md (`extract.doc_links`), applied to a finished
file as the site does at build time: into the library stays, a joined page's link
lands in the document, everything else goes to the original site."""

from __future__ import annotations

from extract.doc_links import Part, parts_of, resolve_links, sent_to_original

BASE = "https://docs.example.com/lib/notes/page.html"
HERE = "sources/lib-notes/full.md"
LIBRARY = {"sources/other/full.md", "refs/resources/lib-notes.md", "sources/lib-notes/raw/a.py"}


def resolve(markdown: str, base: str = BASE):
    return resolve_links(markdown, base, HERE, LIBRARY.__contains__)


def test_relative_pages_and_missing_fragments_go_to_the_original_site():
    text = "\n".join(
        [
            "# Page",
            "",
            "[a](overview.html) [b](../api.html#x.y) [c](#x.missing) [d](#page)",
            "[e](/root.html) [f](//cdn.example.com/x.js) [g](mailto:me@example.com)",
        ]
    )
    out, counts = resolve(text)
    assert out.split("\n")[2] == (
        "[a](https://docs.example.com/lib/notes/overview.html) "
        "[b](https://docs.example.com/lib/api.html#x.y) "
        "[c](https://docs.example.com/lib/notes/page.html#x.missing) [d](#page)"
    )
    assert out.split("\n")[3] == (
        "[e](https://docs.example.com/root.html) [f](https://cdn.example.com/x.js) "
        "[g](mailto:me@example.com)"
    )
    assert counts["original"] == 3 and counts["site"] == 1 and counts["local"] == 1
    assert sent_to_original(counts) == 4


def test_links_into_the_library_stay_and_lines_are_kept_one_for_one():
    text = "# Page\n\n[o](../other/full.md#x) [c](../../refs/resources/lib-notes.md)\n"
    text += "[r](raw/a.py) [gone](../missing/full.md) [up](../../../outside.md)\n"
    out, counts = resolve(text)
    lines = out.split("\n")
    assert len(lines) == len(text.split("\n"))
    assert lines[2] == "[o](../other/full.md#x) [c](../../refs/resources/lib-notes.md)"
    assert lines[3] == (
        "[r](raw/a.py) [gone](../missing/full.md) [up](https://docs.example.com/outside.md)"
    )
    assert counts["library"] == 4  # a missing .md is a broken library link, left to report


def test_a_joined_part_resolves_against_its_own_url():
    text = "\n".join(
        [
            "# Guide",
            "",
            "See [p2p](usage/p2p.html#sendrecv) and [p2p page](usage/p2p.html).",
            "",
            "# Point-to-point",
            "",
            "Source: https://docs.example.com/lib/notes/usage/p2p.html",
            "",
            "## Sendrecv",
            "",
            "[groups](groups.html) [top](#guide) [self](#sendrecv) [gone](#nope)",
        ]
    )
    lines = text.split("\n")
    assert [(p.start, p.end, p.base) for p in parts_of(lines, BASE)] == [
        (0, 4, BASE),
        (4, 11, "https://docs.example.com/lib/notes/usage/p2p.html"),
    ]
    out, _ = resolve(text)
    got = out.split("\n")
    assert got[2] == "See [p2p](#sendrecv) and [p2p page](#point-to-point)."
    assert got[10] == (
        "[groups](https://docs.example.com/lib/notes/usage/groups.html) [top](#guide) "
        "[self](#sendrecv) [gone](https://docs.example.com/lib/notes/usage/p2p.html#nope)"
    )


def test_code_and_html_ids_and_no_base():
    text = "\n".join(
        [
            "# Page",
            "",
            '<a id="c.call"></a>',
            "`[x](overview.html)` [call](#c.call)",
            "",
            "```",
            "[y](overview.html)",
            "```",
        ]
    )
    out, _ = resolve(text)
    assert out == text  # code stays, an id the page gave is a place of the document
    # With no URL to resolve against, a relative page link keeps its text only.
    out, counts = resolve("# P\n\n[a](overview.html) [b](#p) [c](#q)\n", base="")
    assert out.split("\n")[2] == "a [b](#p) c"
    assert counts["text"] == 2


def test_the_converter_and_the_site_share_the_part_type():
    from extract.convert.links import Part as ConverterPart

    assert ConverterPart is Part
