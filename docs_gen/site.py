"""The library as a site, without MkDocs: every page's final markdown, its title and nav.

`Site` is one build's view: the planned pages (`page_kinds.plan`), the evidence index
(every citing page read once, so source headings can list who cites them), the links
to unpublished repo files, and the nav. `Site.render(p)` runs the site's own passes on
one page (topic appendix, evidence, heading ids, source header, cited-by, card strip,
repo links) and returns plain markdown that any MkDocs-Material-style renderer turns
into the page: the plugin hands it to MkDocs, `refs site --out` writes it to a folder.

Across rebuilds (`mkdocs serve` keeps the plugin) a `Memory` holds what does not change
when a file does not: each file's text while its stat is the same (the way MkDocs'
watcher tells a change), parsed anchors of each full.md, the citations of each citing
page, generated pages and the library's part of repo pages while the library's shape is
the same, and each page's rendered markdown keyed by everything it depends on, with
the questions it asked of other files while it rendered (asked again before it is
reused: the same check the pages kept on disk pass, `Site.reusable`).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.utils.meta import YAML_RE, get_data

from extract import fsio, yaml_limits
from extract.anchors import anchor_set, headings
from extract.cards import find_citations
from extract.citations import Resolver
from extract.curriculum import Topic
from extract.doc_links import resolve_links
from extract.errors import RefsError
from extract.full_md import FRONT_MATTER_KEYS, FULL_MD, RAW_DIR, SOURCES_DIR, full_md_rel
from extract.library import MANIFEST, Library
from extract.review_record import RECORD_DIR

from . import page_kinds, search_text
from .evidence import Backlink, Broken, Evidence, heading_titles
from .figures import Figures, add_images
from .gfm import gfm
from .headings import with_heading_ids
from .labels import label
from .links import Links
from .nav import build_nav
from .pages import sources, topics
from .pages.titles import header_title, short_topic_title, with_page_status
from .pass_memo import PassMemo
from .repo_links import RepoLinks
from .site_files import SitePage


def split_front_matter(text: str, path: Path | str | None = None) -> tuple[str, dict]:
    """(body, meta) exactly as MkDocs splits a page (its own `get_data`), so the export
    and the plugin pass the same body to the site's passes. A YAML front matter past the
    limits (an alias bomb, deep nesting) is a `RefsError` naming ``path``: MkDocs loads
    it without bounds, so it is read within them first."""
    if m := YAML_RE.match(text):
        try:
            yaml_limits.safe_load(m.group(1), path, 2)
        except RefsError:
            raise
        except Exception:  # noqa: BLE001 - not YAML: MkDocs keeps the text whole, below
            pass
    return get_data(text)


def digest(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "replace"))
        h.update(b"\x00")
    return h.hexdigest()


@dataclass
class Options:
    scope_drd_url: str = ""  # base URL of the sibling implementation repo
    repo_blob_url: str = ""  # links to repo files the site does not publish
    use_directory_urls: bool = True
    published_extra: tuple[str, ...] = ()  # further site paths that exist (raw artifacts)


@dataclass
class Rendered:
    """One page's final markdown and what the build must know about it."""

    markdown: str
    title: str  # escaped for HTML
    meta: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)


@dataclass
class Memory:
    """What a served site keeps between rebuilds (see the module doc)."""

    anchors: dict[tuple, tuple[set[str] | None, str]] = field(default_factory=dict)
    citing: dict[str, list[tuple]] = field(default_factory=dict)
    cited: dict[str, list[tuple]] = field(default_factory=dict)  # text -> files it cites
    # src -> (key, page, what it asked of other files: [kind, arg, answer] each)
    pages: dict[str, tuple[str, Rendered, list]] = field(default_factory=dict)
    front_matter: set[str] = field(default_factory=set)  # YAML blocks within the limits
    figures: dict = field(default_factory=dict)  # figures.Figures' own memory
    texts: dict[str, tuple[tuple, str]] = field(default_factory=dict)  # path -> (stat, text)
    digests: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (text, digest)
    generated: dict[str, tuple[str, str]] = field(default_factory=dict)  # src -> (key, text)
    passes: PassMemo | None = None  # the pure passes' results kept on disk (the plugin's)


def stat_key(path: Path) -> tuple | None:
    """What tells a changed file without reading it (as MkDocs' watcher tells it)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class _Resolver(Resolver):
    """`Resolver` whose anchor sets survive rebuilds while their file is unchanged."""

    def __init__(self, lib: Library, memory: Memory, read: Callable[[Path], str]):
        super().__init__(lib, read)
        self.memory = memory
        self.digests: dict[str, str] = {}
        self.keys: list[tuple] = []  # the file versions this build looked at

    def anchors(self, rid: str, path: str = FULL_MD) -> set[str] | None:
        rel = f"{SOURCES_DIR}/{rid}/{path}"
        if rel in self._anchors:
            return self._anchors[rel]
        file = self.lib.root / rel
        try:
            st = file.stat()
            key = (str(file), st.st_mtime_ns, st.st_size)
        except OSError:
            key = None
        if key is not None:
            self.keys.append(key)
            if key in self.memory.anchors:
                found, self.digests[rel] = self.memory.anchors[key]
                self._anchors[rel] = found
                return found
        found = super().anchors(rid, path)
        self.digests[rel] = digest(sorted(found)) if found is not None else "none"
        if key is not None and rel not in self._unreadable:
            self.memory.anchors[key] = (found, self.digests[rel])
        return found

    def anchor_set(self, text: str) -> set[str]:
        """Kept on disk by the text (`pass_memo`): a build that did not change a source
        file does not look for its anchors again."""
        passes = self.memory.passes
        found = passes.anchors(text) if passes is not None else None
        if found is None:
            found = super().anchor_set(text)
            if passes is not None:
                passes.keep_anchors(text, found)
        return found

    def state(self, c) -> str:
        """A digest of what a citation of this file resolves against."""
        if not self.lib.has(c.rid):
            return "unknown"
        if not c.path.endswith(".md"):
            return str((self.lib.root / c.file).is_file())
        self.anchors(c.rid, c.path)
        return self._unreadable.get(c.file) or self.digests.get(c.file, "none")


class Site:
    def __init__(self, lib: Library, options: Options | None = None, memory: Memory | None = None):
        self.lib = lib
        self.options = options or Options()
        self.memory = memory if memory is not None else Memory()
        self.links = Links(self.options.use_directory_urls)
        planned = page_kinds.plan(lib)
        self.planned = planned
        self.pages = {p.src: p for p in planned}
        self.resolver = _Resolver(lib, self.memory, self.read)
        self.evidence = Evidence(lib, self.links, resolver=self.resolver, read=self.read)
        self.figures = Figures(lib, self.memory.figures)
        self.published = {p.src for p in planned} | set(self.options.published_extra)
        self.repo_links = RepoLinks(
            lib.root,
            self.published.__contains__,
            self.options.scope_drd_url,
            self.options.repo_blob_url,
            anchors=self._anchors_asked,
            exists=self._exists,
        )
        # What the page being rendered asked of the rest of the library (see `render`).
        self._asked: dict[tuple[str, str], Any] | None = None
        self._title_digests: dict[str, str] = {}
        self.evidence.on_titles = self._titles_asked
        self._texts: dict[str, str] = {}
        self._read_paths: set[str] = set()
        self._hashed: set[str] = set()
        self._front_matter: set[str] = set()
        self._citing_keys: list[str] = []
        self._cited_keys: list[str] = []
        self._index_citing()
        self.nav = build_nav([_labelled(p) for p in planned], {r.id: r.type for r in lib.resources})
        self.urls = {p.src: self.links.url(p.src) for p in planned}
        self._site_key = digest(
            sorted(self.published), self.options.scope_drd_url, self.options.repo_blob_url,
            self.options.use_directory_urls,
        )  # fmt: skip

    # ---------- reading ----------
    def text(self, p: SitePage) -> str:
        """The repo file behind a page (once per build; bad bytes are a RefsError)."""
        assert p.path is not None
        if p.src not in self._texts:
            text = self.read(p.path)
            # MkDocs loads the front matter itself (unbounded): within the limits first,
            # once per front matter while a served site runs (a YAML parse per page).
            block = m.group(1) if (m := YAML_RE.match(text)) else None
            passes = self.memory.passes
            if block is None or not (
                block in self.memory.front_matter or (passes and passes.front_matter_ok(block))
            ):
                split_front_matter(text, p.path)
                if block is not None and passes is not None:
                    passes.keep_front_matter(block)
            if block is not None:
                self._front_matter.add(block)
                self.memory.front_matter.add(block)
            self._texts[p.src] = text
        return self._texts[p.src]

    def read(self, path: Path) -> str:
        """A library file's text, read again only when its stat changed (a served site
        rereads nothing an edit did not touch)."""
        key = stat_key(path)
        kept = self.memory.texts.get(str(path))
        if key is not None and kept is not None and kept[0] == key:
            text = kept[1]
        else:
            text = fsio.read_text(path)
            if key is not None:
                self.memory.texts[str(path)] = (key, text)
        self._read_paths.add(str(path))
        return text

    def hashed(self, name: str, text: str) -> str:
        """digest(text), remembered under ``name``: an equal text (most often the very
        same string) is compared, not hashed again."""
        return self.remembered(name, text, digest)

    def remembered(
        self, name: str, text: str, make: Callable[[str], str], on_disk: bool = False
    ) -> str:
        """make(text), remembered under ``name`` while the text is equal (compared, which
        is far cheaper than parsing or hashing it again). ``on_disk``: kept between builds
        too (`pass_memo`), for a ``make`` that costs more than hashing the text; ``name``
        then says which function ``make`` is (its prefix), as on disk it is the key."""
        kept = self.memory.digests.get(name)
        if kept is None or not (kept[0] is text or kept[0] == text):
            passes = self.memory.passes if on_disk else None
            made = passes.derived(name, text) if passes is not None else None
            if made is None:
                made = make(text)
                if passes is not None:
                    passes.keep_derived(name, text, made)
            kept = self.memory.digests[name] = (text, made)
        self._hashed.add(name)
        return kept[1]

    @functools.cached_property
    def shape(self) -> str:
        """What the library's part of a page (a generated page, a card's strip, a topic
        doc's appendix, a source's header) is made of: the manifest, the curriculum and
        which files the library has (cards, sources, raw artifacts, topic docs, review
        records). No card's, topic doc's or full.md's text is in it."""
        root = self.lib.root
        names = []
        for top in ("refs", SOURCES_DIR):
            for folder, dirs, files in os.walk(root / top):
                dirs.sort()
                rel = os.path.relpath(folder, root)
                names.append((rel, sorted(files), list(dirs)))
                parts = rel.split(os.sep)
                if len(parts) == 3 and parts[0] == SOURCES_DIR and parts[2] == RAW_DIR:
                    # A source's raw/: whether it has artifacts (and provenance.json) is
                    # what pages say of it; its thousands of files are not walked, only
                    # as far as the first file of its folders.
                    subs = (os.path.join(folder, d) for d in dirs)
                    nested = any(found for sub in subs for _, _, found in os.walk(sub))
                    names.append((rel, ["(files below)"] if nested else [], []))
                    dirs.clear()
        return digest(self._whole(root / MANIFEST), self._whole(self.lib.curriculum_path), names)

    @functools.cached_property
    def generated_key(self) -> str:
        """What generated pages are made of: the shape, how far each topic doc is
        written (the topics index says it), each judged again only when its text changed,
        and the topics' and pages' titles (a topic the curriculum lacks, a guide: named by
        their file's own heading, which is no part of the shape)."""
        states = []
        for p in self.planned:
            if p.kind.prepare is not None and p.topic is not None and p.path is not None:
                state = self.remembered(
                    f"state:{p.src}:{digest(repr(p.topic))}",
                    self.text(p),
                    functools.partial(_topic_state, topic=p.topic),
                    on_disk=True,
                )
                states.append((p.src, state))
        titles = [(p.src, p.title) for p in self.planned]
        return digest(self.shape, states, [repr(t) for t in self.lib.topics], titles)

    def _whole(self, path: Path) -> str:
        try:
            return self.hashed(f"file:{path}", self.read(path))
        except (OSError, RefsError):
            return "unreadable"

    def source(self, p: SitePage) -> str:
        """The page's markdown as an author or a builder wrote it (front matter included)."""
        return self.text(p) if p.path is not None else self.generate(p)

    def _index_citing(self) -> None:
        """The cited-by index needs every citing page before any source page renders."""
        for p in self.planned:
            if not p.kind.citing or p.path is None:
                continue
            text = self.text(p)
            name = citing_title(p)
            key = digest(p.src, self.hashed(f"text:{p.src}", text), name, p.kind.name)
            self._citing_keys.append(key)
            found = self.memory.citing.get(key)
            passes = self.memory.passes
            if found is None and passes is not None:
                found = passes.backlinks(key)  # found by an earlier build
            if found is None:
                body, _ = split_front_matter(text)
                found = self.evidence.backlinks(p.src, body, name, is_card=p.kind.claims)
                if passes is not None:
                    passes.keep_backlinks(key, found)
            self.memory.citing[key] = found
            self.evidence.add_backlinks(found)

    # ---------- generated pages ----------
    def generate(self, p: SitePage) -> str:
        """A generated page's markdown, made again only when the library's shape (or the
        site's page set) changed: an edit to a card or a source's text reuses it."""
        if p.kind.build is None:
            raise ValueError(f"{p.src}: a {p.kind.name} page is a repo file, not generated")
        key = digest(p.kind.name, p.title, p.rid, p.topic, self._site_key, self.generated_key)
        kept = self.memory.generated.get(p.src)
        if kept is None or kept[0] != key:
            passes = self.memory.passes
            made = passes.generated(p.src, key) if passes is not None else None
            if made is None:
                made = p.kind.build(self.lib, self.links, p)
                if passes is not None:
                    passes.keep_generated(p.src, key, made)
            kept = self.memory.generated[p.src] = (key, made)
        return kept[1]

    # ---------- the site's own passes ----------
    def _dependencies(self, p: SitePage, body: str, meta: dict) -> tuple:
        """Everything but ``body`` that the page's final markdown depends on (cheap to
        compute, unlike the passes themselves): the library's part of the page (its
        hooks, a source's header) by what it is made of, not by making it."""
        kind = p.kind
        deps: list = [kind.name, p.src, p.title, self._site_key]
        if kind.judged:
            deps += [
                (k, self.resolver.state(c)) for k, c in self.cited_files(body, f"body:{p.src}")
            ]
        if kind.prepare is not None or kind.decorate is not None or kind.source:
            deps += [self.shape, repr(p.topic), p.rid, self.record_state(p, body, f"body:{p.src}")]
        if kind.source and p.rid:
            deps += [sorted(meta.items(), key=str), self._status(p.rid)]
            deps += sorted(self.evidence.cited_in(p.src).items())
            deps.append(self.figures.key(p.rid, p.src, body))
        return tuple(deps)

    def record_state(self, p: SitePage, body: str, name: str) -> str:
        """What a card's review record makes of it: the record, and the text of each
        source it cites (a cited passage that changed since the review is marked).
        ``name``: what `cited_files` remembers ``body`` as."""
        if not (p.kind.claims and p.rid):
            return ""
        record = self.lib.root / RECORD_DIR / f"{p.rid}.json"
        if stat_key(record) is None:
            return "no record"
        cited = []
        for (rid, path), _ in self.cited_files(body, name):
            file = self.lib.root / SOURCES_DIR / rid / path
            cited.append((rid, path, self._whole(file)))
        return digest(self._whole(record), cited)

    def cited_files(self, body: str, name: str | None = None) -> list[tuple]:
        """((rid, path), citation) per file the text cites: kept per text across rebuilds
        (``name``: what `hashed` remembers the text as, so it is not hashed again)."""
        key = self.hashed(name, body) if name else digest(body)
        found = self.memory.cited.get(key)
        if found is None:
            passes = self.memory.passes
            citations = passes.cited(key) if passes is not None else None
            if citations is None:
                citations = find_citations(body)
                if passes is not None:
                    passes.keep_cited(key, citations)
            cited = {(c.rid, c.path): c for c in citations}
            found = self.memory.cited[key] = sorted(cited.items())
        self._cited_keys.append(key)
        return found

    def render(
        self, p: SitePage, body: str | None = None, meta: Mapping[str, Any] | None = None
    ) -> Rendered:
        """The page's final markdown. ``body``/``meta``: the text MkDocs already split
        off (the plugin), else read and split here (the export)."""
        if body is None:
            body, meta = split_front_matter(self.source(p))
        meta = dict(meta or {})
        key = digest(self.hashed(f"body:{p.src}", body), self._dependencies(p, body, meta))
        kept = self.memory.pages.get(p.src)
        if kept is not None and kept[0] == key and self.reusable(kept[2]):
            return kept[1]
        passes = self.memory.passes
        found = None
        if passes is not None:  # a page of an earlier build (`pass_memo`)
            key_on_disk = digest(key, sorted(meta.items(), key=str), self.shape)
            found = self._kept_page(passes.page(p.src, key_on_disk))
        if found is not None:
            out, questions = found
        else:
            self._asked = {}
            try:
                out = self._render(p, body, meta)
            finally:
                asked, self._asked = self._asked, None
            questions = [[*k, v] for k, v in asked.items()]
            if passes is not None and not out.broken:
                passes.keep_page(
                    p.src,
                    key_on_disk,
                    [out.markdown, out.title, out.meta, out.warnings, questions],
                )
        self.memory.pages[p.src] = (key, out, questions)
        return out

    # ---------- pages kept on disk ----------
    # `_dependencies` names what a page's markdown depends on besides its text; on disk
    # its key adds the front matter and the library's shape (manifest, curriculum, which
    # files exist). A page also looks at other files while it renders (whether a linked
    # file exists, another page's anchors, a cited file's heading texts): those questions
    # are recorded with the page, in memory (a served site) and on disk, and asked again
    # before it is reused, from either.
    def reusable(self, asked) -> bool:
        """Whether every question a kept page asked ([kind, arg, answer] each) gets the
        answer it got (answers are kept per file while its text is the same: a reused
        page costs a comparison per question, not a parse)."""
        for kind, arg, answer in asked:
            if self._answer(kind, arg) != answer:
                return False
        return True

    def _kept_page(self, data: list | None) -> tuple[Rendered, list] | None:
        if data is None:
            return None
        try:
            markdown, title, meta, warnings, asked = data
            if not self.reusable(asked):
                return None
            page = Rendered(str(markdown), str(title), dict(meta), [str(w) for w in warnings])
            return page, [list(q) for q in asked]
        except (TypeError, ValueError, OSError):
            return None  # not in this shape (edited by hand): rendered again

    def _answer(self, kind: str, arg: str):
        if kind == "exists":
            return (self.lib.root / arg).exists()
        if kind == "file":
            return self._in_library(arg)
        if kind == "anchors":
            return self._anchors_digest(arg)
        if kind == "titles":
            if arg not in self._title_digests:
                self._title_digests[arg] = self._titles_digest(arg)
            return self._title_digests[arg]
        raise ValueError(kind)

    def _anchors_digest(self, src: str) -> str | None:
        """A digest of `page_anchors(src)`, of a text parsed once while it is the same."""
        p = self.pages.get(src)
        if p is None or p.path is None or (p.kind.source and p.rid):
            found = self.page_anchors(src)  # a full.md's: the resolver keeps them per file
            return digest(sorted(found)) if found is not None else None
        try:
            text = self.text(p)
        except RefsError:
            return None
        return self.remembered(f"anchors:{src}", text, _anchors_digest, on_disk=True)

    def _titles_digest(self, file: str) -> str:
        """A digest of `Evidence.titles(file)`, of a text parsed once while it is the same."""
        try:
            text = self.read(self.lib.root / file)
        except (OSError, RefsError):
            return digest([])
        return self.remembered(f"titles:{file}", text, _titles_digest, on_disk=True)

    def _ask(self, kind: str, arg: str):
        answer = self._answer(kind, arg)
        if self._asked is not None:
            self._asked[(kind, arg)] = answer
        return answer

    def _exists(self, path: str) -> bool:
        return self._ask("exists", path)

    def _anchors_asked(self, src: str) -> set[str] | None:
        if self._asked is not None:
            self._ask("anchors", src)
        return self.page_anchors(src)

    def _titles_asked(self, file: str) -> None:
        if self._asked is not None:
            self._ask("titles", file)

    def _render(self, p: SitePage, markdown: str, meta: dict) -> Rendered:
        lib = self.lib
        out = Rendered(markdown, label(p.title), {})
        raw_title = p.title
        if not p.from_repo:
            # The library's anchor rule on generated headings too: the same ids with or
            # without the plugin's toc slugify.
            out.markdown, _ = with_heading_ids(markdown)
        else:
            kind = p.kind
            if kind.prepare is not None:
                markdown = kind.prepare(lib, p, markdown)
            found = headings(markdown)  # anchors of the text as written
            if kind.source:
                # Links written against the original site resolve by the converter's rule
                # (line-preserving, so `found` still holds), whoever wrote the file.
                meta_now, _ = self._source_meta(p, meta)
                markdown, _ = resolve_links(
                    markdown, str(meta_now.get("source_url") or ""), p.src, self._file_asked
                )
            if kind.judged:
                # Line-preserving: claims are numbered and citations judged as written.
                markdown, out.broken = self.evidence.rewrite(p.src, markdown, is_card=kind.claims)
                out.warnings += [b.message() for b in out.broken]
            markdown, _ = with_heading_ids(markdown, found)
            if kind.source:
                markdown, raw_title = self._source_page(p, markdown, found, out, meta)
            if kind.decorate is not None:
                markdown = kind.decorate(lib, p, markdown)
            if kind.judged and isinstance(meta.get("status"), str):
                markdown = with_page_status(markdown, meta["status"])  # not a nav icon
            # Paths people write (judged pages: theirs) link to the pages they name. Last:
            # the GitHub pass may add blank lines, so it follows every pass counting lines.
            markdown = self.repo_links.rewrite(p.src, markdown, crossrefs=kind.judged)
            passes = self.memory.passes
            out.markdown = passes.gfm(markdown) if passes is not None else gfm(markdown)
        if not p.kind.searched:
            out.meta["search"] = {"exclude": True}  # Material's page option
        if shown := header_title(p.kind.label, raw_title):  # "Card: ...", escaped
            out.meta["title"] = shown
        return out

    def page_anchors(self, src: str) -> set[str] | None:
        """The anchors of a page from a repo file (None: a generated page, or unreadable)."""
        p = self.pages.get(src)
        if p is None or p.path is None:
            return None
        if p.kind.source and p.rid:
            return self.resolver.anchors(p.rid, src.split("/", 2)[2])
        try:
            return anchor_set(self.text(p))
        except RefsError:
            return None

    def _status(self, rid: str | None) -> str:
        return self.lib.resource(rid).status if rid and self.lib.has(rid) else ""

    def _file_asked(self, path: str) -> bool:
        return self._ask("file", path) if self._asked is not None else self._in_library(path)

    def _in_library(self, path: str) -> bool:
        """Whether a library path (normalised, inside the root) is a file of the library."""
        if path in self.published:
            return True
        try:
            return (self.lib.root / path).is_file()
        except (OSError, ValueError):  # a name no file system accepts (NUL, too long)
            return False

    def _source_meta(self, p: SitePage, parsed: dict) -> tuple[dict, str | None]:
        """(front matter, what is wrong with it) of a source page."""
        if parsed and all(k in parsed for k in FRONT_MATTER_KEYS):
            meta, problem = parsed, None  # what MkDocs' loader read is the front matter
        else:
            meta, problem = sources.front_matter_of(self.text(p))  # says what is wrong
        if problem and p.src != full_md_rel(p.rid or ""):
            problem = None  # another markdown file of a source: front matter optional
        return (meta or dict(parsed)), problem

    def _source_page(
        self, p: SitePage, markdown: str, found, out: Rendered, parsed: dict
    ) -> tuple[str, str]:
        """(markdown, title) of a source page; ``out.title`` becomes its own title."""
        meta, problem = self._source_meta(p, parsed)
        if problem:
            out.warnings.append(f"{p.src}: front matter: {problem}")
        title = str(meta["title"]) if meta.get("title") else p.title
        out.title = label(title)
        markdown = sources.add_cited_by(
            p.src, markdown, {h.line - 1: h.anchor for h in found}, self.evidence.cited_in(p.src)
        )
        markdown = search_text.bibliography(search_text.title_block(markdown))
        rid = p.resource_id()
        markdown = add_images(p.src, markdown, self.figures.page(rid, p.src, markdown))
        markdown = sources.source_page(self.lib, rid, markdown, meta, problem, self.links, p.src)
        return markdown, title

    def figure_files(self):
        """The figure images the source pages show (`figures.Shown`: site path, file)."""
        return self.figures.files(
            [
                (p.rid, p.src, self.text(p))
                for p in self.planned
                if p.kind.source and p.rid and p.path
            ]
        )

    def nav_with_rendered_titles(self) -> list:
        """The nav once pages are rendered: a source page is named by its own front
        matter title, as the plugin's MkDocs pages name themselves."""
        pages = []
        for p in self.planned:
            kept = self.memory.pages.get(p.src)
            if p.kind.source and kept is not None:
                pages.append(dataclasses.replace(p, title=kept[1].title))  # escaped already
            else:
                pages.append(_labelled(p))
        return build_nav(pages, {r.id: r.type for r in self.lib.resources})

    def broken_citations(self) -> list[Broken]:
        """Every broken citation of this build's pages (after they were rendered)."""
        out = []
        for src in self.pages:
            kept = self.memory.pages.get(src)
            if kept is not None:
                out += kept[1].broken
        return out

    def forget_the_rest(self) -> None:
        """Drop what the memory holds for files this build did not see (edited away)."""
        self.memory.pages = {k: v for k, v in self.memory.pages.items() if k in self.pages}
        self.memory.citing = {k: self.memory.citing[k] for k in self._citing_keys}
        self.memory.cited = {k: self.memory.cited[k] for k in self._cited_keys}
        self.memory.front_matter = self._front_matter
        self.memory.texts = {k: v for k, v in self.memory.texts.items() if k in self._read_paths}
        self.memory.digests = {k: v for k, v in self.memory.digests.items() if k in self._hashed}
        self.memory.generated = {k: v for k, v in self.memory.generated.items() if k in self.pages}
        live = set(self.resolver.keys)
        self.memory.anchors = {k: v for k, v in self.memory.anchors.items() if k in live}


def _anchors_digest(text: str) -> str:
    return digest(sorted(anchor_set(text)))


def _titles_digest(text: str) -> str:
    return digest(sorted(heading_titles(text).items()))


def _topic_state(text: str, topic: Topic) -> str:
    return topics.text_state(text, topic)


def citing_title(p: SitePage) -> str:
    """What "Cited by" calls a citing page: a card by its resource's title, a topic doc
    as "Topic 13: <title>" (never a bare id)."""
    if p.topic is not None:
        return f"{p.topic.label}: {short_topic_title(p.topic.title)}"
    return p.title or p.rid or p.src


def _labelled(p: SitePage) -> SitePage:
    """The page with its nav label escaped (MkDocs prints nav titles as HTML)."""
    return dataclasses.replace(p, title=label(p.title) if p.title else "")


__all__ = ["Backlink", "Memory", "Options", "Rendered", "Site", "label", "split_front_matter"]
