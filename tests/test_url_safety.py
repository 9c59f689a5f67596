"""The one rule for URLs in untrusted text (`extract.url_safety`), as Tier 2 and the
site both apply it: the same URLs are blocked in a full.md and on a page."""

from __future__ import annotations

import pytest

from docs_gen.sanitize import sanitize_html, sanitize_markdown
from extract.convert.safety import neutralise
from extract.url_safety import BLOCKED, unsafe_url

UNSAFE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<b>x</b>",
    "file:///etc/passwd",
    "chrome://settings",
]
SAFE = ["https://x.org/a", "http://x.org/", "../a/#b", "#frag", "/root", "mailto:a@b.c", "tel:+1"]


@pytest.mark.parametrize("url", UNSAFE)
def test_unsafe_urls(url):
    assert unsafe_url(url)


@pytest.mark.parametrize("url", SAFE)
def test_safe_urls(url):
    assert not unsafe_url(url)


@pytest.mark.parametrize("url", [u for u in UNSAFE + SAFE if " " not in u and "<" not in u])
def test_tier_2_and_the_site_block_the_same_urls(url):
    markdown = neutralise(f"[x]({url}) and ![y]({url})\n\n[r]: {url}\n")
    page = sanitize_html(f'<p><a href="{url}">x</a></p>')
    exported = sanitize_markdown(f"[x]({url})\n")
    if unsafe_url(url):
        assert markdown.count(BLOCKED) == 3, markdown
        assert f'href="{BLOCKED}"' in page and f'href="{BLOCKED}"' in exported
    else:
        assert BLOCKED not in markdown + page + exported


def test_blocked_link_keeps_its_text_and_an_inert_rest():
    assert neutralise("[x](javascript:alert(1))") == f"[x]({BLOCKED}:alert(1))"
    assert neutralise("[x](< javascript:alert(1)>)") == f"[x](<{BLOCKED}:alert(1)>)"
    assert neutralise("[x](&#106;avascript&#58;alert(1))") == f"[x]({BLOCKED}(1))"
    assert (
        neutralise("  [r]: <data:text/html,x> 'title'") == f"  [r]: {BLOCKED}:text/html,x 'title'"
    )


def test_autolinks_follow_the_rule():
    assert neutralise("<https://x.org/a> <tel:+1>") == "<https://x.org/a> <tel:+1>"
    assert neutralise("<javascript:alert(1)>") == "&lt;javascript:alert(1)&gt;"
    assert neutralise("<file:///etc/passwd>") == "&lt;file:///etc/passwd&gt;"
    assert neutralise("`[x](javascript:a)`") == "`[x](javascript:a)`"  # code is code
