"""Converting twice gives the same bytes: no timestamps, stable ordering."""

from __future__ import annotations

import json

from sample_pages import (
    DISCOURSE_PAGE,
    NVIDIA_PAGE,
    SPHINX_PAGE,
    STATIC_BLOG,
    comments_json,
    issue_json,
    provenance,
    write,
)

from extract.convert.run import convert_one


def test_same_raw_same_bytes(tmp_path):
    raw = tmp_path / "res" / "raw"
    write(raw / "page.html", STATIC_BLOG)
    write(raw / "extra.html", NVIDIA_PAGE)
    write(raw / "other.html", DISCOURSE_PAGE)
    write(raw / "subpages" / "one.html", SPHINX_PAGE)
    write(raw / "issue.json", json.dumps(issue_json()))
    write(raw / "comments.json", json.dumps(comments_json()))
    write(raw / "repo" / "b.py", "B = 2\n")
    write(raw / "repo" / "a" / "x.py", "X = 1\n")
    provenance(raw, "res", {"page.html": {"url": "https://blog.example.net/p"}})
    meta = {"title": "T", "source_url": "https://blog.example.net/p", "source_type": "blog"}
    first = convert_one(str(raw), meta)
    second = convert_one(str(raw), meta)
    assert first == second
    assert first.encode("utf-8") == convert_one(str(raw), dict(meta)).encode("utf-8")
    # Fixed artifact order: issue, the page and its subpage, other pages by name, repo.
    order = [
        first.index(s)
        for s in (
            "(#7)",
            "# Fast Loops",
            "## Widget guide",
            "## Demo Kernel Guide",
            "## How do stages overlap?",
            "## res",
        )
    ]
    assert order == sorted(order)
