"""Claims that go stale (`extract.review_record`, rule `claim-stale`): `refs review`
records each cited passage; a re-convert that changes one flags exactly the claims
citing it, in `refs check`, `refs show` (text and JSON) and on the site's card page;
the next `refs review` clears them."""

from __future__ import annotations

import json
import re

import pytest
from json_shapes import SHOW, assert_shape
from sample_library import CURRICULUM
from test_check import _card

from extract.check import check_library
from extract.library import Library
from extract.review_record import before_after, record_path, snapshot

PAGE = """<html><head><title>Stream Docs</title></head><body><main>
<h1>Stream Docs</h1>
<p>How streams order work.</p>
<h2>Ordering</h2>
<p>Work on one stream runs in issue order; {ordering}</p>
<h2>Events</h2>
<p>An event marks a point in a stream; {events}</p>
<h2>Other</h2>
<p>{other}</p>
</main></body></html>
"""
TEXTS = {
    "ordering": "a second stream needs an event to wait on the first.",
    "events": "waiting on it costs about 5 us on 8 GPUs.",
    "other": "Nothing a claim cites.",
}
CLAIMS = """1. **Claim**: One stream runs its work in issue order.
   **Evidence**: [o](../../sources/stream-docs/full.md#ordering)

2. **Claim**: Waiting on an event costs about 5 us.
   **Evidence**: [e](../../sources/stream-docs/full.md#events)

3. **Claim**: Events and ordering go together.
   **Evidence**: [o](../../sources/stream-docs/full.md#ordering), [e](../../sources/stream-docs/full.md#events)
"""


@pytest.fixture
def lib_root(make_library, tmp_path, run_refs):
    root = make_library(root=tmp_path, curriculum=CURRICULUM, sync=True)
    lib = Library(root)
    lib.raw_dir("stream-docs").mkdir(parents=True)
    _page(root)
    lib.advance("stream-docs", "fetched", ["sources/stream-docs/raw/page.html"])
    code, out, err = run_refs(root, "convert", "stream-docs")
    assert code == 0, out + err
    _card(Library(root), "[o](../../sources/stream-docs/full.md#ordering)")
    card = lib.card_path("stream-docs")
    text = card.read_text()
    start, end = text.index("1. **Claim**"), text.index("## Actionables")
    card.write_text(text[:start] + CLAIMS + "\n" + text[end:])
    code, out, err = run_refs(root, "review", "stream-docs", "--yes")
    assert code == 0, out + err
    return root


def _page(root, **changes) -> None:
    page = PAGE.format(**{**TEXTS, **changes})
    (root / "sources/stream-docs/raw/page.html").write_text(page)


def _reconvert(root, run_refs, **changes) -> None:
    _page(root, **changes)
    code, out, err = run_refs(root, "convert", "stream-docs", "--force")
    assert code == 0, out + err


def _stale(root) -> list[tuple[int, str]]:
    return [(f.line, f.message) for f in check_library(Library(root)) if f.rule == "claim-stale"]


def test_review_records_each_cited_passage(lib_root):
    record = json.loads(record_path(Library(lib_root), "stream-docs").read_text())
    assert sorted(record["passages"]) == [
        "sources/stream-docs/full.md#events",
        "sources/stream-docs/full.md#ordering",
    ]
    assert [c["number"] for c in record["claims"]] == [1, 2, 3]
    assert _stale(lib_root) == []


def test_a_reconvert_changing_one_cited_passage_flags_exactly_its_claims(lib_root, run_refs):
    _reconvert(lib_root, run_refs, events="waiting on it costs about 9 us on 8 GPUs.")
    stale = _stale(lib_root)
    card_lines = Library(lib_root).card_path("stream-docs").read_text().split("\n")
    flagged = sorted(int(card_lines[line - 1].split(".")[0]) for line, _ in stale)
    assert flagged == [2, 3]
    message = stale[0][1]
    assert "sources/stream-docs/full.md#events, changed since the card was reviewed" in message
    assert "before «" in message and "5 us" in message and "9 us" in message
    assert "`refs review stream-docs`" in message


def test_a_reconvert_changing_another_section_flags_nothing(lib_root, run_refs):
    _reconvert(lib_root, run_refs, other="A different text nobody cites.")
    assert _stale(lib_root) == []
    _reconvert(lib_root, run_refs)  # back as it was, converted again: still nothing
    assert _stale(lib_root) == []


def test_show_says_so_and_review_clears_it(lib_root, run_refs):
    _reconvert(lib_root, run_refs, ordering="a second stream never waits.")
    code, out, _ = run_refs(lib_root, "show", "stream-docs", "--json")
    view = json.loads(out)
    assert_shape(view, SHOW)
    stale = {c["number"]: c["stale"] for c in view["card"]["claims"]}
    assert [n for n, s in stale.items() if s] == [1, 3]
    assert stale[1][0]["target"] == "sources/stream-docs/full.md#ordering"
    assert "never waits" in stale[1][0]["after"]
    assert view["card"]["reviewed"]
    code, out, _ = run_refs(lib_root, "show", "stream-docs")
    assert "stale claim 1: sources/stream-docs/full.md#ordering changed since review" in out
    # the resource is condensed; reviewing again renews the record and clears the flags
    code, out, err = run_refs(lib_root, "review", "stream-docs", "--yes")
    assert code == 0, out + err
    assert "reviewing again: claim(s) 1, 3 cite passages that changed" in out
    assert _stale(lib_root) == []
    code, out, _ = run_refs(lib_root, "review", "stream-docs", "--yes")
    assert code == 0 and "already condensed" in out


def test_a_damaged_record_is_an_error_that_says_what_to_do(lib_root):
    path = record_path(Library(lib_root), "stream-docs")
    path.write_text('{"passages": [\n')
    [f] = [f for f in check_library(Library(lib_root)) if f.rule == "review-record"]
    assert f.severity == "error" and f.path == "refs/reviews/stream-docs.json"
    assert "run `refs review stream-docs`" in f.message


def test_before_after_shows_where_the_passage_changed():
    old = snapshot(["## Events", "An event costs 5 us to wait on, measured on 8 GPUs."])
    before, after = before_after(
        old["lines"], ["## Events", "An event costs 9 us to wait on, measured on 8 GPUs."]
    )
    assert "5 us" in before and "9 us" in after
    assert before_after(old["lines"], ["## Events"]) == (
        "An event costs 5 us to wait on, measured on 8 GPUs.",
        "(removed)",
    )
    long = "x" * 110  # the change lies past the characters the record keeps
    before, after = before_after(snapshot([long])["lines"], [long + " and more"])
    assert before.endswith("(…)") and "and more" in after


def test_the_site_marks_stale_claims_for_the_learner(lib_root, run_refs, tmp_path):
    from mkdocs_site import build, mkdocs_config

    _reconvert(lib_root, run_refs, events="waiting on it costs about 9 us on 8 GPUs.")
    (lib_root / "site_docs").mkdir(exist_ok=True)
    (lib_root / "mkdocs.yml").write_text(mkdocs_config())
    site = tmp_path / "site"
    r = build(lib_root, site)
    assert r.returncode == 0, r.stdout + r.stderr
    page = (site / "refs/resources/stream-docs/index.html").read_text()
    marked = re.findall(r'id="claim-(\d+)".*?(refs-stale-claim|</li>)', page, re.S)
    assert [(n, m == "refs-stale-claim") for n, m in marked] == [
        ("1", False),
        ("2", True),
        ("3", True),
    ]
    assert "source changed since review" in page and "refs review stream-docs" in page


def test_a_warm_build_s_exports_follow_a_cited_passage_that_changed(lib_root, run_refs, tmp_path):
    """`refs.json` says which claims went stale; a build that kept the exports of the
    build before (`exports_memo`) makes them again when a cited passage changes, the
    same as a build without the cache."""
    import shutil

    from mkdocs_site import build_in_a_new_process, mkdocs_config

    (lib_root / "site_docs").mkdir(exist_ok=True)
    (lib_root / "mkdocs.yml").write_text(mkdocs_config())

    def stale_claims(site) -> list[int]:
        data = json.loads((site / "refs.json").read_text(encoding="utf-8"))
        (card,) = [r["card"] for r in data["resources"] if r["id"] == "stream-docs"]
        return [c["number"] for c in card["claims"] if c.get("stale")]

    assert build_in_a_new_process(lib_root, tmp_path / "before", strict=False).returncode == 0
    assert stale_claims(tmp_path / "before") == []
    _reconvert(lib_root, run_refs, events="waiting on it costs about 9 us on 8 GPUs.")
    assert build_in_a_new_process(lib_root, tmp_path / "warm", strict=False).returncode == 0
    assert stale_claims(tmp_path / "warm") == [2, 3]
    shutil.rmtree(lib_root / ".refs-cache")
    assert build_in_a_new_process(lib_root, tmp_path / "clean", strict=False).returncode == 0
    for name in ("refs.json", "llms.txt"):
        assert (tmp_path / "warm" / name).read_bytes() == (tmp_path / "clean" / name).read_bytes()
