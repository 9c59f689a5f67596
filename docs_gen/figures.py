"""Figures on the site: every figure marker of a source page shows its image.

For each source page the markers (`extract.figures`) name their origins; each
origin's image comes from `figure_images` (cached in `.refs-cache/figures/`) and
is published as `sources/<id>/figures/<digest>.<ext>` beside the page, never in
the repository. Images missing from the cache are made by `make` (in a worker
process while MkDocs converts pages, or in place for `refs site --out`) and
`finish` waits for them. The page's markdown gets the image right after the caption, as a
link to the full-size file (the site script opens it larger on click or tap). A
figure without an image stays text; an HTML image that was not stored keeps its
link to the original URL. What a build found is kept in the site's memory, keyed
by the page text and the raw files, so a served rebuild re-derives nothing.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import RefsError
from extract.figures import Figure, Origin, figures
from extract.full_md import IMAGES_DIR, RAW_DIR, SOURCES_DIR, read_provenance
from extract.library import Library
from extract.markdown import walk

from . import figure_images as images
from .figure_images import NoImage

CACHE = ".refs-cache/figures"
FIGURES_DIR = "figures"  # beside the source page, in the built site only


@dataclass(frozen=True)
class Shown:
    """One published image: its site path and the cached file behind it."""

    src: str
    path: Path


@dataclass
class PageFigures:
    """The images of one source page, by origin text, and why some have none."""

    images: dict[str, Shown] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    count: int = 0  # figure markers on the page
    shown: int = 0  # markers with at least one image


def _stored_images(prov: dict, raw_dir: Path) -> dict[str, tuple[Path, str]]:
    """image URL -> (stored file, its sha256), from the provenance `refs fetch` wrote."""
    out = {}
    for rel, entry in prov.get("artifacts", {}).items():
        if not (isinstance(entry, dict) and rel.startswith(IMAGES_DIR + "/")):
            continue
        url, sha = entry.get("url"), entry.get("sha256")
        if isinstance(url, str) and isinstance(sha, str) and (raw_dir / rel).is_file():
            out[url] = (raw_dir / rel, sha)
    return out


def _raw_state(raw_dir: Path) -> tuple:
    """What the images of a page depend on in raw/: each file's name, size, mtime."""
    try:
        return tuple(
            sorted(
                (p.name, st.st_size, st.st_mtime_ns)
                for p in raw_dir.iterdir()
                if p.is_file() and (st := p.stat())
            )
        ) + tuple(
            sorted(
                (p.name, st.st_size, st.st_mtime_ns)
                for p in (raw_dir / IMAGES_DIR).glob("*")
                if p.is_file() and (st := p.stat())
            )
        )
    except OSError:
        return ()


class Figures:
    """The figure images of one build; ``memory`` survives served rebuilds."""

    def __init__(self, lib: Library, memory: dict | None = None):
        self.lib = lib
        self.cache_dir = lib.root / CACHE
        self.memory = memory if memory is not None else {}
        self.pages: dict[str, PageFigures] = {}
        self._sha: dict = self.memory.setdefault("sha", {})
        self.pending: dict[str, images.Job] = {}  # cache file -> the job that makes it
        self.worker: images.Worker | None = None

    def page(self, rid: str, src: str, text: str) -> PageFigures:
        """The images of the source page ``src`` (repo path) whose markdown is ``text``."""
        if src in self.pages:
            return self.pages[src]
        # The cache is asked before the text is searched for markers: on a served
        # rebuild most full.md files are unchanged, and searching them all was most of
        # this class's share of the rebuild. A text without markers needs no raw/ state.
        text_hash = hash(text)
        kept = self.memory.get(("page", src))
        if kept is not None and kept[0] == (src, text_hash, None):
            self.pages[src] = kept[1]
            return kept[1]
        raw_dir = self.lib.root / SOURCES_DIR / rid / RAW_DIR
        if kept is not None and kept[0][:2] == (src, text_hash):
            if kept[0][2] == _raw_state(raw_dir) and all(
                s.path.is_file() for s in kept[1].images.values()
            ):
                self.pages[src] = kept[1]
                return kept[1]
        found = figures(text)
        if not found:
            out = PageFigures()
            self.memory[("page", src)] = ((src, text_hash, None), out)
        else:
            state = _raw_state(raw_dir)  # before deriving, as what the images came from
            out = self._derive(rid, src, found, raw_dir)
            self.memory[("page", src)] = ((src, text_hash, state), out)
        self.pages[src] = out
        return out

    def _derive(self, rid: str, src: str, found: list[Figure], raw_dir: Path) -> PageFigures:
        out = PageFigures(count=len(found))
        try:
            prov = read_provenance(raw_dir)
        except RefsError as exc:
            out.problems.append(exc.message)
            prov = {"artifacts": {}}
        stored = _stored_images(prov, raw_dir)
        base = posixpath.join(SOURCES_DIR, rid, FIGURES_DIR)
        for fig in found:
            any_shown = False
            for origin in fig.origins:
                text = origin.text()
                if text in out.images:
                    any_shown = True
                    continue
                try:
                    shown = self._image(raw_dir, origin, prov, stored, base)
                except NoImage as exc:
                    if str(exc) not in out.problems:
                        out.problems.append(str(exc))
                    continue
                except Exception as exc:  # a damaged image or PDF: the figure stays text
                    problem = f"{text}: {type(exc).__name__}: {exc}"
                    out.problems.append(problem)
                    continue
                out.images[text] = shown
                any_shown = True
            out.shown += any_shown
        return out

    def _image(self, raw_dir: Path, origin: Origin, prov: dict, stored, base: str) -> Shown:
        file = None
        if origin.kind == "url":
            hit = stored.get(origin.path)
            if hit is None:
                raise NoImage(f"the image {origin.path} was not stored (run `refs fetch --images`)")
            file, sha = hit
        else:
            entry = prov.get("artifacts", {}).get(origin.path)
            sha = entry.get("sha256") if isinstance(entry, dict) else None
            artifact = raw_dir / origin.path
            if not artifact.is_file():
                raise NoImage(f"raw/{origin.path} is missing (run `refs fetch`)")
            if not isinstance(sha, str):
                sha = images.file_sha256(artifact, self._sha)
        key = images.cache_key(sha, origin)
        ext = images.expected_ext(origin, file)
        path = self.cache_dir / f"{key}{ext}"
        if not path.is_file():
            images.check(raw_dir, origin, file)
            self.pending[str(path)] = (str(raw_dir), origin.text(), str(file or ""), str(path))
        return Shown(f"{base}/{key[:20]}{ext}", path)

    def make(self, background: bool) -> None:
        """Start making the images not in the cache: in a worker process while the
        caller goes on (``background``), else here and now."""
        jobs = [j for path, j in sorted(self.pending.items()) if not Path(path).is_file()]
        if not jobs:
            self.pending.clear()
        elif background:
            self.worker = images.Worker(jobs)
        else:
            self._apply(images.run_jobs(jobs))

    def finish(self) -> list[tuple[Shown, str]]:
        """Wait for the images being made; the ones that failed, with why (they are
        taken off their pages, whose figures stay text)."""
        if self.worker is not None:
            worker, self.worker = self.worker, None
            return self._apply(worker.wait())
        return self._apply({})

    def stop(self) -> None:
        """A failed build: the worker stops, its unfinished images are made next time."""
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    def _apply(self, results: dict[str, str | None]) -> list[tuple[Shown, str]]:
        failed = []
        for path in list(self.pending):
            problem = results.get(path)
            if problem is None and Path(path).is_file():
                continue
            problem = problem or "the image was not made"
            for src, page in self.pages.items():
                for text, shown in list(page.images.items()):
                    if str(shown.path) == path:
                        del page.images[text]
                        page.problems.append(problem)
                        failed.append((shown, problem))
                self.memory.pop(("page", src), None)
        self.pending.clear()
        return failed

    def files(self, sources: list[tuple[str, str, str]]) -> list[Shown]:
        """Every image of the source pages, given as (rid, src, text): what the build
        publishes (deriving the ones not in the cache)."""
        seen: dict[str, Shown] = {}
        for rid, src, text in sources:
            page = self.page(rid, src, text)
            for shown in page.images.values():
                seen.setdefault(shown.src, shown)
        return sorted(seen.values(), key=lambda s: s.src)

    def key(self, rid: str, src: str, text: str) -> tuple:
        """What a page's figures add to its markdown (for the served-page cache)."""
        page = self.page(rid, src, text)
        return tuple(sorted((k, v.src) for k, v in page.images.items()))


def image_markdown(page_src: str, fig: Figure, shown: list[Shown]) -> str:
    """The images of one figure, each a link to its full-size file."""
    folder = posixpath.dirname(page_src)
    alt = f"Figure {fig.number}" if fig.number else "Figure"
    out = []
    for s in shown:
        rel = posixpath.relpath(s.src, folder)
        out.append(f"[![{alt}]({rel}){{ loading=lazy }}]({rel}){{ .refs-figure }}")
    return " ".join(out)


def add_images(page_src: str, markdown: str, page: PageFigures) -> str:
    """``markdown`` with each figure's images right after its marker."""
    if not page.images:
        return markdown
    lines = markdown.split("\n")
    by_line: dict[int, list[Figure]] = {}
    for fig in figures(markdown):
        by_line.setdefault(fig.line - 1, []).append(fig)
    code = {i for i, _, in_code in walk(lines) if in_code}
    for i, figs in by_line.items():
        if i in code:
            continue
        line = lines[i]
        for fig in sorted(figs, key=lambda f: -f.end):
            shown = [page.images[o.text()] for o in fig.origins if o.text() in page.images]
            if shown:
                line = (
                    line[: fig.end] + " " + image_markdown(page_src, fig, shown) + line[fig.end :]
                )
        lines[i] = line
    return "\n".join(lines)
