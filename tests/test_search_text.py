"""What the site's search index leaves out (`docs_gen.search_text`): a source's title
block, a card's field table, a bibliography; the page still shows them."""

from __future__ import annotations

from docs_gen.search_text import bibliography, field_table, title_block

PAPER = """# A Paper { #a-paper }

J. Doe, R. Roe

arXiv:2503.00003v1 · 2025-03-01

```
jdoe@example.edu
```

Example University · Somewhere

We split the backward pass into two halves and move one of them into the bubble.

More prose.

## 1 Introduction { #1-introduction }
"""


def test_the_title_block_is_wrapped_up_to_the_first_prose():
    out = title_block(PAPER).split("\n")
    start = out.index('<section markdown="1" data-search-exclude>')
    end = out.index("</section>")
    hidden = "\n".join(out[start:end])
    assert "J. Doe, R. Roe" in hidden and "jdoe@example.edu" in hidden
    assert "Example University" in hidden and "arXiv:2503" in hidden
    assert "We split the backward pass" not in hidden
    assert out[0] == "# A Paper { #a-paper }"


def test_prose_right_under_the_title_is_left_alone():
    text = "# Notes\n\nSlots are reused in order, so nothing is allocated at all.\n"
    assert title_block(text) == text
    names = "# T\n\nAnn Lee, Bo Li, Quoc V. Le, Cy Wu, Di Xu, Ed Yu, Flo Zu, Gil Ma\n\nIt runs well, as we show here.\n"
    assert "Quoc V. Le" in title_block(names).split("</section>")[0]


def test_a_card_field_table_and_a_bibliography():
    card = "# Card\n\n| Field | Value |\n|---|---|\n| Type | paper |\n\n## Why it matters\n"
    out = field_table(card)
    assert '<section markdown="1" data-search-exclude>\n\n| Field | Value |' in out
    assert out.endswith("</section>\n\n## Why it matters\n")
    text = "## 7 References { #7-references }\n\n```\n## References { #x }\n```\n"
    assert (
        bibliography(text).split("\n")[0] == "## 7 References { #7-references data-search-exclude }"
    )
    assert "## References { #x }" in bibliography(text)  # in code: text
