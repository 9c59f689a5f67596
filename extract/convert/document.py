"""The one document model of Tier 2: what every reader returns, and how it is written.

A reader finds its `Artifact`s in a `RawFolder` and turns each into `Document`s (a
multi-page doc gives one per page); `run.build` joins them into one `Document`;
`render` writes it as full.md bytes with the front matter `extract.full_md` defines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..full_md import front_matter
from ..markdown import portable_breaks
from .safety import neutralise


@dataclass
class Artifact:
    """One thing under `raw/` to convert, as `run.plan` found it."""

    kind: str  # the `Reader.kind` of the reader that found it (`readers.READERS`)
    path: str  # under raw/ (the arXiv set: ""; its reader finds its files itself)
    url: str = ""
    subpages: list[str] = field(default_factory=list)


@dataclass
class RawFolder:
    """A raw folder as `run.plan` offers it to each reader's `find`, in table order:
    the names an earlier reader took are not offered again."""

    path: Path
    prov: dict  # its provenance
    source_url: str  # the resource's first URL
    urls: list[str]  # all the resource's URLs
    names: list[str]  # sorted, the provenance file and hidden entries left out
    taken: set[str] = field(default_factory=set)

    def free(self) -> list[str]:
        return [n for n in self.names if n not in self.taken]

    def files(self, suffix: str) -> list[str]:
        """Names not yet taken of the files ending with ``suffix``."""
        return [n for n in self.free() if n.endswith(suffix) and (self.path / n).is_file()]

    def folders(self) -> list[str]:
        return [n for n in self.free() if (self.path / n).is_dir()]


@dataclass
class Document:
    """Markdown of one artifact (or of a whole resource, once joined).

    ``body`` holds headings from level 1 down.
    """

    title: str
    body: str
    author: str = ""
    source_url: str = ""
    notes: list[str] = field(default_factory=list)
    date: str = ""  # publication date when the artifact states one
    # Every URL naming the artifact (given, canonical...): a link to one of them
    # from a document joined with this one is a link into this one.
    urls: list[str] = field(default_factory=list)
    # The URL its relative links were written against (a web page's); "" when they
    # have none (LaTeX `\href{example.org}`, a PDF's text).
    link_base: str = ""


def render(meta: dict, body: str) -> str:
    """The bytes of a full.md: front matter, then the neutralised body, its hard
    line breaks written so that GitHub and the site both show them."""
    body = neutralise(portable_breaks(body)).strip("\n")
    return front_matter(meta) + "\n" + body + "\n"
