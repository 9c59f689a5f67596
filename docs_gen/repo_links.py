"""Links from library pages to things that are not site pages.

- `scope-drd/...` paths point into the sibling implementation repo: with a base URL
  (plugin option `scope_drd_url`) they become links, otherwise they stay visible paths.
  They are pointers, never broken links.
- A link written from the repo root (`refs/resources/x.md` in a guide under refs/) is
  pointed at that page.
- A relative link to a repo file the site does not publish (raw artifacts by default,
  code files) opens the file in the repository when `repo_url` is known, otherwise it
  shows as its path, instead of failing a strict build as a dead link.
- Cross-references people write as paths, in a code span or in the text
  (`resources/gpipe.md`, `refs/topics/13-x.md`, `sources/<id>/full.md#a`), become links
  where they name a page of the site: read from the page's folder, the repo root or
  `refs/`, as people write them. An anchor the target lacks is left off the link.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path

from extract.markdown import Piece, code_lines, split_inline

from .links import md_path

SIBLING = "scope-drd"
# A markdown link whose target is relative (what `_unpublished` may rewrite): lines
# with only absolute or in-page links, most of a converted web page, are skipped.
_RELATIVE_LINK = re.compile(r"\]\(\s*<?(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)")
# A path to a markdown file as people write one in prose: at least one folder.
_PATH = r"(?:\.{1,2}/)*[\w.-]+(?:/[\w.-]+)+\.md(?:#[\w.%-]*)?"
_CODE_PATH = re.compile(_PATH)
_TEXT_PATH = re.compile(rf"(?<![\w/.:#-]){_PATH}(?![\w/])")
_VOID = re.compile(r"<(?:br|hr|img|input|wbr)\b", re.I)
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
        anchors: Callable[[str], set[str] | None] | None = None,
        exists: Callable[[str], bool] | None = None,
    ):
        self.root = root
        self.published = published
        # Whether a repo path (not published) exists: the site records what it asked.
        self.exists = exists or (lambda target: (root / target).exists())
        self.anchors = anchors or (lambda target: None)  # a page's anchors (None: unknown)
        self.scope_drd_url = scope_drd_url.rstrip("/")
        self.repo_blob_url = repo_blob_url.rstrip("/")

    def sibling_url(self, path: str) -> str:
        return self.scope_drd_url + (path or "/")

    def rewrite(self, src: str, markdown: str, *, crossrefs: bool = False) -> str:
        """``crossrefs``: also link the paths people write (cards, topic docs, guides)."""
        refs = crossrefs and ".md" in markdown
        if SIBLING not in markdown and "](" not in markdown and not refs:
            return markdown
        lines = markdown.split("\n")
        wanted = [
            i
            for i, line in enumerate(lines)
            if SIBLING in line
            or ("](" in line and _RELATIVE_LINK.search(line))
            or (refs and ".md" in line)
        ]
        if not wanted:
            return markdown
        code = code_lines(lines)
        for i in wanted:
            if i not in code:
                lines[i] = self._line(src, lines[i], refs)
        return "\n".join(lines)

    def _line(self, src: str, line: str, refs: bool) -> str:
        """The line's pieces rewritten; a path inside inline HTML (a citation marker's
        `<code>`, a title) is never made a link."""
        out, depth = [], 0
        for p in split_inline(line):
            if p.kind == "tag":
                if p.raw.startswith("</"):
                    depth = max(0, depth - 1)
                elif not p.raw.endswith("/>") and not _VOID.match(p.raw):
                    depth += 1
                out.append(p.raw)
                continue
            new = self._piece(src, p, refs and depth == 0)
            out.append(new if new is not None else p.raw)
        return "".join(out)

    def _piece(self, src: str, p: Piece, crossrefs: bool = False) -> str | None:
        if crossrefs and p.kind == "code" and _CODE_PATH.fullmatch(p.text.strip()):
            if link := self._crossref(src, p.text.strip()):
                return f"[{p.raw}]({link})"
        if crossrefs and p.kind == "text" and ".md" in p.raw:
            linked = _TEXT_PATH.sub(lambda m: self._text_ref(src, m.group(0)), p.raw)
            if linked != p.raw:
                return self._piece(src, Piece("text", linked)) or linked
        if p.kind == "link":
            m = _SIBLING_PATH.fullmatch(p.url.strip())
            if m:
                if self.scope_drd_url:
                    return f"[{p.text}]({self.sibling_url(m.group('path') or '')}{p.title})"
                return f"{p.text} (`{SIBLING}{m.group('path') or ''}`)"
            return self._unpublished(src, p)
        if not self.scope_drd_url:
            return None
        if p.kind == "code" and (m := _SIBLING_PATH.fullmatch(p.text.strip())):
            return f"[{p.raw}]({self.sibling_url(m.group('path') or '')})"
        if p.kind == "text" and SIBLING in p.raw:
            return _SIBLING_PATH.sub(
                lambda m: f"[{m.group(0)}]({self.sibling_url(m.group('path') or '')})", p.raw
            )
        return None

    def _text_ref(self, src: str, path: str) -> str:
        link = self._crossref(src, path)
        return f"[{path}]({link})" if link else path

    def _crossref(self, src: str, written: str) -> str | None:
        """The link (from ``src``) to the page a written path names, or None."""
        path, _, anchor = written.partition("#")
        here = posixpath.dirname(src)
        for target in (
            posixpath.normpath(posixpath.join(here, path)),
            posixpath.normpath(path),
            posixpath.normpath(posixpath.join("refs", path)),
        ):
            if target.startswith("../") or target == src or not self.published(target):
                continue
            found = self.anchors(target) if anchor else None
            return md_path(src, target, anchor if found and anchor in found else "")
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
        if not self.exists(target):
            rooted = posixpath.normpath(path)
            if path and self.published(rooted):
                # Written from the repo root (`refs/resources/x.md` in a guide under refs/),
                # as notes here and in the sibling repo cite each other: point it right.
                return f"[{p.text}]({md_path(src, rooted, anchor)}{p.title})"
            return None  # a dead link: MkDocs reports it
        if self.repo_blob_url:
            return f"[{p.text}]({self.repo_blob_url}/{target}{p.title})"
        return f"{p.text} (`{target}`)"
