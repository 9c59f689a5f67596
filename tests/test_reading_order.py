"""The reading order in the forms people write it (`extract.curriculum`): ids, titles,
titles joined by arrows, numbered or bulleted steps, nested bullets; titles matched
against the manifest as `refs sync` matches them; an item that names nothing is a
warning with its line. All text made up, except the owner-library check, which reads
`../shared/corpus/owner-library` when it is there."""

import re
from pathlib import Path

import pytest

from extract import Library
from extract.check import check_library
from extract.curriculum import TitleMatcher, order_step, parse, resolve_order
from extract.manifest import Resource

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "owner-library"


def res(rid: str, title: str, urls=(), type_="paper") -> Resource:
    return Resource(
        id=rid, title=title, urls=list(urls), topics=[1], type=type_, priority="high",
        status="pending",
    )  # fmt: skip


RESOURCES = [
    res(
        "pipe-sched",
        "PipeSched: Training Giant Stacks with Stage Pipelines",
        ["https://a.example/1"],
    ),
    res("pipe-sched-2", "Memory-Lean Stage Training (PipeSched-2W)", ["https://a.example/2"]),
    res("no-gap-pp", "No-Gap Pipeline Parallelism"),
    res("flowdit", "FlowDiT: Streaming DiT across Stages"),
    res("dit-paper", "Scalable Stage Models with Transformers (DiT)"),
    res("go-fast", "Making Stages Go Fast From First Principles", type_="blog"),
    res("other-fast", "Why Rings Are Fast", type_="blog"),
    res("ring-notes", "Notes on Ring Buffers", type_="blog"),
    res("comm-rfc", "RFC #12: Traceable Functional Collective APIs", type_="docs"),
    res("comm-issue", "Issue #13: functional collectives slower", type_="docs"),
    res("sched-source", "StageLib Pipeline Schedules source", type_="code"),
    res("stagelib-repo", "StageLib repository", type_="code"),
]
BYLINES = {"go-fast": "Ada Writer", "other-fast": "Ada Writer", "comm-rfc": "Bo Author"}


def resolve(text: str, resources=RESOURCES):
    steps = [order_step(1, text, 7)]
    return resolve_order(steps, TitleMatcher(resources, BYLINES), [r.id for r in resources])


@pytest.mark.parametrize(
    "written,ids",
    [
        ("**Ids**: `pipe-sched`, `no-gap-pp`", ["pipe-sched", "no-gap-pp"]),
        ("**Titles** — No-Gap Pipeline Parallelism", ["no-gap-pp"]),
        ("**Arrows**: PipeSched paper → PipeSched-2W paper → No-Gap PP paper", ["pipe-sched", "pipe-sched-2", "no-gap-pp"]),
        ("**ASCII arrows**: ring buffer notes -> StageLib schedules source code", ["ring-notes", "sched-source"]),
        ('**Quoted**: Ada Writer\'s "Making Stages Go Fast" (topic 16) → DiT paper', ["go-fast", "dit-paper"]),
        ("**By**: functional collectives RFC by Bo Author", ["comm-rfc"]),
        ("**Links**: [the first one](https://a.example/1) → [this](https://a.example/2)", ["pipe-sched", "pipe-sched-2"]),
        ("**Prose ids**: read `flowdit` first, then `dit-paper`", ["flowdit", "dit-paper"]),
        ("FlowDiT → Notes on Ring Buffers", ["flowdit", "ring-notes"]),
    ],
)  # fmt: skip
def test_each_written_form_finds_its_resources(written, ids):
    steps, notices = resolve(written)
    assert steps[0].ids == ids and notices == []


def test_an_item_that_names_nothing_is_a_warning_with_its_line():
    steps, notices = resolve("**Mixed**: PipeSched paper → a ring-fast thing → `no-such-id`")
    assert steps[0].ids == ["pipe-sched"]
    assert [n.line for n in notices] == [7, 7]
    assert "`a ring-fast thing` names no resource" in notices[0].message
    assert "`no-such-id`, which is not a resource id" in notices[1].message


def test_a_name_two_resources_share_is_not_guessed():
    # "fast" is in two titles and "Ada Writer" wrote both: no pick, a warning.
    steps, notices = resolve("**Ambiguous**: Ada Writer's fast one")
    assert steps[0].ids == [] and "names no resource" in notices[0].message
    # ... that names both, so the fix is one backticked id away
    assert "nearest: `go-fast` (Making Stages Go Fast From First Principles), " in (
        notices[0].message
    )
    assert "`other-fast` (Why Rings Are Fast)" in notices[0].message


@pytest.mark.parametrize(
    "written,nearest",
    [
        # a word no title has ("compiled"): the one holding the most of the others
        ("**Near**: ring buffers compiled for stages", ["ring-notes"]),
        # another ending of a title word counts (`buffering`, `buffers`), never as a match
        ("**Ends**: ring buffering tips", ["ring-notes"]),
        # the proper name first: those with it, not every title sharing a common word
        ("**Lead**: FlowDiT architecture notes", ["flowdit"]),
        # too many alike: no suggestion rather than a long list
        ("**Many**: stage things", []),
        ("**None**: quantum teapots", []),
    ],
)
def test_an_unmatched_name_offers_the_nearest_resources(written, nearest):
    steps, notices = resolve(written)
    assert steps[0].ids == [] and len(notices) == 1
    offered = re.findall(r"`([a-z0-9-]+)` \(", notices[0].message)
    assert offered == nearest
    assert ("nearest:" in notices[0].message) == bool(nearest)


CURRICULUM = """# A made-up curriculum

## Stages

### 1. Stage pipelines

- **PipeSched: Training Giant Stacks with Stage Pipelines** (A. Person, 2019) — the first.
  - https://a.example/1
- **No-Gap Pipeline Parallelism** — the second.
  - https://a.example/3

## Suggested reading order

Some prose before the steps, which is not a step.

1. **Start**: PipeSched paper → No-Gap PP paper
- **Bulleted step**
  - Notes on Ring Buffers
  - `flowdit`
3) Memory-Lean Stage Training (PipeSched-2W)
4. **Unknown**: the missing manual
"""


def write_library(root: Path, order: str = "") -> Library:
    (root / "refs").mkdir(parents=True)
    (root / "distributed_video_dit_inference.md").write_text(CURRICULUM, encoding="utf-8")
    lines = ["reading_order:" + (" []" if not order else ""), *([order] if order else [])]
    lines.append("resources:")
    for r in RESOURCES:
        lines += [
            f"  - id: {r.id}",
            f'    title: "{r.title}"',
            f"    urls: [{', '.join(r.urls)}]",
            f"    type: {r.type}",
            "    topics: [1]",
            "    priority: high",
            "    status: pending",
            "    local_paths: []",
        ]
    (root / "refs" / "manifest.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Library(root)


def test_numbered_bulleted_and_nested_steps_from_the_curriculum(tmp_path):
    lib = write_library(tmp_path)
    assert [(s.step, s.title, s.ids) for s in lib.reading_order] == [
        (1, "Start", ["pipe-sched", "no-gap-pp"]),
        (2, "Bulleted step", ["ring-notes", "flowdit"]),
        (3, "Memory-Lean Stage Training (PipeSched-2W)", ["pipe-sched-2"]),
        (4, "Unknown", []),
    ]
    warned = [w for w in lib.curriculum_warnings if "reading order" in w.message]
    assert [(w.line, "`the missing manual`" in w.message) for w in warned] == [(21, True)]
    found = [f for f in check_library(lib) if f.line == 21]
    assert found and found[0].severity == "warning"
    assert found[0].path == "distributed_video_dit_inference.md"


def test_the_manifests_reading_order_wins_and_silences_the_curriculums(tmp_path):
    lib = write_library(tmp_path, "  - {step: 1, title: Mine, ids: [ring-notes]}")
    assert [(s.title, s.ids) for s in lib.reading_order] == [("Mine", ["ring-notes"])]
    assert not [w for w in lib.curriculum_warnings if "reading order" in w.message]


def test_the_steps_parse_alone_keep_their_written_ids(tmp_path):
    cur = parse(tmp_path / "c.md", CURRICULUM)
    assert [s.step for s in cur.reading_order] == [1, 2, 3, 4]
    assert cur.reading_order[1].ids == [] and cur.reading_order[1].items[1].codes == ["flowdit"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/owner-library not present")
def test_the_owners_arrow_reading_order_finds_every_step():
    from docs_gen.pages.dashboard import next_candidates

    lib = Library(CORPUS)
    steps = lib.reading_order
    assert len(steps) == 6 and all(s.ids for s in steps)
    assert sum(len(s.ids) for s in steps) >= 19
    # "What to read next" follows his first pick.
    assert next_candidates(lib)[0][0].id == steps[0].ids[0] == "making-dl-go-brrrr"
