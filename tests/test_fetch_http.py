"""The HTTP client against misbehaving local servers: retries, waits, caps, checks."""

from __future__ import annotations

import pytest
from http_server import Reply, Server, html_page, http_date, pdf_bytes, sha256
from sample_library import tree

from extract.fetch import checks
from extract.fetch.http import Client, FetchError, HttpConfig, retry_after_seconds


class Recorder:
    """Records the waits the client chooses instead of sleeping them (no wall clock)."""

    def __init__(self):
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def client(**kw) -> tuple[Client, Recorder]:
    values = dict(connect_timeout=2, read_timeout=0.3, retries=2, backoff=0.5, max_wait=60)
    rec = Recorder()
    return Client(HttpConfig(**{**values, **kw}), sleep=rec), rec


def test_404_fails_at_once_and_leaves_nothing(tmp_path):
    with Server() as s:
        c, rec = client()
        with pytest.raises(FetchError) as err:
            c.get(s.url("/nope"), dest=tmp_path / "page.html", check=checks.html)
        assert s.hits_of("/nope") == 1 and rec.waits == []
    assert err.value.status == 404 and "HTTP 404" in err.value.message
    assert tree(tmp_path) == []


def test_500_then_success_backs_off_exponentially(tmp_path):
    with Server() as s:
        body = html_page("Finally")
        s.route("/flaky", Reply(500, b"oops"), Reply(502, b"oops"), Reply(body=body))
        c, rec = client()
        got = c.get(s.url("/flaky"), dest=tmp_path / "page.html", check=checks.html)
        assert s.hits_of("/flaky") == 3
    assert rec.waits == [0.5, 1.0]
    assert (tmp_path / "page.html").read_bytes() == body
    assert got.sha256 == sha256(body) and got.status == 200


def test_5xx_gives_up_after_the_retries(tmp_path):
    with Server() as s:
        s.route("/down", Reply(503, b"down"))
        c, rec = client(retries=3, backoff=0.1)
        with pytest.raises(FetchError, match="HTTP 503.*gave up after 4 attempts"):
            c.get(s.url("/down"), dest=tmp_path / "x.html", check=checks.html)
        assert s.hits_of("/down") == 4
    assert rec.waits == [0.1, 0.2, 0.4]
    assert tree(tmp_path) == []


@pytest.mark.parametrize(
    "header, low, high", [("7", 7, 7), ("date", 15, 21)], ids=["seconds", "http-date"]
)
def test_429_honours_retry_after(tmp_path, header, low, high):
    value = http_date(20) if header == "date" else header
    with Server() as s:
        s.route(
            "/busy",
            Reply(429, b"slow down", headers={"Retry-After": value}),
            Reply(body=html_page("ok")),
        )
        c, rec = client()
        c.get(s.url("/busy"), dest=tmp_path / "p.html", check=checks.html)
    assert len(rec.waits) == 1 and low <= rec.waits[0] <= high


def test_retry_after_beyond_the_cap_fails_clearly(tmp_path):
    with Server() as s:
        s.route("/busy", Reply(503, b"", headers={"Retry-After": "3600"}))
        c, rec = client(max_wait=30)
        with pytest.raises(FetchError, match="3600s, more than the 30s cap"):
            c.get(s.url("/busy"), dest=tmp_path / "p.html", check=checks.html)
        assert s.hits_of("/busy") == 1 and rec.waits == []


def test_github_rate_limit_waits_for_the_reset_or_fails(tmp_path):
    import time

    with Server() as s:
        soon = str(int(time.time()) + 5)
        late = str(int(time.time()) + 7200)
        s.route(
            "/soon",
            Reply(403, b"{}", headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": soon}),
            Reply(body=b"[]", content_type="application/json"),
        )
        s.route(
            "/late",
            Reply(429, b"{}", headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": late}),
        )
        c, rec = client(max_wait=60, github_api=s.base)
        got = c.get(s.url("/soon"), check=checks.json_body)
        assert got.body == b"[]" and 3 <= rec.waits[0] <= 7
        with pytest.raises(FetchError, match="rate limit exhausted.*cap"):
            c.get(s.url("/late"), check=checks.json_body)
        assert s.hits_of("/late") == 1


def test_stalled_connection_times_out(tmp_path):
    with Server() as s:
        s.route("/stall", Reply(body=html_page("never"), stall=True))
        c, rec = client(read_timeout=0.2, retries=1, backoff=0.01)
        with pytest.raises(FetchError, match="gave up after 2 attempts"):
            c.get(s.url("/stall"), dest=tmp_path / "p.html", check=checks.html)
        assert s.hits_of("/stall") == 2
    assert tree(tmp_path) == []


def test_no_answer_at_all_times_out(tmp_path):
    with Server() as s:
        s.route("/silent", Reply(body=html_page("late"), delay=1.0))
        c, rec = client(read_timeout=0.1, retries=1, backoff=0.01)
        with pytest.raises(FetchError, match="timed out.*gave up after 2 attempts"):
            c.get(s.url("/silent"), dest=tmp_path / "p.html", check=checks.html)
    assert tree(tmp_path) == []


def test_body_cut_short_is_retried_then_leaves_nothing(tmp_path):
    body = html_page("cut", "x" * 5000)
    with Server() as s:
        s.route("/cut", Reply(body=body, cut=1000))
        c, rec = client(retries=1, backoff=0.01)
        with pytest.raises(FetchError, match="broke off"):
            c.get(s.url("/cut"), dest=tmp_path / "p.html", check=checks.html)
        assert s.hits_of("/cut") == 2
        s.route("/cut2", Reply(body=body, cut=1000), Reply(body=body))
        c.get(s.url("/cut2"), dest=tmp_path / "q.html", check=checks.html)
    assert tree(tmp_path) == ["q.html"]
    assert (tmp_path / "q.html").read_bytes() == body


@pytest.mark.parametrize("no_length", [False, True], ids=["content-length", "streamed"])
def test_oversize_body_is_refused(tmp_path, no_length):
    with Server() as s:
        s.route(
            "/big",
            Reply(body=pdf_bytes("big") * 40, content_type="application/pdf", no_length=no_length),
        )
        c, rec = client(max_bytes=50_000)
        with pytest.raises(FetchError, match="50000-byte cap"):
            c.get(s.url("/big"), dest=tmp_path / "paper.pdf", check=checks.pdf)
        assert s.hits_of("/big") == 1
    assert tree(tmp_path) == []


def test_html_where_a_pdf_was_expected(tmp_path):
    with Server() as s:
        s.route("/paper.pdf", Reply(body=html_page("Please log in")))
        c, _ = client()
        with pytest.raises(FetchError, match="expected a PDF.*text/html"):
            c.get(s.url("/paper.pdf"), dest=tmp_path / "paper.pdf", check=checks.pdf)
        assert s.hits_of("/paper.pdf") == 1  # a wrong body is not retried
    assert tree(tmp_path) == []


def test_pdf_where_html_was_expected_and_bad_eprints(tmp_path):
    with Server() as s:
        s.route("/page", Reply(body=pdf_bytes("p"), content_type="application/pdf"))
        s.route("/e-print", Reply(body=html_page("error"), content_type="text/html"))
        c, _ = client()
        with pytest.raises(FetchError, match="expected an HTML page"):
            c.get(s.url("/page"), dest=tmp_path / "page.html", check=checks.html)
        with pytest.raises(FetchError, match="expected an e-print"):
            c.get(s.url("/e-print"), dest=tmp_path / "e.tar.gz", check=checks.eprint)
    assert tree(tmp_path) == []


def test_connection_refused_is_retried_then_fails(tmp_path):
    with Server() as s:
        dead = s.url("/x")
    c, rec = client(retries=2, backoff=0.01)
    with pytest.raises(FetchError, match="could not connect.*gave up after 3 attempts"):
        c.get(dead, dest=tmp_path / "p.html", check=checks.html)
    assert rec.waits == [0.01, 0.02]


def test_retry_after_parsing():
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("not a date") is None
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past: no wait


def test_redirect_loop_fails_clearly(tmp_path):
    with Server() as s:
        s.route("/a", Reply(302, headers={"Location": "/b"}))
        s.route("/b", Reply(302, headers={"Location": "/a"}))
        c, _ = client()
        with pytest.raises(FetchError, match="too many redirects"):
            c.get(s.url("/a"), dest=tmp_path / "p.html", check=checks.html)
    assert tree(tmp_path) == []
