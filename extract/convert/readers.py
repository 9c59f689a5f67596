"""The reader table of Tier 2: one reader per kind of raw artifact, one signature.

Like pandoc's readers (and Tier 1's `fetch.run.HANDLERS`), each entry takes the raw
folder, the planned `Artifact` and the resource's first URL, and returns the
artifact's `Document`s. `run.build` looks the reader up by `Artifact.kind`; adding a
kind of artifact means adding a reader here, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import RefsError
from ..full_md import artifact_url, read_provenance
from .arxiv import convert_arxiv
from .document import Artifact, Document
from .html import Page, link_targets, read_page, render_file
from .issue import read_issue
from .links import page_key
from .pdf import convert_pdf
from .repo import convert_repo

Reader = Callable[[Path, Artifact, str], list[Document]]


def read_arxiv(raw_dir: Path, art: Artifact, source_url: str) -> list[Document]:
    return [convert_arxiv(raw_dir, art.url or source_url)]


def read_issue_json(raw_dir: Path, art: Artifact, source_url: str) -> list[Document]:
    return [read_issue(raw_dir, art.url or source_url, art.path)]


def read_repo(raw_dir: Path, art: Artifact, source_url: str) -> list[Document]:
    return [convert_repo(raw_dir / art.path, art.url or source_url)]


def read_pdf(raw_dir: Path, art: Artifact, source_url: str) -> list[Document]:
    return [convert_pdf(raw_dir / art.path, art.url or source_url, art.path)]


# Pages of a docs site that are about the site, not the guide: never joined.
_INDEX_NAMES = frozenset(
    {"genindex", "search", "searchindex", "py-modindex", "modindex", "np-modindex", "404"}
)
_INDEX_FOLDERS = ("_modules", "_sources", "_static")


def is_index_page(rel: str, page: Page) -> bool:
    """A general index, search page or module index of a docs site."""
    parts = Path(rel).parts
    stem = Path(rel).stem.lower()
    if stem in _INDEX_NAMES or stem.startswith("genindex-"):
        return True
    if any(p in _INDEX_FOLDERS for p in parts):
        return True
    return page.article.find(class_=["genindextable", "modindextable", "indextable"]) is not None


def _entry(prov: dict, rel: str) -> dict:
    entry = prov.get("artifacts", {}).get(rel)
    return entry if isinstance(entry, dict) else {}


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
    return docs


READERS: dict[str, Reader] = {
    "arxiv": read_arxiv,
    "issue": read_issue_json,
    "html": read_pages,
    "pdf": read_pdf,
    "repo": read_repo,
}
