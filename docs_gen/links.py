"""URLs between site pages, by MkDocs' own rules (directory URLs or not).

Page builders write markdown links to `.md` sources where they can (MkDocs checks and
rewrites those); raw HTML needs final URLs, which `Links.href` computes.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url


class Links:
    def __init__(self, use_directory_urls: bool = True):
        self.use_directory_urls = use_directory_urls

    @lru_cache(maxsize=4096)  # noqa: B019 - one Links per build, a few thousand pages
    def url(self, src: str) -> str:
        """The site URL (relative to the site root) of the page or file at ``src``."""
        return File(src, src_dir=None, dest_dir="", use_directory_urls=self.use_directory_urls).url

    def href(self, from_src: str, to_src: str, anchor: str = "") -> str:
        """A relative URL from the page ``from_src`` to ``to_src`` (for raw HTML)."""
        rel = get_relative_url(self.url(to_src), self.url(from_src))
        return rel + (f"#{anchor}" if anchor else "")


def md_path(from_src: str, to_src: str, anchor: str = "") -> str:
    """A relative link between two source files (for markdown links MkDocs resolves)."""
    rel = posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
    return rel + (f"#{anchor}" if anchor else "")
