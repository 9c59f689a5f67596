"""Raw artifacts on the site, published so that none of them can run.

`publish_raw: true` puts `sources/<id>/raw/` on the site's origin. A fetched page is
someone else's HTML with its scripts; served as `text/html` from our origin it would
run with the site's storage and cookies. So every artifact whose type a browser would
execute or render as a document (HTML, SVG, XML, JavaScript, ...) is published as
text: its name gets `.txt` (every static host then serves `text/plain`), its bytes stay
the same, readable and downloadable. Types that cannot carry script into the page
(PDF, images, archives, JSON, TeX, plain text) keep their names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extract.full_md import RAW_DIR, raw_files
from extract.library import SOURCES_DIR, Library

INERT_SUFFIXES = (
    ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".tar.gz", ".tgz", ".gz",
    ".zip", ".json", ".txt", ".tex", ".bib", ".bbl", ".sty", ".cls", ".csv", ".md",
)  # fmt: skip
AS_TEXT = ".txt"


@dataclass(frozen=True)
class RawFile:
    src: str  # where the site publishes it
    path: Path  # the artifact
    repo_src: str  # its path in the repo


def published_name(rel: str) -> str:
    """The site path of a raw artifact: inert types as they are, the rest as `.txt`."""
    return rel if rel.lower().endswith(INERT_SUFFIXES) else rel + AS_TEXT


def plan(lib: Library) -> list[RawFile]:
    sources = lib.root / SOURCES_DIR
    if not sources.is_dir():
        return []
    out = []
    for raw in sorted(sources.glob(f"*/{RAW_DIR}")):
        # The path rule and the size bound: a link out of the library is refused, named.
        for path in raw_files(raw):
            if not path.is_symlink():
                rel = lib.rel(path)
                out.append(RawFile(published_name(rel), path, rel))
    return sorted(out, key=lambda r: r.path)
