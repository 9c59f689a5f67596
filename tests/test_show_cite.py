"""`refs show` and `refs cite` on the fixture library: text, JSON shapes, errors."""

from __future__ import annotations

import json

import pytest
from json_shapes import ANCHORS, CITE, SHOW, assert_shape

from extract.passages import TRUNCATED


@pytest.fixture
def root(make_library):
    return make_library("agent")


@pytest.fixture
def refs(run_refs, root):
    return lambda *args, **kw: run_refs(root, *args, **kw)


def _full_md_lines(root, rid):
    return (root / f"sources/{rid}/full.md").read_text(encoding="utf-8").splitlines()


def _card_line(root, rid, startswith):
    rows = (root / f"refs/resources/{rid}.md").read_text(encoding="utf-8").splitlines()
    return next(n for n, row in enumerate(rows, 1) if row.startswith(startswith))


def test_show_json_of_a_clean_card(refs, root):
    code, out, _ = refs("show", "alpha-pipeline", "--json")
    data = json.loads(out)
    assert code == 0
    assert_shape(data, SHOW)
    assert data["byline"] == "Ada Quill, Bo Fenn, 2031"
    assert data["next"] == "refs review alpha-pipeline"
    card = data["card"]
    assert card["fields"]["Authors"] == "Ada Quill, Bo Fenn"
    assert [c["number"] for c in card["claims"]] == [1, 2, 3]
    assert [e["target"] for e in card["claims"][1]["evidence"]] == [
        "sources/alpha-pipeline/full.md#eq-bubble",
        "sources/alpha-pipeline/full.md#results-1",
    ]
    assert all(
        e["resolves"] and e["problem"] is None for c in card["claims"] for e in c["evidence"]
    )
    assert card["actionables"] == [
        "Pick the microbatch count from the formula before tuning anything else.",
        "Identical blocks make partitioning trivial; uneven blocks need a cost model.",
    ]
    assert card["related"] == [
        {
            "id": "beta-scheduler",
            "exists": True,
            "has_card": True,
            "line": _card_line(root, "alpha-pipeline", "- [Beta Scheduler Notes]"),
        }
    ]
    assert list(card["sections"]) == ["Key technical details"]
    assert card["missing_sections"] == [] and card["placeholders"] == []


def test_show_json_reports_each_defect_of_a_malformed_card(refs, root):
    code, out, _ = refs("show", "eps-malformed", "--json")
    card = json.loads(out)["card"]
    assert code == 0  # show describes; `refs check` / `refs review` judge
    assert_shape(json.loads(out), SHOW)
    assert card["missing_sections"] == ["Actionables / gotchas"]
    claims = {c["number"]: c for c in card["claims"]}
    assert claims[2]["evidence"] == [] and claims[2]["evidence_text"] == ""
    (broken,) = claims[3]["evidence"]
    assert broken["resolves"] is False
    assert broken["line"] == _card_line(
        root, "eps-malformed", "   **Evidence**: [sources/eps-malformed/full.md#compression"
    )
    assert broken["problem"].startswith(
        "anchor `#compression` is not a heading of sources/eps-malformed/full.md"
    )
    related_line = _card_line(root, "eps-malformed", "- [Zeta Missing]")
    assert card["related"] == [
        {"id": "zeta-missing", "exists": False, "has_card": False, "line": related_line}
    ]


def test_show_without_a_card_gives_facts_and_next_command(refs):
    code, out, _ = refs("show", "delta-notes")
    assert code == 0
    assert "Dee Rook" in out and "https://example.org/delta-notes" in out
    assert "Invented notes on measuring memory traffic" in out
    assert "Next: refs fetch delta-notes" in out
    data = json.loads(refs("show", "gamma-kernels", "--json")[1])
    assert_shape(data, SHOW)
    assert data["card"] is None and data["next"] == "refs card gamma-kernels"
    assert data["full_md_path"] == "sources/gamma-kernels/full.md"


def test_show_terminal_flags_broken_evidence(refs):
    code, out, _ = refs("show", "beta-scheduler")
    assert code == 0
    assert "broken claim 2: sources/beta-scheduler/full.md#trade-offs (line 20)" in out
    assert "Interleaving gives each device two non-adjacent chunks" in out


def test_show_anchors(refs, root):
    code, out, _ = refs("show", "alpha-pipeline", "--anchors", "--json")
    data = json.loads(out)
    assert code == 0
    assert_shape(data, ANCHORS)
    assert [h["anchor"] for h in data["headings"]][-4:] == [
        "results",
        "results-1",
        "32-raw-measurements",
        "4-conclusion",
    ]
    assert data["explicit_anchors"] == ["eq-bubble"]
    code, out, _ = refs("show", "alpha-pipeline", "--anchors")
    assert "#21-stage-partitioning  2.1 Stage Partitioning" in out
    assert "#eq-bubble  (explicit anchor)" in out


def test_show_anchors_without_full_md_says_what_to_run(refs):
    code, _, err = refs("show", "delta-notes", "--anchors")
    assert code == 1
    assert (
        "has no sources/delta-notes/full.md yet (status pending); run `refs fetch delta-notes`"
        in err
    )


def test_unknown_id_is_one_clear_message(refs):
    code, out, err = refs("show", "nope")
    assert code == 1 and out == ""
    assert "unknown resource id `nope`; `refs status` lists them" in err


def test_cite_prints_the_exact_cited_passage(refs, root):
    code, out, _ = refs("cite", "alpha-pipeline", "1")
    lines = _full_md_lines(root, "alpha-pipeline")
    start = lines.index("### 2.1 Stage Partitioning")
    stop = lines.index("### 2.2 Bubble Accounting") - 1  # the blank line before it
    assert code == 0
    assert out.startswith("Claim 1: Equal-cost stages come from assigning equal counts")
    assert f"refs/resources/alpha-pipeline.md:{_card_line(root, 'alpha-pipeline', '1. ')}" in out
    assert f"sources/alpha-pipeline/full.md#21-stage-partitioning (lines {start + 1}-{stop})" in out
    assert "\n".join(lines[start:stop]) + "\n" in out


def test_cite_every_claim_and_truncation(refs, root):
    code, out, _ = refs("cite", "alpha-pipeline")
    assert code == 0
    assert out.count("Claim ") == 3
    assert "Second results: doubling the microbatches halves the idle slots on average." in out
    assert TRUNCATED in out and "| 61 |" not in out and "| 60 |" not in out


def test_cite_unknown_claim_number(refs):
    code, out, err = refs("cite", "alpha-pipeline", "9")
    assert code == 1 and out == ""
    assert (
        "refs/resources/alpha-pipeline.md: no claim 9 on this card; its claims are 1, 2, 3" in err
    )


def test_cite_broken_citation_shows_problem_and_fails(refs):
    code, out, _ = refs("cite", "beta-scheduler")
    assert code == 1
    assert "two non-adjacent chunks of the model" in out  # claim 1 still shown
    assert "broken: anchor `#trade-offs` is not a heading of sources/beta-scheduler/full.md" in out
    code, out, _ = refs("cite", "eps-malformed", "2")
    assert code == 1
    assert "broken: claim 2 cites no `sources/<id>/full.md#<anchor>`" in out
    code, _, _ = refs("cite", "beta-scheduler", "1")
    assert code == 0


def test_cite_without_card(refs):
    code, _, err = refs("cite", "gamma-kernels")
    assert code == 1
    assert "refs/resources/gamma-kernels.md: `gamma-kernels` has no card yet" in err


def test_cite_json_shape_and_passages(refs, root):
    code, out, _ = refs("cite", "alpha-pipeline", "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"] is True
    assert_shape(data, CITE)
    eq = data["claims"][1]["citations"][0]["passage"]
    lines = _full_md_lines(root, "alpha-pipeline")
    assert eq["text"] == "\n".join(lines[eq["line"] - 1 : eq["end_line"]])
    assert data["claims"][2]["citations"][0]["passage"]["truncated"] is True
    code, out, _ = refs("cite", "beta-scheduler", "2", "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert_shape(data, CITE)
    (c,) = data["claims"][0]["citations"]
    assert c["passage"] is None and "trade-offs" in c["problem"]


def test_show_piped_prints_the_card_markdown_verbatim(refs, root):
    code, out, _ = refs("show", "alpha-pipeline")
    card = (root / "refs/resources/alpha-pipeline.md").read_text(encoding="utf-8")
    assert code == 0
    assert out.startswith(card.rstrip("\n") + "\n")
    assert out.rstrip().endswith("converted; 3 claim(s); next: refs review alpha-pipeline")


def test_cite_placeholder_claim_says_unfinished(refs, root):
    card = root / "refs/resources/beta-scheduler.md"
    text = card.read_text(encoding="utf-8")
    start = text.index("2. **Claim**")
    end = text.index("## Key insights")
    card.write_text(
        text[:start]
        + "2. **Claim**: TODO(card): a claim.\n   **Evidence**: TODO(card): a heading.\n\n"
        + text[end:],
        encoding="utf-8",
    )
    code, out, _ = refs("cite", "beta-scheduler", "2")
    assert code == 1
    assert (
        "unfinished: claim 2 is still a TODO(card) placeholder; write the claim and cite a "
        "heading (`refs show beta-scheduler --anchors`)" in out
    )
