"""GitHub issue reader: post, metadata, every comment with author and date."""

from __future__ import annotations

import json

import pytest
from sample_pages import comments_json, issue_json, write

from extract.anchors import headings
from extract.convert.issue import convert_issue, read_issue
from extract.errors import RefsError


def test_issue_layout():
    doc = convert_issue(issue_json(), comments_json())
    md = doc.body
    assert md.startswith("# Stages stall | under load (#7)\n")
    for line in (
        "- **Type**: Issue",
        "- **State**: open",
        "- **Author**: carol",
        "- **Created**: 2024-02-03",
        "- **Updated**: 2024-02-05",
        "- **Labels**: bug, module: pipeline",
        "- **URL**: https://github.com/demo/proj/issues/7",
    ):
        assert line in md
    assert "### Repro\n\n```python\nrun()\n```\n\nIt <b>stalls</b>." in md  # kept as written
    assert "\r" not in md
    assert (
        md.index("## Comments")
        < md.index("### dave — 2024-02-04")
        < md.index("### erin — 2024-02-05")
    )
    assert doc.author == "carol" and doc.source_url == "https://github.com/demo/proj/issues/7"
    assert [h.text for h in headings(md)][-3:] == [
        "Comments",
        "dave — 2024-02-04",
        "erin — 2024-02-05",
    ]


def test_unclosed_fence_in_a_comment_is_closed():
    md = convert_issue(issue_json(), comments_json()).body
    assert md.rstrip().endswith("```\nstill code\n```")


def test_pull_request_is_noted():
    pr = issue_json(pull_request={"url": "x", "merged_at": "2024-03-01T00:00:00Z"}, state="closed")
    md = convert_issue(pr, []).body
    assert "- **Type**: Pull request" in md
    assert "- **State**: closed (merged)" in md
    assert "*No comments.*" in md


def test_comment_count_mismatch_is_a_note(tmp_path):
    write(tmp_path / "issue.json", json.dumps(issue_json(comments=5)))
    write(tmp_path / "comments.json", json.dumps(comments_json()))
    doc = read_issue(tmp_path)
    assert any("reported 5 comments, 2 were fetched" in n for n in doc.notes)


def test_prefixed_second_issue(tmp_path):
    write(tmp_path / "demo-proj-9-issue.json", json.dumps(issue_json(number=9)))
    write(tmp_path / "demo-proj-9-comments.json", json.dumps(comments_json()))
    doc = read_issue(tmp_path, name="demo-proj-9-issue.json")
    assert doc.title.endswith("(#9)") and "### dave" in doc.body


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("issue.json", "{not json", "is not valid JSON"),
        ("issue.json", "[1, 2]", "must hold an object"),
        ("issue.json", '{"body": "no title"}', "has no `title`"),
        ("comments.json", '{"a": 1}', "must hold a list"),
    ],
)
def test_bad_json_names_the_file(tmp_path, name, content, message):
    write(tmp_path / "issue.json", json.dumps(issue_json()))
    write(tmp_path / name, content)
    with pytest.raises(RefsError, match=message) as info:
        read_issue(tmp_path)
    assert info.value.path.endswith(name)
