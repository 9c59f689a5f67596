"""Links from library pages to things that are not site pages.

- `scope-drd/...` paths point into the sibling implementation repo: with a base URL
  (plugin option `scope_drd_url`) they become links, otherwise they stay visible paths.
  They are pointers, never broken links.
- A link written from the repo root (`refs/resources/x.md` in a guide under refs/) is
  pointed at that page.
- A relative link to a repo file the site does not publish (raw artifacts by default,
  code files) opens the file in the repository when `repo_url` is known, otherwise it
  shows as its path, instead of failing a strict build as a dead link.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path

from extract.markdown import Piece, prose_lines, rewrite_inline

from .links import md_path

SIBLING = "scope-drd"
# A markdown link whose target is relative (what `_unpublished` may rewrite): lines
# with only absolute or in-page links, most of a converted web page, are skipped.
_RELATIVE_LINK = re.compile(r"\]\(\s*<?(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)")
_SIBLING_PATH = re.compile(
    r"(?<![\w/.-])(?:\.\./)*scope-drd(?P<path>/[^\s)\]\"'<>`|]*)?(?<![.,;:!?])"
)


class RepoLinks:
    def __init__(
        self,
        root: Path,
        published: Callable[[str], bool],
        scope_drd_url: str = "",
        repo_blob_url: str = "",
    ):
        self.root = root
        self.published = published
        self.scope_drd_url = scope_drd_url.rstrip("/")
        self.repo_blob_url = repo_blob_url.rstrip("/")

    def sibling_url(self, path: str) -> str:
        return self.scope_drd_url + (path or "/")

    def rewrite(self, src: str, markdown: str) -> str:
        if SIBLING not in markdown and "](" not in markdown:
            return markdown
        lines = markdown.split("\n")
        for i in prose_lines(lines):
            if SIBLING in lines[i] or ("](" in lines[i] and _RELATIVE_LINK.search(lines[i])):
                lines[i] = rewrite_inline(lines[i], lambda p: self._piece(src, p))
        return "\n".join(lines)

    def _piece(self, src: str, p: Piece) -> str | None:
        if p.kind == "link":
            m = _SIBLING_PATH.fullmatch(p.url.strip())
            if m:
                if self.scope_drd_url:
                    return f"[{p.text}]({self.sibling_url(m.group('path') or '')}{p.title})"
                return f"{p.text} (`{SIBLING}{m.group('path') or ''}`)"
            return self._unpublished(src, p)
        if not self.scope_drd_url:
            return None
        if p.kind == "code" and _SIBLING_PATH.fullmatch(p.text.strip()):
            m = _SIBLING_PATH.fullmatch(p.text.strip())
            return f"[{p.raw}]({self.sibling_url(m.group('path') or '')})"
        if p.kind == "text" and SIBLING in p.raw:
            return _SIBLING_PATH.sub(
                lambda m: f"[{m.group(0)}]({self.sibling_url(m.group('path') or '')})", p.raw
            )
        return None

    def _unpublished(self, src: str, p: Piece) -> str | None:
        url = p.url.strip()
        if not url or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^#|^/", url):
            return None
        path, _, anchor = url.partition("#")
        path = path.split("?", 1)[0]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
        if target.startswith("../") or self.published(target):
            return None
        if not (self.root / target).exists():
            rooted = posixpath.normpath(path)
            if path and self.published(rooted):
                # Written from the repo root (`refs/resources/x.md` in a guide under refs/),
                # as notes here and in the sibling repo cite each other: point it right.
                return f"[{p.text}]({md_path(src, rooted, anchor)}{p.title})"
            return None  # a dead link: MkDocs reports it
        if self.repo_blob_url:
            return f"[{p.text}]({self.repo_blob_url}/{target}{p.title})"
        return f"{p.text} (`{target}`)"
