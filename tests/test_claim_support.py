"""Claim support (`extract.claim_support`, rule `claim-support`): a claim's numbers,
units, names and identifiers must be in the passages it cites."""

import pytest
from sample_library import CURRICULUM
from test_check import _card, _fetched_and_converted

from extract import Library
from extract.check import check_library
from extract.claim_support import cited_text, claim_facts, normalise, unsupported

PASSAGE = """## 3. Schedule

We run the pipeline on 8 GPUs with 4 stages. The interleaved schedule is 2.3× faster
than the plain one and cuts the bubble to 12.5% of the step. Set `NCCL_ALGO=Ring` and
call `torch.cuda.graphs` before `ncclCommInitRank`; pass --micro-batches to the launcher.
Memory grows as $\\mathcal{O}(N^{2})$ in the sequence length N, and the learning rate
is $1 \\times 10^{-3}$. A batch of 2,048 tokens takes 35 ms on an H100. The latent is
32 × 32 × 4. Results are in Table 2.

### 3.1 Details

Each stage holds 7 million parameters.

## 4. Other

The second schedule reaches 99 FPS.

**Table 2:** Throughput.

| Model | Latency (ms) | Speed-up |
|-------|--------------|----------|
| Small | 17.5 | 1.4x |
"""

SUPPORTED = [
    "Eight devices: the pipeline runs on 8 GPUs.",
    "The interleaved schedule is 2.3x faster.",
    "The interleaved schedule is 2.3 times faster.",
    "The bubble is 12.5 % of the step.",
    "The bubble is 12.5 percent of the step.",
    "A batch holds 2048 tokens.",
    "Batches of 2,048 tokens take 35ms.",
    "The learning rate is 1e-3.",
    "The learning rate is 0.001.",
    "The learning rate is 10^-3.",
    "Memory is O(N^2) in the sequence length.",
    "Memory is O(N²).",
    "Set `NCCL_ALGO` to pick the algorithm.",
    "Use `torch.cuda.graphs` and `ncclCommInitRank`.",
    "Runs on an H100.",
    "Set NCCL_ALGO in the environment and pass --micro-batches.",
    "The latent is 32×32×4.",
    "Each stage holds 7M parameters.",  # in a subsection: the cited section's subtree
    "The small model takes 17.5 ms and is 1.4× faster.",  # Table 2, found by its number
    "Three stages would do: the rest is prose with no figures.",
]

CHANGED = [
    ("The pipeline runs on 9 GPUs.", "9 GPUs"),
    ("The pipeline runs on 8 nodes.", "8 nodes"),  # the unit changed
    ("The interleaved schedule is 2.4x faster.", "2.4x"),
    ("The interleaved schedule is 2.3% faster.", "2.3%"),  # a multiplier became a percent
    ("The bubble is 12.6% of the step.", "12.6%"),
    ("A batch holds 2,049 tokens.", "2,049 tokens"),
    ("The learning rate is 1e-4.", "1e-4"),
    ("Memory is O(N) in the sequence length.", "O(N)"),
    ("Set `NCCL_PROTO` to pick the protocol.", "NCCL_PROTO"),
    ("Use `torch.cuda.graph_pool`.", "torch.cuda.graph_pool"),
    ("Runs on an A100.", "A100"),
    ("Set NCCL_ALGOS and go.", "NCCL_ALGOS"),
    ("Pass --microbatches.", "--microbatches"),
    ("The latent is 64×64×4.", "64×64×4"),
    ("A batch takes 36 ms.", "36 ms"),
    ("A batch takes 35 s.", "35 s"),
    ("The second schedule reaches 99 FPS.", "99 FPS"),  # a sibling section is not cited
]


def _passage() -> str:
    return cited_text(PASSAGE, "3-schedule")


@pytest.mark.parametrize("claim", SUPPORTED)
def test_a_supported_claim_gives_nothing(claim):
    assert unsupported(claim, [_passage()]) == []


@pytest.mark.parametrize(("claim", "shown"), CHANGED)
def test_a_changed_number_unit_or_identifier_is_caught(claim, shown):
    missing = unsupported(claim, [_passage()])
    assert [f.shown for f in missing] == [shown]


def test_facts_are_read_as_a_careful_reader_reads_them():
    facts = {(f.kind, f.key, f.unit) for f in claim_facts("250x-700x fewer, 400K steps")}
    assert facts == {("number", "250", "x"), ("number", "700", "x"), ("number", "400000", "step")}
    # a bare one-digit count is not a fact; a name with digits is
    assert [f.shown for f in claim_facts("3 regimes on DiT-XL/2")] == ["DiT-XL/2"]
    assert normalise("1 × 10⁻⁴") == "1e-4"
    assert [f.key for f in claim_facts("a −0.93 correlation")] == ["0.93"]


def test_cited_text_adds_referenced_tables_and_misses_siblings():
    text = _passage()
    assert "| Small | 17.5 | 1.4x |" in text and "7 million" in text
    assert "99 FPS" not in text
    assert cited_text(PASSAGE, "no-such-heading") is None


def test_the_rule_in_refs_check(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    _fetched_and_converted(lib)
    full = lib.full_md_path("stream-docs")
    full.write_text(full.read_text() + "\n" + PASSAGE)
    target = "[s](../../sources/stream-docs/full.md#3-schedule)"
    _card(lib, target)
    card = lib.card_path("stream-docs")
    text = card.read_text()

    def support(claim: str) -> list[str]:
        card.write_text(text.replace("Streams order work.", claim))
        return [
            f"{f.line}: {f.message}"
            for f in check_library(Library(tmp_path))
            if f.rule == "claim-support"
        ]

    assert support("The pipeline runs on 8 GPUs, 2.3× faster.") == []
    [msg] = support("The pipeline runs on 16 GPUs, 2.3× faster.")
    assert msg.startswith("16: claim 1: `16 GPUs` is in none of the passages it cites")
    assert "sources/stream-docs/full.md#3-schedule" in msg
    assert support("The pipeline runs on 16 GPUs (unverified).") == []
    card.write_text(text.replace("Streams order work.", "Runs on 16 GPUs."))
    findings = check_library(Library(tmp_path))
    assert [f.severity for f in findings if f.rule == "claim-support"] == ["warning"]
    assert not [f for f in findings if f.severity == "error"]
