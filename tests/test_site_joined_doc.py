"""End to end: a joined multi-page guide, converted by `refs convert`, publishes under
`mkdocs build --strict`, and its citations and inner links land where they say.

The library is written here (curriculum, manifest, a card); the guide's raw pages
come from `multipage_guide` (Sphinx markup with API entries, written for the tests).
"""

from __future__ import annotations

import pytest
from mkdocs_site import CHROMIUM, build, chromium_available, serve
from multipage_guide import BASE, RID, write_raw

from extract.cli import main

CURRICULUM = f"""# Widget curriculum

A curriculum written for this test.

## Tools

### 1. Spinning — widgets and limits

How widgets spin.

- **Widget Toolkit** (Widget Authors) — A guide of several pages. *(docs, high)*
  - {BASE}index.html

## Suggested reading order

1. **Start** — `{RID}`
"""

MANIFEST = f"""reading_order:
  - {{step: 1, title: Start, ids: [{RID}]}}
resources:
  - id: {RID}
    title: Widget Toolkit
    urls: [{BASE}index.html]
    type: docs
    topics: [1]
    priority: high
    status: fetched
    local_paths: []
    notes: ''
"""

CARD = f"""# Widget Toolkit

| Field | Value |
|-------|-------|
| Source | {BASE}index.html |
| Type | docs |
| Topics | 1 |
| Status | converted |

## Why it matters

It documents the spin API.

## Core claims

1. **Claim**: Spinning up takes a speed.
   **Evidence**: [spin_up](../../sources/{RID}/full.md#wt.spin_up)

2. **Claim**: Usage comes before the reference.
   **Evidence**: [usage](../../sources/{RID}/full.md#using-widgets)

3. **Claim**: Limits protect the bearings.
   **Evidence**: [limits](../../sources/{RID}/full.md#limits), [result codes](../../sources/{RID}/full.md#c.wtResult_t)

## Actionables / gotchas

- Read the limits first.

## Related resources

- none
"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} is not installed"),
]


@pytest.fixture(scope="module")
def site_url(make_library, tmp_path_factory):
    root = make_library(
        root=tmp_path_factory.mktemp("joined") / "lib",
        curriculum=CURRICULUM,
        manifest=MANIFEST,
        files={f"refs/resources/{RID}.md": CARD},
        mkdocs=True,
    )
    write_raw(root / "sources" / RID / "raw")
    assert main(["--root", str(root), "convert", RID]) == 0
    assert main(["--root", str(root), "sync"]) == 0  # topic docs, as a real library has them
    assert main(["--root", str(root), "check"]) == 0
    result = build(root, root / "site", strict=True)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    with serve(root / "site") as url:
        yield url


@pytest.fixture
def page(new_page):
    return new_page()


def lands_on(page, ident: str) -> str:
    """The text of the element with id ``ident`` (or of what follows it), once it is in view."""
    page.wait_for_function(
        """id => { const el = document.getElementById(id); if (!el) return false;
                   const r = el.getBoundingClientRect();
                   return r.top >= 0 && r.top < window.innerHeight; }""",
        arg=ident,
        timeout=5000,
    )
    return page.evaluate(
        """id => { const el = document.getElementById(id);
                   const block = el.closest('p, h1, h2, h3, h4, h5, h6, li') || el;
                   return block.innerText; }""",
        ident,
    )


def test_citation_to_an_api_entry_lands_on_its_dt(page, site_url):
    page.goto(site_url + f"refs/resources/{RID}/")
    page.locator('a.refs-evidence[href*="wt.spin_up"]').click()
    page.wait_for_url(f"**/sources/{RID}/full/#wt.spin_up")
    assert "wt.spin_up(speed)" in lands_on(page, "wt.spin_up")


def test_citation_to_a_subpage_heading_lands_on_it(page, site_url):
    page.goto(site_url + f"refs/resources/{RID}/")
    page.locator('a.refs-evidence[href*="using-widgets"]').click()
    page.wait_for_url(f"**/sources/{RID}/full/#using-widgets")
    assert lands_on(page, "using-widgets").startswith("Using widgets")
    assert page.evaluate("document.getElementById('using-widgets').tagName") == "H2"


def test_citation_to_a_sphinx_label_lands_on_its_section(page, site_url):
    page.goto(site_url + f"refs/resources/{RID}/")
    page.locator('a.refs-evidence[href*="#limits"]').click()
    page.wait_for_url(f"**/sources/{RID}/full/#limits")
    lands_on(page, "limits")
    # the label sits right above the "Spin limits" heading
    gap = page.evaluate(
        """() => { const a = document.getElementById('limits').getBoundingClientRect().top;
                   const h = document.getElementById('spin-limits').getBoundingClientRect().top;
                   return h - a; }"""
    )
    assert 0 <= gap < 120


def test_links_between_joined_pages_stay_in_the_document(page, site_url):
    page.goto(site_url + f"sources/{RID}/full/")
    page.locator("article a", has_text="spin_up reference").click()
    page.wait_for_url(f"**/sources/{RID}/full/#wt.spin_up")
    assert "wt.spin_up(speed)" in lands_on(page, "wt.spin_up")
    page.locator("article a", has_text="toolkit home").click()
    page.wait_for_url(f"**/sources/{RID}/full/#widget-toolkit")
    hrefs = page.locator("article a[href]").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    relative = [h for h in hrefs if not h.startswith(("#", "http://", "https://", "../", "/"))]
    assert relative == [], relative
