"""The HTML reader: a page and, for a multi-page guide, its subpages, in table-of-contents
order, each read into its own `Document` (`run.join` joins them).

`find_pages` is the reader's part of `run.plan` (every `.html` of raw/, `page.html`
with the subpages Tier 1 saved beside it); `read_pages` converts them, keeping in every
page the ids that links of any of the pages point at, so a link from one page to
another's id lands in the joined document.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from ..doc_links import page_key
from ..errors import RefsError
from ..full_md import SUBPAGES_DIR, artifact_order, artifact_url, read_provenance
from .document import Artifact, Document, RawFolder
from .html import Page, link_targets, parse, read_page, render_file
from .html_attrs import attr
from .html_parse import collector_paused, dismantle
from .html_tree import with_class

MAIN_PAGE = "page.html"


def find_pages(raw: RawFolder) -> list[Artifact]:
    """Every HTML file of raw/; `page.html` carries its subpages."""
    out = []
    for n in raw.files(".html"):
        url = artifact_url(raw.prov, n) or (raw.source_url if n == MAIN_PAGE else "")
        subs = subpage_order(raw.path, raw.prov, url) if n == MAIN_PAGE else []
        out.append(Artifact("html", n, url, subs))
    return out


_TOC = re.compile(r"toc|table-of-contents|sidebar|menu|navigation|nav|contents", re.I)


def subpage_order(raw_dir: Path, prov: dict, page_url: str) -> list[str]:
    """Subpages in table-of-contents order: the order Tier 1 recorded (an `order`
    field in provenance) when it recorded one for each, else the order page.html
    links to them (links in its table of contents first), else by name."""
    folder = raw_dir / SUBPAGES_DIR
    if not folder.is_dir():
        return []
    rels = sorted(p.relative_to(raw_dir).as_posix() for p in folder.rglob("*.html") if p.is_file())
    if rels and all(artifact_order(prov, r) is not None for r in rels):
        return sorted(rels, key=lambda r: (artifact_order(prov, r), r))
    position: dict[str, tuple[int, int]] = {}
    page = raw_dir / MAIN_PAGE
    if page.exists():
        for i, a in enumerate(parse(page.read_bytes()).find_all("a", href=True)):
            linked = page_key(urldefrag(urljoin(page_url, attr(a, "href"))).url)
            rank = (0 if _in_toc(a) else 1, i)
            position[linked] = min(position.get(linked, rank), rank)
    last = (2, 0)

    def key(rel: str) -> tuple:
        url = artifact_url(prov, rel)
        order = artifact_order(prov, rel)
        return (position.get(page_key(url), last) if url else last, order is None, order or 0, rel)

    return sorted(rels, key=key)


def _in_toc(a) -> bool:
    """Whether a link sits in a table of contents (a nav, a sidebar, a Sphinx toctree)."""
    for el in a.parents:
        if el.name == "nav":
            return True
        names = " ".join([*(el.get("class") or []), el.get("id") or ""])
        if names and (_TOC.search(names) or "toctree" in names):
            return True
    return False


# Pages of a docs site that are about the site, not the guide: never joined.
_INDEX_NAMES = frozenset(
    {"genindex", "search", "searchindex", "py-modindex", "modindex", "np-modindex", "404"}
)
_INDEX_FOLDERS = ("_modules", "_sources", "_static")
_INDEX_TABLES = frozenset({"genindextable", "modindextable", "indextable"})


def is_index_page(rel: str, page: Page) -> bool:
    """A general index, search page or module index of a docs site."""
    parts = Path(rel).parts
    stem = Path(rel).stem.lower()
    if stem in _INDEX_NAMES or stem.startswith("genindex-"):
        return True
    if any(p in _INDEX_FOLDERS for p in parts):
        return True
    return bool(with_class(page.article, _INDEX_TABLES))


def _entry(prov: dict, rel: str) -> dict:
    entry = prov.get("artifacts", {}).get(rel)
    return entry if isinstance(entry, dict) else {}


@collector_paused()  # every page's tree is kept until the last is rendered
def read_pages(raw_dir: Path, art: Artifact, source_url: str) -> list[Document]:
    """A page and, for a multi-page doc, its subpages in table-of-contents order.

    Every page keeps the ids that links of any of the pages point at, so a link
    from one page to another's id can land on it in the joined document.
    """
    prov = read_provenance(raw_dir)
    pages: list[tuple[str, Page]] = [(art.path, read_page(raw_dir / art.path, art.url))]
    skipped: list[str] = []
    for rel in art.subpages:
        page = read_page(raw_dir / rel, artifact_url(prov, rel))
        if is_index_page(rel, page):
            skipped.append(rel)
        else:
            pages.append((rel, page))
    wanted: dict[str, set[str]] = {}
    for _, page in pages:
        for key, frags in link_targets(page).items():
            wanted.setdefault(key, set()).update(frags)
    docs = []
    failed: list[str] = []
    for rel, page in pages:
        keys = [page_key(u) for u in page.urls] or [""]
        targets = set().union(*(wanted.get(k, set()) for k in keys))
        try:
            docs.append(
                render_file(page, raw_dir / rel, targets, bool(_entry(prov, rel).get("rendered")))
            )
        except RefsError as exc:
            if rel == art.path:
                raise  # the page itself: the conversion fails
            failed.append(f"{rel}: {exc.message}")  # a subpage: the guide goes on without it
    entry = _entry(prov, art.path)
    how = ""
    if entry.get("rendered"):
        how = f" (the page as {entry.get('browser') or 'a browser'} rendered it)"
    docs[0].notes.insert(0, f"HTML article from {art.path}{how}, site chrome removed")
    if len(docs) > 1:
        docs[0].notes.append(f"{len(docs) - 1} subpage(s) joined in table-of-contents order")
    if skipped:
        docs[0].notes.append(
            f"{len(skipped)} index/search page(s) not joined ({', '.join(skipped)})"
        )
    for problem in failed:
        docs[0].notes.append(f"subpage left out, {problem}")
    for _, page in pages:
        dismantle(page.soup)  # read: nothing refers to the trees any more
    return docs
