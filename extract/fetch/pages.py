"""Web pages and direct PDFs, fetched as written.

A page is stored as `page.html` (further pages of a resource as `<name>.html`),
a direct PDF link as `paper.pdf` / `<name>.pdf`; a page's content images go to
`images/` (`images.py`). A docs guide that spans pages
may follow its table of contents: with `refs fetch --subpages N`, the first page
of a `docs` resource has the links of its table of contents (or, lacking one, of
the whole page) that stay under the page's own URL folder fetched into
`subpages/<path below that folder>`, at most N of them, one level deep. Off by
default, because many docs URLs sit in folders shared with thousands of
unrelated pages. A subpage that fails is a warning, not a failure.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from .dispatch import SAFE_SEGMENT, Target
from .images import fetch_images, html_artifacts
from .job import Artifact, ResourceJob

TOC_HINT = re.compile(r"toc|table-of-contents|sidebar|wy-menu|sphinxsidebar|nav", re.I)
PAGE_SUFFIXES = ("", ".html", ".htm", ".php", ".aspx")


def describe(target: Target) -> list[str]:
    return [target.name]


def fetch(job: ResourceJob, target: Target, *, follow_toc: bool = False) -> None:
    check = "pdf" if target.kind == "pdf" else "html"
    art = job.fetch(target.url, target.name, check)
    # Without `discard`, what comes back is the artifact (or None: an optional one failed).
    if follow_toc and job.subpages > 0 and check == "html" and isinstance(art, Artifact):
        where = job.stage if art.staged else job.raw
        html = (where / art.rel).read_bytes()
        base = art.entry.get("final_url") or target.url
        for url, rel in toc_links(html, base, job.subpages):
            job.fetch(url, rel, "html", required=False)
    if check == "html" and art is not None:
        fetch_images(job, html_artifacts(job))  # the figures the site shows beside the text


def _folder(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc, parts.path.rsplit("/", 1)[0] + "/"


def subpage_name(path_below: str) -> str | None:
    """`subpages/<safe path>.html` for a path below the guide's folder, or None."""
    segs = [unquote(s) for s in path_below.split("/")]
    if path_below.endswith("/") or not segs[-1]:
        segs = [s for s in segs if s] + ["index.html"]
    segs = [SAFE_SEGMENT.sub("-", s).strip("-") for s in segs if s]
    if not segs or any(s in ("", ".", "..") for s in segs):
        return None
    last = segs[-1]
    stem, dot, ext = last.rpartition(".")
    if not dot or f".{ext.lower()}" not in PAGE_SUFFIXES:
        if dot and not stem:
            return None
        segs[-1] = f"{last}.html"
    elif ext.lower() != "html":
        segs[-1] = f"{stem}.html"
    return "subpages/" + "/".join(segs)


def toc_links(html: bytes, page_url: str, limit: int) -> list[tuple[str, str]]:
    """(url, artifact name) of the table-of-contents links under the page's folder."""
    soup = BeautifulSoup(html, "lxml")
    scopes = [
        el
        for el in soup.find_all(["nav", "div", "ul", "aside", "section"])
        if TOC_HINT.search(" ".join([str(el.get("id") or ""), *(el.get("class") or [])]))
        or el.name == "nav"
    ]
    anchors = [a for scope in scopes for a in scope.find_all("a", href=True)] or soup.find_all(
        "a", href=True
    )
    scheme, netloc, folder = _folder(page_url)
    own = urlsplit(page_url).path
    found: dict[str, str] = {}
    for a in anchors:
        target = urlsplit(urljoin(page_url, str(a["href"])))
        if (target.scheme, target.netloc) != (scheme, netloc):
            continue
        if not target.path.startswith(folder) or target.path == own:
            continue
        ext = target.path.rsplit("/", 1)[-1].rpartition(".")
        if ext[1] and f".{ext[2].lower()}" not in PAGE_SUFFIXES:
            continue  # images, archives, sources: not pages of the guide
        url = urlunsplit((target.scheme, target.netloc, target.path, target.query, ""))
        name = subpage_name(target.path[len(folder) :])
        if name and url not in found and name not in found.values():
            found[url] = name
        if len(found) >= limit:
            break
    return list(found.items())
