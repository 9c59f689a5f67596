"""Bytes that are not UTF-8, and a UTF-8 byte-order mark, in the files people edit.

Each bad file is one finding or one message naming the file and the line, never a
UnicodeDecodeError traceback; a BOM is accepted everywhere.
"""

from __future__ import annotations

import json

BAD = b"\xff\xfe not text \x80"


def _check(run_refs, root):
    code, out, err = run_refs(root, "check", "--json")
    return code, json.loads(out)


def test_a_card_that_is_not_utf8_is_one_finding_with_its_line(make_library, run_refs):
    root = make_library("agent")
    card = root / "refs/resources/beta-scheduler.md"
    card.write_bytes(card.read_bytes().replace(b"## Why it matters", b"## Why \xe9 matters"))
    code, report = _check(run_refs, root)
    found = [f for f in report["findings"] if f["rule"] == "file-encoding"]
    assert code == 1 and len(found) == 1
    assert found[0]["path"] == "refs/resources/beta-scheduler.md"
    assert found[0]["line"] > 1 and "not UTF-8" in found[0]["message"]
    code, out, err = run_refs(root, "show", "beta-scheduler")
    assert code == 1 and "beta-scheduler.md:" in err and "not UTF-8" in err
    assert "Traceback" not in err


def test_a_full_md_that_is_not_utf8_breaks_its_citations_not_the_commands(make_library, run_refs):
    root = make_library("agent")
    (root / "sources/alpha-pipeline/full.md").write_bytes(b"---\n" + BAD)
    code, report = _check(run_refs, root)
    msgs = [
        f["message"]
        for f in report["findings"]
        if f["rule"] == "citation" and f["rid"] == "alpha-pipeline"
    ]
    assert code == 1 and msgs and all("cannot be read" in m for m in msgs)
    assert all("sources/alpha-pipeline/full.md:2: is not UTF-8" in m for m in msgs)
    code, out, err = run_refs(root, "cite", "alpha-pipeline", "--json")
    data = json.loads(out)
    assert code == 1 and not data["ok"]
    assert all(not c["resolves"] for cl in data["claims"] for c in cl["citations"])
    code, out, err = run_refs(root, "search", "stage", "--json")
    assert code == 0 and "Traceback" not in err


def test_a_curriculum_that_is_not_utf8_is_a_parse_finding(make_library, run_refs):
    root = make_library("agent")
    cur = root / "distributed_video_dit_inference.md"
    cur.write_bytes(cur.read_bytes() + b"\n\xc3\x28 broken\n")
    code, report = _check(run_refs, root)
    found = [f for f in report["findings"] if f["rule"] == "curriculum-parse"]
    assert code == 1 and len(found) == 1 and found[0]["line"] > 1
    assert "not UTF-8" in found[0]["message"]


def test_a_byte_order_mark_is_accepted_in_cards_and_full_md(make_library, run_refs):
    root = make_library("agent")
    before = _check(run_refs, root)[1]["findings"]
    for rel in ("refs/resources/alpha-pipeline.md", "sources/alpha-pipeline/full.md"):
        path = root / rel
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    after = _check(run_refs, root)[1]["findings"]
    assert after == before  # no "no title", no "no front matter"
    code, out, _ = run_refs(root, "cite", "alpha-pipeline", "1", "--json")
    assert code == 0 and json.loads(out)["claims"][0]["citations"][0]["passage"]
