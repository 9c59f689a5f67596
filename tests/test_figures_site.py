"""Figures end to end: an e-print (PNG + PDF figures), a PDF paper (a vector and a
raster figure) and an HTML post (content and chrome images, fetched over HTTP on
127.0.0.1) are converted by `refs convert`, built by `mkdocs build --strict`, and
each figure shows its image under its caption in headless Chromium.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import forked_process
import pytest
from figure_fixtures import CHROME_IMAGES, POST_IMAGES, figure_pdf, post_html, write_eprint
from http_server import Reply, Server
from mkdocs_site import CHROMIUM, build, build_in_a_new_process, chromium_available, serve
from sample_library import CURRICULUM, entry

from extract.fetch import Options, fetch_resources
from extract.fetch.http import HttpConfig
from extract.figures import figures
from extract.library import Library

CARD = """# Fixture fig-pdf

| Field | Value |
|-------|-------|
| Source | https://example.org/figures.pdf |
| Type | paper |
| Topics | 1 |
| Status | converted |

## Why it matters

Its results section holds a figure.

## Core claims

1. **Claim**: The pipeline's throughput is plotted.
   **Evidence**: [results](../../sources/fig-pdf/full.md#2-results)

## Actionables / gotchas

- Look at the plot.

## Related resources

- none
"""


def _files(root):
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file()
        and not {".refs-cache", ".git"} & set(p.relative_to(root).parts)
        and ".manifest.lock" not in p.name
    )


@pytest.fixture(scope="module")
def library(make_library, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("figures")
    with Server() as s:
        s.route("/blog/post.html", Reply(body=post_html()))
        for path, data in {**POST_IMAGES, **CHROME_IMAGES}.items():
            s.route(path.replace("/img/", "/blog/img/"), Reply(body=data, content_type="image/png"))
        root = make_library(
            root=tmp / "lib",
            curriculum=CURRICULUM,
            entries=[
                entry("fig-eprint", ["https://arxiv.org/abs/2401.00001"], type="paper", status="fetched"),
                entry("fig-pdf", ["https://example.org/figures.pdf"], type="paper", status="fetched"),
                entry("fig-post", [s.url("/blog/post.html")], type="blog"),
            ],
            files={
                "sources/fig-pdf/raw/paper.pdf": figure_pdf(),
                "refs/resources/fig-pdf.md": CARD,
            },
            mkdocs=True,
        )  # fmt: skip
        write_eprint(root / "sources/fig-eprint/raw")
        lib = Library(root)
        config = HttpConfig(connect_timeout=2, read_timeout=2, retries=1, backoff=0.01)
        [out] = fetch_resources(lib, lib.select(["fig-post"]), Options(), config=config)
        assert out.result == "fetched", out.message
    # a process of its own (forked: `python -m extract.cli` without the start-up)
    convert = forked_process.run(
        "extract.cli", ["--root", str(root), "convert", "--all"], cwd=Path.cwd(), timeout=300
    )
    assert convert.returncode == 0, convert.stdout + convert.stderr
    # The library is a repository with the project's .gitignore, everything committed.
    shutil.copyfile(Path(__file__).resolve().parents[1] / ".gitignore", root / ".gitignore")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "library"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True)  # fmt: skip
    before = _files(root)
    result = build(root, tmp / "site")
    assert result.returncode == 0, result.stderr
    return root, tmp / "site", before


def test_fetch_stores_content_images_only_with_their_sha256(library):
    root, _, _ = library
    prov = json.loads((root / "sources/fig-post/raw/provenance.json").read_text())
    stored = {e["url"]: e for rel, e in prov["artifacts"].items() if rel.startswith("images/")}
    assert sorted(u.rsplit("/", 1)[1] for u in stored) == ["schedule.png", "throughput.png"]
    for url, e in stored.items():
        assert e["sha256"] and e["kind"] == "png"
        assert any(url.endswith(path.replace("/img/", "/blog/img/")) for path in POST_IMAGES)


def test_every_marker_names_its_origin(library):
    root, _, _ = library
    # The post's avatar is a marker too (the converter keeps every image of the
    # article); it was not stored as content, so the site keeps its link.
    for rid, want in (("fig-eprint", 2), ("fig-pdf", 2), ("fig-post", 3)):
        found = figures((root / f"sources/{rid}/full.md").read_text())
        assert len(found) == want, (rid, found)
        assert all(f.origins for f in found), (rid, found)
    pdf = figures((root / "sources/fig-pdf/full.md").read_text())
    assert [o.kind for f in pdf for o in f.origins] == ["pdf-region", "pdf-region"]
    assert [o.page for f in pdf for o in f.origins] == [1, 2]
    eprint = figures((root / "sources/fig-eprint/full.md").read_text())
    assert [o.member for f in eprint for o in f.origins] == ["figs/stages.png", "figs/plot.pdf"]


def test_the_build_publishes_the_images_and_commits_nothing(library):
    root, site, before = library
    for rid in ("fig-eprint", "fig-pdf", "fig-post"):
        assert len(list((site / "sources" / rid / "figures").iterdir())) == 2, rid
    # The PNG of the e-print is published byte for byte.
    published = {p.read_bytes() for p in (site / "sources/fig-eprint/figures").iterdir()}
    assert any(b.startswith(b"\x89PNG") for b in published)
    assert _files(root) == before  # only the gitignored cache is new
    status = subprocess.run(["git", "status", "--porcelain", "--ignored=no"], cwd=root, capture_output=True, text=True, check=True)  # fmt: skip
    assert status.stdout == ""  # nothing to commit after a build
    assert list((root / ".refs-cache" / "figures").iterdir())


def test_a_rebuild_renders_nothing_and_gives_the_same_images(library, tmp_path):
    root, site, _ = library
    cache = root / ".refs-cache" / "figures"
    stamps = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    result = build_in_a_new_process(root, tmp_path / "again")  # what it reads from disk
    assert result.returncode == 0, result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == stamps
    for rid in ("fig-eprint", "fig-pdf", "fig-post"):
        first = {p.name: p.read_bytes() for p in (site / "sources" / rid / "figures").iterdir()}
        again = {
            p.name: p.read_bytes() for p in (tmp_path / "again/sources" / rid / "figures").iterdir()
        }
        assert first == again


def test_refs_site_out_carries_the_images(library, tmp_path):
    root, _, _ = library
    out = subprocess.run(
        [sys.executable, "-m", "extract.cli", "--root", str(root), "site", "--out", str(tmp_path / "x")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    images = sorted((tmp_path / "x/docs/sources").glob("*/figures/*"))
    assert len(images) == 6
    page = (tmp_path / "x/docs/sources/fig-pdf/full.md").read_text()
    assert page.count("{ .refs-figure }") == 2


def test_served_rebuilds_keep_the_cache_and_derive_nothing_again(library, tmp_path, monkeypatch):
    from test_site_serve_cache import Served

    from docs_gen import figure_images

    started: list[int] = []

    class Counted(figure_images.Worker):
        def __init__(self, jobs):
            started.append(len(jobs))
            super().__init__(jobs)

    monkeypatch.setattr(figure_images, "Worker", Counted)
    root = tmp_path / "lib"
    shutil.copytree(library[0], root, symlinks=True)
    shutil.rmtree(root / ".refs-cache")  # a cold start: `mkdocs serve` makes the images
    served = Served(root, tmp_path / "site")
    served.build()
    cache = root / ".refs-cache" / "figures"
    stamps = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(stamps) == 6 and started == [6]
    # An edit elsewhere in the page: the page is read again, its images are not made again.
    full = root / "sources/fig-pdf/full.md"
    full.write_text(full.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    served.build()
    assert started == [6]  # the rebuild started no worker
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == stamps
    for rid in ("fig-eprint", "fig-pdf", "fig-post"):
        assert len(list((tmp_path / "site/sources" / rid / "figures").iterdir())) == 2, rid
    assert served.page("sources/fig-pdf/full").count('class="refs-figure"') == 2


# ---------- in the browser ----------

browser_only = pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} is not installed")


@pytest.fixture(scope="module")
def site_url(library):
    with serve(library[1]) as url:
        yield url


# The figures' images are lazy (`loading=lazy`): the page's load event does not wait for them.
IMAGES_DONE = "() => [...document.querySelectorAll('a.refs-figure img')].every(i => i.complete)"

# For each figure image: loaded, not blank (pixels vary), and under a text that
# holds its caption (the figure's own paragraph, above the image).
CHECK = """() => [...document.querySelectorAll('a.refs-figure img')].map(img => {
  const c = document.createElement('canvas');
  c.width = Math.min(img.naturalWidth, 200); c.height = Math.min(img.naturalHeight, 200);
  const ctx = c.getContext('2d');
  let distinct = 0;
  if (img.complete && img.naturalWidth) {
    ctx.drawImage(img, 0, 0, c.width, c.height);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 16) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
    distinct = seen.size;
  }
  const p = img.closest('p, li, figure') || img.parentElement;
  const r = document.createRange();
  r.setStart(p, 0);
  r.setEndBefore(img.closest('a'));
  const caption = r.toString();
  const textBox = r.getBoundingClientRect();
  const box = img.getBoundingClientRect();
  return {loaded: img.complete && img.naturalWidth > 0, distinct, caption: caption.trim(),
          below: box.top >= textBox.bottom - 1, width: box.width, right: box.right};
})"""


@browser_only
@pytest.mark.browser
@pytest.mark.parametrize(
    "rid, captions",
    [
        ("fig-eprint", ["Figure 1: The stages", "Figure 2: Boxes of the schedule"]),
        ("fig-pdf", ["Figure 1: A pipeline schedule", "Figure 2: Throughput"]),
        ("fig-post", ["Figure: The schedule of four stages", "Figure: throughput of the pipeline"]),
    ],
)
def test_each_figure_shows_under_its_caption(site_url, new_page, rid, captions):
    page = new_page()
    page.goto(site_url + f"sources/{rid}/full/")
    page.wait_for_function(IMAGES_DONE)
    shown = page.evaluate(CHECK)
    assert len(shown) == len(captions), shown
    for fig, caption in zip(shown, captions, strict=True):
        assert fig["loaded"], fig
        assert fig["distinct"] > 3, fig  # not a blank image
        assert caption in fig["caption"], fig
        assert fig["below"], fig


@browser_only
@pytest.mark.browser
def test_figures_fit_a_phone_open_larger_and_keep_dark_mode(site_url, new_page):
    page = new_page(viewport={"width": 390, "height": 844}, color_scheme="dark", has_touch=True)
    page.goto(site_url + "sources/fig-pdf/full/")
    page.wait_for_function(IMAGES_DONE)
    shown = page.evaluate(CHECK)
    assert shown and all(f["right"] <= 390 and f["width"] > 100 for f in shown), shown
    background = page.evaluate(
        "getComputedStyle(document.querySelector('a.refs-figure img')).backgroundColor"
    )
    assert background == "rgb(255, 255, 255)"  # drawings stay legible on the dark page
    page.locator("a.refs-figure").first.tap()
    box = page.locator(".refs-lightbox img")
    box.wait_for()
    assert page.url.endswith("/sources/fig-pdf/full/")  # the page stays; the image opens over it
    assert box.evaluate("i => i.complete && i.naturalWidth > 0")
    page.keyboard.press("Escape")
    assert page.locator(".refs-lightbox").count() == 0


@browser_only
@pytest.mark.browser
def test_the_evidence_preview_shows_the_cited_figure(site_url, new_page):
    page = new_page()
    page.goto(site_url + "refs/resources/fig-pdf/")
    page.locator("a.refs-evidence").first.hover()
    img = page.locator(".refs-preview a.refs-figure img")
    img.wait_for()
    page.wait_for_function(
        "() => { const i = document.querySelector('.refs-preview a.refs-figure img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    assert "/sources/fig-pdf/figures/" in img.get_attribute("src")
