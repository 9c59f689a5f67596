"""URLs between site pages, by MkDocs' own rules (directory URLs or not).

Page builders write markdown links to `.md` sources where they can (MkDocs checks and
rewrites those); raw HTML needs final URLs, which `Links.href` computes. The rules are
MkDocs 1.6's (`File.url`, `utils.get_relative_url`), written out here so that page
generation runs without MkDocs (`refs site --out`); a test holds them equal.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from extract.memo import memo

MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")


def page_url(src: str, use_directory_urls: bool = True) -> str:
    """The site URL (relative to the site root) of the page or file at ``src``."""
    if not src.endswith(MARKDOWN_SUFFIXES):
        return quote(src)
    parent, filename = posixpath.split(src)
    stem = posixpath.splitext(filename)[0]
    stem = "index" if stem == "README" else stem
    if not use_directory_urls:
        return quote(posixpath.join(parent, stem + ".html"))
    if stem == "index":
        return quote((parent or ".") + "/")
    return quote(posixpath.join(parent, stem) + "/")


def _parts(path: str) -> list[str]:
    path = posixpath.normpath("/" + path)[1:]
    return path.split("/") if path else []


def relative_url(url: str, other: str) -> str:
    """``url`` relative to the page URL ``other`` (MkDocs' `get_relative_url`)."""
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    here, there = _parts(other), _parts(url)
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    return rel + "/" if url.endswith("/") else rel


class Links:
    def __init__(self, use_directory_urls: bool = True):
        self.use_directory_urls = use_directory_urls
        self._urls: dict[str, str] = {}

    def url(self, src: str) -> str:
        """The site URL (relative to the site root) of the page or file at ``src``."""
        # One Links per build: kept for all its pages, however many (no LRU cliff).
        try:
            return self._urls[src]
        except KeyError:
            url = self._urls[src] = page_url(src, self.use_directory_urls)
            return url

    def href(self, from_src: str, to_src: str, anchor: str = "") -> str:
        """A relative URL from the page ``from_src`` to ``to_src`` (for raw HTML)."""
        rel = relative_url(self.url(to_src), self.url(from_src))
        return rel + (f"#{anchor}" if anchor else "")


def md_path(from_src: str, to_src: str, anchor: str = "") -> str:
    """A relative link between two source files (for markdown links MkDocs resolves)."""
    rel = _relative(from_src, to_src)
    return rel + (f"#{anchor}" if anchor else "")


@memo  # pure; a page links the same few files under many anchors
def _relative(from_src: str, to_src: str) -> str:
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
