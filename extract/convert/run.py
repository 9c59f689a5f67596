"""Tier 2 orchestration: which reader for which raw files, in what order, and the
one `full.md` they make together.

`plan` lists a raw folder's artifacts in a fixed order (arXiv, issue, page and
its subpages, other pages, repository); `build` converts them and joins them
into one document (the first artifact's title is the document's `# title`,
each further artifact sits under its own heading with its source URL);
`convert_one` is the pure function a worker runs. Nothing here writes the
manifest: the command does that from the main thread.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from ..errors import RefsError
from ..markdown import demote
from .document import Converted, render
from .eprint import EPRINT_FILES
from .html import parse, prune_anchors, read_html
from .issue import read_issue
from .repo import convert_repo

ARXIV_MARKERS = ("abstract.html", *EPRINT_FILES)
KIND_RANK = {"arxiv": 0, "issue": 1, "html": 2, "pdf": 3, "repo": 4}


@dataclass
class Artifact:
    kind: str  # arxiv | issue | html | pdf | repo
    path: str  # under raw/ (the arXiv set: "" ; its reader finds its files itself)
    url: str = ""
    subpages: list[str] = field(default_factory=list)


# ---------- provenance ----------
def load_provenance(raw_dir: Path) -> dict:
    path = raw_dir / "provenance.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RefsError(f"is not valid JSON ({exc}); re-fetch the resource", path) from exc
    arts = data.get("artifacts") if isinstance(data, dict) else None
    return arts if isinstance(arts, dict) else {}


def fetch_date(provenance: dict) -> str:
    stamps = sorted(
        str(a.get("fetched_at"))
        for a in provenance.values()
        if isinstance(a, dict) and a.get("fetched_at")
    )
    return stamps[0][:10] if stamps else ""


def artifact_url(provenance: dict, rel: str) -> str:
    entry = provenance.get(rel)
    if isinstance(entry, dict):
        return str(entry.get("final_url") or entry.get("url") or "")
    return ""


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
    prov = provenance if provenance is not None else load_provenance(raw_dir)
    if not raw_dir.is_dir():
        raise RefsError("raw folder not found; run `refs fetch` first", raw_dir)
    names = sorted(p.name for p in raw_dir.iterdir())
    out: list[Artifact] = []
    arxiv = any(n in names for n in ARXIV_MARKERS)
    if arxiv:
        out.append(Artifact("arxiv", "", artifact_url(prov, "abstract.html") or source_url))
    arxiv_files = {"abstract.html", "paper.pdf", *ARXIV_MARKERS} if arxiv else set()
    for n in names:
        path = raw_dir / n
        if n in arxiv_files or n == "provenance.json" or n.startswith("."):
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
        url = art.url if art.kind != "arxiv" else artifact_url(prov, "abstract.html")
        index = wanted.index(url) if url in wanted else len(wanted)
        page_first = 0 if art.path == "page.html" else 1
        return (index, KIND_RANK[art.kind], page_first, art.path)

    return sorted(out, key=rank)


def _repo_url(prov: dict, folder: str, urls: list[str]) -> str:
    """The GitHub URL a repo folder came from: a manifest URL naming its repository."""
    for rel, entry in sorted(prov.items()):
        if rel.startswith(folder + "/") and isinstance(entry, dict):
            m = re.search(r"githubusercontent\.com/([^/]+)/([^/]+)/", str(entry.get("url", "")))
            if m:
                for u in urls:
                    if f"github.com/{m.group(1)}/{m.group(2)}" in u:
                        return u
                return f"https://github.com/{m.group(1)}/{m.group(2)}"
    return next((u for u in urls if "github.com/" in u), "")


def subpage_order(raw_dir: Path, prov: dict, page_url: str) -> list[str]:
    """Subpages in table-of-contents order: the order Tier 1 recorded (an `order`
    field in provenance), else the order page.html links to them, else by name."""
    folder = raw_dir / "subpages"
    if not folder.is_dir():
        return []
    rels = sorted(p.relative_to(raw_dir).as_posix() for p in folder.rglob("*.html") if p.is_file())

    def recorded(rel: str) -> int | None:
        entry = prov.get(rel)
        value = entry.get("order") if isinstance(entry, dict) else None
        return value if isinstance(value, int) else None

    if rels and all(recorded(r) is not None for r in rels):
        return sorted(rels, key=lambda r: (recorded(r), r))
    position: dict[str, int] = {}
    page = raw_dir / "page.html"
    if page.exists():
        for i, a in enumerate(parse(page.read_bytes()).find_all("a", href=True)):
            url = urldefrag(urljoin(page_url, a["href"])).url
            position.setdefault(url, i)
    big = len(position) + 1
    return sorted(rels, key=lambda r: (position.get(artifact_url(prov, r) or "\0", big), r))


# ---------- converting ----------
def read_artifact(raw_dir: Path, art: Artifact, source_url: str) -> list[Converted]:
    """One artifact's documents (a multi-page doc gives one per page)."""
    if art.kind == "arxiv":
        try:
            from .arxiv import convert_arxiv  # built by the arXiv engineer
        except ImportError as exc:
            raise RefsError(
                "the arXiv reader (extract/convert/arxiv.py) is not available yet", raw_dir
            ) from exc
        return [convert_arxiv(raw_dir, art.url or source_url)]
    if art.kind == "issue":
        return [read_issue(raw_dir, art.url or source_url, art.path)]
    if art.kind == "repo":
        return [convert_repo(raw_dir / art.path, art.url or source_url)]
    if art.kind == "pdf":
        try:
            from .pdf import convert_pdf  # built by the arXiv/PDF engineer
        except ImportError as exc:
            raise RefsError(
                "the PDF reader (extract/convert/pdf.py) is not available yet", raw_dir / art.path
            ) from exc
        return [convert_pdf(raw_dir / art.path, art.url or source_url)]
    docs = [read_html(raw_dir / art.path, art.url)]
    docs[0].notes.append(f"HTML article from {art.path}, site chrome removed")
    prov = load_provenance(raw_dir)
    for rel in art.subpages:
        docs.append(read_html(raw_dir / rel, artifact_url(prov, rel)))
    if art.subpages:
        docs[0].notes.append(f"{len(art.subpages)} subpage(s) joined in table-of-contents order")
    return docs


def join(parts: list[tuple[Converted, str]]) -> str:
    """One body: the first part as is, every further part demoted one level under
    its own heading, with the URL it came from."""
    chunks: list[str] = []
    for i, (doc, url) in enumerate(parts):
        body = doc.body.strip("\n")
        if not body.startswith("# "):
            body = f"# {doc.title}\n\n{body}"
        if i == 0:
            chunks.append(body)
            continue
        head, _, rest = body.partition("\n")
        note = f"Source: {url}" if url else ""
        chunks.append("#" + head + ("\n\n" + note if note else "") + "\n" + demote(rest))
    return "\n\n".join(c.strip("\n") for c in chunks)


@dataclass
class Result:
    title: str
    author: str
    body: str
    notes: list[str]


def build(raw_dir: Path, source_url: str = "", urls: list[str] | None = None) -> Result:
    """Convert every artifact under ``raw_dir`` into one assembled body."""
    raw_dir = Path(raw_dir)
    prov = load_provenance(raw_dir)
    parts: list[tuple[Converted, str]] = []
    notes: list[str] = []
    for art in plan(raw_dir, source_url, prov, urls):
        for doc in read_artifact(raw_dir, art, source_url):
            parts.append((doc, doc.source_url or art.url))
            notes.extend(doc.notes)
    first = parts[0][0]
    author = next((d.author for d, _ in parts if d.author), "")
    if len(parts) > 1:
        notes.append(f"{len(parts)} artifacts joined, each under its own heading")
    return Result(first.title, author, prune_anchors(join(parts)), notes)


def convert_one(raw_dir: str, meta: dict) -> str:
    """The bytes of one resource's full.md (as text). ``meta`` holds the front
    matter the manifest knows: title, source_url, source_type."""
    raw = Path(raw_dir)
    result = build(raw, meta.get("source_url", ""), meta.get("urls"))
    front = {
        "title": meta.get("title") or result.title,
        "source_url": meta.get("source_url", ""),
        "fetch_date": fetch_date(load_provenance(raw)),
        "source_type": meta.get("source_type", ""),
        "author": result.author,
        "conversion_notes": "; ".join(dict.fromkeys(result.notes)),
    }
    return render(front, result.body)
