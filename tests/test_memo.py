"""Memos keep a whole build's answers however large the library (`extract.memo`)."""

from __future__ import annotations

import pytest

from extract import markdown, memo
from extract.anchors import headings


@pytest.fixture
def counted():
    calls: list[str] = []

    @memo.memo
    def length(text: str) -> int:
        calls.append(text)
        return len(text)

    yield length, calls
    memo._MEMOS.remove(length)


def test_every_text_of_a_large_build_is_computed_once(counted):
    length, calls = counted
    texts = [f"text {i}" for i in range(5000)]  # more than any fixed LRU size we had
    for _ in range(3):  # a build walks its texts in the same order, several times
        assert [length(t) for t in texts] == [len(t) for t in texts]
    assert len(calls) == 5000


def test_a_new_build_keeps_what_it_asks_again_and_drops_the_rest(counted):
    length, calls = counted
    length("kept"), length("edited away")
    memo.next_generation()
    length("kept")  # asked again by the next build: not recomputed
    assert calls == ["kept", "edited away"]
    memo.next_generation()
    length("edited away")  # not asked for a whole build: gone, computed anew
    assert calls == ["kept", "edited away", "edited away"]
    assert set(length.now) | set(length.before) == {("kept",), ("edited away",)}


def test_a_process_that_never_starts_a_generation_stays_bounded(counted, monkeypatch):
    length, _calls = counted
    monkeypatch.setattr(memo, "LIMIT", 100)
    for i in range(1000):
        length(str(i))
    assert len(length.now) <= 100 and len(length.before) <= 100


def test_keyword_arguments_are_part_of_the_key(counted):
    @memo.memo
    def join(a: str, sep: str = "-") -> str:
        return a + sep

    try:
        assert join("x") == "x-" and join("x", sep="+") == "x+" and join("x") == "x-"
    finally:
        memo._MEMOS.remove(join)


def test_the_site_s_text_passes_hit_past_the_old_cache_sizes(monkeypatch):
    """`blocks` had 512 entries: a library of more texts parsed each one every time."""
    parsed: list[str] = []
    real = markdown._blocks
    monkeypatch.setattr(markdown, "_blocks", lambda text: parsed.append(text) or real(text))
    memo.next_generation()
    memo.next_generation()
    texts = [f"# Title {i}\n\n- item\n\n  # in a list {i}\n" for i in range(1500)]
    for _ in range(2):
        for text in texts:
            markdown.blocks(text)
            headings(text)
    assert len(parsed) == len(texts)
