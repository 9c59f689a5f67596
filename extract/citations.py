"""Resolving a card's evidence citation against its full.md: one rule for all.

`refs check`, `refs show/cite/review` and the site all ask `Resolver.problem`, so
they agree on every citation.
"""

from __future__ import annotations

from . import fsio
from .anchors import anchor_set
from .cards import Citation
from .errors import RefsError
from .full_md import full_md_rel
from .library import Library


class Resolver:
    """Answers whether `sources/<id>/full.md#anchor` exists (anchor sets cached)."""

    def __init__(self, lib: Library):
        self.lib = lib
        self._anchors: dict[str, set[str] | None] = {}
        self._unreadable: dict[str, str] = {}

    def anchors(self, rid: str) -> set[str] | None:
        """The anchors of a resource's full.md, or None when there is none (or it
        cannot be read: `problem` then says why)."""
        if rid not in self._anchors:
            path = self.lib.full_md_path(rid)
            found = None
            if path.is_file():
                try:
                    found = anchor_set(fsio.read_text(path))
                except RefsError as exc:
                    self._unreadable[rid] = f"{full_md_rel(rid)}:{exc.line}: {exc.message}"
            self._anchors[rid] = found
        return self._anchors[rid]

    def problem(self, citation: Citation) -> str | None:
        """None when the citation resolves; otherwise what is wrong and what to do."""
        if not self.lib.has(citation.rid):
            return f"cites `{citation.rid}`, which is not a resource in the manifest"
        anchors = self.anchors(citation.rid)
        if citation.rid in self._unreadable:
            return f"cites a full.md that cannot be read: {self._unreadable[citation.rid]}"
        if anchors is None:
            return (
                f"cites {full_md_rel(citation.rid)}, which does not exist yet; "
                f"run `refs fetch {citation.rid}` and `refs convert {citation.rid}`"
            )
        if citation.anchor not in anchors:
            return (
                f"anchor `#{citation.anchor}` is not a heading of {full_md_rel(citation.rid)}; "
                f"cite one of its headings (`refs show {citation.rid} --anchors` lists them)"
            )
        return None
