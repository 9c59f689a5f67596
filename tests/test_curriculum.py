"""The curriculum parser (`extract.curriculum`): groups, topics and entries, URL
normalising, and a malformed or unreadable curriculum stopping no command."""

import json

import pytest
from sample_library import CURRICULUM

from extract import Library
from extract.curriculum import normalise_url, parse


def test_parse_groups_topics_entries(tmp_path):
    cur = parse(tmp_path / "c.md", CURRICULUM)
    assert cur.groups == ["Pipelines"]
    assert [t.key for t in cur.topics] == [1, 2, "meta"]
    assert cur.topics[0].title == "Pipeline schedules — bubbles and micro-batches"
    assert cur.topics[0].intro == "Why schedules matter, in two sentences of test prose."
    paper = cur.entries[0]
    assert (paper.title, paper.byline, paper.type, paper.priority) == (
        "A Paper On Pipelines",
        "Doe et al., 2020",
        "paper",
        "high",
    )
    assert paper.labels == ["Paper", "Code"] and paper.topics == [1, 2]
    assert paper.descriptions[2] == "Listed again for streams."
    assert [e.link_only for e in cur.entries] == [False, False, False, True, False]


def test_normalised_urls_ignore_scheme_www_slash_and_fragment():
    assert normalise_url("https://www.Example.com/a/b/#x") == normalise_url(
        "http://example.com/a/b"
    )


@pytest.mark.parametrize(
    "old,new,marker,expect",
    [
        (
            "  - https://blog.example.com/schedules/\n",
            "",
            "**Schedules Blog**",
            "`Schedules Blog` has no URL",
        ),
        (
            "*(blog, medium)*\n  - https://blog",
            "*(article, medium)*\n  - https://blog",
            "*(article, medium)*",
            "unknown tag `article`",
        ),
        ("*(docs, high)*", "*(docs, soon)*", "*(docs, soon)*", "unknown tag `soon`"),
        (
            "  - https://docs.example.com/streams.html",
            "  - docs.example.com/streams.html",
            "  - docs.example.com",
            "looks like a URL without `https://`",
        ),
        (
            "### 2. Streams and graphs",
            "### Streams and graphs",
            "### Streams and graphs",
            "topic headings read `### N. Title`",
        ),
        (
            "  - https://someone.example.org/blog/\n",
            "  - https://someone.example.org/blog/\n- just a line of text\n",
            "- just a line of text",
            "a bullet under Meta that is not a resource",
        ),
    ],
)
def test_a_malformed_line_is_a_warning_and_no_command_stops(
    make_library, refs_cli, tmp_path, old, new, marker, expect
):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    before = lib.manifest_path.read_bytes()
    assert old in CURRICULUM
    text = CURRICULUM.replace(old, new, 1)
    path = tmp_path / "distributed_video_dit_inference.md"
    path.write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if marker in row)
    cur = parse(path)
    assert [(w.line, expect in w.message) for w in cur.warnings] == [(line, True)]
    r = refs_cli(tmp_path, "sync", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert (
        f"distributed_video_dit_inference.md:{line}: warning: " in r.stderr and expect in r.stderr
    )
    assert refs_cli(tmp_path, "status").returncode == 0
    r = refs_cli(tmp_path, "check", "--json")
    found = [f for f in json.loads(r.stdout)["findings"] if f["rule"] == "curriculum-line"]
    assert [(f["path"], f["line"], f["severity"]) for f in found] == [
        ("distributed_video_dit_inference.md", line, "warning")
    ]
    assert refs_cli(tmp_path, "sync").returncode == 0
    assert lib.manifest_path.read_bytes() == before and path.read_text() == text


def test_an_unreadable_curriculum_is_one_clear_error(make_library, refs_cli, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    (tmp_path / "distributed_video_dit_inference.md").write_bytes(b"# T\n\n## G\n\xff\xfe\n")
    r = refs_cli(tmp_path, "sync")
    assert r.returncode == 1 and "distributed_video_dit_inference.md:4" in r.stderr
    assert r.stderr.count("\n") == 1
    assert lib.manifest_path.exists()
