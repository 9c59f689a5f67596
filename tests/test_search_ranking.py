"""What `refs search` ranks first, on a small made-up library written for these cases.

Each test names one behaviour of the ranking: identifiers found whole and by parts,
numbers and units as words, headings over passing mentions, phrases and nearby
words, contents pages and reference lists below prose, the narrowest section, a
long section cut into units, a body section over the abstract that restates it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from extract.library import Library
from extract.search import HIT_END, HIT_START, search
from extract.search_index import prose_score

FRONT = "---\ntitle: {title}\nsource_url: https://example.org/{rid}\n---\n\n"

DOCS = {
    "dist-notes": """# Distributed Notes

## Initialization

Every rank calls `torch.distributed.init_process_group(backend="nccl")` once, before
any collective runs; the call blocks until all ranks of the ring have joined.

## Process groups

A process group is a subset of ranks with its own communicator. Subgroups are made
with `new_group` after the default group exists.

## Contents

- [Initialization](#initialization)
- [Process groups](#process-groups)
- [Pipelining](#pipelining)
- [Environment](#environment)
- [Ring initialization notes](#references)

## Pipelining

The `torch.distributed.pipelining` package cuts a model into stages and runs a
schedule over microbatches.

## Environment

`NCCL_ALGO` forces the ring or the tree algorithm; leave it unset to let the
library choose per message size.

## References

[1] Q. Lark. Ring initialization of process groups. Journal of Made-up Systems, 2031.
[2] R. Mote. Process groups for rings, revisited. Proceedings of Nowhere, 2032.
[3] S. Pell. A ring process group initialization study. Fictional Letters, 2033.
[4] T. Quinn. Initialization of groups on rings. Imaginary Transactions, 2034.
""",
    "sched-paper": """# Schedule Paper

## Abstract

We show that sending activations across the stage boundary early hides the warmup.

## 1 Introduction

Pipelines idle while they fill. Many systems tune the count of microbatches.

## 2 Schedules

The 1F1B schedule alternates one forward and one backward pass per stage. We train
with a hidden size of 4096 on H100 nodes.

## 3 Method

Our method has two parts.

### 3.1 Partitioning

Layers are assigned to stages by their measured cost.

### 3.2 Boundary sends

A stage sends activations across the stage boundary as soon as each microbatch is
done, so the next stage starts early and the warmup is hidden.

## 4 Warmup phase

The first microbatches fill the pipeline; this phase ends when every stage is busy.

## 5 Evaluation

Measured on eight nodes, sending activations across the stage boundary early hides
the warmup in every configuration we tried.

## 6 Discussion

The stage count matters. Boundary effects are small; activations are large. Sending
is cheap on fast links; on slow links one should batch. A boundary between nodes costs
more than one inside a node. The warmup is a fixed cost per step.
""",
}


PHRASES = """# Binding Notes

## Apart

The seam of each vellum sheet is cut by hand. A vellum sheet shows its seam, and the
seam holds the vellum flat.

## Together

Glue goes along the vellum seam once per sheet.
"""


def _filler(rng: random.Random, n: int) -> str:
    vocab = ["lumen", "karst", "vello", "tansy", "orrin", "pelta", "quillon", "sorrel"]
    vocab += ["tamber", "wicket", "yarrow", "zephyr", "brindle", "cobalt", "dulcet"]
    return " ".join(rng.choice(vocab) for _ in range(n))


def _write(root: Path) -> None:
    for rid, body in DOCS.items():
        folder = root / "sources" / rid
        folder.mkdir(parents=True)
        title = body.splitlines()[0][2:]
        (folder / "full.md").write_text(FRONT.format(title=title, rid=rid) + body)
    (root / "sources" / "binding").mkdir(parents=True)
    (root / "sources" / "binding" / "full.md").write_text(
        FRONT.format(title="Binding Notes", rid="binding") + PHRASES
    )
    rng = random.Random(3)
    long_doc = ["# Long Chapter", "", "## 1 Everything at once", ""]
    for i in range(30):  # about 3,000 words under one heading
        long_doc += [_filler(rng, 100) + ".", ""]
        if i == 21:
            long_doc += ["The gradient stash is freed after the matching backward pass.", ""]
    long_doc += ["## 2 Short note", "", "A backward pass needs the stash.", ""]
    (root / "sources" / "long-chapter").mkdir(parents=True)
    (root / "sources" / "long-chapter" / "full.md").write_text(
        FRONT.format(title="Long Chapter", rid="long-chapter") + "\n".join(long_doc)
    )


@pytest.fixture(scope="module")
def lib(tmp_path_factory) -> Library:
    root = tmp_path_factory.mktemp("ranking")
    _write(root)
    return Library(root)


def first(lib: Library, query: str) -> str:
    hits = search(lib, query, limit=5)
    assert hits, f"no hits for {query!r}"
    return hits[0].target


@pytest.mark.parametrize(
    ("query", "anchor"),
    [
        ("init_process_group", "dist-notes/full.md#initialization"),
        ("torch.distributed.pipelining", "dist-notes/full.md#pipelining"),
        ("NCCL_ALGO", "dist-notes/full.md#environment"),
        ("nccl algo", "dist-notes/full.md#environment"),  # the identifier's parts
        ("new_group", "dist-notes/full.md#process-groups"),
    ],
)
def test_identifiers_are_found_whole_and_by_parts(lib, query, anchor):
    assert first(lib, query) == f"sources/{anchor}"


@pytest.mark.parametrize("query", ["1F1B", "4096", "H100", "1f1b schedule"])
def test_numbers_and_units_are_words(lib, query):
    assert first(lib, query) == "sources/sched-paper/full.md#2-schedules"


def test_a_number_does_not_match_a_longer_one_or_a_section_number(lib):
    hits = search(lib, "409", limit=5)
    assert hits == []
    # "4" is in the heading "4 Warmup phase" only as its number, which search ignores.
    assert all(h.anchor != "4-warmup-phase" for h in search(lib, "4", limit=10))


def test_a_heading_outranks_a_passing_mention(lib):
    assert first(lib, "warmup phase") == "sources/sched-paper/full.md#4-warmup-phase"


def test_a_quoted_phrase_beats_the_same_words_apart(lib):
    # "Apart" holds both words more often than "Together", but never side by side.
    hits = search(lib, '"vellum seam"', limit=5)
    assert hits[0].anchor == "together"
    assert {h.anchor: h.all_terms for h in hits} == {"together": True, "apart": False}
    loose = search(lib, "vellum seam", limit=5)
    assert {h.anchor: h.all_terms for h in loose} == {"together": True, "apart": True}


def test_words_near_each_other_beat_the_same_words_spread_out(lib):
    hits = search(lib, "sending activations stage boundary warmup", limit=6)
    order = [h.anchor for h in hits]
    assert order.index("32-boundary-sends") < order.index("6-discussion")
    assert order.index("5-evaluation") < order.index("6-discussion")


def test_the_narrowest_section_holding_the_words_is_the_hit(lib):
    hits = search(lib, "stage sends activations microbatch done", limit=3)
    assert hits[0].anchor == "32-boundary-sends"  # not its parent "3 Method"
    assert hits[0].heading == "3.2 Boundary sends"


def test_a_body_section_beats_the_abstract_that_restates_it(lib):
    hits = search(lib, "sending activations across stage boundary early hides warmup", limit=5)
    order = [h.anchor for h in hits]
    assert order.index("5-evaluation") < order.index("abstract")


def test_contents_and_reference_lists_rank_below_prose(lib):
    hits = search(lib, "ring initialization process groups", limit=6)
    order = [h.anchor for h in hits]
    assert order[0] in ("initialization", "process-groups")
    assert order.index("references") > order.index("initialization")
    assert "contents" not in order[:2]


def test_a_few_sentences_inside_a_long_section_are_found(lib):
    hits = search(lib, "gradient stash freed backward pass", limit=3)
    top = hits[0]
    assert top.target == "sources/long-chapter/full.md#1-everything-at-once"
    assert top.all_terms
    # The snippet shows the matching sentence from deep inside the section, marked.
    assert f"{HIT_START}stash{HIT_END}" in top.snippet
    assert "freed" in top.plain_snippet and len(top.plain_snippet.split()) <= 34
    text = (lib.root / top.path).read_text().splitlines()
    assert text[top.line - 1] == "## 1 Everything at once"  # the heading's line


def test_each_section_is_one_hit(lib):
    hits = search(lib, "lumen karst vello", limit=10)
    targets = [h.target for h in hits]
    assert len(targets) == len(set(targets))


@pytest.mark.parametrize(
    ("heading", "text", "low"),
    [
        ("Overview", "Pipelines idle while they fill, and the idle time is the bubble.", False),
        (
            "Contents",
            "\n".join(f"- [Part {i}](#part-{i})" for i in range(8)),
            True,
        ),
        (
            "Further reading",  # not named as a list, but it is one
            "\n".join(f"{i}. [Title {i}](https://example.org/{i}) — a note" for i in range(6)),
            True,
        ),
        (
            "Bibliography",
            " ".join(f"[{i}] A. Writer. A made-up title {i}. Venue, 20{i:02d}." for i in range(9)),
            True,
        ),
        (
            "Method",  # prose that cites a few works stays prose
            "We follow [3] and [7]. The schedule from 2031 is kept; see [12] for details.",
            False,
        ),
    ],
)
def test_prose_score(heading, text, low):
    score = prose_score(heading, text)
    assert (score < 0.6) if low else (score == 1.0)


def test_a_phrase_is_found_however_many_sections_outscore_it(lib, monkeypatch):
    import extract.search as search_module

    monkeypatch.setattr(search_module, "_CANDIDATES", 1)  # BM25 alone would keep only "Apart"
    assert search(lib, "vellum seam", limit=3)[0].anchor == "apart"
    assert search(lib, '"vellum seam"', limit=3)[0].anchor == "together"
