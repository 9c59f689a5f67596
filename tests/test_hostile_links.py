"""Links a stranger's library may hide (issue 24, items 3 and 4).

- Reference-style evidence, `[x][ev]` with `[ev]: https://evil.example/?sources/…`
  elsewhere on the card, is judged as the inline form is: an off-site error in
  `refs check`, a failed `mkdocs build --strict`, never a link on either site.
  A reference-style citation into `sources/` is a citation like any other.
- A `data:` evidence link is inert in the export too.
- `\\href{javascript:…}` in a formula never becomes a live `href` (both builds).
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from mkdocs_site import build, drop_broken_citation, plain_build, refs_site

from extract.cards import parse_card
from extract.check import check_library
from extract.library import Library
from extract.markdown import inline_references

EVIL = "https://evil.example/?sources/beta-blog/full.md#why-queues-fill-up"
DATA = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
CLAIMS = f"""\
4. **Claim**: Off-site, written by reference.
   **Evidence**: [the heading][ev]

5. **Claim**: A citation written by reference.
   **Evidence**: [Why queues fill up][good]

6. **Claim**: A data URL.
   **Evidence**: [inline data]({DATA})

## Actionables / gotchas
"""
DEFINITIONS = f"""
[ev]: {EVIL}
[Good]: ../../sources/beta-blog/full.md#why-queues-fill-up
"""
MATH = "\n## Formula\n\n$$\\href{javascript:alert(7)}{x} + \\href{https://ok.example/}{y}$$\n"


def test_reference_links_are_written_inline_line_for_line():
    text = "A [x][ev] and [Ev] and [y][] and `[ev]` and [z][none]\n\n[EV]:  <https://a.example/p q>\n[y]: rel.md 'T'\n"
    out = inline_references(text)
    first = out.splitlines()[0]
    assert first == (
        "A [x](https://a.example/p%20q) and [Ev](https://a.example/p%20q) and "
        '[y](rel.md "T") and `[ev]` and [z][none]'
    )
    assert out.count("\n") == text.count("\n")
    fenced = "```\n[x][ev]\n```\n\n[ev]: https://a.example/\n"
    assert inline_references(fenced) == fenced


@pytest.fixture(scope="module")
def hostile(make_library, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-links")
    root = make_library("site", root=tmp / "lib", mkdocs=True)
    drop_broken_citation(root)
    card = root / "refs/resources/beta-blog.md"
    text = card.read_text(encoding="utf-8").replace("## Actionables / gotchas\n", CLAIMS)
    card.write_text(text + DEFINITIONS, encoding="utf-8")
    notes = root / "sources/gamma-notes/full.md"
    notes.write_text(notes.read_text(encoding="utf-8") + MATH, encoding="utf-8")
    return root, tmp


def test_check_judges_reference_evidence_as_inline_evidence(hostile):
    root, _ = hostile
    claims = {c.number: c for c in parse_card(root / "refs/resources/beta-blog.md").claims}
    assert [url for url, _ in claims[4].offsite] == [EVIL] and claims[4].citations == []
    assert [c.target for c in claims[5].citations] == [
        "sources/beta-blog/full.md#why-queues-fill-up"
    ]
    found = [f for f in check_library(Library(root)) if f.rule == "citation-offsite"]
    assert len(found) == 2
    assert "claim 4" in found[0].message and EVIL in found[0].message
    assert "claim 6" in found[1].message and "data:" in found[1].message


def _hrefs(html_file) -> list[str]:
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "lxml")
    return [a.get("href", "") for a in soup.select("[href]")]


def test_the_strict_build_fails_and_neither_site_links_them(hostile):
    root, tmp = hostile
    strict = build(root, tmp / "strict")
    assert strict.returncode == 1
    assert "claim 4" in strict.stderr and "evil.example" in strict.stderr
    plugin = build(root, tmp / "plugin", strict=False)
    assert plugin.returncode == 0, plugin.stderr
    exported = refs_site(root, "--out", str(tmp / "out"))
    assert exported.returncode == 0, exported.stderr
    plain = plain_build(tmp / "out", tmp / "plain")
    assert plain.returncode == 0, plain.stderr
    for site in (tmp / "plugin", tmp / "plain"):
        card = _hrefs(site / "refs/resources/beta-blog/index.html")
        assert not [h for h in card if "evil.example" in h or h.startswith("data:")], card
        assert any("sources/beta-blog/full/#why-queues-fill-up" in h for h in card)
        notes = _hrefs(site / "sources/gamma-notes/full/index.html")
        assert not [h for h in notes if "javascript" in h.lower()], notes
        assert "https://ok.example/" in notes
