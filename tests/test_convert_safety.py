"""Converted text is inert: no live HTML, no script links, whatever the page held."""

from __future__ import annotations

import re

from sample_pages import HOSTILE_PAGE, comments_json, issue_json

from extract.convert.document import render
from extract.convert.html import convert_html
from extract.convert.issue import convert_issue
from extract.convert.safety import neutralise

LIVE_TAG = re.compile(r"<(script|style|iframe|img|object|embed|form)\b", re.I)


def outside_code(markdown: str) -> str:
    return re.sub(r"^(`{3,}|~{3,}).*?^\1", "", markdown, flags=re.M | re.S)


def test_hostile_page_is_defused():
    text = render({}, convert_html(HOSTILE_PAGE, "https://h.example/").body)
    prose = outside_code(text)
    assert not LIVE_TAG.search(prose)
    assert "javascript:" not in text.lower()
    assert "data:text" not in text
    assert "onerror" not in text and "onclick" not in text
    assert "alert(3)" not in text and "noscript text" not in text
    assert "body{color" not in text
    # Link text survives without its target; image becomes a description.
    assert "Click this link and that." in text
    assert "[Figure: broken]" in text
    # Literal markup typed as text stays text, escaped.
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in text
    # Code keeps its content verbatim (inert inside a fence).
    assert "```html\n<script>kept(in, code)</script>\n```" in text


def test_neutralise_defuses_markdown_links_and_raw_tags():
    out = neutralise('[x](javascript:alert(1)) <img src=x onerror=alert(1)> <a id="ok"></a>')
    assert "javascript:" not in out
    assert "<img" not in out
    assert neutralise('<a id="keep-me"></a>') == '<a id="keep-me"></a>'


def test_issue_bodies_with_html_are_defused():
    issue = issue_json(
        body='<script>alert(1)</script> [x](javascript:void(0)) <img src="a.png" alt="shot">'
    )
    text = render({}, convert_issue(issue, comments_json()).body)
    assert "<script" not in text
    assert "javascript:" not in text
    assert "[Figure: shot]" in text
