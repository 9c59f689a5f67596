"""The reader table of Tier 2: one reader per kind of raw artifact, one signature.

Like pandoc's readers (and Tier 1's `fetch.run.HANDLERS`), each entry takes the raw
folder, the planned `Artifact` and the resource's first URL, and returns the
artifact's `Document`s. `run.build` looks the reader up by `Artifact.kind`; adding a
kind of artifact means adding a reader here, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..full_md import artifact_url, read_provenance
from .arxiv import convert_arxiv
from .document import Artifact, Document
from .html import read_html
from .issue import read_issue
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
    return [convert_pdf(raw_dir / art.path, art.url or source_url)]


def read_pages(raw_dir: Path, art: Artifact, source_url: str) -> list[Document]:
    """A page and, for a multi-page doc, its subpages in table-of-contents order."""
    docs = [read_html(raw_dir / art.path, art.url)]
    docs[0].notes.append(f"HTML article from {art.path}, site chrome removed")
    prov = read_provenance(raw_dir) if art.subpages else {}
    for rel in art.subpages:
        docs.append(read_html(raw_dir / rel, artifact_url(prov, rel)))
    if art.subpages:
        docs[0].notes.append(f"{len(art.subpages)} subpage(s) joined in table-of-contents order")
    return docs


READERS: dict[str, Reader] = {
    "arxiv": read_arxiv,
    "issue": read_issue_json,
    "html": read_pages,
    "pdf": read_pdf,
    "repo": read_repo,
}
