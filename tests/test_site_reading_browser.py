"""The reading experience in headless Chromium (issue 13 items 1-8): topic pages, the
marked passage, previews on hover, focus and tap, page labels and search, evidence link
text, search without chrome, the learner's view, and every page kind on a 390 px phone.

The fixture library is built once (strict) with a few changes that exercise each item:
a scaffold topic doc, a card whose field table disagrees with the manifest, a title with
a long word. Served from 127.0.0.1 only; every page must log no error and ask no other host.
"""

from __future__ import annotations

import json
import re

import pytest
from mkdocs_site import (
    CHROMIUM,
    build,
    chromium_available,
    drop_broken_citation,
    serve,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} is not installed"),
]

LONG_TITLE = "Gamma Notes: torch.use_deterministic_algorithms in AutoencoderKLCogVideoX"
PHONE = {"width": 390, "height": 844}
PALETTE = """\
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {icon: material/weather-night, name: Dark}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {icon: material/weather-sunny, name: Light}
"""


@pytest.fixture(scope="module")
def built(make_library, tmp_path_factory):
    from extract.library import Library
    from extract.scaffold import topic_doc

    tmp = tmp_path_factory.mktemp("reading")
    root = make_library("site", root=tmp / "lib", mkdocs=True)
    drop_broken_citation(root)
    lib = Library(root)
    # topic 3: the scaffold `refs sync` writes, never shown as content
    (root / "refs/topics/03-serving.md").write_text(topic_doc(lib.topic(3)), encoding="utf-8")
    # beta-blog's field table says condensed; the manifest says converted
    card = root / "refs/resources/beta-blog.md"
    card.write_text(
        card.read_text(encoding="utf-8").replace(
            "| Status | converted |", "| Status | condensed |"
        ),
        encoding="utf-8",
    )
    manifest = root / "refs/manifest.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "title: Gamma Notes", f'title: "{LONG_TITLE}"'
        ),
        encoding="utf-8",
    )
    config = root / "mkdocs.yml"  # light and dark schemes, by the reader's preference
    config.write_text(
        config.read_text(encoding="utf-8").replace("  font: false\n", "  font: false\n" + PALETTE),
        encoding="utf-8",
    )
    result = build(root, tmp / "site")
    assert result.returncode == 0, result.stderr
    return tmp / "site"


@pytest.fixture(scope="module")
def site_url(built):
    with serve(built) as url:
        yield url


@pytest.fixture
def page(new_page):
    return new_page(viewport={"width": 1280, "height": 800})


@pytest.fixture
def phone(new_page):
    """A page on a phone: 390 px wide, a touch screen, the site's mobile layout."""
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True)


def article_text(page) -> str:
    """What a reader sees of the article (closed <details> bodies are not rendered)."""
    return page.locator("article").inner_text()


# Words of the matched elements whose letters sit on more than one line: a title broken
# mid-word. A word ends at a space or hyphen, and after `.`, `_` and `/` (where the site
# offers a break in a long identifier).
SPLIT_WORDS = """(sel) => {
  const bad = [];
  document.querySelectorAll(sel).forEach((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const re = /[^\\s\\-–—·›/._]+/g;
      let m;
      while ((m = re.exec(node.data))) {
        const r = document.createRange();
        r.setStart(node, m.index);
        r.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(r.getClientRects())
          .filter((x) => x.width > 0).map((x) => Math.round(x.top)));
        if (tops.size > 1) bad.push(m[0]);
      }
    }
  });
  return bad;
}"""


# ---------- 1. topic pages ----------
def test_topics_index_tells_written_from_scaffold(page, site_url):
    page.goto(site_url + "refs/topics/")
    rows = page.locator("article table tbody tr").evaluate_all(
        "rs => rs.map(r => [r.cells[0].innerText, r.cells[3].innerText])"
    )
    assert dict(rows) == {
        "Topic 1: Pipelines": "written",
        "Topic 2: Kernels": "none",
        "Topic 3: Serving": "scaffold",
        "Meta: Essential meta-resources": "none",
    }


def test_a_scaffold_topic_page_shows_the_curriculum_and_resources(page, site_url):
    page.goto(site_url + "refs/topics/03-serving/")
    text = article_text(page)
    assert "TODO" not in text and "Synthesis" not in text and "Open questions" not in text
    assert "Keeping queues bounded." in text  # the topic's intro
    assert "Also about queues." in text  # the resource's description under this topic
    item = page.locator(".refs-reading-list li").first
    assert item.locator("a", has_text="Alpha Paper on Pipelines").first.is_visible()
    assert item.locator(".refs-badge").inner_text() == "converted"
    assert item.locator("a", has_text="full text").is_visible()
    details = page.locator("details.refs-maintainers")
    assert details.count() == 1 and not details.evaluate("d => d.open")
    page.locator("details.refs-maintainers summary").click()
    assert "refs/topics/03-serving.md" in details.inner_text()


def test_a_topic_with_no_doc_lists_resources_in_reading_order(page, site_url):
    page.goto(site_url + "refs/topics/02-kernels/")
    titles = page.locator(".refs-reading-list li strong a").all_inner_texts()
    assert titles == [LONG_TITLE, "Delta Talk"]
    assert "What a launch costs." in article_text(page)
    assert page.locator(".refs-reading-list li .refs-badge").all_inner_texts() == [
        "converted",
        "link only",
    ]


def test_a_written_topic_doc_keeps_its_synthesis_then_resources(page, site_url):
    page.goto(site_url + "refs/topics/01-pipelines/")
    text = article_text(page)
    assert "The alpha paper derives the bubble" in text
    # the linked list on top (above the synthesis), the annotated one after the doc's own
    first, last = (
        text.index("Resources in reading order"),
        text.rindex("Resources in reading order"),
    )
    assert first < text.index("Synthesis") < text.index("Open questions") < last
    assert page.locator(".refs-reading-list li strong a").all_inner_texts() == [
        "Alpha Paper on Pipelines",
        "Beta Blog",
    ]


# ---------- 2. land on the passage, visibly ----------
def test_evidence_lands_on_a_marked_passage_and_cited_by_returns(page, site_url):
    page.clock.install()  # the page's timers, moved on below instead of waited for
    page.goto(site_url + "refs/resources/alpha-paper/")
    page.locator("a.refs-evidence#cite-1").click()
    page.wait_for_url("**/sources/alpha-paper/full/#introduction")
    mark = page.locator(".refs-passage-mark")
    mark.wait_for(timeout=5000)
    assert mark.get_attribute("data-refs-target") == "introduction"
    box = mark.bounding_box()
    start = page.locator("h2#introduction").bounding_box()
    end = page.locator("h2#results").bounding_box()  # the next h2 ends the passage
    assert box["y"] <= start["y"] and start["y"] - box["y"] < 20
    assert box["y"] + box["height"] <= end["y"] + 1
    assert end["y"] - (box["y"] + box["height"]) < 40  # it reaches the section's last block
    page.clock.run_for(5000)  # a few seconds (4 s shown, 0.9 s fading) on the page's clock
    mark.wait_for(state="detached", timeout=3000)  # then gone
    # "Cited by" goes back to the claim, marked too
    page.locator("p.refs-cited-by a", has_text="Alpha Paper on Pipelines, claim 1").first.click()
    page.wait_for_url("**/refs/resources/alpha-paper/#claim-1")
    mark.wait_for(timeout=5000)
    claim = page.locator("li:has(#claim-1)").bounding_box()
    box = mark.bounding_box()
    assert abs(box["y"] - claim["y"]) < 12 and abs(box["height"] - claim["height"]) < 24
    assert 0 <= claim["y"] < page.viewport_size["height"]


def test_a_subsection_passage_ends_at_the_next_heading_of_its_level(page, site_url, built):
    page.goto(site_url + "sources/alpha-paper/full/#results-1")
    mark = page.locator(".refs-passage-mark")
    mark.wait_for(timeout=5000)
    box = mark.bounding_box()
    nxt = page.locator("h2#über-größe--straße").bounding_box()
    assert box["y"] + box["height"] <= nxt["y"] + 1
    assert page.locator("h2#results-1").bounding_box()["y"] >= box["y"]


# ---------- 3. previews everywhere ----------
def test_preview_flips_above_near_the_bottom(new_page, site_url):
    page = new_page(viewport={"width": 1000, "height": 600})
    page.goto(site_url + "refs/resources/alpha-paper/")
    link = page.locator("a.refs-evidence#cite-3")
    page.evaluate(
        """() => { const r = document.getElementById('cite-3').getBoundingClientRect();
                   window.scrollBy(0, r.bottom - (window.innerHeight - 30)); }"""
    )
    r = link.bounding_box()
    assert r["y"] + r["height"] > 600 - 60  # the link sits at the bottom of the screen
    link.hover()
    tip = page.locator(".refs-preview")
    tip.wait_for(timeout=5000)
    assert tip.get_attribute("data-placement") == "above"
    t = tip.bounding_box()
    assert t["y"] + t["height"] <= r["y"] + 1 and t["y"] >= 0
    # with room below it opens below, as before
    page.mouse.move(5, 5)
    tip.wait_for(state="detached", timeout=5000)
    page.evaluate(
        """() => window.scrollBy(0, document.getElementById('cite-1').getBoundingClientRect().top - 120)"""
    )
    top = page.locator("a.refs-evidence#cite-1")
    top.hover()
    tip.wait_for(timeout=5000)
    assert tip.get_attribute("data-placement") == "below"
    assert tip.bounding_box()["y"] >= top.bounding_box()["y"] + top.bounding_box()["height"]


def test_preview_opens_on_keyboard_focus(page, site_url):
    page.goto(site_url + "refs/resources/alpha-paper/")
    for _ in range(300):  # Tab through the page as a keyboard user does
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "cite-1":
            break
    else:
        pytest.fail("Tab never reached the first evidence link")
    tip = page.locator(".refs-preview")
    tip.wait_for(timeout=5000)
    assert "Introduction" in tip.locator("h2").inner_text()
    assert page.locator("#cite-1").get_attribute("aria-describedby") == "refs-preview"
    page.keyboard.press("Escape")
    tip.wait_for(state="detached", timeout=3000)
    assert page.evaluate("document.activeElement.id") == "cite-1"
    page.keyboard.press("Enter")  # the keyboard still follows the link
    page.wait_for_url("**/sources/alpha-paper/full/#introduction")


def test_a_tap_shows_the_preview_with_a_go_to_passage_link(phone, site_url):
    phone.goto(site_url + "refs/resources/alpha-paper/")
    link = phone.locator("a.refs-evidence#cite-3")
    link.scroll_into_view_if_needed()
    link.tap()
    tip = phone.locator(".refs-preview")
    tip.wait_for(timeout=5000)
    assert phone.url == site_url + "refs/resources/alpha-paper/"  # the tap did not navigate
    assert "Über Größe" in tip.locator("h2").inner_text()
    t = tip.bounding_box()
    assert t["x"] >= 0 and t["x"] + t["width"] <= PHONE["width"]
    go = tip.locator("a.refs-preview-go")
    assert go.inner_text() == "Go to passage →"
    g = go.bounding_box()  # in view inside the preview, however long the passage
    assert t["y"] <= g["y"] and g["y"] + g["height"] <= t["y"] + t["height"] + 1
    go.tap()
    phone.wait_for_url("**/sources/alpha-paper/full/#*")
    assert phone.evaluate("decodeURIComponent(location.hash)") == "#über-größe--straße"


def test_a_tap_elsewhere_closes_the_preview(phone, site_url):
    phone.goto(site_url + "refs/resources/alpha-paper/")
    phone.locator("a.refs-evidence#cite-1").tap()
    tip = phone.locator(".refs-preview")
    tip.wait_for(timeout=5000)
    t = tip.bounding_box()
    y = t["y"] + t["height"] + 40 if t["y"] < PHONE["height"] / 2 else t["y"] - 40
    phone.touchscreen.tap(PHONE["width"] / 2, y)  # on the page, off the preview
    tip.wait_for(state="detached", timeout=3000)
    assert phone.url == site_url + "refs/resources/alpha-paper/"


# ---------- 4. say what the page is ----------
def test_card_and_source_pages_say_what_they_are(page, site_url):
    page.goto(site_url + "refs/resources/alpha-paper/")
    h1 = page.locator("article h1").first
    assert h1.locator(".refs-kind").text_content() == "Card: "  # read as "Card: ..."
    assert page.title().startswith("Card: Alpha Paper on Pipelines")
    topic_title = page.locator(".md-header__topic").last.inner_text().strip()
    assert topic_title == "Card: Alpha Paper on Pipelines"
    crumbs = page.locator("p.refs-crumbs a").all_inner_texts()
    assert crumbs == ["Topic 1: Pipelines", "Topic 3: Serving"]
    page.goto(site_url + "sources/alpha-paper/full/")
    assert page.title().startswith("Source: Alpha Paper on Pipelines")
    assert page.locator("article h1 .refs-kind").text_content() == "Source: "
    page.locator("p.refs-crumbs a", has_text="Alpha Paper on Pipelines").click()
    page.wait_for_url("**/refs/resources/alpha-paper/")
    page.goto(site_url + "refs/resources/epsilon-book/")
    assert page.title().startswith("Resource: Epsilon Book")


def test_search_shows_no_two_identical_titles(page, site_url):
    page.goto(site_url)
    page.locator("input.md-search__input").click()
    page.keyboard.type("alpha", delay=30)  # Material searches as keys are typed
    items = page.locator("li.md-search-result__item > a > article > h1")
    items.first.wait_for(timeout=10000)
    page.wait_for_timeout(300)  # let the result list settle
    titles = items.all_inner_texts()
    assert "Card: Alpha Paper on Pipelines" in titles
    assert "Source: Alpha Paper on Pipelines" in titles
    assert len(titles) == len(set(titles)), titles


def test_search_index_titles_are_unique_per_page(built):
    docs = json.loads((built / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    pages = [d["title"] for d in docs if "#" not in d["location"]]
    assert len(pages) == len(set(pages)), sorted(pages)


# ---------- 5. evidence link text ----------
def test_bare_paths_read_as_headings_and_do_not_break_mid_word(phone, site_url):
    phone.goto(site_url + "refs/resources/alpha-paper/")
    link = phone.locator("a.refs-evidence#cite-3")
    assert link.inner_text() == "§ Über Größe & Straße"
    assert link.get_attribute("title") == "sources/alpha-paper/full.md#über-größe--straße"
    assert phone.locator("a.refs-evidence#cite-2").inner_text() == "the second results"
    assert phone.locator("a.refs-evidence#cite-2").get_attribute("title") is None
    assert phone.evaluate(SPLIT_WORDS, "a.refs-evidence") == []
    phone.goto(site_url + "refs/topics/01-pipelines/")  # another page: the resource named
    assert phone.locator("a.refs-evidence").first.inner_text() == (
        "Alpha Paper on Pipelines § Introduction"
    )


# ---------- 6. search snippets ----------
def test_search_indexes_content_not_chrome(built):
    docs = json.loads((built / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    by_location = {d["location"]: d for d in docs}
    card = by_location["refs/resources/alpha-paper/"]
    assert card["title"] == "Card: Alpha Paper on Pipelines"
    assert "read ·" not in card["text"] and "full text" not in card["text"]
    assert "For maintainers" not in card["text"] and "refs review" not in card["text"]
    assert "Topic 3: Serving" not in card["text"]  # the breadcrumb
    claims = by_location["refs/resources/alpha-paper/#core-claims"]["text"]
    assert "The introduction states the problem." in claims  # the content is indexed
    source = by_location["sources/alpha-paper/full/"]
    assert source["title"] == "Source: Alpha Paper on Pipelines"
    for chrome in ("Fetched", "2026-01-02", "example.org/alpha", "Conversion", "read the card"):
        assert chrome not in source["text"], chrome
    intro = by_location["sources/alpha-paper/full/#introduction"]["text"]
    assert "Paragraph 1 about the introduction" in intro and "Cited by" not in intro
    catalog = by_location["catalog/"]["text"]
    assert "Alpha Paper on Pipelines" in catalog  # the rows are content
    assert "Priority all" not in catalog and "shown" not in catalog  # the controls are not
    every = " ".join(d["text"] for d in docs)
    assert "Still to write" not in every and "TODO(topic)" not in every


# ---------- 7. learner view ----------
def test_a_card_speaks_to_the_learner(page, site_url):
    page.goto(site_url + "refs/resources/beta-blog/")
    text = article_text(page)
    for jargon in ("next:", "refs review", "refs/resources/", "generated from the manifest"):
        assert jargon not in text, jargon
    strip = page.locator("p.refs-card-strip")
    assert strip.locator(".refs-badge").inner_text() == "converted"
    status = page.locator("article table tr", has_text="Status").first.locator("td").last
    assert status.inner_text() == "converted"  # the table said condensed: the manifest rules
    details = page.locator("details.refs-maintainers")
    assert not details.evaluate("d => d.open")
    details.locator("summary").click()
    inside = details.inner_text()
    assert "refs review beta-blog" in inside and "“condensed”" in inside
    link_texts = page.locator("article a").all_inner_texts()
    assert not [t for t in link_texts if re.search(r"\w/\w+\.md\b|full\.md", t)], link_texts


def test_stub_and_source_pages_speak_to_the_learner(page, site_url):
    page.goto(site_url + "refs/resources/epsilon-book/")
    text = article_text(page)
    assert "No card yet" in text and "A book everyone should own." in text
    for jargon in ("refs fetch", "generated from the manifest", "refs/resources/", "| Id"):
        assert jargon not in text, jargon
    page.goto(site_url + "sources/alpha-paper/full/")
    header = page.locator("dl.refs-source-header")
    assert header.locator("a", has_text="read the card").is_visible()
    assert not page.locator(".refs-warning").count()
    assert "refs/resources/alpha-paper.md" not in article_text(page)


# ---------- 8. phones ----------
PAGE_KINDS = {
    "home": "",
    "topics index": "refs/topics/",
    "topic doc": "refs/topics/01-pipelines/",
    "topic, no doc": "refs/topics/02-kernels/",
    "topic, scaffold": "refs/topics/03-serving/",
    "catalog": "catalog/",
    "cards index": "refs/resources/",
    "card": "refs/resources/alpha-paper/",
    "card stub": "refs/resources/gamma-notes/",
    "sources index": "sources/",
    "source": "sources/alpha-paper/full/",
    "curriculum": "distributed_video_dit_inference/",
    "guide": "refs/implementation-context/",
}
TITLES = (
    "article h1, .refs-rtable td:first-child a, .refs-rtable-order td:nth-child(2) a, "
    ".refs-reading-list strong a, table.refs-catalog td.refs-c-title > a, .refs-topic-label, "
    ".refs-crumbs a, ol.refs-next a"
)


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_every_page_kind_fits_a_phone(phone, site_url, kind):
    phone.goto(site_url + PAGE_KINDS[kind])
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # generated tables reflow instead of scrolling inside their box
    wide = phone.evaluate(
        """() => Array.from(document.querySelectorAll(
              '.refs-rtable .md-typeset__scrollwrap, .refs-rtable table, table.refs-catalog,'
              + ' .refs-catalog-controls, .refs-topic-rows, .refs-reading-list'))
            .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.className)"""
    )
    assert wide == []
    assert phone.evaluate(SPLIT_WORDS, TITLES) == []


def test_catalog_on_a_phone_still_filters_and_shows_every_field(phone, site_url):
    phone.goto(site_url + "catalog/")
    row = phone.locator('tr[data-rid="gamma-notes"]')
    for cell in ("refs-c-title", "refs-c-type", "refs-c-topic", "refs-c-priority", "refs-c-status"):
        assert row.locator(f"td.{cell}").is_visible()
    assert row.locator("td.refs-c-title a").first.inner_text() == LONG_TITLE
    phone.select_option('select[data-filter="status"]', "link_only")
    assert phone.locator("table.refs-catalog tbody tr:visible").count() == 1
    select = phone.locator('select[data-filter="topic"]').bounding_box()
    assert select["x"] + select["width"] <= PHONE["width"]


def test_dashboard_topic_labels_are_whole_on_a_phone(phone, site_url):
    phone.goto(site_url)
    labels = phone.locator(".refs-topic-label")
    assert labels.all_inner_texts() == [
        "Topic 1: Pipelines",
        "Topic 2: Kernels",
        "Topic 3: Serving",
        "Meta: Essential meta-resources",
    ]
    clipped = labels.evaluate_all("ls => ls.filter(l => l.scrollWidth > l.clientWidth + 1).length")
    assert clipped == 0


# ---------- desktop and dark mode still right ----------
def test_desktop_keeps_tables_and_rows(page, site_url):
    page.goto(site_url + "catalog/")
    assert page.locator("table.refs-catalog thead").evaluate("e => getComputedStyle(e).display")
    assert (
        page.locator("table.refs-catalog tbody tr").first.evaluate(
            "e => getComputedStyle(e).display"
        )
        == "table-row"
    )
    page.goto(site_url)
    row = page.locator(".refs-topic-row").first.bounding_box()
    assert row["height"] < 40  # label, bars and count on one line
    order = page.locator(".refs-rtable table").first
    assert order.locator("thead").is_visible()


def _luminance(rgb: str) -> float:
    r, g, b = (int(x) / 255 for x in re.findall(r"\d+", rgb)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_dark_scheme_preview_and_mark_are_readable(new_page, site_url):
    page = new_page(viewport={"width": 1280, "height": 800}, color_scheme="dark")
    page.goto(site_url + "refs/resources/alpha-paper/")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    page.locator("a.refs-evidence#cite-1").hover()
    tip = page.locator(".refs-preview")
    tip.wait_for(timeout=5000)
    bg = tip.evaluate("e => getComputedStyle(e).backgroundColor")
    fg = tip.locator("p").first.evaluate("e => getComputedStyle(e).color")
    light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    assert _luminance(bg) < 0.1  # a dark box on a dark page
    assert (light + 0.05) / (dark + 0.05) >= 4.5  # WCAG AA contrast
    page.goto(site_url + "sources/alpha-paper/full/#introduction")
    page.locator(".refs-passage-mark").wait_for(timeout=5000)
    text = page.locator("h2#introduction + p + p").evaluate("e => getComputedStyle(e).color")
    assert _luminance(text) > 0.5  # the mark is translucent: the text stays light and legible
