"""Resolving a citation against the source file it names: one rule for all.

`refs check`, `refs show/cite/review` and the site all ask `Resolver.problem`, so
they agree on every citation: a link into `sources/<id>/` names a resource of the
manifest and an existing file of it, and an anchor is one of that markdown file's
headings or `<a id>` markers (`full.md`, or another `.md` of the source).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from . import fsio
from .anchors import anchor_set
from .cards import Citation
from .errors import RefsError
from .full_md import FULL_MD, RAW_DIR, SOURCES_DIR, full_md_rel
from .library import Library


class Resolver:
    """Answers whether `sources/<id>/<file>.md#anchor` exists (anchor sets cached)."""

    def __init__(self, lib: Library, read: Callable[[Path], str] = fsio.read_text):
        self.lib = lib
        self.read = read  # a source file's text (a build reads each file once)
        self._anchors: dict[str, set[str] | None] = {}
        self._unreadable: dict[str, str] = {}

    def anchors(self, rid: str, path: str = FULL_MD) -> set[str] | None:
        """The anchors of a source file, or None when there is none (or it cannot be
        read: `problem` then says why)."""
        rel = f"{SOURCES_DIR}/{rid}/{path}"
        if rel not in self._anchors:
            file = self.lib.root / rel
            found = None
            if file.is_file():
                try:
                    found = self.anchor_set(self.read(file))
                except RefsError as exc:
                    self._unreadable[rel] = f"{rel}:{exc.line}: {exc.message}"
            self._anchors[rel] = found
        return self._anchors[rel]

    def anchor_set(self, text: str) -> set[str]:
        """`anchors.anchor_set` (a build's resolver keeps its answers between builds)."""
        return anchor_set(text)

    def anchor_of(self, c: Citation) -> str | None:
        """The anchor as the file has it (a percent-encoded `#%C3%BC...` decoded), or
        None when the citation does not resolve."""
        if self.problem(c) is not None:
            return None
        anchors = self.anchors(c.rid, c.path) or set()
        return c.anchor if c.anchor in anchors or not c.anchor else unquote(c.anchor)

    def problem(self, c: Citation) -> str | None:
        """None when the citation resolves; otherwise what is wrong and what to do."""
        if not self.lib.has(c.rid):
            return f"cites `{c.rid}`, which is not a resource in the manifest"
        if c.path.endswith(".md") and _plain(c.path):
            # The common case, asked for every citation of every build: no message made.
            anchors = self.anchors(c.rid, c.path)
            if anchors is not None and c.file not in self._unreadable:
                if not c.anchor or c.anchor in anchors:
                    return None
        wanted = f"cite a heading of {full_md_rel(c.rid)} (`refs show {c.rid} --anchors`)"
        if not c.path:
            return f"links to the folder sources/{c.rid}/, not a file; {wanted}"
        if any(p in ("", ".", "..") for p in c.path.split("/")) or "\\" in c.path:
            return f"cites `{c.file}`, a path that is not a file of sources/{c.rid}/; {wanted}"
        if not c.path.endswith(".md"):
            if not (self.lib.root / c.file).is_file():
                return f"links to {c.file}, which does not exist; {wanted}"
            if c.anchor:
                return f"cites `#{c.anchor}` in {c.file}, which is not markdown; {wanted}"
            return None  # a link to an artifact (a raw PDF, say): not evidence, but there
        anchors = self.anchors(c.rid, c.path)
        if c.file in self._unreadable:
            return f"cites a file that cannot be read: {self._unreadable[c.file]}"
        if anchors is None:
            if c.path == FULL_MD:
                return (
                    f"cites {c.file}, which does not exist yet; "
                    f"run `refs fetch {c.rid}` and `refs convert {c.rid}`"
                )
            return f"cites {c.file}, which does not exist; {wanted}"
        if c.anchor and c.anchor not in anchors and unquote(c.anchor) not in anchors:
            return (
                f"anchor `#{c.anchor}` is not a heading of {c.file}; "
                f"cite one of its headings (`refs show {c.rid} --anchors` lists "
                + ("them)" if c.path == FULL_MD else f"those of {FULL_MD})")
            )
        return None


def _plain(path: str) -> bool:
    """A path of plain segments inside the source's folder (what `problem` accepts)."""
    return not any(p in ("", ".", "..") for p in path.split("/")) and "\\" not in path


def is_page(c: Citation) -> bool:
    """Whether the site publishes the cited file as a page (a source's markdown outside
    its raw artifacts); links to other files are left to the repo-link rewriter."""
    return c.path.endswith(".md") and c.path.split("/")[0] != RAW_DIR
