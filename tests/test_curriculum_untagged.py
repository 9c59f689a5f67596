"""The curriculum parser on untagged entries (the owner's format), and matching each
listing to the manifest by URL, then by title. All text made up."""

from __future__ import annotations

from extract.curriculum import match_entries, parse
from extract.manifest import Resource

UNTAGGED = """\
# A made-up path

**An intro paragraph in bold, not a resource.**

---

## Layer one

### 1. Channels — sends and receives

Why channels matter.

- **Channel Guide** — the made-up reference. Its env page lists the knobs.
  - https://docs.example.com/channels/index.html
  - Environment variables: https://docs.example.com/channels/env.html

- **"Why Rings Work"** (A. Writer, Example Blog) — a post on rings.
  - https://blog.example.com/rings/

- **`send()` and `recv()` semantics** — code spans in a title.
  - https://docs.example.com/channels/send.html

- **Memory-Efficient Stages (Stage-2BW)** (Doe et al., 2020) — a title with an aside
  that wraps onto a second line.
  - https://arxiv.org/abs/2001.00002

### 2. Talks

- **Lecture 3: "Overlap"** (B. Speaker) — the channel only.
  - Channel: https://video.example.com/@talks

- **Lecture 5: "Streams"** (B. Speaker) — the same channel.
  - Channel: https://video.example.com/@talks

- **Channel Guide (talk notes)** — listed again under this topic, with another title.
  - https://docs.example.com/channels/index.html

- **An Unlinked Survey** (C. Author) — no URL yet.
  - Available in the proceedings later (check https://conf.example.org/ then)

- **Tagged One** — tags still work. *(paper, high)*
  - https://arxiv.org/abs/2002.00003

## Essential meta-resources

- **Lecture series** — all of them.
  - YouTube: https://video.example.com/@talks
  - GitHub: https://github.com/example/lectures

## Suggested reading order

1. **Channels first**: the Channel Guide (topic 1) → Why Rings Work
2. **Then talks**: Lecture 3 → Lecture 5
"""


def res(rid, title, urls, topics=(1,), **kw) -> Resource:
    base = dict(type="docs", priority="medium", status="pending")
    base.update(kw)
    return Resource(id=rid, title=title, urls=list(urls), topics=list(topics), **base)


MANIFEST = [
    res(
        "channel-guide",
        "Channel Guide",
        [
            "https://docs.example.com/channels/index.html",
            "https://docs.example.com/channels/env.html",
        ],
        (1, 2),
        priority="high",
    ),
    res("rings", "Why Rings Work", ["https://blog.example.com/rings/"], type="blog"),
    res(
        "send-recv", "send() and recv() semantics", ["https://docs.example.com/channels/send.html"]
    ),
    res(
        "stage-2bw",
        "Memory-Efficient Stages (Stage-2BW)",
        ["https://arxiv.org/abs/2001.00002"],
        type="paper",
    ),
    res(
        "lecture-3", "Lecture 3: Overlap", ["https://video.example.com/@talks"], (2,), type="video"
    ),
    res(
        "lecture-5", "Lecture 5: Streams", ["https://video.example.com/@talks"], (2,), type="video"
    ),
    res("survey", "An Unlinked Survey", [], (2,), type="paper", status="link_only"),
    res(
        "series",
        "GPU lecture series",
        ["https://video.example.com/@talks", "https://github.com/example/lectures"],
        ("meta",),
        type="lecture",
    ),
]


def test_untagged_bullets_parse_with_no_warning(tmp_path):
    cur = parse(tmp_path / "c.md", UNTAGGED)
    assert cur.warnings == []
    assert [t.key for t in cur.topics] == [1, 2, "meta"]
    first = cur.appearances[0]
    assert (first.title, first.byline, first.type, first.priority, first.tagged) == (
        "Channel Guide",
        "",
        None,
        None,
        False,
    )
    assert first.labels == ["", "Environment variables"]
    rings = cur.appearances[1]
    assert (rings.title, rings.byline) == ("Why Rings Work", "A. Writer, Example Blog")
    assert cur.appearances[2].title == "`send()` and `recv()` semantics"
    wrapped = cur.appearances[3]
    assert wrapped.byline == "Doe et al., 2020"
    assert wrapped.description == "a title with an aside that wraps onto a second line."
    survey = next(e for e in cur.appearances if e.title == "An Unlinked Survey")
    assert survey.urls == [] and survey.notes[0].startswith("Available in the proceedings")
    tagged = cur.appearances[-2]
    assert (tagged.type, tagged.priority, tagged.tagged) == ("paper", "high", True)
    assert [(s.step, s.title, s.ids) for s in cur.reading_order] == [
        (1, "Channels first", []),
        (2, "Then talks", []),
    ]
    assert cur.reading_order[0].text.startswith("the Channel Guide (topic 1)")


def test_each_listing_is_matched_by_url_then_title(tmp_path):
    cur = parse(tmp_path / "c.md", UNTAGGED)
    notices = []
    pairs = match_entries(cur.appearances, MANIFEST, notices)
    by_id = {rid: e for e, rid in pairs}
    assert notices == []
    # A URL one resource has identifies it, whatever the title says.
    assert by_id["channel-guide"].topics == [1, 2]
    assert by_id["channel-guide"].descriptions[2].startswith("listed again")
    # A URL several resources share identifies none: the title decides.
    assert by_id["lecture-3"].title == 'Lecture 3: "Overlap"'
    assert by_id["lecture-5"].title == 'Lecture 5: "Streams"'
    # ... or the one URL only it has (the series' GitHub link).
    assert by_id["series"].topics == ["meta"]
    # No URL at all: the title.
    assert by_id["survey"].urls == []
    assert by_id["send-recv"].title.startswith("`send()`")
    assert [e.title for e, rid in pairs if rid is None] == ["Tagged One"]


def test_unmatched_listings_join_by_title_or_unlabelled_url_only(tmp_path):
    cur = parse(tmp_path / "c.md", UNTAGGED)
    entries = cur.entries  # no manifest: the curriculum alone tells them apart
    titles = [e.title for e in entries]
    assert titles.count('Lecture 3: "Overlap"') == 1 and 'Lecture 5: "Streams"' in titles
    guide = next(e for e in entries if e.title == "Channel Guide")
    assert guide.topics == [1, 2]  # same unlabelled first URL
    assert "Lecture series" in titles  # its channel URL is labelled: not merged


def test_disagreements_between_listings_are_notices_not_errors(tmp_path):
    text = UNTAGGED.replace(
        "- **Tagged One** — tags still work. *(paper, high)*",
        "- **Channel Guide** — once more under topic 2. *(docs, low)*\n"
        "  - https://docs.example.com/channels/index.html\n"
        "- **Tagged One** — tags still work. *(paper, high)*",
    ).replace("lists the knobs.", "lists the knobs. *(docs, high)*")
    cur = parse(tmp_path / "c.md", text)
    notices = []
    pairs = match_entries(cur.appearances, MANIFEST, notices)
    messages = [n.message for n in notices]
    assert any("listed twice under topic 2" in m for m in messages)
    assert any("tagged priority `low` here but `high`" in m for m in messages)
    assert dict((rid, e.priority) for e, rid in pairs)["channel-guide"] == "high"


def test_a_trailing_italic_aside_is_not_taken_for_tags(tmp_path):
    text = (
        "# T\n\n## G\n\n### 1. One\n\n- **A** — text *(see also B)*\n  - https://a.example.com/\n"
    )
    [e] = parse(tmp_path / "c.md", text).appearances
    assert e.description == "text *(see also B)*" and not e.tagged
