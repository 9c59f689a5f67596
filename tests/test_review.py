"""`refs review`: the only way to `condensed`, and only for a clean, converted card."""

from __future__ import annotations

import datetime
import json

import pytest
from json_shapes import REVIEW_DONE, REVIEW_REFUSED, assert_shape

from extract.library import Library


@pytest.fixture
def root(make_library):
    return make_library("agent")


@pytest.fixture
def refs(run_refs, root):
    return lambda *args, **kw: run_refs(root, *args, **kw)


def _snapshot(root):
    return {
        p: (root / p).read_bytes()
        for p in (
            "refs/manifest.yaml",
            *(
                f"refs/resources/{r}.md"
                for r in ("alpha-pipeline", "beta-scheduler", "eps-malformed")
            ),
        )
    }


def test_refuses_a_card_with_a_broken_citation(refs, root):
    before = _snapshot(root)
    code, out, _ = refs("review", "beta-scheduler", "--yes")
    assert code == 1
    assert (
        "error refs/resources/beta-scheduler.md:20 [citation] claim 2: anchor `#trade-offs` "
        "is not a heading of sources/beta-scheduler/full.md" in out
    )
    assert "not marked: 1 error(s), 0 unfinished placeholder(s)" in out
    assert _snapshot(root) == before
    assert Library(root).resource("beta-scheduler").status == "converted"


def test_lists_every_defect_of_a_malformed_card(refs, root):
    before = _snapshot(root)
    code, out, _ = refs("review", "eps-malformed", "--yes")
    assert code == 1
    for expected in (
        "refs/resources/eps-malformed.md [card-section] missing section `## Actionables / gotchas`",
        "refs/resources/eps-malformed.md:19 [card-evidence] claim 2 has no `**Evidence**:` line",
        "refs/resources/eps-malformed.md:22 [citation] claim 3: anchor `#compression` is not a heading",
        "refs/resources/eps-malformed.md:26 [card-related] related resource `zeta-missing` is not in the manifest",
    ):
        assert expected in out, out
    assert "not marked: 4 error(s)" in out
    assert _snapshot(root) == before


def test_refuses_placeholders(refs, root):
    card = root / "refs/resources/alpha-pipeline.md"
    card.write_text(card.read_text().replace("before tuning anything else.", "TODO(card): finish."))
    code, out, _ = refs("review", "alpha-pipeline", "--yes")
    assert code == 1
    assert "unfinished refs/resources/alpha-pipeline.md:" in out and "[card-placeholder]" in out
    assert "not marked: 0 error(s), 1 unfinished placeholder(s)" in out
    assert Library(root).resource("alpha-pipeline").status == "converted"


def test_non_terminal_without_yes_is_refused(refs, root):
    before = _snapshot(root)
    code, _, err = refs("review", "alpha-pipeline")
    assert code == 1
    assert "stdin is not a terminal; run `refs review alpha-pipeline --yes`" in err
    assert _snapshot(root) == before


def test_terminal_answer_decides(refs, root):
    before = _snapshot(root)
    code, out, _ = refs("review", "alpha-pipeline", stdin="n\n", tty=True)
    assert code == 1 and "not marked: not confirmed" in out
    assert _snapshot(root) == before
    code, out, _ = refs("review", "alpha-pipeline", stdin="y\n", tty=True)
    assert code == 0 and "`alpha-pipeline` is condensed" in out
    assert Library(root).resource("alpha-pipeline").status == "condensed"


def test_accepts_a_clean_card(refs, root):
    code, out, _ = refs("review", "alpha-pipeline", "--yes", "--json")
    data = json.loads(out)
    assert code == 0
    assert_shape(data, REVIEW_DONE)
    today = datetime.date.today().isoformat()
    res = Library(root).resource("alpha-pipeline")
    assert res.status == "condensed"
    assert res.notes == f"converted from the fixture page; reviewed {today}"
    assert data["reviewed"] is True and data["notes"] == res.notes and data["errors"] == 0
    card = (root / "refs/resources/alpha-pipeline.md").read_text()
    assert "| Status | condensed |" in card and "| Status | converted |" not in card
    from extract.check import check_resource

    assert [f for f in check_resource(Library(root), "alpha-pipeline")] == []
    code, out, _ = refs("review", "alpha-pipeline")
    assert code == 0 and "already condensed" in out


def test_refused_json_shape(refs):
    code, out, _ = refs("review", "beta-scheduler", "--yes", "--json")
    data = json.loads(out)
    assert code == 1
    assert_shape(data, REVIEW_REFUSED)
    assert data["reviewed"] is False and data["errors"] == 1
    assert data["findings"][0]["rule"] == "citation"


@pytest.mark.parametrize(
    ("rid", "message"),
    [
        ("delta-notes", "`delta-notes` is pending; only a converted resource can be reviewed"),
        ("gamma-kernels", "`gamma-kernels` has no card yet; run `refs card gamma-kernels`"),
    ],
)
def test_preconditions(refs, rid, message):
    code, _, err = refs("review", rid, "--yes")
    assert code == 1 and message in err
