"""Servers that trickle: a total deadline per artifact and a minimum transfer rate.

A read timeout restarts with every byte, so a server sending one byte a second
used to keep `refs fetch` busy for hours. These tests configure small limits so
each finishes in seconds; they assert what happens (the message, the status,
the files), never how long it took.
"""

from __future__ import annotations

import json

import pytest
from fetch_helpers import Reply, Server, entry, html_page, make_library, tree

from extract.cli import main
from extract.errors import RefsError
from extract.fetch import Options, fetch_resources
from extract.fetch.dispatch import Endpoints
from extract.fetch.http import Client, HttpConfig

BODY = html_page("slow", "x" * 3000)  # would take most of an hour at one byte a second


@pytest.fixture(autouse=True)
def http_env(monkeypatch):
    for var, value in {
        "REFS_FETCH_CONNECT_TIMEOUT": "2",
        "REFS_FETCH_READ_TIMEOUT": "5",  # longer than the trickle's pauses: it never fires
        "REFS_FETCH_RETRIES": "2",
        "REFS_FETCH_BACKOFF": "0.01",
        "REFS_FETCH_RATE_WINDOW": "2",
    }.items():
        monkeypatch.setenv(var, value)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)


def refs(root, *args) -> int:
    return main(["--root", str(root), "fetch", *args])


def test_a_one_byte_a_second_server_is_cut_off_and_the_others_are_fetched(tmp_path, capsys):
    with Server() as s:
        s.route("/slow.html", Reply(body=BODY, trickle=1.0))
        s.route("/fast.html", Reply(body=html_page("fast")))
        s.route("/also.html", Reply(body=html_page("also")))
        lib = make_library(
            tmp_path,
            [
                entry("slow", [s.url("/slow.html")]),
                entry("fast", [s.url("/fast.html")]),
                entry("also", [s.url("/also.html")]),
            ],
        )
        code = refs(tmp_path, "--all", "--json", "--min-rate", "100", "--deadline", "60")
        slow_hits = s.hits_of("/slow.html")
    assert code == 1
    report = {r["id"]: r for r in json.loads(capsys.readouterr().out)["results"]}
    assert report["slow"]["result"] == "failed"
    message = report["slow"]["message"]
    assert "too slow" in message and "under the minimum of 100 bytes/s" in message
    assert "--min-rate" in message and s.url("/slow.html") in message
    assert slow_hits == 1  # cut off, not retried
    assert report["fast"]["result"] == report["also"]["result"] == "fetched"
    lib.reload()
    assert [lib.resource(r).status for r in ("slow", "fast", "also")] == [
        "pending",
        "fetched",
        "fetched",
    ]
    assert not any(p.startswith("sources/slow/") for p in tree(tmp_path))  # nothing half-kept


def test_a_server_fast_enough_for_the_rate_but_endless_hits_the_deadline(tmp_path, monkeypatch):
    monkeypatch.setenv("REFS_FETCH_DEADLINE", "1.5")
    monkeypatch.setenv("REFS_FETCH_MIN_RATE", "5")
    monkeypatch.setenv("REFS_FETCH_RATE_WINDOW", "5")
    with Server() as s:
        s.route("/slow.html", Reply(body=BODY, trickle=0.02))  # 50 bytes/s: over the minimum
        lib = make_library(tmp_path, [entry("slow", [s.url("/slow.html")])])
        [out] = fetch_resources(
            lib, lib.select(["slow"]), Options(), endpoints=Endpoints.from_env()
        )
    assert out.result == "failed"
    assert "not finished within the 1.5s deadline" in out.message
    assert "--deadline / REFS_FETCH_DEADLINE" in out.message
    lib.reload()
    assert lib.resource("slow").status == "pending"
    assert not (tmp_path / "sources" / "slow").exists()


def test_headers_trickled_byte_by_byte_hit_the_deadline_too(tmp_path):
    config = HttpConfig.from_env(deadline=1.0, min_rate=0)
    with Server() as s, Client(config) as client:
        url = s.route("/slow.html", Reply(body=b"never", trickle_headers=0.2))
        with pytest.raises(RefsError, match="not finished within the 1s deadline"):
            client.get(url, dest=tmp_path / "page.html")
    assert list(tmp_path.iterdir()) == []


def test_a_stream_without_length_cut_off_is_not_taken_for_a_whole_body(tmp_path):
    # When the connection is shut, a body with no Content-Length simply ends: the
    # cut must still be reported, not stored as if complete.
    config = HttpConfig.from_env(deadline=0, min_rate=100)
    with Server() as s, Client(config) as client:
        url = s.route("/slow", Reply(body=BODY, trickle=0.5, no_length=True))
        with pytest.raises(RefsError, match="too slow"):
            client.get(url, dest=tmp_path / "page.html")
    assert list(tmp_path.iterdir()) == []


def test_limits_that_are_met_change_nothing(tmp_path):
    config = HttpConfig.from_env(deadline=30, min_rate=100)
    body = b"%PDF-1.4\n" + b"0" * 300_000 + b"\n%%EOF\n"
    with Server() as s, Client(config) as client:
        url = s.route("/paper.pdf", Reply(body=body, content_type="application/pdf"))
        facts = client.get(url, dest=tmp_path / "paper.pdf")
    assert facts.stored and (tmp_path / "paper.pdf").read_bytes() == body


def test_defaults_allow_a_50_mb_pdf_on_a_slow_line():
    cfg = HttpConfig()
    fifty_mb = 50 * 1024 * 1024
    slow_line = 128 * 1024 / 8 * 1.2  # 128 kbit/s, with 20% to spare
    assert fifty_mb / slow_line < cfg.deadline
    assert cfg.min_rate * 8 <= 16 * 1024  # the rate floor is a stalled line, not a slow one
    assert cfg.rate_window >= cfg.read_timeout  # one read timeout's pause is never judged


@pytest.mark.parametrize(
    "args, env, message",
    [
        (["--deadline", "-1"], {}, "must be a number >= 0"),
        (["--min-rate", "fast"], {}, "is not a number"),
        ([], {"REFS_FETCH_DEADLINE": "soon"}, "REFS_FETCH_DEADLINE='soon' is not a valid float"),
        ([], {"REFS_FETCH_MIN_RATE": "nan"}, "REFS_FETCH_MIN_RATE must be a number >= 0"),
        ([], {"REFS_FETCH_RATE_WINDOW": "0"}, "REFS_FETCH_RATE_WINDOW must be more than 0"),
    ],
)
def test_bad_limits_are_refused_before_any_work(tmp_path, capsys, monkeypatch, args, env, message):
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    with Server() as s:
        s.route("/a.html", Reply(body=html_page("a")))
        make_library(tmp_path, [entry("a", [s.url("/a.html")])])
        code = refs(tmp_path, "a", *args)
        assert s.requests == []
    assert code == (2 if args else 1)
    assert message in capsys.readouterr().err


def test_help_documents_the_limits(capsys):
    with pytest.raises(SystemExit):
        main(["fetch", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for word in ("--deadline", "--min-rate", "REFS_FETCH_DEADLINE", "REFS_FETCH_MIN_RATE"):
        assert word in text
    assert "REFS_FETCH_RATE_WINDOW" in text and "stays pending" in text


def test_waiting_for_a_busy_host_does_not_count_against_the_deadline(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    # One download at a time on this host; each takes 0.6 s of a 1.5 s deadline, so
    # the third would miss it if the wait for the host counted.
    config = HttpConfig.from_env(deadline=1.5, min_rate=0, per_host=1)
    with Server() as s, Client(config) as client:
        urls = [s.route(f"/p{i}.html", Reply(body=html_page(f"p{i}"), delay=0.6)) for i in range(3)]
        with ThreadPoolExecutor(3) as pool:
            facts = list(
                pool.map(lambda i: client.get(urls[i], dest=tmp_path / f"{i}.html"), range(3))
            )
        assert s.max_in_flight == 1
    assert all(f.stored for f in facts) and len(list(tmp_path.iterdir())) == 3
