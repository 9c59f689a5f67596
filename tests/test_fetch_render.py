"""JavaScript-rendered pages: detected by Tier 2, captured by `refs fetch --render`.

The app page here is written for these tests: its HTML holds a "Loading..." shell
and a Next.js-style script payload; its script fetches the article from the same
127.0.0.1 server after load and writes it into the page.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from http_server import Reply, Server
from mkdocs_site import CHROMIUM, chromium_available
from sample_library import entry

from extract.cli import main
from extract.convert.html import MIN_ARTICLE_WORDS, JsRenderedPage, convert_html
from extract.full_md import read_provenance

PAYLOAD = json.dumps(["# Spinning widgets\n\n" + "The payload repeats its text. " * 120])
APP = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Spinning widgets | Demo Wiki</title></head>
<body><div id="__next"><div class="flex min-h-screen"><div class="animate-shine">Loading...</div></div></div>
<script>self.__next_f = self.__next_f || []; self.__next_f.push([1, {PAYLOAD}]);</script>
<script>
window.addEventListener("load", () => {{
  fetch("/content.json").then(r => r.json()).then(data => {{
    const root = document.getElementById("__next");
    root.innerHTML = "<main><article><h1>" + data.title + "</h1>" +
      data.sections.map(s => "<h2>" + s.heading + "</h2><p>" + s.text + "</p>").join("") +
      "</article></main>";
  }});
}});
</script></body></html>
"""
CONTENT = {
    "title": "Spinning widgets",
    "sections": [
        {"heading": "Why spin", "text": "Spinning keeps the bearings warm and the widget ready."},
        {"heading": "How fast", "text": "Start slowly, then double the speed every second step."},
    ],
}


def refs(root, *args) -> int:
    """`refs` run in this process; a `--render` run on a thread of its own, as Playwright's
    sync API allows one instance per thread and this one's drives the tests' shared
    Chromium (conftest.py's `browser`)."""
    if "--render" not in args:
        return main(["--root", str(root), *args])
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(main, ["--root", str(root), *args]).result()


# ---------- detection (no browser) ----------
def test_an_empty_article_with_a_script_payload_is_a_js_page():
    with pytest.raises(JsRenderedPage, match=r"rendered by JavaScript.*'Loading\.\.\.'.*KB"):
        convert_html(APP, "https://wiki.example/app")


def test_a_short_page_with_ordinary_scripts_is_not_a_js_page():
    words = " ".join(["word"] * (MIN_ARTICLE_WORDS // 2))
    page = (
        f"<html><body><article><h1>Short</h1><p>{words}</p></article>"
        f"<script>var analytics = '{'x' * 50000}';</script></body></html>"
    )
    assert "word word" in convert_html(page, "https://x.example/").body


def test_convert_fails_with_the_command_to_run(make_library, tmp_path, capsys):
    with Server() as s:
        url = s.route("/app", Reply(body=APP.encode()))
        make_library(root=tmp_path, entries=[entry("app-doc", [url], type="docs")])
        assert refs(tmp_path, "fetch", "app-doc") == 0
    capsys.readouterr()
    assert refs(tmp_path, "convert", "app-doc", "--json") == 1
    result = json.loads(capsys.readouterr().out)["results"][0]
    assert result["result"] == "failed"
    assert "sources/app-doc/raw/page.html: the page is rendered by JavaScript" in result["message"]
    assert "run `refs fetch --render app-doc`" in result["message"]
    assert str(tmp_path) not in result["message"]  # repo-relative
    assert not (tmp_path / "sources" / "app-doc" / "full.md").exists()


# ---------- `refs fetch --render` ----------
def test_render_needs_ids(make_library, tmp_path, capsys):
    make_library(root=tmp_path, entries=[entry("app-doc", ["http://127.0.0.1:9/app"])])
    assert refs(tmp_path, "fetch", "--render", "--all") == 2
    assert "name the resource ids" in capsys.readouterr().err


def test_render_names_the_extra_when_playwright_is_missing(
    make_library, tmp_path, capsys, monkeypatch
):
    make_library(root=tmp_path, entries=[entry("app-doc", ["http://127.0.0.1:9/app"])])
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    assert refs(tmp_path, "fetch", "--render", "app-doc") == 1
    err = capsys.readouterr().err
    assert "needs Playwright" in err and "pip install 'dit-refs[render]'" in err


def test_render_says_where_chromium_is_missing(make_library, tmp_path, capsys, monkeypatch):
    make_library(root=tmp_path, entries=[entry("app-doc", ["http://127.0.0.1:9/app"])])
    monkeypatch.setenv("REFS_CHROMIUM", str(tmp_path / "no-chromium"))
    assert refs(tmp_path, "fetch", "--render", "app-doc") == 1
    assert "no-chromium not found" in capsys.readouterr().err


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} is not installed")
def test_render_captures_the_page_as_the_browser_shows_it(make_library, tmp_path, capsys):
    with Server() as s:
        url = s.route("/app", Reply(body=APP.encode()))
        s.route(
            "/content.json",
            Reply(body=json.dumps(CONTENT).encode(), content_type="application/json"),
        )
        make_library(root=tmp_path, entries=[entry("app-doc", [url], type="docs")])
        assert refs(tmp_path, "fetch", "app-doc") == 0
        assert refs(tmp_path, "convert", "app-doc") == 1
        capsys.readouterr()
        assert refs(tmp_path, "fetch", "--render", "app-doc", "--json") == 0
        report = json.loads(capsys.readouterr().out)["results"][0]
        assert s.hits_of("/content.json") == 1  # the script ran and fetched its article
    assert report["result"] == "fetched"
    assert report["artifacts"] == [{"path": "page.html", "state": "changed"}]
    raw = tmp_path / "sources" / "app-doc" / "raw"
    entry_ = read_provenance(raw)["artifacts"]["page.html"]
    assert entry_["rendered"] is True and entry_["browser"].startswith("Chromium ")
    assert entry_["url"] == url and entry_["status"] == 200 and entry_["kind"] == "html"
    assert "Double the speed".lower() in (raw / "page.html").read_text(encoding="utf-8").lower()
    assert refs(tmp_path, "convert", "app-doc") == 0
    text = (tmp_path / "sources" / "app-doc" / "full.md").read_text(encoding="utf-8")
    assert "# Spinning widgets" in text and "## How fast" in text and "Loading..." not in text
    assert "rendered it" in text  # the conversion notes say where the page came from


def test_render_options_that_do_not_apply_are_usage_errors(
    make_library, tmp_path, capsys, monkeypatch
):
    make_library(root=tmp_path, entries=[entry("app-doc", ["http://127.0.0.1:9/app"])])
    assert refs(tmp_path, "fetch", "--render", "app-doc", "--dry-run") == 2
    monkeypatch.setenv("REFS_RENDER_TIMEOUT", "soon")
    monkeypatch.setenv("REFS_CHROMIUM", sys.executable)  # any existing file passes the check
    assert refs(tmp_path, "fetch", "--render", "app-doc") == 1
    assert "REFS_RENDER_TIMEOUT must be a number of seconds" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "0", "-5"])
def test_a_render_timeout_that_is_no_timeout_is_refused(
    make_library, tmp_path, capsys, monkeypatch, value
):
    """Issue 24 item 10: nan, inf and 1e308 were accepted, then failed inside JSON."""
    make_library(root=tmp_path, entries=[entry("app-doc", ["http://127.0.0.1:9/app"])])
    monkeypatch.setenv("REFS_RENDER_TIMEOUT", value)
    monkeypatch.setenv("REFS_CHROMIUM", sys.executable)
    assert refs(tmp_path, "fetch", "--render", "app-doc") == 1
    err = capsys.readouterr().err
    assert (
        f"REFS_RENDER_TIMEOUT must be more than 0 and at most 3600 seconds (got `{value}`)" in err
    )


@pytest.mark.browser
def test_a_browser_that_never_starts_is_given_the_render_timeout(
    make_library, tmp_path, capsys, monkeypatch
):
    """Issue 24 item 10: it was waited on for Playwright's 180 s whatever the timeout."""
    pytest.importorskip("playwright.sync_api")
    make_library(root=tmp_path, entries=[entry("app-doc", ["http://127.0.0.1:9/app"])])
    silent = tmp_path / "silent-chromium"
    silent.write_text("#!/bin/sh\nexec sleep 120\n", encoding="utf-8")
    silent.chmod(0o755)
    monkeypatch.setenv("REFS_CHROMIUM", str(silent))
    monkeypatch.setenv("REFS_RENDER_TIMEOUT", "0.5")
    assert refs(tmp_path, "fetch", "--render", "app-doc") == 1
    err = capsys.readouterr().err
    assert f"cannot start {silent}" in err and "500ms exceeded" in err
    assert "Traceback" not in err and "Call log" not in err and len(err.splitlines()) == 1
