"""`refs search`: ranking on fixture queries, JSON shape, the persistent index."""

from __future__ import annotations

import json
import sqlite3

import pytest
from agent_helpers import SEARCH, assert_shape, make_library, run_refs

from extract.library import Library
from extract.search import search
from extract.search_index import CACHE_DIR, INDEX_NAME, open_index

# (query, the target an agent obviously wants first)
OBVIOUS = [
    ("warp specialization", "sources/gamma-kernels/full.md#warp-specialization"),
    ("interleaved schedule", "sources/beta-scheduler/full.md#interleaved-schedule"),
    ("GAMMA_TILE_ROWS", "sources/gamma-kernels/full.md#environment-variables"),
    ("tile height occupancy", "refs/topics/02-kernels.md#synthesis"),
    ("checkpoint sharding hosts", "sources/eps-malformed/full.md#overview"),
    ("stage partitioning", "sources/alpha-pipeline/full.md#21-stage-partitioning"),
    ("what interleaving buys", "refs/resources/beta-scheduler.md#why-it-matters"),
    ("microbatch count formula tuning", "refs/resources/alpha-pipeline.md#actionables--gotchas"),
    # A byline only the curriculum holds (the resource has no card and no full.md).
    (
        "Dee Rook",
        "distributed_video_dit_inference.md#2-kernels--fused-attention-and-memory-traffic",
    ),
    # Card and source say the same thing: the card (condensed, checked) wins the tie.
    ("sharding checkpoints restore", "refs/resources/eps-malformed.md#core-claims"),
]


@pytest.fixture
def root(tmp_path):
    return make_library(tmp_path)


@pytest.mark.parametrize(("query", "target"), OBVIOUS)
def test_obvious_hit_ranks_first(root, query, target):
    hits = search(Library(root), query, limit=5)
    assert hits, f"no hits for {query!r}"
    assert hits[0].target == target, [h.target for h in hits]


def test_json_shape_limit_and_filters(capsys, monkeypatch, root):
    code, out, _ = run_refs(capsys, monkeypatch, root, "search", "bubble", "--json", "--limit", "3")
    data = json.loads(out)
    assert code == 0
    assert_shape(data, SEARCH)
    assert data["query"] == "bubble"
    assert [h["rank"] for h in data["hits"]] == [1, 2, 3]
    for h in data["hits"]:
        assert h["target"] == (f"{h['path']}#{h['anchor']}" if h["anchor"] else h["path"])
        assert "\x02" not in h["snippet"] and "\x03" not in h["snippet"]
        # The snippet is body text; a hit on the heading alone shows the body's start.
        assert "bubble" in (h["snippet"] + h["heading"]).lower()
    lib = Library(root)
    cards = search(lib, "bubble", kinds=["card"])
    assert cards and {h.kind for h in cards} == {"card"}
    only = search(lib, "bubble", rid="alpha-pipeline")
    assert only and {h.rid for h in only} == {"alpha-pipeline"}


def test_a_section_with_every_word_comes_first(root):
    hits = search(Library(root), "bubble occupancy", limit=20)
    assert hits and not any(h.all_terms for h in hits)  # no section has both words
    hits = search(Library(root), "idle microbatches", limit=20)
    assert hits[0].all_terms and not all(h.all_terms for h in hits)


def test_terminal_output_and_no_hits(capsys, monkeypatch, root):
    code, out, _ = run_refs(capsys, monkeypatch, root, "search", "warp")
    assert code == 0
    assert out.startswith(" 1. sources/gamma-kernels/full.md#warp-specialization:16  [source]")
    code, out, _ = run_refs(capsys, monkeypatch, root, "search", "zzzunmatched")
    assert code == 0 and out.strip() == "no hits for 'zzzunmatched'"


def test_bad_queries_are_usage_errors(capsys, monkeypatch, root):
    code, out, err = run_refs(capsys, monkeypatch, root, "search", "--", "-- ;")
    assert code == 2 and out == ""
    assert "give at least one word to search for" in err
    code, _, err = run_refs(capsys, monkeypatch, root, "search", "bubble", "--limit", "0")
    assert code == 2 and "--limit must be at least 1" in err
    code, _, err = run_refs(capsys, monkeypatch, root, "search", "the", "of")
    assert code == 2 and "not a common word" in err
    code, _, err = run_refs(capsys, monkeypatch, root, "search")
    assert code == 2 and "give words to search for" in err and "--related" in err
    # FTS5 syntax in the words is taken literally, never as an operator.
    for query in ('NEAR( "OR AND', 'bubble* "^stage" -fraction', "col:bubble {a b}"):
        assert isinstance(search(Library(root), query), list)  # no FTS5 syntax error
    assert search(Library(root), "bubble*")[0].target == search(Library(root), "bubble")[0].target


def test_index_follows_file_changes(root):
    lib = Library(root)
    assert search(lib, "bubble")  # builds the index
    assert (root / CACHE_DIR / INDEX_NAME).is_file()
    card = root / "refs/resources/beta-scheduler.md"
    card.write_text(card.read_text() + "\n- quasarwidget appears only after an edit.\n")
    assert search(lib, "quasarwidget")[0].path == "refs/resources/beta-scheduler.md"
    card.unlink()
    assert search(lib, "quasarwidget") == []
    new = root / "refs/topics/03-extra.md"
    new.write_text("# Extra\n\n## Notes\n\nquasarwidget is back.\n")
    assert [h.target for h in search(lib, "quasarwidget")] == ["refs/topics/03-extra.md#notes"]


def test_unchanged_library_is_not_reindexed(root):
    from extract.search_index import refresh

    lib = Library(root)
    conn = open_index(lib)
    try:
        assert refresh(conn, lib) == 0
        path = root / "sources/gamma-kernels/full.md"
        path.write_text(path.read_text() + "\nOne more line.\n")
        assert refresh(conn, lib) == 1
    finally:
        conn.close()


def test_corrupt_or_unwritable_cache_still_answers(root):
    lib = Library(root)
    cache = root / CACHE_DIR
    cache.mkdir()
    (cache / INDEX_NAME).write_bytes(b"this is not a database" * 100)
    assert search(lib, "warp")[0].anchor == "warp-specialization"
    assert (cache / INDEX_NAME).read_bytes()[:15] == b"SQLite format 3"
    # A file where the cache folder should be: the index lives in memory instead.
    for p in cache.iterdir():
        p.unlink()
    cache.rmdir()
    cache.write_text("not a folder")
    assert search(lib, "warp")[0].anchor == "warp-specialization"
    assert cache.read_text() == "not a folder"


def test_index_survives_a_schema_change(root, monkeypatch):
    import extract.search_index as si

    lib = Library(root)
    assert search(lib, "warp")
    monkeypatch.setattr(si, "SCHEMA_VERSION", "999")
    assert search(lib, "warp")[0].anchor == "warp-specialization"
    with sqlite3.connect(root / CACHE_DIR / INDEX_NAME) as conn:
        (version,) = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    assert version == "999"  # the outdated cache was dropped and rebuilt
