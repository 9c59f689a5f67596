"""Cited passages (`extract.passages`): the section under an anchor, bounded."""

from __future__ import annotations

from agent_helpers import FIXTURE

from extract.anchors import headings
from extract.passages import MAX_LINES, TRUNCATED, bound, chunks, find_passage

ALPHA = (FIXTURE / "sources/alpha-pipeline/full.md").read_text(encoding="utf-8")
LINES = ALPHA.splitlines()


def _line_of(text: str) -> int:
    return LINES.index(text) + 1


def test_section_runs_to_next_heading_of_same_level():
    p = find_passage(ALPHA, "21-stage-partitioning")
    start, stop = _line_of("### 2.1 Stage Partitioning"), _line_of("### 2.2 Bubble Accounting")
    assert (p.line, p.heading, p.level, p.truncated) == (start, "2.1 Stage Partitioning", 3, False)
    # The fenced `# ...` line is code, not a heading: the passage runs past it.
    assert p.text == "\n".join(LINES[start - 1 : stop - 2])
    assert "# this line is code, not a heading" in p.text
    assert p.end_line == stop - 2  # trailing blank line dropped


def test_passage_is_the_sections_own_text_up_to_the_next_heading_of_any_level():
    p = find_passage(ALPHA, "2-method")
    start, sub = _line_of("## 2 Method"), _line_of("### 2.1 Stage Partitioning")
    assert p.text == "\n".join(LINES[start - 1 : sub - 2]) and "### 2.1" not in p.text
    assert (p.line, p.end_line, p.truncated) == (start, sub - 2, False)


def test_subsections_give_the_whole_subtree():
    p = find_passage(ALPHA, "2-method", subsections=True)
    assert "### 2.1 Stage Partitioning" in p.text and "### 2.2 Bubble Accounting" in p.text
    assert "## 3 Experiments" not in p.text
    assert p.end_line == _line_of("## 3 Experiments") - 2


def test_setext_heading_passage_starts_at_its_text_and_chunks_skip_the_underline():
    md = "Intro\n\nBackends\n--------\n\nNCCL and Gloo.\n\nDetails\n=======\n\nMore.\n"
    p = find_passage(md, "backends")
    assert p.text == "Backends\n--------\n\nNCCL and Gloo." and (p.line, p.level) == (3, 2)
    assert find_passage(md, "backends", subsections=True).end_line == 6  # an h1 follows
    by_anchor = {c.anchor: c.body for c in chunks(md)}
    assert by_anchor == {"": "Intro", "backends": "NCCL and Gloo.", "details": "More."}


def test_duplicate_headings_and_explicit_anchors():
    first, second = find_passage(ALPHA, "results"), find_passage(ALPHA, "results-1")
    assert first.text.startswith("### Results\n\nFirst results")
    assert second.text == (
        "### Results\n\nSecond results: doubling the microbatches halves the idle slots on average."
    )
    marker = find_passage(ALPHA, "eq-bubble")
    assert marker.text.splitlines()[0] == '<a id="eq-bubble"></a>'
    assert marker.text.splitlines()[-1].startswith("With four stages")
    assert find_passage(ALPHA, "no-such-anchor") is None


def test_long_section_is_bounded_with_a_marker():
    p = find_passage(ALPHA, "32-raw-measurements")
    rows = p.text.splitlines()
    assert p.truncated and rows[-1] == TRUNCATED
    assert len(rows) == MAX_LINES + 1
    assert rows[:-1] == LINES[p.line - 1 : p.line - 1 + MAX_LINES]
    assert p.end_line == _line_of("## 4 Conclusion") - 2
    small = find_passage(ALPHA, "32-raw-measurements", max_chars=200)
    assert len(small.text) <= 200 + len(TRUNCATED) + 1 and small.truncated


def test_cut_inside_a_fence_closes_it():
    text, cut = bound(["intro", "```python", "a = 1", "b = 2", "c = 3"], 3, 1000)
    assert cut and text.splitlines() == ["intro", "```python", "a = 1", "```", TRUNCATED]
    text, cut = bound(["x" * 50], 10, 20)
    assert cut and text.splitlines() == ["x" * 20, TRUNCATED]


def test_chunks_cover_every_heading_once():
    pieces = chunks(ALPHA)
    assert [c.anchor for c in pieces if c.anchor] == [h.anchor for h in headings(ALPHA)]
    method = next(c for c in pieces if c.anchor == "2-method")
    assert method.body == "The method has two parts."  # subsections are their own chunks


def test_marker_right_before_a_heading_takes_that_heading_section():
    md = '# T\n\n<a id="kept-id"></a>\n## Renamed heading\n\nBody.\n\n### Sub\n\nMore.\n\n## Next\n\nOther.\n'
    p = find_passage(md, "kept-id")
    assert (p.heading, p.level, p.line) == ("Renamed heading", 2, 3)
    assert p.text.splitlines() == ['<a id="kept-id"></a>', "## Renamed heading", "", "Body."]
    p = find_passage(md, "kept-id", subsections=True)
    assert p.text.splitlines() == [
        '<a id="kept-id"></a>',
        "## Renamed heading",
        "",
        "Body.",
        "",
        "### Sub",
        "",
        "More.",
    ]
    inline = find_passage('# T\n\nText <a id="mid"></a> here.\n\nMore text.\n', "mid")
    assert inline.text == 'Text <a id="mid"></a> here.\n\nMore text.' and inline.heading == ""
