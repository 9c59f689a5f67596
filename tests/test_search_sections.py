"""How sections rank against their neighbours (`extract.search_sections`), on a small
made-up library: a claim that sums up a section with subsections finds the section, a
heading made of an API name beats prose that mentions the API, a passage a document
holds twice is one hit. Each case is also run with its rule switched off, to show
the test measures the rule and not the rest of the ranking."""

from __future__ import annotations

import pytest

from extract import search_sections
from extract.library import Library
from extract.search import search
from extract.search_sections import api_name, is_identifier

FRONT = "---\ntitle: {title}\nsource_url: https://example.org/{rid}\n---\n\n"

# A paper whose section 3 opens with a sentence of its own and whose subsections each
# hold part of what a claim summing up section 3 says.
METHOD = """# Relay Paper

## 1 Introduction

Relay trains wide models on small clusters. The cluster has slow links.

## 2 Background

Earlier systems keep every activation until the backward pass.

## 3 Methodology

Relay combines two techniques that save memory on every stage.

### 3.1 Placement

Layers are placed on stages by their measured memory footprint.

### 3.2 Recomputation

Activations are dropped after the forward pass and recomputed during the backward pass.

## 4 Evaluation

On eight nodes Relay fits a model twice as large.
"""

# A survey with a section headed by an API's name, and prose elsewhere that names
# the same API more often than the section itself does.
SURVEY = """# Capture Survey

## 1 Overview

Many tools capture graphs. Users compare torch.jit.trace with other tools: what
torch.jit.trace records, which operators torch.jit.trace sees for example inputs,
and where torch.jit.trace falls short against newer graph tools.

## 2 Prior tools

### 2.1 torch.jit.trace

Runs the model once on sample data and keeps the operators it executes as a
static graph; branches taken in Python are baked in.

### 2.2 Lazy tensors

Operations are deferred and accumulated into a graph each iteration.
"""

# A source that holds its abstract twice: once from the landing page, once from the
# paper (the converter names the second heading `abstract-1`).
TWICE = """# Bubble Paper

## Abstract

We split the backward pass into two parts so that the pipeline bubble almost
disappears on every stage, at the cost of a little more memory per device.

## 1 Introduction

Pipelines idle while they fill and drain; schedules try to hide that time.

## Abstract

We split the backward pass into two parts so that the pipeline bubble almost
disappears on every stage, at the cost of a little more memory per device.

## 2 Schedule

The weight gradient is computed later, filling the bubble.
"""


@pytest.fixture(scope="module")
def lib(make_library, tmp_path_factory) -> Library:
    files = {
        f"sources/{rid}/full.md": FRONT.format(title=body.splitlines()[0][2:], rid=rid) + body
        for rid, body in {"relay": METHOD, "survey": SURVEY, "bubble": TWICE}.items()
    }
    return Library(make_library(root=tmp_path_factory.mktemp("sections"), files=files))


def anchors(lib: Library, query: str, limit: int = 5) -> list[str]:
    return [h.anchor for h in search(lib, query, limit=limit)]


SUMMARY = "techniques save memory stage placing layers footprint recomputing activations"


def test_a_claim_summing_up_a_section_finds_it_not_one_subsection(lib):
    found = anchors(lib, SUMMARY)
    assert found[0] == "3-methodology"
    assert {"31-placement", "32-recomputation"} <= set(found[1:])


def test_without_the_subtree_rule_a_subsection_would_win(lib, monkeypatch):
    monkeypatch.setattr(search_sections, "SPREAD", 0.0)
    assert anchors(lib, SUMMARY)[0] != "3-methodology"


def test_a_subsection_holding_the_whole_claim_stays_first(lib):
    # every word is in 3.2: the enclosing section gains nothing from its subtree
    assert anchors(lib, "activations dropped forward recomputed backward")[0] == (
        "32-recomputation"
    )


def test_a_section_whose_own_text_does_not_match_gains_nothing(lib):
    # "placed" and "dropped" live only in the subsections, never in 3's own text
    assert anchors(lib, "layers placed footprint activations dropped")[0] != "3-methodology"


API_QUERY = "torch.jit.trace records operators example inputs"


def test_an_api_heading_beats_prose_that_names_the_api(lib):
    assert anchors(lib, API_QUERY)[0] == "21-torchjittrace"


def test_without_the_api_rule_the_prose_would_win(lib, monkeypatch):
    monkeypatch.setattr(search_sections, "_lift_api_sections", lambda *a: None)
    assert anchors(lib, API_QUERY)[0] == "1-overview"


def test_an_api_heading_is_not_lifted_for_a_query_that_does_not_name_it(lib):
    assert anchors(lib, "graph tools overview compare")[0] == "1-overview"


def test_a_passage_held_twice_is_one_hit_under_the_first_heading(lib):
    found = anchors(lib, "split backward pass pipeline bubble disappears")
    assert found[0] == "abstract"
    assert "abstract-1" not in found
    assert anchors(lib, "split backward pass pipeline bubble disappears", limit=1) == ["abstract"]


def test_without_the_repeat_rule_both_copies_are_hits(lib, monkeypatch):
    monkeypatch.setattr(search_sections, "REPEAT", 1.01)
    assert {"abstract", "abstract-1"} <= set(
        anchors(lib, "split backward pass pipeline bubble disappears")
    )


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("2.1 torch.jit.trace", "torch.jit.trace"),
        ("`torch.fx.symbolic_trace`", "torch.fx.symbolic_trace"),
        ("ScheduleGPipe(stage, n_microbatches, loss_fn=None)", "schedulegpipe"),
        ("3.9 AOTAutograd", "aotautograd"),
        ("c10d::wait", "c10d::wait"),
        ("2.2 Lazy Tensors", None),
        ("Guards", None),
        ("Abstract", None),
    ],
)
def test_api_name(heading, name):
    assert api_name(heading) == name


@pytest.mark.parametrize(
    ("token", "named"),
    [
        ("NCCL_ALGO", True),
        ("torch.cuda", True),
        ("ncclCommInitRank", True),
        ("H100", True),
        ("pipeline", False),
        ("Pipeline", False),
        ("GPU", False),
    ],
)
def test_is_identifier(token, named):
    assert is_identifier(token) is named
