"""The search analyzer: identifiers whole and by parts, numbers and units, light stems."""

from __future__ import annotations

import pytest

from extract.search_terms import analyze, content_words, parse_query, stem


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("init_process_group", ["init_process_group", "init", "process", "group"]),
        ("NCCL_ALGO", ["nccl_algo", "nccl", "algo"]),
        (
            "torch.distributed.pipelining",
            ["torch.distributed.pipelining", "torch", "distribut", "pipelin"],
        ),
        ("ProcessGroupGloo", ["processgroupgloo", "process", "group", "gloo"]),
        ("compute-bound", ["compute-bound", "comput", "bound"]),
        ("H100/H200", ["h100/h200", "h100", "h200"]),
        ("1F1B", ["1f1b"]),
        ("4096", ["4096"]),
        ("2.9.6", ["2.9.6", "2", "9", "6"]),
        ("64GB", ["64gb", "64", "gb"]),
        ("GPUs", ["gpu"]),
        ("DiT", ["dit"]),  # too short to split: "di" and "t" would be noise
    ],
)
def test_tokens_keep_wholes_and_parts(text, terms):
    assert analyze(text) == terms


def test_a_sentence_end_is_not_part_of_a_token():
    assert analyze("Set NCCL_ALGO. Then run.") == ["set", "nccl_algo", "nccl", "algo", "run"]


def test_light_stemming_brings_word_forms_together():
    assert len({stem(w) for w in ("cache", "caches", "cached", "caching")}) == 1
    assert len({stem(w) for w in ("pipeline", "pipelines", "pipelining")}) == 1
    assert len({stem(w) for w in ("partition", "partitions", "partitioned")}) == 1
    assert stem("running") == stem("run") and stem("passes") == stem("pass")
    # Words it must leave alone: short ones and ones whose ending is not a suffix.
    assert stem("bus") == "bus" and stem("analysis") == "analysis" and stem("speed") == "speed"
    # Any casing of a word is the same term.
    assert analyze("GPipe Gpipe gpipe") == [stem("gpipe")] * 3


def test_stopwords_and_single_letters_drop_out():
    assert analyze("the cost of a step in the loop") == ["cost", "step", "loop"]
    assert analyze("x y z") == []


def test_math_letters_are_folded():
    assert analyze("𝑝 stages and 𝑚 microbatches, 𝑝𝑝=4") == ["stag", "microbatch", "pp", "4"]


def test_queries_keep_phrases_and_drop_syntax():
    terms = parse_query('"stage boundary handoff" NEAR(a b) OR x* init_process_group, the')
    assert [(t.text, t.phrase) for t in terms] == [
        ("stage boundary handoff", True),
        ("NEAR", False),
        ("init_process_group", False),
    ]
    assert terms[0].groups == (("stag",), ("boundary",), ("handoff",))
    assert terms[2].terms == ("init_process_group", "init", "process", "group")
    assert parse_query("the of and") == []
    assert [t.text for t in parse_query("bubble bubbles Bubble")] == ["bubble"]  # one term


def test_first_content_words_of_a_claim():
    claim = "The **bubble** is *not* the cost: with `NCCL_ALGO=Ring` it shrinks to 4% of a step."
    assert content_words(claim, 5) == ["bubble", "cost", "NCCL_ALGO", "Ring", "shrinks"]
    assert content_words("a an the", 8) == []
