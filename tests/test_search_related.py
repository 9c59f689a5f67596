"""`refs search --related <id>`: links in and out of a resource, its topics, its nearest text."""

from __future__ import annotations

import json

import pytest
from agent_helpers import SEARCH, assert_shape, make_library, run_refs

from extract.library import Library
from extract.search_related import related

END = {"path": "str", "anchor": ("str", "null"), "exists": "bool"}
LINK = {
    "kind": "str",
    "id": ("str", "null"),
    "via": "str",
    "url": ("str", "null"),
    "from": {"path": "str", "line": "int"},
    "to": END,
}
RELATED = {
    "id": "str",
    "title": "str",
    "topics": [{"key": ("int", "str"), "title": "str", "path": ("str", "null")}],
    "cites": [LINK],
    "cited_by": [LINK],
    "nearest_terms": ["str"],
    "nearest": SEARCH["hits"],
}


@pytest.fixture
def root(tmp_path):
    root = make_library(tmp_path)
    # A source that links to another resource by its URL (a different form of it).
    gamma = root / "sources/gamma-kernels/full.md"
    gamma.write_text(
        gamma.read_text()
        + "\n## See also\n\nThe stage idea is from http://www.example.org/alpha-pipeline/.\n"
    )
    return root


def _links(data: dict, key: str) -> set[tuple]:
    return {
        (k["kind"], k["id"], k["via"], k["from"]["path"], k["to"]["path"], k["to"]["anchor"])
        for k in data[key]
    }


def test_what_cites_a_resource_and_what_it_cites(capsys, monkeypatch, root):
    code, out, _ = run_refs(
        capsys, monkeypatch, root, "search", "--related", "alpha-pipeline", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert_shape(data, RELATED)
    assert data["id"] == "alpha-pipeline" and data["title"] == "Alpha Pipeline Paper"
    assert data["topics"] == [
        {
            "key": 1,
            "title": "Pipeline schedules — bubbles and stages",
            "path": "refs/topics/01-pipeline-schedules.md",
        }
    ]
    # Its card lists beta-scheduler under Related resources; its own citations are not "cites".
    assert _links(data, "cites") == {
        (
            "card",
            "beta-scheduler",
            "link",
            "refs/resources/alpha-pipeline.md",
            "refs/resources/beta-scheduler.md",
            None,
        )
    }
    assert _links(data, "cited_by") == {
        # beta-scheduler's card lists it under Related resources
        (
            "card",
            "beta-scheduler",
            "link",
            "refs/resources/beta-scheduler.md",
            "refs/resources/alpha-pipeline.md",
            None,
        ),
        # the topic doc cites a passage of its full.md
        (
            "topic",
            None,
            "citation",
            "refs/topics/01-pipeline-schedules.md",
            "sources/alpha-pipeline/full.md",
            "eq-bubble",
        ),
        # another source links to its URL
        (
            "source",
            "gamma-kernels",
            "url",
            "sources/gamma-kernels/full.md",
            "sources/alpha-pipeline/full.md",
            None,
        ),
    }
    by_url = next(k for k in data["cited_by"] if k["via"] == "url")
    assert by_url["url"] == "example.org/alpha-pipeline" and by_url["to"]["exists"]
    lines = (root / "sources/gamma-kernels/full.md").read_text().splitlines()
    assert "example.org/alpha-pipeline" in lines[by_url["from"]["line"] - 1]


def test_the_other_side_sees_the_same_links(root):
    lib = Library(root)
    beta = related(lib, "beta-scheduler")
    assert ("card", "alpha-pipeline", "link") in {
        (k["kind"], k["id"], k["via"]) for k in beta["cited_by"]
    }
    gamma = related(lib, "gamma-kernels")
    cites = [(k["kind"], k["id"], k["via"], k["url"]) for k in gamma["cites"]]
    assert cites == [("source", "alpha-pipeline", "url", "example.org/alpha-pipeline")]


def test_nearest_sections_come_from_other_files(root):
    data = related(Library(root), "alpha-pipeline", limit=5)
    assert data["nearest_terms"] and len(data["nearest"]) <= 5
    paths = {h["path"] for h in data["nearest"]}
    assert paths and not paths & {
        "refs/resources/alpha-pipeline.md",
        "sources/alpha-pipeline/full.md",
        "distributed_video_dit_inference.md",
    }
    # The pipeline-bubble text of the topic doc is closer than the kernel guide.
    order = [h["path"] for h in data["nearest"]]
    assert "refs/topics/01-pipeline-schedules.md" in order
    if "sources/gamma-kernels/full.md" in order:
        assert order.index("refs/topics/01-pipeline-schedules.md") < order.index(
            "sources/gamma-kernels/full.md"
        )


def test_a_resource_with_only_a_catalog_entry(root):
    data = related(Library(root), "delta-notes")
    assert data["cites"] == [] and data["cited_by"] == []
    assert [t["key"] for t in data["topics"]] == [2]
    assert data["nearest_terms"]  # from its title and description in the curriculum


def test_links_follow_edits(root):
    lib = Library(root)
    assert not any(k["id"] == "beta-scheduler" for k in related(lib, "gamma-kernels")["cited_by"])
    card = root / "refs/resources/beta-scheduler.md"
    card.write_text(
        card.read_text()
        + "\n- Kernel tiles: see [sources/gamma-kernels/full.md#tiling-knobs](../../sources/gamma-kernels/full.md#tiling-knobs)\n"
    )
    found = [k for k in related(lib, "gamma-kernels")["cited_by"] if k["id"] == "beta-scheduler"]
    assert [(k["kind"], k["via"], k["to"]["anchor"]) for k in found] == [
        ("card", "citation", "tiling-knobs")
    ]
    card.unlink()
    assert not any(k["id"] == "beta-scheduler" for k in related(lib, "gamma-kernels")["cited_by"])


def test_terminal_output(capsys, monkeypatch, root):
    code, out, _ = run_refs(capsys, monkeypatch, root, "search", "--related", "alpha-pipeline")
    assert code == 0
    assert out.startswith("alpha-pipeline  Alpha Pipeline Paper\n")
    assert "cited by: 3" in out and "refs/topics/01-pipeline-schedules.md:" in out
    assert "nearest sections:" in out and "by the words:" in out


def test_bad_use_is_a_clear_error(capsys, monkeypatch, root):
    code, out, err = run_refs(capsys, monkeypatch, root, "search", "--related", "no-such-id")
    assert code == 1 and out == "" and "unknown resource id `no-such-id`" in err
    code, _, err = run_refs(
        capsys, monkeypatch, root, "search", "bubble", "--related", "alpha-pipeline"
    )
    assert code == 2 and "either words or --related" in err
    code, _, err = run_refs(
        capsys, monkeypatch, root, "search", "--related", "alpha-pipeline", "--limit", "0"
    )
    assert code == 2 and "--limit must be at least 1" in err
