"""On a phone, a table someone wrote keeps its words whole (Material's tables let them
break anywhere: "condense|d"); the page scrolls the table sideways instead. Headless
Chromium at a phone's width, on a guide with a wide table of long words (made up)."""

from __future__ import annotations

import shutil

import pytest
from mkdocs_site import CHROMIUM, REPO, build, chromium_available, serve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} is not installed"),
]

WORDS = ["condensed", "converted", "interleaved", "microbatches", "bubbles", "schedules"]
TABLE = "# Wide table\n\n| " + " | ".join(f"Column {i}" for i in range(6)) + " |\n"
TABLE += "|" + "---|" * 6 + "\n"
TABLE += "| " + " | ".join(f"{w} {w} {w}" for w in WORDS) + " |\n"

# Each word of each cell: how many line boxes it takes (2+ = split mid-word).
SPLIT_WORDS = """() => {
  const out = [];
  for (const td of document.querySelectorAll("article table td")) {
    const node = td.firstChild;
    if (!node || node.nodeType !== 3) continue;
    let at = 0;
    for (const word of node.textContent.split(" ")) {
      const r = document.createRange();
      r.setStart(node, at); r.setEnd(node, at + word.length);
      const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
      if (tops.size > 1) out.push(word);
      at += word.length + 1;
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def site_url(make_library, tmp_path_factory):
    base = tmp_path_factory.mktemp("phone")
    root = make_library("published", root=base / "lib", files={"refs/wide-table.md": TABLE})
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = build(root, base / "site")
    assert result.returncode == 0, result.stderr
    with serve(base / "site") as url:
        yield url


def test_words_in_a_table_stay_whole_on_a_phone(new_page, site_url):
    page = new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
    page.goto(site_url + "refs/wide-table/")
    assert page.locator("article table td").count() == 6
    assert page.evaluate(SPLIT_WORDS) == []
