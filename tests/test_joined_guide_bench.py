"""bench/joined_guide.py and bench/convert_speed.py's guides: the generated guide is one
the reader joins whole, every link between its pages landing inside the document."""

from __future__ import annotations

import json
import re

from scripts_as_modules import load_script

from extract.anchors import anchor_set
from extract.convert.run import convert_one
from extract.full_md import parse

guide = load_script("bench/joined_guide.py")
convert_speed = load_script("bench/convert_speed.py")


def test_the_generated_guide_is_joined_whole_with_its_links_inside(tmp_path):
    raw = guide.write_guide(tmp_path / "raw", pages=6, seed=3)
    assert len(list(raw.rglob("*.html"))) == 6
    front, body = parse(convert_one(str(raw), {"source_url": guide.BASE + "index.html"}))
    notes = front["conversion_notes"]
    assert "5 subpage(s) joined in table-of-contents order" in notes
    # Every link between the pages (to a page, a section, an API entry) is made local,
    # and every local link lands on an anchor of the document.
    assert re.search(r"(\d+) link\(s\) to pages and ids of this document made local", notes)
    assert "](" + guide.BASE not in body  # (each page's own URL is written as its source)
    anchors = anchor_set(body)
    local = re.findall(r"\]\(#([^)]+)\)", body)
    assert len(local) > 100 and set(local) <= anchors
    # The API entries keep their ids; the sidebar's table of contents is chrome.
    assert re.search(r'<a id="(?:c\.gpulib|envvar-GPULIB_)\w+"></a>\*\*', body)
    assert "Contents:" not in body and "Search docs" not in body


def test_the_guide_is_the_same_for_the_same_seed(tmp_path):
    a = guide.write_guide(tmp_path / "a", pages=3, seed=5)
    b = guide.write_guide(tmp_path / "b", pages=3, seed=5)
    for path in sorted(a.rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (b / path.relative_to(a)).read_bytes()


def test_guides_only_assembles_a_library_of_the_generated_guide(tmp_path):
    lib = tmp_path / "lib"
    convert_speed.assemble(None, lib, guide_pages=4, guides_only=True)
    assert sorted(p.name for p in (lib / "sources").iterdir()) == [convert_speed.SPHINX_ID]
    raw = lib / "sources" / convert_speed.SPHINX_ID / "raw"
    assert len(list(raw.rglob("*.html"))) == 4
    assert len(json.loads((raw / "provenance.json").read_text())["artifacts"]) == 4
    jobs = convert_speed.library_jobs(lib)
    assert [j["id"] for j in jobs] == [convert_speed.SPHINX_ID]
    assert convert_speed.kind_of(raw) == "joined"
