"""Tier 2 orchestration: which artifacts a raw folder holds, in what order, and the
one `full.md` they make together.

`plan` asks each reader of the table (`readers.READERS`) for its artifacts and puts
them in a fixed order (the resource's URLs, then the table's); `build` converts each
with its reader and joins them into one document (the first artifact's title
is the document's `# title`, each further artifact sits under its own heading
with its source URL); `convert_one` is the pure function a worker runs. Nothing
here writes the manifest: the command does that from the main thread.
"""

from __future__ import annotations

from pathlib import Path

from ..doc_links import Part
from ..errors import RefsError
from ..full_md import PROVENANCE, SOURCE_SHA256, fetch_date, read_provenance, source_digest
from ..markdown import demote
from . import links
from .document import Artifact, Document, RawFolder, render
from .html import prune_anchors
from .html_pages import MAIN_PAGE
from .html_parse import collector_paused
from .readers import READERS


# ---------- planning ----------
def plan(
    raw_dir: Path,
    source_url: str = "",
    provenance: dict | None = None,
    urls: list[str] | None = None,
) -> list[Artifact]:
    """The artifacts under ``raw_dir`` in the order they appear in `full.md`: the
    order of the resource's URLs (``urls``) when provenance ties them to one, then
    the reader table's order (arXiv, issues, pages, PDFs, repositories); names break
    ties."""
    if not raw_dir.is_dir():
        raise RefsError("raw folder not found; run `refs fetch` first", raw_dir)
    prov = provenance if provenance is not None else read_provenance(raw_dir)
    names = sorted(p.name for p in raw_dir.iterdir())
    names = [n for n in names if n != PROVENANCE and not n.startswith(".")]
    raw = RawFolder(raw_dir, prov, source_url, list(urls or []), names)
    out: list[Artifact] = []
    for reader in READERS.values():
        found = reader.find(raw)
        raw.taken.update(a.path for a in found if a.path)
        out += found
    if not out:
        raise RefsError(
            "holds no artifact to convert (page.html, issue.json, repo/, abstract.html...)",
            raw_dir,
        )
    wanted = [u for u in (urls or []) if u]
    kinds = list(READERS)

    def rank(art: Artifact) -> tuple:
        order_url = READERS[art.kind].order_url
        url = order_url(art, prov) if order_url else art.url
        index = wanted.index(url) if url in wanted else len(wanted)
        page_first = 0 if art.path == MAIN_PAGE else 1
        return (index, kinds.index(art.kind), page_first, art.path)

    return sorted(out, key=rank)


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


@collector_paused()  # a paper is a million characters as objects, a guide many trees
def build(raw_dir: Path, source_url: str = "", urls: list[str] | None = None) -> Document:
    """Convert every artifact under ``raw_dir`` into one joined document."""
    raw_dir = Path(raw_dir)
    prov = read_provenance(raw_dir)
    parts: list[Document] = []
    notes: list[str] = []
    artifacts = plan(raw_dir, source_url, prov, urls)
    for art in artifacts:
        for doc in READERS[art.kind].read(raw_dir, art, source_url):
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
