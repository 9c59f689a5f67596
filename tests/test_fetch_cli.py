"""`refs fetch` from the command line: selection, exit codes, dry run, output, secrets."""

from __future__ import annotations

import json

import pytest
from fetch_helpers import Reply, Server, entry, html_page, make_library, tree, trust_test_ca

from extract.cli import main

TOKEN = "ghp_fixtureSECRET0123456789"


@pytest.fixture(autouse=True)
def quick_http(monkeypatch):
    for var, value in {
        "REFS_FETCH_CONNECT_TIMEOUT": "2",
        "REFS_FETCH_READ_TIMEOUT": "0.5",
        "REFS_FETCH_RETRIES": "1",
        "REFS_FETCH_BACKOFF": "0.01",
        "REFS_FETCH_MAX_WAIT": "2",
    }.items():
        monkeypatch.setenv(var, value)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)


def refs(root, *args) -> int:
    return main(["--root", str(root), "fetch", *args])


def test_fetch_by_priority_prints_a_summary_and_exits_1_on_failure(tmp_path, capsys):
    with Server() as s:
        s.route("/a.html", Reply(body=html_page("a")))
        lib = make_library(
            tmp_path,
            [
                entry("a", [s.url("/a.html")], comment="topic one"),
                entry("b", [s.url("/missing.html")]),
                entry("c", [s.url("/a.html")], priority="low"),
            ],
        )
        code = refs(tmp_path, "--priority", "high", "--jobs", "2")
    out = capsys.readouterr().out
    assert code == 1
    assert "a" in out and "fetched" in out and "failed" in out and "HTTP 404" in out
    text = lib.manifest_path.read_text()
    assert "# topic one" in text and "# Fixture manifest" in text
    lib.reload()
    assert [lib.resource(r).status for r in "abc"] == ["fetched", "pending", "pending"]


def test_fetch_ids_success_exits_0_and_json_report(tmp_path, capsys):
    with Server() as s:
        s.route("/a.html", Reply(body=html_page("a")))
        make_library(tmp_path, [entry("a", [s.url("/a.html")])])
        assert refs(tmp_path, "a", "--json") == 0
        report = json.loads(capsys.readouterr().out)
        assert report["results"][0]["result"] == "fetched"
        assert report["results"][0]["local_paths"] == ["sources/a/raw/page.html"]
        assert refs(tmp_path, "a") == 0  # already fetched: skipped, not an error
    assert "--force" in capsys.readouterr().out


def test_dry_run_writes_nothing(tmp_path, capsys):
    with Server() as s:
        s.route("/a.html", Reply(body=html_page("a")))
        lib = make_library(tmp_path, [entry("a", [s.url("/a.html")], type="docs")])
        before = lib.manifest_path.read_bytes()
        assert refs(tmp_path, "--all", "--dry-run") == 0
        assert s.requests == []
    assert "page.html" in capsys.readouterr().out
    assert lib.manifest_path.read_bytes() == before
    assert tree(tmp_path) == ["refs/manifest.yaml"]


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["nope"], 1, "unknown resource id `nope`"),
        ([], 2, "name resource ids"),
        (["a", "--all"], 2, "not both"),
        (["a", "--jobs", "0"], 2, "at least 1"),
        (["--topic", "x"], 2, "not a topic number"),
        (["--priority", "urgent"], 2, "invalid choice"),
    ],
)
def test_bad_input(tmp_path, capsys, args, code, message):
    lib = make_library(tmp_path, [entry("a", ["http://127.0.0.1:9/a.html"])])
    before = lib.manifest_path.read_bytes()
    assert refs(tmp_path, *args) == code
    assert message in capsys.readouterr().err
    assert lib.manifest_path.read_bytes() == before


def test_bad_http_setting_is_one_clear_message(tmp_path, capsys, monkeypatch):
    make_library(tmp_path, [entry("a", ["http://127.0.0.1:9/a.html"])])
    monkeypatch.setenv("REFS_FETCH_READ_TIMEOUT", "soon")
    assert refs(tmp_path, "a") == 1
    assert "REFS_FETCH_READ_TIMEOUT='soon' is not a valid float" in capsys.readouterr().err


def test_a_manifest_broken_on_disk_is_never_overwritten(tmp_path, capsys):
    lib = make_library(tmp_path, [entry("a", ["http://127.0.0.1:9/a.html"])])
    lib.manifest_path.write_text("resources: [unclosed\n")
    assert refs(tmp_path, "a") == 1
    assert "does not parse" in capsys.readouterr().err
    assert lib.manifest_path.read_text() == "resources: [unclosed\n"


def test_github_token_goes_to_the_api_only_and_is_never_written_or_printed(
    tmp_path, capsys, monkeypatch
):
    trust_test_ca(monkeypatch, tmp_path)
    with Server(tls=True) as api, Server() as raw:
        issue = json.dumps({"number": 1, "title": "t"}).encode()
        js = "application/json"
        api.route("/repos/o/r/issues/1", Reply(body=issue, content_type=js))
        api.route("/repos/o/r/issues/1/comments?per_page=100", Reply(body=b"[]", content_type=js))
        root = json.dumps([{"name": "README.md", "path": "README.md", "type": "file"}]).encode()
        api.route("/repos/o/r/contents", Reply(body=root, content_type=js))
        raw.route("/o/r/HEAD/README.md", Reply(body=b"# r\n", content_type="text/plain"))
        api.route(
            "/repos/o/gone/issues/2", Reply(401, b'{"message": "Bad credentials"}', content_type=js)
        )
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("REFS_GITHUB_API_URL", api.base)
        monkeypatch.setenv("REFS_GITHUB_RAW_URL", raw.base)
        make_library(
            tmp_path,
            [
                entry("iss", ["https://github.com/o/r/issues/1"], type="code"),
                entry("rep", ["https://github.com/o/r"], type="code"),
                entry("bad", ["https://github.com/o/gone/issues/2"], type="code"),
            ],
        )
        code = refs(tmp_path, "--all")
        api_auth = [h.get("Authorization") for _, h in api.requests]
        raw_auth = [h.get("Authorization") for _, h in raw.requests]
    assert api.base.startswith("https://")
    assert code == 1  # `bad` failed with 401
    assert api_auth and all(a == f"Bearer {TOKEN}" for a in api_auth)
    assert raw_auth == [None]
    captured = capsys.readouterr()
    assert "HTTP 401" in captured.out
    assert TOKEN not in captured.out + captured.err
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path


def _issue_routes(server: Server) -> None:
    js = "application/json"
    issue = json.dumps({"number": 1, "title": "t"}).encode()
    server.route("/repos/o/r/issues/1", Reply(body=issue, content_type=js))
    server.route("/repos/o/r/issues/1/comments?per_page=100", Reply(body=b"[]", content_type=js))


def test_github_token_is_never_sent_over_plain_http_even_to_the_api_host(
    tmp_path, capsys, monkeypatch
):
    with Server() as api:  # the API host, but http://
        _issue_routes(api)
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("REFS_GITHUB_API_URL", api.base)
        make_library(tmp_path, [entry("iss", ["https://github.com/o/r/issues/1"], type="code")])
        assert refs(tmp_path, "iss") == 0
        auth = [h.get("Authorization") for _, h in api.requests]
    assert len(auth) == 2 and auth == [None, None]
    assert TOKEN not in capsys.readouterr().out


def test_github_token_is_dropped_when_the_https_api_redirects_to_plain_http(tmp_path, monkeypatch):
    trust_test_ca(monkeypatch, tmp_path)
    with Server(tls=True) as api, Server() as plain:
        _issue_routes(plain)
        api.route(
            "/repos/o/r/issues/1",
            Reply(301, headers={"Location": plain.url("/repos/o/r/issues/1")}),
        )
        api.route(
            "/repos/o/r/issues/1/comments?per_page=100",
            Reply(
                301, headers={"Location": plain.url("/repos/o/r/issues/1/comments?per_page=100")}
            ),
        )
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("REFS_GITHUB_API_URL", api.base)
        make_library(tmp_path, [entry("iss", ["https://github.com/o/r/issues/1"], type="code")])
        assert refs(tmp_path, "iss") == 0
        sent = [h.get("Authorization") for _, h in api.requests]
        leaked = [h.get("Authorization") for _, h in plain.requests]
    assert sent == [f"Bearer {TOKEN}"] * 2  # https to the API host: the token goes
    assert leaked == [None, None]  # the redirect to http:// carries none


def test_the_token_rule_is_scheme_host_and_port():
    from extract.fetch.http import Client, HttpConfig

    client = Client(HttpConfig(github_token=TOKEN))
    try:
        assert client.sends_token("https://api.github.com/repos/o/r")
        assert client.sends_token("https://API.github.com:443/repos/o/r")
        assert not client.sends_token("https://api.github.com:8443/repos/o/r")
        assert not client.sends_token("http://api.github.com/repos/o/r")
        assert not client.sends_token("https://api.github.com.evil.example/repos")
        assert not client.sends_token("https://raw.githubusercontent.com/o/r/HEAD/x")
        assert "Authorization" not in client._headers("http://api.github.com/x", None, None)
        assert client._headers("https://api.github.com/x", None, None)["Authorization"] == (
            f"Bearer {TOKEN}"
        )
    finally:
        client.close()
