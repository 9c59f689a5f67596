"""The reader table of Tier 2: one `Reader` per kind of raw artifact, in one table.

Like pandoc's readers (and Tier 1's `fetch.run.HANDLERS`), each entry says how
`run.plan` finds its artifacts in a raw folder (``find``) and how one is read
(``read``: the raw folder, the planned `Artifact` and the resource's first URL ->
the artifact's `Document`s). The table's order is the order artifacts of different
kinds take in full.md, and the order readers take names: what an earlier reader took
is not offered to a later one (the arXiv reader takes its paper.pdf). Adding a kind of
artifact is one entry here (tests/test_architecture.py checks that every reader
function of `extract/convert/` has one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..full_md import ABSTRACT_PAGE, EPRINT_FILES, PAPER_PDF, artifact_url
from .arxiv import convert_arxiv
from .document import Artifact, Document, RawFolder
from .html_pages import find_pages, read_pages
from .issue import read_issue
from .pdf import convert_pdf
from .repo import convert_repo, repo_url


@dataclass(frozen=True)
class Reader:
    kind: str  # `Artifact.kind` of what it finds
    find: Callable[[RawFolder], list[Artifact]]
    read: Callable[[Path, Artifact, str], list[Document]]
    # The URL that places an artifact among the resource's URLs in full.md (default:
    # its own URL).
    order_url: Callable[[Artifact, dict], str] | None = None


# ---------- arXiv: the abstract page with the e-print or the PDF, as one artifact ----------
ARXIV_MARKERS = (ABSTRACT_PAGE, *EPRINT_FILES.values())


def find_arxiv(raw: RawFolder) -> list[Artifact]:
    if not any(n in raw.names for n in ARXIV_MARKERS):
        return []
    raw.taken.update({PAPER_PDF, *ARXIV_MARKERS})
    return [Artifact("arxiv", "", artifact_url(raw.prov, ABSTRACT_PAGE) or raw.source_url)]


def read_arxiv(raw_dir: Path, art: Artifact, source_url: str) -> list[Document]:
    return [convert_arxiv(raw_dir, art.url or source_url)]


def _abstract_url(art: Artifact, prov: dict) -> str:
    return artifact_url(prov, ABSTRACT_PAGE)


# ---------- a GitHub issue (the API's JSON) ----------
def find_issues(raw: RawFolder) -> list[Artifact]:
    return [Artifact("issue", n, artifact_url(raw.prov, n)) for n in raw.files("issue.json")]


def read_issue_json(raw_dir: Path, art: Artifact, source_url: str) -> list[Document]:
    return [read_issue(raw_dir, art.url or source_url, art.path)]


# ---------- a PDF that is not an arXiv paper's ----------
def find_pdfs(raw: RawFolder) -> list[Artifact]:
    return [Artifact("pdf", n, artifact_url(raw.prov, n)) for n in raw.files(".pdf")]


def read_pdf(raw_dir: Path, art: Artifact, source_url: str) -> list[Document]:
    return [convert_pdf(raw_dir / art.path, art.url or source_url, art.path)]


# ---------- a repository's key files (repo/, repo-<name>/) ----------
def find_repos(raw: RawFolder) -> list[Artifact]:
    return [
        Artifact("repo", n, repo_url(raw.prov, n, raw.urls or [raw.source_url]))
        for n in raw.folders()
        if n == "repo" or n.startswith("repo-")
    ]


def read_repo(raw_dir: Path, art: Artifact, source_url: str) -> list[Document]:
    return [convert_repo(raw_dir / art.path, art.url or source_url)]


READERS: dict[str, Reader] = {
    r.kind: r
    for r in (
        Reader("arxiv", find_arxiv, read_arxiv, order_url=_abstract_url),
        Reader("issue", find_issues, read_issue_json),
        Reader("html", find_pages, read_pages),
        Reader("pdf", find_pdfs, read_pdf),
        Reader("repo", find_repos, read_repo),
    )
}
