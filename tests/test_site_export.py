"""`refs site --out DIR`: the site as plain pages that a plain Material build turns into
the same site as the plugin's, with evidence links that land (Chromium)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs_site import CHROMIUM, build, chromium_available, plain_build, refs_site, serve


@pytest.fixture(scope="module")
def exported(make_library, tmp_path_factory):
    """The fixture library (with its one broken citation) built by the plugin and
    exported then built by plain Material."""
    tmp = tmp_path_factory.mktemp("export")
    root = make_library("site", root=tmp / "lib", mkdocs=True)
    plugin = build(root, tmp / "plugin-site", strict=False)
    assert plugin.returncode == 0, plugin.stderr
    result = refs_site(root, "--out", str(tmp / "out"))
    plain = plain_build(tmp / "out", tmp / "plain-site")
    return root, tmp, result, plain


def test_export_writes_every_page_and_warns_of_the_broken_citation(exported):
    root, tmp, result, _ = exported
    assert result.returncode == 0, result.stderr
    assert "beta-blog.md" in result.stderr and "no-such-heading" in result.stderr
    docs = tmp / "out/docs"
    for rel in (
        "index.md",
        "catalog.md",
        "refs/topics/index.md",
        "refs/resources/alpha-paper.md",
        "refs/resources/delta-talk.md",  # a card stub
        "sources/alpha-paper/full.md",
        "refs.json",
        "llms.txt",
        "assets/refs-library/refs-library.js",
    ):
        assert (docs / rel).is_file(), rel
    config = (tmp / "out/mkdocs.yml").read_text(encoding="utf-8")
    assert json.loads(config.split("\n", 2)[2])["plugins"] == ["search"]  # no plugin of ours
    card = (docs / "refs/resources/alpha-paper.md").read_text(encoding="utf-8")
    assert "(../../sources/alpha-paper/full.md#" in card and "refs-evidence" in card


def test_plain_material_build_of_the_export_is_strict_clean(exported):
    _, _, _, plain = exported
    assert plain.returncode == 0, plain.stderr
    assert "WARNING" not in plain.stderr


def _parts(site: Path, rel: Path) -> tuple:
    soup = BeautifulSoup((site / rel).read_text(encoding="utf-8"), "lxml")
    nav = [a.get_text(" ", strip=True) for a in soup.select("nav.md-nav--primary a")]
    return soup.title.string, nav, str(soup.select_one("article"))


def test_the_export_gives_the_plugins_site(exported):
    _, tmp, _, _ = exported
    pages = sorted(
        p.relative_to(tmp / "plugin-site") for p in (tmp / "plugin-site").rglob("*.html")
    )
    assert len(pages) >= 19
    for rel in pages:
        if rel.name == "404.html":
            continue
        assert (tmp / "plain-site" / rel).is_file(), rel
        assert _parts(tmp / "plain-site", rel) == _parts(tmp / "plugin-site", rel), rel


def test_untrusted_text_stays_inert_in_the_export(exported):
    _, tmp, _, _ = exported
    html = (tmp / "plain-site/sources/gamma-notes/full/index.html").read_text(encoding="utf-8")
    article = BeautifulSoup(html, "lxml").select_one("article")
    assert not article.find_all(["script", "iframe", "object", "embed", "style"])
    for el in article.find_all(True):
        assert not [a for a in el.attrs if a.lower().startswith("on")], el
        assert not str(el.get("href", "")).lower().startswith("javascript:")


def test_math_is_mathml_in_the_export(exported):
    _, tmp, _, _ = exported
    html = (tmp / "plain-site/sources/alpha-paper/full/index.html").read_text(encoding="utf-8")
    assert "<math" in html and "arithmatex" not in html


def test_strict_export_fails_on_the_broken_citation(exported, tmp_path):
    root, _, _, _ = exported
    result = refs_site(root, "--out", str(tmp_path / "out"), "--strict")
    assert result.returncode == 1 and "no-such-heading" in result.stderr


def test_a_folder_refs_did_not_write_is_never_replaced(exported, tmp_path):
    root, _, _, _ = exported
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = refs_site(root, "--out", str(out))
    assert result.returncode == 2
    assert "was not written by `refs site`" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_re_export_replaces_its_own_folder(exported, tmp_path):
    root, _, _, _ = exported
    out = tmp_path / "site-out"
    assert refs_site(root, "--out", str(out)).returncode == 0
    (out / "docs/stale.md").write_text("# gone after re-export\n", encoding="utf-8")
    assert refs_site(root, "--out", str(out)).returncode == 0
    assert not (out / "docs/stale.md").exists() and (out / "docs/index.md").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-out")]


def test_the_site_command_comes_from_an_entry_point():
    from importlib.metadata import entry_points

    from extract.cli import build_parser

    assert "site" in {ep.name for ep in entry_points(group="refs.commands")}
    assert "site" in build_parser(["site", "--out", "x"])._subparsers._group_actions[0].choices


@pytest.fixture(scope="module")
def plain_url(exported):
    """The plain build served for the module: it outlives the tests' pages."""
    _, tmp, _, _ = exported
    with serve(tmp / "plain-site") as url:
        yield url


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} is not installed")
def test_evidence_links_of_the_plain_build_land(plain_url, new_page):
    page = new_page()
    page.goto(plain_url + "refs/resources/alpha-paper/")
    page.locator("a.refs-evidence#cite-2").click()
    page.wait_for_url("**/sources/alpha-paper/full/#results-1")
    page.wait_for_function(
        """() => { const r = document.getElementById('results-1').getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        timeout=5000,
    )
    page.go_back()
    page.locator("a.refs-evidence#cite-3").click()
    page.wait_for_url("**/sources/alpha-paper/full/#*")
    assert page.evaluate("decodeURIComponent(location.hash)") == "#über-größe--straße"


def test_site_build_runs_mkdocs_strict_without_materials_banner(make_library, tmp_path):
    import os

    from mkdocs_site import drop_broken_citation

    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}
    run = [sys.executable, "-m", "extract.cli", "--root", str(root), "site", "--build"]
    run.append(str(tmp_path / "site"))
    broken = subprocess.run(run, capture_output=True, text=True, env=env, check=False)
    assert broken.returncode == 1 and "broken citation(s) in strict mode" in broken.stderr
    assert "end of life" not in broken.stderr + broken.stdout
    drop_broken_citation(root)
    ok = subprocess.run(run, capture_output=True, text=True, env=env, check=False)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "site/refs/resources/alpha-paper/index.html").is_file()


@pytest.mark.parametrize("where", ["refs/export", "site-export", "sources/x/out"])
def test_an_export_inside_the_library_is_refused(exported, where):
    """Issue 24 item 10: `refs/export` was accepted and its pages became guides."""
    root, _, _, _ = exported
    result = refs_site(root, "--out", str(root / where))
    assert result.returncode == 2
    assert "inside the library" in result.stderr and "Traceback" not in result.stderr
    assert not (root / where).exists()
    out = root / where
    assert not list(out.parent.glob(f".{out.name}.*"))  # no temp folder left either
