"""Site exports (`docs_gen/exports.py`): refs.json and llms.txt on the fixture library."""

from __future__ import annotations

import json
import re

import pytest
from agent_helpers import REFS_JSON, assert_shape, make_library

from docs_gen.exports import build_llms_txt, build_refs_json
from extract.library import Library


def url_for(path: str, anchor: str | None = None) -> str:
    """A stand-in for the plugin's: `x/y.md` -> `https://site.test/x/y/`."""
    page = re.sub(r"\.md$", "/", path)
    return f"https://site.test/{page}" + (f"#{anchor}" if anchor else "")


@pytest.fixture
def lib(tmp_path):
    return Library(make_library(tmp_path))


def test_refs_json_shape_and_links(lib):
    text = build_refs_json(lib, url_for)
    data = json.loads(text)
    assert_shape(data, REFS_JSON)
    assert text == build_refs_json(lib, url_for)  # deterministic
    assert [r["id"] for r in data["resources"]] == lib.ids
    by_id = {r["id"]: r for r in data["resources"]}
    alpha = by_id["alpha-pipeline"]
    assert alpha["page_url"] == "https://site.test/refs/resources/alpha-pipeline/"
    assert alpha["source_md_url"] == "https://site.test/sources/alpha-pipeline/full/"
    urls = [e["url"] for c in alpha["card"]["claims"] for e in c["evidence"]]
    assert urls == [
        "https://site.test/sources/alpha-pipeline/full/#21-stage-partitioning",
        "https://site.test/sources/alpha-pipeline/full/#eq-bubble",
        "https://site.test/sources/alpha-pipeline/full/#results-1",
        "https://site.test/sources/alpha-pipeline/full/#32-raw-measurements",
    ]
    assert alpha["card"]["related"][0]["url"] == "https://site.test/refs/resources/beta-scheduler/"
    broken = by_id["beta-scheduler"]["card"]["claims"][1]["evidence"][0]
    assert broken["resolves"] is False and broken["url"] is None
    eps = by_id["eps-malformed"]["card"]
    assert eps["related"] == [
        {"id": "zeta-missing", "exists": False, "has_card": False, "line": 26, "url": None}
    ]
    assert by_id["delta-notes"]["card"] is None and by_id["delta-notes"]["source_md_url"] is None
    assert by_id["delta-notes"]["next"] == "refs fetch delta-notes"
    assert data["topics"][1] == {
        "key": 2,
        "title": "Kernels — fused attention and memory traffic",
        "group": "Scheduling layer",
        "url": "https://site.test/refs/topics/02-kernels/",
        "resources": ["gamma-kernels", "delta-notes"],
    }
    assert data["reading_order"][0] == {
        "step": 1,
        "title": "Schedules first",
        "ids": ["alpha-pipeline", "beta-scheduler"],
    }


_ITEM = re.compile(r"^- \[[^\[\]]+\]\((https://site\.test/[^)\s]*)\)(: .+)?$")


def test_llms_txt_follows_the_conventions(lib):
    text = build_llms_txt(lib, url_for)
    lines = text.splitlines()
    assert lines[0] == "# Fixture curriculum for the agent commands"
    assert lines[2] == (
        "> A grounded reference library: 2 topics, 5 resources, 3 resource cards (0 reviewed). "
        "A card's claims each cite a heading of the source's lossless markdown."
    )
    sections = [line for line in lines if line.startswith("## ")]
    assert sections == ["## Topics", "## Cards", "## Resources without cards", "## Optional"]
    items = [line for line in lines if line.startswith("- ")]
    assert items and all(_ITEM.match(line) for line in items), [
        line for line in items if not _ITEM.match(line)
    ]
    body = text.split("## Cards", 1)[1].split("## Resources without cards")[0]
    for rid in ("alpha-pipeline", "beta-scheduler", "eps-malformed"):
        assert f"(https://site.test/refs/resources/{rid}/)" in body
    assert (
        "- [Alpha Pipeline Paper](https://site.test/refs/resources/alpha-pipeline/): paper, "
        "converted; An invented paper on cutting a network into equal stages and counting the "
        "idle slots between microbatches." in lines
    )
    assert (
        "- [Topic 1: Pipeline schedules — bubbles and stages](https://site.test/refs/topics/01-pipeline-schedules/): 3 resources, 3 cards"
        in lines
    )
    assert "(https://site.test/refs.json)" in text
    assert text == build_llms_txt(lib, url_for)


def test_write_exports_uses_the_site_urls(lib, tmp_path):
    from docs_gen.exports import url_maker, write_exports

    site_urls = {
        "refs/resources/alpha-pipeline.md": "refs/resources/alpha-pipeline/",
        "sources/alpha-pipeline/full.md": "sources/alpha-pipeline/full/",
    }
    relative = url_maker(site_urls)
    assert relative("sources/alpha-pipeline/full.md", "eq-bubble") == (
        "sources/alpha-pipeline/full/#eq-bubble"
    )
    assert relative("refs.json") == "refs.json"
    absolute = url_maker(site_urls, "https://example.test/lib/")
    assert absolute("refs/resources/alpha-pipeline.md") == (
        "https://example.test/lib/refs/resources/alpha-pipeline/"
    )
    site = tmp_path / "site"
    written = write_exports(lib, {"site_dir": str(site), "site_url": None}, site_urls)
    assert [p.name for p in written] == ["refs.json", "llms.txt"]
    data = json.loads((site / "refs.json").read_text(encoding="utf-8"))
    assert_shape(data, REFS_JSON)
    alpha = next(r for r in data["resources"] if r["id"] == "alpha-pipeline")
    assert alpha["card"]["claims"][0]["evidence"][0]["url"] == (
        "sources/alpha-pipeline/full/#21-stage-partitioning"
    )
    llms = (site / "llms.txt").read_text(encoding="utf-8")
    assert "- [Alpha Pipeline Paper](refs/resources/alpha-pipeline/): paper" in llms
