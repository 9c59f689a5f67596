"""`refs status` as a person reads it in a terminal: long topic titles are cut between
words and end in an ellipsis (`extract.output.clip`). Made-up text."""

from __future__ import annotations

from sample_library import CURRICULUM

from extract.output import clip

LONG = "Pipeline schedules — bubbles and micro-batches, and every schedule that hides them"


def test_clip_cuts_between_words_with_an_ellipsis():
    assert clip(LONG, 40) == "Pipeline schedules — bubbles and…"
    assert clip("short title", 40) == "short title"
    assert clip("x" * 50, 10) == "x" * 9 + "…"  # one long word: cut, still marked
    assert len(clip(LONG, 60)) <= 60


def test_status_shows_long_topic_titles_whole_words_and_an_ellipsis(
    make_library, refs_subprocess, monkeypatch
):
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal: rich wraps no cell
    text = CURRICULUM.replace("Pipeline schedules — bubbles and micro-batches", LONG)
    root = make_library(curriculum=text, sync=True)
    r = refs_subprocess(root, "status")
    assert r.returncode == 0, r.stderr
    shown = " ".join(r.stdout.split())
    assert clip(LONG, 60) in shown and clip(LONG, 60).endswith("…")
    assert LONG[:60] not in shown  # the old cut, mid-word and unmarked
