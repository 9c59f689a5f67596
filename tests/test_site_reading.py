"""The reading experience, page by page as markdown: topic pages before and after a
synthesis is written, page labels and breadcrumbs, evidence link text, the maintainers'
block, the field table's status, search exclusions. (Chromium: test_site_reading_browser.)"""

from __future__ import annotations

import re

import pytest

from docs_gen.evidence import Evidence
from docs_gen.links import Links
from docs_gen.pages import cards, dashboard, snippets, sources, titles, topics
from docs_gen.pages.placeholders import collapse
from extract.anchors import headings
from extract.cards import PLACEHOLDER, TOPIC_PLACEHOLDER
from extract.library import Library
from extract.scaffold import topic_doc


@pytest.fixture
def lib(make_library, tmp_path):
    return Library(make_library("site", root=tmp_path / "lib"))


def write(lib, rel, text):
    path = lib.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------- 1. topic pages ----------
def test_a_fresh_scaffold_is_a_scaffold_and_writing_changes_that(lib):
    t2 = lib.topic(2)
    scaffold = topic_doc(t2)
    assert topics.doc_state(scaffold, t2).state == topics.SCAFFOLD
    one = scaffold.replace(
        "## Open questions", "## Open questions\n\nWhy is a launch as slow as it is?\n", 1
    )
    assert topics.doc_state(one, t2).state == topics.PARTLY
    done = re.sub(r"TODO\(topic\):[^\n]*", "Written by a person.", scaffold)
    assert topics.doc_state(done, t2).state == topics.WRITTEN
    own_intro = scaffold.replace("What a launch costs.", "Our own framing of launches.")
    assert topics.doc_state(own_intro, t2).state == topics.PARTLY
    cited = scaffold.replace(
        "TODO(topic): the decisions",
        "TODO(topic): expand sources/gamma-notes/full.md#launch-cost, the decisions",
    )
    assert topics.doc_state(cited, t2).state == topics.PARTLY  # a citation is writing


def test_topics_index_says_written_scaffold_or_none(lib):
    write(lib, "refs/topics/02-kernels.md", topic_doc(lib.topic(2)))
    md = topics.build_topic_index(lib)
    assert "[Topic 1: Pipelines](01-pipelines.md) | 2 | 0 | written |" in md
    assert "[Topic 2: Kernels](02-kernels.md) | 2 | 0 | scaffold |" in md
    assert "[Topic 3: Serving](03-serving.md) | 1 | 0 | none |" in md
    assert "| Topic | Resources | Condensed | Synthesis |" in md


def test_a_scaffold_topic_doc_shows_the_curriculum_not_its_todos(lib):
    t2 = lib.topic(2)
    page = topics.topic_doc_page(lib, t2, topic_doc(t2))
    assert TOPIC_PLACEHOLDER + ":" not in page and "## Synthesis" not in page
    assert page.startswith("# Topic 2: Kernels — launch overhead\n\nWhat a launch costs.")
    # every resource with the curriculum's words for it, in reading order, with status
    assert page.index("Gamma Notes") < page.index("Delta Talk")
    assert "Notes converted from an untrusted page." in page and "A recorded talk." in page
    assert 'refs-status-link_only">link only<' in page
    assert "[no card yet](../resources/gamma-notes.md)" in page
    assert "reading step 2: Then" in page
    block = re.search(r'<details class="refs-maintainers".*?</details>', page, re.S).group(0)
    assert "refs/topics/02-kernels.md" in block and "scaffold" in block


def test_a_partly_written_doc_keeps_its_text_and_collapses_the_rest(lib):
    t1 = lib.topic(1)
    doc = topic_doc(t1).replace(
        "## Synthesis\n\n", "## Synthesis\n\nThe bubble shrinks with more micro-batches.\n\n", 1
    )
    page = topics.topic_doc_page(lib, t1, doc)
    assert "The bubble shrinks with more micro-batches." in page
    todos = re.findall(
        r'<details class="refs-todo" data-search-exclude markdown>(.*?)</details>', page, re.S
    )
    assert len(todos) == 3 and all(TOPIC_PLACEHOLDER in t for t in todos)
    outside = re.sub(r"<details.*?</details>", "", page, flags=re.S)
    assert TOPIC_PLACEHOLDER not in outside
    assert page.index("## Synthesis") < page.index("## Resources in reading order")


def test_resources_in_reading_order_then_curriculum_order(lib):
    t1 = lib.topic(1)
    assert [r.id for r, _ in topics.in_reading_order(lib, t1)] == ["alpha-paper", "beta-blog"]
    lib.reading_order[0].ids.remove("alpha-paper")  # alpha is then in no step
    order = topics.in_reading_order(lib, t1)
    assert [(r.id, step) for r, step in order] == [
        ("beta-blog", "reading step 1: Start here"),
        ("alpha-paper", ""),
    ]


def test_description_is_the_one_written_under_the_topic(lib):
    alpha = lib.resource("alpha-paper")
    assert topics.description(lib, alpha, lib.topic(3)) == "Also about queues."
    assert "every anchor rule" in topics.description(lib, alpha, lib.topic(1))


# ---------- 4. what the page is ----------
def test_card_source_and_resource_pages_are_labelled(lib):
    md = "# Alpha Paper on Pipelines { #alpha-paper-on-pipelines }\n\nText.\n"
    card = cards.card_page(lib, "alpha-paper", md)
    assert card.startswith(
        '# <span class="refs-kind">Card<span class="refs-sep">: </span></span>'
        "Alpha Paper on Pipelines { #alpha-paper-on-pipelines }"
    )
    crumbs = re.search(r"^(.*)\n\{: \.refs-crumbs", card, re.M).group(1)
    assert crumbs == (
        "[Topic 1: Pipelines](../topics/01-pipelines.md) · [Topic 3: Serving]"
        "(../topics/03-serving.md) › Alpha Paper on Pipelines"
    )
    src = sources.source_page(lib, "alpha-paper", md, {}, None, Links())
    assert src.startswith('# <span class="refs-kind">Source<span class="refs-sep">')
    assert "› [Alpha Paper on Pipelines](../../refs/resources/alpha-paper.md) › Source" in src
    stub = cards.build_card_stub(lib, lib.resource("epsilon-book"))
    assert stub.startswith('# <span class="refs-kind">Resource')
    assert titles.header_title(titles.CARD_LABEL, "A <b>") == "Card: A &lt;b&gt;"
    assert titles.header_title(titles.SOURCE_LABEL, "A") == "Source: A"
    assert titles.header_title("", "A") is None


def test_long_identifiers_in_titles_get_break_chances():
    assert titles.soft_breaks("torch.use_deterministic_algorithms (docs)") == (
        "torch.<wbr>use_<wbr>deterministic_<wbr>algorithms (docs)"
    )
    assert titles.soft_breaks("short.name AT&amp;T") == "short.name AT&amp;T"
    out = titles.with_kind_label(
        "# `torch.use_deterministic_algorithms` and torch.use_deterministic_algorithms"
        " { #torch.use_deterministic_algorithms }\n",
        titles.CARD_LABEL,
    )
    assert "`torch.use_deterministic_algorithms` and torch.<wbr>use_" in out  # code as written
    assert out.endswith("algorithms { #torch.use_deterministic_algorithms }\n")  # id too


def test_the_label_goes_on_the_first_h1_outside_code():
    md = "```\n# not this\n```\n\n# This one\n\n# Not a second\n"
    out = titles.with_kind_label(md, titles.SOURCE_LABEL)
    assert out.count("refs-kind") == 1 and "# not this\n" in out
    assert '# <span class="refs-kind">Source<span class="refs-sep">: </span></span>This one' in out


# ---------- 5. evidence link text ----------
def test_a_bare_path_shows_the_heading_and_keeps_the_path_as_title(lib):
    full = lib.full_md_path("alpha-paper")
    full.write_text(
        full.read_text(encoding="utf-8") + "\n## 2 Handcrafted Pipeline Schedules\n\nText.\n",
        encoding="utf-8",
    )
    ev = Evidence(lib, Links())
    target = "sources/alpha-paper/full.md#2-handcrafted-pipeline-schedules"
    md = f"1. **Claim**: x.\n   **Evidence**: [{target}](../../{target})\n"
    out, broken = ev.rewrite("refs/resources/alpha-paper.md", md, is_card=True)
    assert not broken
    assert f'[§2 Handcrafted Pipeline Schedules](../../{target} "{target}")' in out
    # from another resource's card the resource is named first
    out, _ = ev.rewrite("refs/resources/beta-blog.md", md, is_card=True)
    assert f'[Alpha Paper on Pipelines §2 Handcrafted Pipeline Schedules](../../{target} "' in out


def test_heading_text_with_brackets_and_markup_is_shown_as_written(lib):
    full = lib.full_md_path("beta-blog")
    full.write_text(
        full.read_text(encoding="utf-8") + "\n## [RFC] *Queues* & limits\n\nText.\n",
        encoding="utf-8",
    )
    anchor = headings(full.read_text(encoding="utf-8"))[-1].anchor
    ev = Evidence(lib, Links())
    out, broken = ev.rewrite(
        "refs/resources/beta-blog.md", f"See sources/beta-blog/full.md#{anchor}.\n", False
    )
    assert not broken
    shown = re.search(r"\[(§.*?)\]\(\.\./\.\./sources/beta-blog/full\.md#", out).group(1)
    assert shown == r"§ \[RFC\] Queues &amp; limits"  # brackets and & as written, as text


# ---------- 6 and 7. learner view ----------
def test_card_strip_has_no_command_and_the_maintainers_block_has_it(lib):
    md = "# Alpha\n\n| Field | Value |\n|---|---|\n| Status | converted |\n\n## Why\n\nText.\n"
    out = cards.card_page(lib, "alpha-paper", md)
    strip = re.search(r"^Status .*\n\{: \.refs-card-strip data-search-exclude \}", out, re.M)
    text = re.sub(r"\]\([^)]*\)", "]", strip.group(0))  # link text only
    assert "refs review" not in text and "next" not in text and "full.md" not in text
    assert "[full text](../../sources/alpha-paper/full.md)" in strip.group(0)
    block = re.search(r'<details class="refs-maintainers" data-search-exclude>.*?</details>', out)
    assert "<code>refs review alpha-paper</code>" in block.group(0)
    assert "<code>refs/resources/alpha-paper.md</code>" in block.group(0)


@pytest.mark.parametrize("written", ["condensed", "Pending", "`fetched`"])
def test_the_field_table_shows_the_manifest_status(lib, written):
    md = f"# Alpha\n\n| Field | Value |\n|---|---|\n| Status | {written} |\n\n## Status\n\n| Status | x |\n"
    out = cards.card_page(lib, "alpha-paper", md)
    rows = re.findall(r"^\| Status \| (.*) \|$", out, re.M)
    assert rows[0] == snippets.badge("converted")  # the manifest's, like the strip's badge
    assert rows[1] == "x"  # a table further down is the author's
    block = re.search(r'<details class="refs-maintainers".*?</details>', out).group(0)
    assert "says “" in block and written.strip("`") in block


def test_a_field_table_that_agrees_needs_no_note(lib):
    md = "# Alpha\n\n| Field | Value |\n|---|---|\n| Status | converted |\n"
    assert "says “" not in cards.card_page(lib, "alpha-paper", md)


def test_card_placeholders_are_collapsed_not_shown(lib):
    md = (
        "# A\n\n## Core claims\n\n1. **Claim**: Real claim.\n   **Evidence**: x\n\n"
        f"2. **Claim**: {PLACEHOLDER}: one claim.\n   **Evidence**: {PLACEHOLDER}: link.\n\n"
        f"3. **Claim**: {PLACEHOLDER}: another.\n\n## Actionables / gotchas\n\n"
        f"- {PLACEHOLDER}: what to do.\n\n## Related\n\n- Real item\n- {PLACEHOLDER}: more\n"
    )
    out = collapse(md, PLACEHOLDER)
    todos = re.findall(r"<details class=\"refs-todo\".*?</details>", out, re.S)
    assert len(todos) == 2  # claims 2-3 together, the actionable; the mixed list stays
    assert "1. **Claim**: Real claim." in out.split("<details")[0]
    assert f"- Real item\n- {PLACEHOLDER}: more" in out


def test_source_digest_is_for_maintainers(lib):
    meta = {"source_url": "https://example.org/alpha", "source_sha256": "ab12" * 16}
    out = sources.source_page(lib, "alpha-paper", "# A\n", meta, None, Links())
    header = re.search(r"<dl .*?</dl>", out).group(0)
    assert "ab12" not in header and "sha256" not in header.lower()
    block = re.search(r'<details class="refs-maintainers".*?</details>', out).group(0)
    assert "source_sha256:" in block and "ab12" * 16 in block


def test_source_header_keeps_problems_for_maintainers(lib):
    out = sources.source_page(lib, "alpha-paper", "# A\n", {}, "front matter lacks title", Links())
    header = re.search(r"<dl .*?</dl>", out).group(0)
    assert "front matter" not in header and "refs-warning" not in header
    block = re.search(r'<details class="refs-maintainers".*?</details>', out).group(0)
    assert "front matter lacks title" in block and "sources/alpha-paper/full.md" in block


def test_stub_page_talks_to_the_learner(lib):
    md = cards.build_card_stub(lib, lib.resource("epsilon-book"))
    visible = re.sub(r"<details.*?</details>", "", md, flags=re.S)
    assert "generated from the manifest" not in visible and "refs fetch" not in visible
    assert "refs/resources/" not in visible and "| Id |" not in visible
    assert "No card yet" in visible and "[original ↗](https://example.org/epsilon)" in visible
    assert "refs fetch epsilon-book" in md  # for maintainers, collapsed


def test_chrome_is_excluded_from_search(lib):
    md = cards.card_page(lib, "alpha-paper", "# A\n")
    assert re.search(r"\{: \.refs-card-strip data-search-exclude \}", md)
    assert re.search(r"\{: \.refs-crumbs [^}]*data-search-exclude \}", md)
    header = sources.source_header(lib, "alpha-paper", {"fetch_date": "2026-01-02"}, None, Links())
    assert header.startswith('<dl class="refs-source-header" data-search-exclude>')
    assert sources.cited_by_line("x.md", [])[2] == "{: .refs-cited-by data-search-exclude }"


# ---------- 8. phones: labels never cut ----------
def test_dashboard_labels_are_whole(lib):
    lib.topic(1).title = "A very long topic title that a fixed-width chart used to cut — sub"
    md = dashboard.build_dashboard(lib, Links())
    assert ">Topic 1: A very long topic title that a fixed-width chart used to cut</a>" in md
