"""Tier 2 orchestration: which artifacts a raw folder holds, in what order, and the
one `full.md` they make together.

`plan` lists a raw folder's artifacts in a fixed order (arXiv, issue, page and
its subpages, other pages, repository); `build` converts each with its reader
(`readers.READERS`) and joins them into one document (the first artifact's title
is the document's `# title`, each further artifact sits under its own heading
with its source URL); `convert_one` is the pure function a worker runs. Nothing
here writes the manifest: the command does that from the main thread.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from ..doc_links import Part, page_key
from ..errors import RefsError
from ..full_md import (
    ABSTRACT_PAGE,
    EPRINT_FILES,
    PAPER_PDF,
    PROVENANCE,
    SOURCE_SHA256,
    SUBPAGES_DIR,
    artifact_order,
    artifact_url,
    fetch_date,
    read_provenance,
    source_digest,
)
from ..markdown import demote
from . import links
from .document import Artifact, Document, render
from .html import parse, prune_anchors
from .readers import READERS

ARXIV_MARKERS = (ABSTRACT_PAGE, *EPRINT_FILES.values())
KIND_RANK = {"arxiv": 0, "issue": 1, "html": 2, "pdf": 3, "repo": 4}


# ---------- planning ----------
def plan(
    raw_dir: Path,
    source_url: str = "",
    provenance: dict | None = None,
    urls: list[str] | None = None,
) -> list[Artifact]:
    """The artifacts under ``raw_dir`` in the order they appear in `full.md`: the
    order of the resource's URLs (``urls``) when provenance ties them to one, then
    arXiv, issues, pages, PDFs, repositories; names break ties."""
    if not raw_dir.is_dir():
        raise RefsError("raw folder not found; run `refs fetch` first", raw_dir)
    prov = provenance if provenance is not None else read_provenance(raw_dir)
    names = sorted(p.name for p in raw_dir.iterdir())
    out: list[Artifact] = []
    arxiv = any(n in names for n in ARXIV_MARKERS)
    if arxiv:
        out.append(Artifact("arxiv", "", artifact_url(prov, ABSTRACT_PAGE) or source_url))
    arxiv_files = {PAPER_PDF, *ARXIV_MARKERS} if arxiv else set()
    for n in names:
        path = raw_dir / n
        if n in arxiv_files or n == PROVENANCE or n.startswith("."):
            continue
        if n.endswith("issue.json") and path.is_file():
            out.append(Artifact("issue", n, artifact_url(prov, n)))
        elif n.endswith(".html") and path.is_file():
            url = artifact_url(prov, n) or (source_url if n == "page.html" else "")
            subs = subpage_order(raw_dir, prov, url) if n == "page.html" else []
            out.append(Artifact("html", n, url, subs))
        elif n.endswith(".pdf") and path.is_file():
            out.append(Artifact("pdf", n, artifact_url(prov, n)))
        elif (n == "repo" or n.startswith("repo-")) and path.is_dir():
            out.append(Artifact("repo", n, _repo_url(prov, n, urls or [source_url])))
    if not out:
        raise RefsError(
            "holds no artifact to convert (page.html, issue.json, repo/, abstract.html...)",
            raw_dir,
        )
    wanted = [u for u in (urls or []) if u]

    def rank(art: Artifact) -> tuple:
        url = art.url if art.kind != "arxiv" else artifact_url(prov, ABSTRACT_PAGE)
        index = wanted.index(url) if url in wanted else len(wanted)
        page_first = 0 if art.path == "page.html" else 1
        return (index, KIND_RANK[art.kind], page_first, art.path)

    return sorted(out, key=rank)


def _repo_url(prov: dict, folder: str, urls: list[str]) -> str:
    """The GitHub URL a repo folder came from: a manifest URL naming its repository."""
    for rel, entry in sorted(prov.get("artifacts", {}).items()):
        if rel.startswith(folder + "/") and isinstance(entry, dict):
            m = re.search(r"githubusercontent\.com/([^/]+)/([^/]+)/", str(entry.get("url", "")))
            if m:
                for u in urls:
                    if f"github.com/{m.group(1)}/{m.group(2)}" in u:
                        return u
                return f"https://github.com/{m.group(1)}/{m.group(2)}"
    return next((u for u in urls if "github.com/" in u), "")


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
    page = raw_dir / "page.html"
    if page.exists():
        for i, a in enumerate(parse(page.read_bytes()).find_all("a", href=True)):
            key = page_key(urldefrag(urljoin(page_url, a["href"])).url)
            rank = (0 if _in_toc(a) else 1, i)
            position[key] = min(position.get(key, rank), rank)
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


# ---------- converting ----------
def _title_split(doc: Document) -> tuple[list[str], str, str]:
    """(anchor lines before the title, the `# title` line, the rest) of a part."""
    lines = doc.body.strip("\n").split("\n")
    i = 0
    while i < len(lines) and lines[i].startswith('<a id="'):
        i += 1
    if i < len(lines) and lines[i].startswith("# "):
        return lines[:i], lines[i], "\n".join(lines[i + 1 :])
    return [], f"# {doc.title}", doc.body.strip("\n")


def join(parts: list[Document]) -> tuple[str, list[Part]]:
    """One body: the first part as is, every further part demoted one level under
    its own (one) title heading, with the URL it came from; and where each part's
    lines are (for `links.resolve`)."""
    chunks: list[str] = []
    spans: list[Part] = []
    line = 0
    for i, doc in enumerate(parts):
        anchors, title, rest = _title_split(doc)
        if i == 0:
            chunk = "\n".join([*anchors, title]) + (
                "\n\n" + rest.strip("\n") if rest.strip() else ""
            )
        else:
            note = f"\n\nSource: {doc.source_url}" if doc.source_url else ""
            body = demote(rest).strip("\n")
            chunk = "\n".join([*anchors, "#" + title]) + note + ("\n\n" + body if body else "")
        size = chunk.count("\n") + 1
        urls = [u for u in [doc.source_url, *doc.urls] if u]
        spans.append(Part(line, line + size, urls, doc.link_base))
        chunks.append(chunk)
        line += size + 1  # the blank line between parts
    return "\n\n".join(chunks), spans


def build(raw_dir: Path, source_url: str = "", urls: list[str] | None = None) -> Document:
    """Convert every artifact under ``raw_dir`` into one joined document."""
    raw_dir = Path(raw_dir)
    prov = read_provenance(raw_dir)
    parts: list[Document] = []
    notes: list[str] = []
    artifacts = plan(raw_dir, source_url, prov, urls)
    for art in artifacts:
        for doc in READERS[art.kind](raw_dir, art, source_url):
            doc.source_url = doc.source_url or art.url
            parts.append(doc)
            notes.extend(doc.notes)
    first = parts[0]
    author = next((d.author for d in parts if d.author), "")
    if len(artifacts) > 1:
        notes.append(f"{len(artifacts)} artifacts joined, each under its own heading")
    body, spans = join(parts)
    body, counts = links.resolve(body, spans)
    notes.extend(links.notes(counts))
    return Document(first.title, prune_anchors(body), author, first.source_url, notes)


def convert_one(raw_dir: str, meta: dict) -> str:
    """The bytes of one resource's full.md (as text). ``meta`` holds the front
    matter the manifest knows: title, source_url, source_type."""
    raw = Path(raw_dir)
    digest = source_digest(raw)  # before reading: a change meanwhile shows as stale
    doc = build(raw, meta.get("source_url", ""), meta.get("urls"))
    front = {
        "title": meta.get("title") or doc.title,
        "source_url": meta.get("source_url", ""),
        "fetch_date": fetch_date(read_provenance(raw)),
        "source_type": meta.get("source_type", ""),
        "author": doc.author,
        "conversion_notes": "; ".join(dict.fromkeys(doc.notes)),
        SOURCE_SHA256: digest,
    }
    return render(front, doc.body)
