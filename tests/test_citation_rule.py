"""The one citation rule (`extract.cards` + `extract.citations`) and `refs cite <target>`:
every relative link into `sources/` is a citation, off-site evidence is an error."""

from __future__ import annotations

import json

import pytest
from agent_helpers import CITE, CITE_TARGET, assert_shape, make_library, run_refs

from extract.cards import find_citations, offsite_urls, parse_card
from extract.check import check_library
from extract.citations import Resolver
from extract.library import Library


@pytest.mark.parametrize(
    "written",
    [
        "[x](../../sources/alpha-pipeline/full.md#2-method)",
        "[x](../sources/alpha-pipeline/full.md#2-method)",
        "[x](sources/alpha-pipeline/full.md#2-method)",
        "[x](./sources/alpha-pipeline/full.md#2-method)",
        '[x](<../../sources/alpha-pipeline/full.md#2-method> "title")',
        "see sources/alpha-pipeline/full.md#2-method.",
        "`sources/alpha-pipeline/full.md#2-method`",
        '<a href="../../sources/alpha-pipeline/full.md#2-method">x</a>',
    ],
)
def test_every_prefix_and_form_is_one_citation(written):
    (c,) = find_citations(written)
    assert (c.rid, c.path, c.anchor, c.target) == (
        "alpha-pipeline",
        "full.md",
        "2-method",
        "sources/alpha-pipeline/full.md#2-method",
    )


def test_reference_definitions_and_other_files_and_whole_files():
    md = (
        "[r]: ../../sources/alpha-pipeline/notes.md#plan\n"
        "[whole](../../sources/alpha-pipeline/full.md) and bare sources/alpha-pipeline/full.md\n"
    )
    got = [(c.path, c.anchor, c.line) for c in find_citations(md)]
    assert got == [("notes.md", "plan", 1), ("full.md", "", 2)]  # bare text needs an anchor


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/p?sources/alpha-pipeline/full.md#2-method",
        "https://evil.example/sources/alpha-pipeline/full.md#2-method",
        "//evil.example/sources/alpha-pipeline/full.md#2-method",
        "https://evil.example/?q=../sources/alpha-pipeline/full.md#2-method",
        "/sources/alpha-pipeline/full.md#2-method",
    ],
)
def test_a_sources_path_inside_an_off_site_url_is_no_citation(url):
    line = f"**Evidence**: [s]({url})"
    assert find_citations(line) == []
    assert offsite_urls(line) == [url]


def test_off_site_urls_in_any_form():
    row = "[a](https://x.example/a) <https://x.example/b> //x.example/c, and [ok](../x.md)"
    assert offsite_urls(row) == ["https://x.example/a", "https://x.example/b", "//x.example/c"]


@pytest.fixture
def lib(tmp_path):
    root = make_library(tmp_path)
    (root / "sources/alpha-pipeline/notes.md").write_text(
        "# Notes\n\nPlan\n----\n\nText.\n", encoding="utf-8"
    )
    return Library(root)


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("sources/alpha-pipeline/notes.md#plan", None),
        (
            "sources/alpha-pipeline/notes.md#nope",
            "is not a heading of sources/alpha-pipeline/notes.md",
        ),
        ("sources/alpha-pipeline/missing.md#plan", "missing.md, which does not exist"),
        ("sources/alpha-pipeline/full.md", None),
        ("sources/alpha-pipeline/full.md#2-method", None),
        ("sources/alpha-pipeline/", "links to the folder"),
        ("sources/alpha-pipeline/../beta-scheduler/full.md#x", "not a file of"),
        ("sources/alpha-pipeline/raw/gone.pdf", "does not exist"),
        ("sources/alpha-pipeline/notes.txt#a", "does not exist"),
        ("sources/nobody/full.md#x", "not a resource in the manifest"),
    ],
)
def test_resolver_judges_every_link_into_sources(lib, target, problem):
    (c,) = find_citations(f"[x](../../{target})")
    got = Resolver(lib).problem(c)
    assert (got is None) if problem is None else (problem in (got or "")), got


def _write_card(lib, evidence: str) -> None:
    path = lib.card_path("alpha-pipeline")
    text = path.read_text(encoding="utf-8")
    first = text.index("**Evidence**:")
    end = text.index("\n", first)
    path.write_text(text[:first] + f"**Evidence**: {evidence}" + text[end:], encoding="utf-8")


def test_check_reports_off_site_evidence_naming_the_url(lib):
    evil = "https://evil.example/p?sources/alpha-pipeline/full.md#2-method"
    _write_card(lib, f"[s]({evil})")
    claim = parse_card(lib.card_path("alpha-pipeline")).claims[0]
    assert claim.citations == [] and claim.offsite == [(evil, claim.evidence_line)]
    found = [f for f in check_library(lib) if f.path == "refs/resources/alpha-pipeline.md"]
    offsite = [f for f in found if f.rule == "citation-offsite"]
    assert len(offsite) == 1 and evil in offsite[0].message and "claim 1" in offsite[0].message
    assert any(f.rule == "card-evidence" and f.line == claim.evidence_line for f in found)


def test_a_whole_file_link_is_no_evidence_for_a_claim(lib):
    _write_card(lib, "[whole](../../sources/alpha-pipeline/full.md)")
    found = check_library(lib)
    assert any(f.rule == "card-evidence" and "claim 1" in f.message for f in found)
    assert not any(f.rule == "citation" and f.path.endswith("alpha-pipeline.md") for f in found)


def test_cite_a_target_gives_its_own_passage(capsys, monkeypatch, lib):
    code, out, _ = run_refs(
        capsys,
        monkeypatch,
        lib.root,
        "cite",
        "../sources/alpha-pipeline/full.md#2-method",
        "--json",
    )
    view = json.loads(out)
    assert code == 0 and view["resolves"]
    assert_shape(view, CITE_TARGET)
    assert (
        view["passage"]["text"].startswith("## 2 Method")
        and "### 2.1" not in view["passage"]["text"]
    )
    code, out, _ = run_refs(
        capsys, monkeypatch, lib.root, "cite", "alpha-pipeline#2-method", "--subsections", "--json"
    )
    whole = json.loads(out)
    assert code == 0 and "### 2.1 Stage Partitioning" in whole["passage"]["text"]
    assert whole["subsections"] is True


def test_cite_a_target_lists_the_cards_citing_it(capsys, monkeypatch, lib):
    code, out, _ = run_refs(
        capsys, monkeypatch, lib.root, "cite", "sources/alpha-pipeline/full.md#results-1", "--json"
    )
    view = json.loads(out)
    assert code == 0
    assert {"card_path": "refs/resources/alpha-pipeline.md", "claim": 2, "line": 21} in view[
        "cited_by"
    ]
    code, out, _ = run_refs(capsys, monkeypatch, lib.root, "cite", "alpha-pipeline#results-1")
    assert (
        code == 0 and "### Results" in out and "cited by refs/resources/alpha-pipeline.md:21" in out
    )


def test_cite_a_target_of_another_file_and_broken_and_malformed_targets(capsys, monkeypatch, lib):
    code, out, _ = run_refs(
        capsys, monkeypatch, lib.root, "cite", "sources/alpha-pipeline/notes.md#plan", "--json"
    )
    assert code == 0 and json.loads(out)["passage"]["text"] == "Plan\n----\n\nText."
    code, out, _ = run_refs(
        capsys, monkeypatch, lib.root, "cite", "sources/alpha-pipeline/full.md#nope", "--json"
    )
    view = json.loads(out)
    assert code == 1 and not view["resolves"] and "nope" in view["problem"]
    code, _, err = run_refs(capsys, monkeypatch, lib.root, "cite", "sources/alpha-pipeline/full.md")
    assert code == 2 and "not a citation target" in err
    code, _, err = run_refs(capsys, monkeypatch, lib.root, "cite", "alpha-pipeline#2-method", "3")
    assert code == 2 and "takes no claim number" in err


def test_cite_claims_json_has_subsections_and_off_site(capsys, monkeypatch, lib):
    code, out, _ = run_refs(capsys, monkeypatch, lib.root, "cite", "alpha-pipeline", "--json")
    view = json.loads(out)
    assert_shape(view, CITE)
    assert view["subsections"] is False
    _write_card(lib, "[s](https://evil.example/x)")
    code, out, _ = run_refs(capsys, monkeypatch, lib.root, "cite", "alpha-pipeline", "1")
    assert code == 1 and "off-site" in out and "https://evil.example/x" in out
