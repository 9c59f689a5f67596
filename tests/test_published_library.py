"""The owner's library as it publishes (tests/fixtures/published, all made up, in his
formats): untagged curriculum, his manifest shape, hand-made full.md files written
against the original site (`overview.html`, `usage/p2p.html#sendrecv`,
`../cuda.html#module-torch.cuda`, `#c.ncclSend`). With this project's mkdocs.yml copied
in as it is, it builds with `mkdocs build --strict` with no warning, and no internal
link of the built site points at a missing page or anchor."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs_site import REPO, build, plain_build, refs_site

from docs_gen.link_check import check_site
from extract import Library

GUIDE = "https://docs.example.com/collective/"
FRAMEWORK = "https://docs.example.com/framework/"


@pytest.fixture(scope="module")
def published(make_library, tmp_path_factory) -> tuple[Path, Path, dict]:
    """(library root, built site, the library's files before the build)."""
    root = make_library("published", root=tmp_path_factory.mktemp("pub") / "lib")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    site = root.parent / "site"
    result = build(root, site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return root, site, before


def links_of(site: Path, page: str) -> dict[str, str]:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    return {a.get_text(" ", strip=True): a["href"] for a in article.find_all("a", href=True)}


def test_builds_strict_with_no_warning_and_leaves_his_files_alone(published):
    root, _, before = published
    assert {p: p.read_bytes() for p in before} == before


def test_no_internal_link_points_at_a_missing_page_or_anchor(published):
    _, site, _ = published
    report = check_site(site)
    assert report.pages > 10 and report.links > 100
    assert report.bad == []


def test_links_written_against_the_original_site_go_there(published):
    _, site, _ = published
    links = links_of(site, "sources/collective-guide/full/index.html")
    assert links["Overview"] == GUIDE + "overview.html"
    assert links["search page"] == GUIDE + "search.html"
    # A link to a page joined into the document lands where that page now is.
    assert links["Point-to-point communication"] == "#sendrecv"
    assert links["home page"] == "#collective-library-user-guide"
    # A fragment the document lacks goes to the page it was written on.
    assert links["colSend"] == GUIDE + "index.html#c.ncclSend"
    assert links["colRecv"] == GUIDE + "api/p2p.html#c.ncclRecv"
    # Relative links of a joined part are relative to that part's own page.
    assert links["reference entry"] == GUIDE + "api/p2p.html#c.ncclSend"
    assert links["Group calls"] == GUIDE + "usage/groups.html#group-calls"
    assert links["an unknown variable"] == GUIDE + "env.html#col-unknown"
    assert links["why"] == "#sendrecv" and links["back to streams"] == "#streams"
    # Links into the library stay in the site; absolute links stay as written.
    assert links["bounded rings"] == "../../ring-notes/full/#backpressure"
    assert links["card"] == "../../../refs/resources/collective-guide/"
    assert links["the project"] == "https://example.org/collective/"


def test_code_is_never_a_link(published):
    _, site, _ = published
    page = (site / "sources/collective-guide/full/index.html").read_text(encoding="utf-8")
    assert "[not a link](overview.html)" in page
    assert "[still not a link](usage/p2p.html#sendrecv)" in page


def test_a_sphinx_page_one_level_down_resolves_up_the_original_site(published):
    _, site, _ = published
    links = links_of(site, "sources/device-notes/full/index.html")
    assert links["fw.cuda"] == FRAMEWORK + "cuda.html#module-torch.cuda"
    assert links["stream"] == FRAMEWORK + "generated/fw.cuda.Stream.html#fw.cuda.Stream"
    assert links["Stream semantics"] == "#stream-semantics"
    assert links["whole-step capture"] == FRAMEWORK + "notes/devices.html#whole-step-capture"
    links = links_of(site, "sources/ring-notes/full/index.html")
    assert links["previous post"] == "https://blog.example.com/2024/queues/"


def test_check_says_once_per_file_how_many_links_go_to_the_original_site(published, refs_cli):
    root, _, _ = published
    r = refs_cli(root, "check", "--json")
    assert r.returncode == 0, r.stderr
    found = [f for f in json.loads(r.stdout)["findings"] if f["rule"] == "source-links"]
    assert [(f["path"], f["line"], f["severity"]) for f in found] == [
        ("sources/collective-guide/full.md", 11, "warning"),
        ("sources/device-notes/full.md", 11, "warning"),
        ("sources/ring-notes/full.md", 19, "warning"),
    ]
    assert [f["message"].split(" ", 1)[0] for f in found] == ["10", "6", "1"]
    assert GUIDE + "index.html" in found[0]["message"]


def test_the_arrow_reading_order_shows_every_step(published, refs_cli):
    root, site, _ = published
    steps = [(s.title, s.ids) for s in Library(root).reading_order]
    assert steps == [
        ("Transport first", ["collective-guide", "device-notes"]),
        ("Then schedules", ["split-backward", "ring-notes"]),
    ]
    r = refs_cli(root, "check", "--json")
    rules = {f["rule"] for f in json.loads(r.stdout)["findings"]}
    assert "curriculum-line" not in rules  # every title of every step found
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    shown = [li["data-rid"] for li in home.select("ol.refs-next li[data-rid]")]
    assert shown == ["collective-guide", "device-notes", "split-backward", "ring-notes"]
    order = home.select_one(".refs-reading-order") or home.select_one("article")
    text = order.get_text(" ", strip=True)
    assert "Transport first" in text and "Then schedules" in text


def test_a_guides_github_lists_and_path_cross_references_render(published):
    _, site, _ = published
    article = BeautifulSoup(
        (site / "refs/reading-guide/index.html").read_text(encoding="utf-8"), "html.parser"
    ).select_one("article")
    lead = next(p for p in article.find_all("p") if "Where each idea lives" in p.get_text())
    outer = lead.find_next_sibling()
    assert outer.name == "ul" and len(outer.find_all("li", recursive=False)) == 2
    first, second = outer.find_all("li", recursive=False)
    assert first.find("ul") is not None and len(first.ul.find_all("li")) == 2  # 2-space nesting
    assert second.find("ol") is not None and len(second.ol.find_all("li")) == 2
    linked = {a.get_text(): a["href"] for a in outer.select("a") if a.code is not None}
    assert linked["resources/collective-guide.md"] == "../resources/collective-guide/"
    assert linked["refs/topics/01-collective-transport.md"] == (
        "../topics/01-collective-transport/"
    )
    assert linked["resources/split-backward.md"] == "../resources/split-backward/"
    assert linked["sources/split-backward/full.md"] == "../../sources/split-backward/full/"
    assert any("#sendrecv" in a["href"] for a in outer.select("a"))  # the cited passage


def test_search_snippets_are_passages_not_metadata(published):
    _, site, _ = published
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["title"] + " " + d["text"] for d in index["docs"])
    assert "jdoe@example.edu" not in text and "Example University" not in text
    assert "Field Value" not in text and "Bubbles in practice" not in text
    first = {d["location"]: d["text"] for d in index["docs"]}
    assert first["sources/split-backward/full/"] == ""  # the title block only
    assert first["refs/resources/split-backward/"] == ""  # the field table only
    # a resource with no card: not its byline or "no card yet", the curriculum's words
    assert first["refs/resources/device-notes/"] == ""
    said = first["refs/resources/device-notes/#what-the-curriculum-says"]
    assert "places tensors on devices" in said
    assert "Splitting the backward pass" in first["sources/split-backward/full/#abstract"]
    # The pages still show what search leaves out.
    page = BeautifulSoup(
        (site / "sources/split-backward/full/index.html").read_text(encoding="utf-8"),
        "html.parser",
    ).get_text()
    assert "jdoe@example.edu" in page and "Bubbles in practice" in page
    card = (site / "refs/resources/split-backward/index.html").read_text(encoding="utf-8")
    assert "<td>Type</td>" in card or ">Type<" in card


def test_counters_and_lists_of_titles_stay_out_of_search_in_both_builds(published, tmp_path):
    root, site, _ = published
    exported = refs_site(root, "--out", str(tmp_path / "out"))
    assert exported.returncode == 0, exported.stderr
    plain = plain_build(tmp_path / "out", tmp_path / "plain")
    assert plain.returncode == 0, plain.stderr
    for built in (site, tmp_path / "plain"):
        index = json.loads((built / "search/search_index.json").read_text(encoding="utf-8"))
        pages = {d["location"].split("#")[0] for d in index["docs"]}
        assert not pages & {"", "refs/topics/", "refs/resources/", "sources/"}, built
        assert {"catalog/", "refs/resources/collective-guide/"} <= pages, built
        text = " ".join(d["text"] for d in index["docs"])
        assert "jdoe@example.edu" not in text and "Field Value" not in text, built
