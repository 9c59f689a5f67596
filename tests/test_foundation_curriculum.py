import pytest
from foundation_helpers import CURRICULUM, make_library, refs

from extract.curriculum import normalise_url, parse
from extract.errors import RefsError


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
    "old,new,expect",
    [
        ("  - https://blog.example.com/schedules/\n", "", "has no URL bullet"),
        (
            "*(blog, medium)*\n  - https://blog",
            "*(article, medium)*\n  - https://blog",
            "unknown type `article`",
        ),
        ("*(docs, high)*", "*(docs, soon)*", "unknown priority `soon`"),
        (
            "- **Stream Docs** — Docs we made up. *(docs, high)*",
            "- **Stream Docs** Docs we made up.",
            "resource bullet must read",
        ),
        (
            "  - https://docs.example.com/streams.html",
            "  - docs.example.com/streams.html",
            "nested bullets under a resource",
        ),
        ("### 2. Streams and graphs", "### Streams and graphs", "topic headings must read"),
    ],
)
def test_bad_curriculum_is_one_clear_error_and_nothing_is_written(tmp_path, old, new, expect):
    lib = make_library(tmp_path)
    before = lib.manifest_path.read_bytes()
    assert old in CURRICULUM
    (tmp_path / "distributed_video_dit_inference.md").write_text(CURRICULUM.replace(old, new, 1))
    with pytest.raises(RefsError, match="distributed_video_dit_inference.md"):
        parse(tmp_path / "distributed_video_dit_inference.md")
    r = refs(tmp_path, "sync")
    assert r.returncode == 1
    assert expect in r.stderr and "distributed_video_dit_inference.md:" in r.stderr
    assert lib.manifest_path.read_bytes() == before
