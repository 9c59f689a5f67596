"""The MkDocs plugin: the whole library as a site, re-read on every build.

Thin by design: `site.Site` plans the pages and writes each one's final markdown (the
same markdown `refs site --out` exports); this adapter adds them as virtual files under
their repo paths, hands MkDocs that markdown, and runs the HTML passes (sanitising,
MathML). Under `mkdocs serve` the instance survives rebuilds (it has `on_startup`), so
`site.Memory` and `serve_cache.ServeCache` keep what an edit did not touch: a rebuild
converts, templates and indexes only the pages whose inputs changed. The serve cache
exists only when MkDocs started with `serve`: it reaches into MkDocs' pages, templates
and search plugin, which a plain `mkdocs build` (one build, nothing to reuse) leaves
exactly as MkDocs made them.

Library errors (a manifest that does not parse, a file that is not UTF-8) stop the build
as a `PluginError` with the file:line message `refs check` prints, not a traceback.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from extract import markdown, memo
from extract.errors import RefsError
from extract.library import CARDS_DIR, CURRICULUM, MANIFEST, SOURCES_DIR, TOPICS_DIR, Library

from . import heading_math, raw_publish, site_files, theme_mirror
from .exports import write_exports
from .exports_memo import kept_exports
from .gfm import EXTENSIONS as GFM_EXTENSIONS
from .headings import toc_slugify
from .math_store import MathStore, Prefetch
from .mathml import render_math
from .nav_view import PageViews, fold_sidebars
from .pass_memo import PassMemo
from .reload_server import told_by_the_kernel
from .sanitize import sanitize_html
from .serve_cache import CACHED_CONTEXT, ServeCache
from .serve_log import RepeatedWarnings
from .site import Memory, Options, Site, digest
from .site_files import SitePage
from .theme_meta import edit_url, theme_meta

log = logging.getLogger("mkdocs.plugins.refs-library")

PACKAGE = Path(__file__).parent
ASSETS = PACKAGE / "assets"
TEMPLATES = PACKAGE / "templates"
ASSET_DIR = "assets/refs-library"
ASSET_NAMES = ("refs-library.css", "refs-library.js")
CSS = f"{ASSET_DIR}/refs-library.css"
JS = f"{ASSET_DIR}/refs-library.js"

# What the plugin's pages need from Python-Markdown, whatever mkdocs.yml says.
REQUIRED_EXTENSIONS: dict[str, dict[str, Any]] = {
    "attr_list": {},
    "tables": {},
    "admonition": {},
    "md_in_html": {},
    "toc": {"permalink": True, "slugify": toc_slugify},
    "pymdownx.arithmatex": {"generic": True},
    **GFM_EXTENSIONS,  # GitHub's reading of lists, bare URLs, strikethrough (gfm.py)
    "docs_gen.gfm_escapes": {},  # a backslash escapes any punctuation, as on GitHub
    "docs_gen.link_brackets": {},  # last: links in linear time (link_brackets.py)
}


class LibraryConfig(Config):
    root = c.Optional(c.Type(str))  # the library's repo root; default: beside mkdocs.yml
    scope_drd_url = c.Type(str, default="")  # base URL of the sibling implementation repo
    publish_raw = c.Type(bool, default=False)  # publish sources/<id>/raw/ artifacts, inert
    repo_blob_url = c.Type(str, default="")  # default: repo_url + edit_uri with edit->blob
    # `mkdocs serve` learns of edits from inotify (reload_server.py); true: MkDocs' own
    # polling every 0.5 s, for a library on a network drive, whose edits inotify misses.
    poll_for_edits = c.Type(bool, default=False)


def library_errors(method):
    """A library problem inside a build event is the build's error, said once, as
    `file:line: what to do` with the file relative to the library (as `refs check`)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RefsError as exc:
            if exc.path and Path(exc.path).is_absolute():
                try:
                    exc.path = Path(exc.path).resolve().relative_to(self.root).as_posix()
                except ValueError:
                    pass  # outside the library: keep it as it is
            raise PluginError(f"refs-library: {exc}") from None

    return wrapper


def require_extensions(config: MkDocsConfig) -> None:
    for name, options in REQUIRED_EXTENSIONS.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
        merged = dict(options)
        merged.update(config.mdx_configs.get(name, {}))
        if name == "toc":
            merged.setdefault("slugify", toc_slugify)
        if name == "pymdownx.arithmatex":
            merged["generic"] = True  # MathML is made from the generic output
        config.mdx_configs[name] = merged


class LibraryPlugin(BasePlugin[LibraryConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.site: Site | None = None
        self.memory = Memory()  # survives rebuilds under `mkdocs serve`
        self.cache: ServeCache | None = None  # only under `mkdocs serve` (on_startup)
        self.repeats = RepeatedWarnings()
        self.command = ""
        self._library: tuple[str, Library] | None = None
        self._prefetch: Prefetch | None = None
        self._math: MathStore | None = None  # formulas of earlier builds, on disk
        self._texts: dict[str, str] = {}  # this build's library files (path -> text)
        self._passes: PassMemo | None = None  # pure passes' results of earlier builds
        self._kept = False  # both written after a build in this process
        self._library_files: dict[tuple, bool] = {}  # (root, path in docs_dir) -> ours?
        self._views: PageViews | None = None  # this build's nav, as each page shows it
        # The search entries before the page being indexed, when its headings hold a
        # formula: (entries, count, formulas), for `heading_math.search_titles`.
        self._indexed: tuple[list, int, list[str]] | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this instance (and its memory) across rebuilds;
        the serve cache is made here, for `serve` only."""
        self.command = command
        if command != "serve":
            self.cache = None
        elif self.cache is None:
            self.cache = ServeCache()

    # ---------- configuration ----------
    @property
    def root(self) -> Path:
        return Path(self._root)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").resolve().parent
        self._root = str((base / self.config.root).resolve() if self.config.root else base)
        require_extensions(config)
        if CSS not in [str(x) for x in config.extra_css]:
            config.extra_css.append(CSS)
        if JS not in [str(x) for x in config.extra_javascript]:
            config.extra_javascript.append(JS)
        if str(TEMPLATES) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(TEMPLATES))
        # Material's 14,500 icons are not listed on every (re)build (theme_mirror.py).
        config.theme.dirs[:] = [theme_mirror.mirrored(self.root, d) for d in config.theme.dirs]
        if not self.config.repo_blob_url and config.repo_url and config.edit_uri:
            edit = config.edit_uri.strip("/")
            if edit.startswith("edit/"):
                self.config.repo_blob_url = (
                    config.repo_url.rstrip("/") + "/blob/" + edit[len("edit/") :]
                )
        return config

    def _open_library(self) -> Library:
        """The library, re-read per build (live reload sees every edit); its parsed
        manifest and curriculum are kept while neither file changed."""
        root = self.root
        parts = []
        for rel in (MANIFEST, CURRICULUM):
            try:
                parts.append((root / rel).read_bytes())
            except OSError:
                parts.append(b"")
        key = digest(str(root), *parts)
        if self._library is None or self._library[0] != key:
            lib = Library(root, read_only=True)  # a build never saves the manifest
            lib.resources  # noqa: B018 - parse now: a bad manifest fails here, with its line
            lib.topics  # noqa: B018
            self._library = (key, lib)
        return self._library[1]

    # ---------- files and nav ----------
    @library_errors
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        lib = self._open_library()
        raw = raw_publish.plan(lib) if self.config.publish_raw else []
        options = Options(
            scope_drd_url=self.config.scope_drd_url,
            repo_blob_url=self.config.repo_blob_url,
            use_directory_urls=config.use_directory_urls,
            published_extra=tuple(r.src for r in raw),
        )
        if self._passes is None:
            self._passes = self.memory.passes = markdown.blocks_memo = PassMemo.of(self.root)
            self._passes.load()
        site = self.site = Site(lib, options, self.memory)
        for f in [f for f in files if self._is_library_file(lib, f.abs_src_path)]:
            files.remove(f)  # found in `docs_dir: refs`; published below under its repo path
        for p in site.planned:
            existing = files.get_file_from_path(p.src)
            if existing is not None:
                log.info("%s in docs_dir is replaced by the library's page", p.src)
                files.remove(existing)
            if p.path is not None:
                f = File.generated(config, p.src, abs_src_path=str(p.path))
                f.edit_uri = p.src  # the repo path: edit links open the real file
            else:
                f = File.generated(config, p.src, content=site.generate(p))
            if not p.kind.in_nav:  # linked from other pages; `omitted_files` need not warn
                f.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(f)
        for name in ASSET_NAMES:
            files.append(
                File.generated(config, f"{ASSET_DIR}/{name}", abs_src_path=str(ASSETS / name))
            )
        for r in raw:
            files.append(_static(config, r.src, r.path))
        for image in site.figure_files():
            files.append(_static(config, image.src, image.path))
        site.figures.make(background=True)  # on the second core while pages convert
        config.nav = site.nav
        if self.cache is not None:
            self.cache.start(config, files)
        self._start_prefetch(site)
        return files

    def _is_library_file(self, lib: Library, path: str | None) -> bool:
        """`site_files.is_library_file`, answered once per path while the library is."""
        key = (lib.root, path)
        if key not in self._library_files:
            self._library_files[key] = site_files.is_library_file(lib, path)
        return self._library_files[key]

    def _start_prefetch(self, site: Site) -> None:
        """Formulas of the files the store does not know go to a worker while MkDocs
        reads (the texts are read once, here, for the pages too)."""
        if self._math is None:
            self._math = MathStore.of(self.root)
        self._texts = {}
        for p in site.planned:
            if p.path is not None:
                try:
                    self._texts[str(p.path)] = site.text(p)
                except (OSError, RefsError):
                    continue  # the page's own read reports it
        fresh = self._math.unknown(self._texts)
        store = str(self._math.path) if self._math.stored else ""
        self._prefetch = Prefetch([Path(f) for f in fresh], store=store, texts=self._texts)

    def on_nav(self, nav, config: MkDocsConfig, files: Files):
        if self.cache is not None:
            self.cache.set_nav(nav)
        # Titles MkDocs may print as HTML are escaped, here and in the <title> template.
        return nav

    def on_pre_build(self, config: MkDocsConfig) -> None:
        memo.next_generation()  # answers only the last build asked for go now
        if self.cache is not None:  # under `mkdocs serve`
            self.cache.wrap_search(config.plugins)
            self.repeats.install(skip=(self.cache.recorder,))

    # ---------- pages ----------
    def _page(self, page: Page) -> tuple[Site, SitePage] | None:
        """This build's site and its page for an MkDocs page (None: not one of ours)."""
        if self.site is None or (p := self.site.pages.get(page.file.src_uri)) is None:
            return None
        return self.site, p

    @library_errors
    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        """The library's text, read by the one reader (bad bytes name file and line)."""
        ours = self._page(page)
        if ours is None:
            return None
        site, p = ours
        if p.path is None:
            return page.file.content_string
        return site.text(p)

    @library_errors
    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        page.edit_url = edit_url(page.edit_url)
        ours = self._page(page)
        if ours is None:
            page.meta = theme_meta(page.meta)  # the one rule on front matter (theme_meta.py)
            out = markdown
        else:
            site, p = ours
            rendered = site.render(p, markdown, page.meta)
            for warning in rendered.warnings:
                log.warning(warning)
            # After the render, which read the page's own keys (a source's header; a
            # card's `status:`, said in words, never Material's nav icon).
            page.meta = theme_meta(page.meta)
            if p.kind.source:
                page.title = rendered.title  # its own (front matter) title, escaped
            if "search" in rendered.meta:  # Material's search options for the page
                page.meta["search"] = rendered.meta["search"]
            if rendered.meta.get("title"):  # "Card: ...": header and <title>, escaped
                page.meta["title"] = rendered.meta["title"]
            _title_formulas(page)
            out = rendered.markdown
        if self.cache is not None:
            self.cache.before_render(page, out)
        return out

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.cache is not None and self.cache.restored(page):
            return html  # kept from a build that sanitised it
        # Untrusted text and library-derived labels alike: nothing live survives.
        html = self._passes.sanitize(html) if self._passes else sanitize_html(html)
        heading_math.toc_formulas(page.toc, html)  # from the sanitised headings
        if self.cache is not None:
            self.cache.after_render(page, html)
        return html

    def on_env(self, env, config: MkDocsConfig, files: Files):
        # MkDocs copies static files next: the figure images must be made by then.
        if self.site is not None:
            for shown, problem in self.site.figures.finish():
                log.warning("refs-library: figure image %s not made: %s", shown.src, problem)
                if (f := files.get_file_from_path(shown.src)) is not None:
                    files.remove(f)
        if self.cache is not None:
            self.cache.set_env(env)
            self.cache.choose_outputs(f.page for f in files.documentation_pages() if f.page)
        return env

    @event_priority(100)  # before the search plugin reads the context
    def _context_first(self, context, page: Page, config: MkDocsConfig, nav):
        self._indexed = None
        formulas = heading_math.page_formulas(page.toc)
        if formulas or page.meta.get(heading_math.TITLE_TEXT):
            index = _search_entries(config)
            self._indexed = (index, len(index), formulas) if index is not None else None
        if self.cache is None:
            return context
        stored = self.cache.stored_output(page)
        if stored is not None:
            context[CACHED_CONTEXT] = stored
            self.cache.blank_printed(page)
        return context

    @event_priority(-100)  # after every other plugin saw it
    def _context_last(self, context, page: Page, config: MkDocsConfig, nav):
        if self._indexed is not None:  # this page's search entries, made just now
            index, before, formulas = self._indexed
            titled = (page.meta.get("title"), page.meta.get(heading_math.TITLE_TEXT))
            heading_math.search_titles(index[before:], formulas, titled)
            self._indexed = None
        if self.cache is not None:
            self.cache.unblank(page)
        # Closed sections cut to what Material prints of them (nav_view.py): a page's
        # nav no longer costs the whole library.
        if nav is not None and context.get("nav") is nav:
            if self._views is None or self._views.nav is not nav:
                self._views = PageViews(nav, config.theme.get("features") or ())
            context["nav"] = self._views.current()
        return context

    on_page_context = CombinedEvent(_context_first, _context_last)

    def on_pre_template(self, template, template_name: str, config: MkDocsConfig):
        return self.cache.template(template_name, template) if self.cache else template

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig):
        if self.cache is not None:
            self.cache.keep_template(template_name, output_content)
        return output_content

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.cache is not None and self.cache.stored_output(page) is not None:
            return output
        # MathML after the search plugin indexed the page: the index holds the formula's
        # TeX (what a reader types), not thousands of MathML tags.
        if self._prefetch is not None:
            self._prefetch.collect()
        output = fold_sidebars(render_math(output))
        if titled := _neighbours_titled(page):
            output = heading_math.footer_titles(output, titled)
        if self.cache is not None:
            self.cache.keep_output(page, output)
        return output

    # ---------- after the build ----------
    @library_errors
    def on_post_build(self, config: MkDocsConfig) -> None:
        """Strict builds fail on a broken citation whatever the log level; then the
        machine-readable exports (`refs.json`, `llms.txt`) beside the pages."""
        self._stop_prefetch()
        site = self.site
        if site is None:
            return
        cache = self.cache
        texts = None
        if cache is None and self._passes is not None:  # kept with the passes, saved next
            texts = kept_exports(site, config.get("site_url"), self._passes)
        if cache is None or not self._kept:  # served: once, and at the end
            self._keep()
        broken = site.broken_citations()
        if config.strict and broken:
            raise PluginError(
                f"refs-library: {len(broken)} broken citation(s) in strict mode:\n"
                + "\n".join(f"  {b.message()}" for b in broken)
            )
        if cache is not None:
            texts = cache.exports(site, config.get("site_url"))
        write_exports(
            site.lib, config, dict(site.urls), texts=texts, resolver=site.resolver,
            durable=cache is None,
        )  # fmt: skip
        if cache is not None:
            if cache.outputs_reused or cache.renders_reused:
                log.info(
                    "refs-library: %d pages unchanged since the last build, %d converted again",
                    cache.outputs_reused,
                    len(site.pages) - cache.outputs_reused,
                )
            cache.forget(set(site.pages))
        site.forget_the_rest()
        self._views = None
        self.repeats.summary(log)

    def _keep(self) -> None:
        """What this process computed, on disk for the next build (the caches)."""
        self._kept = True
        if self._math is not None:  # every page rendered: their formulas are all known
            self._math.save(list(self._texts.values()))
        if self._passes is not None:
            self._passes.save()

    def _stop_prefetch(self) -> None:
        if self._prefetch is not None:
            self._prefetch.close()
            self._prefetch = None

    def on_build_error(self, error: Exception) -> None:
        self._stop_prefetch()
        if self.site is not None:
            self.site.figures.stop()

    def on_shutdown(self) -> None:
        self._stop_prefetch()
        if self.cache is not None and self._kept:
            self._keep()
        if self.site is not None:
            self.site.figures.stop()
        if self.cache is not None:
            self.cache.close()

    # ---------- live reload ----------
    def on_serve(self, server, config: MkDocsConfig, builder):
        """Each library folder watched once (a folder inside one already watched, MkDocs'
        own `docs_dir`, `refs/` holding the cards and topic docs, is not watched again);
        then the server that learns of edits from inotify at once (reload_server.py)."""
        root = self.root
        trees = [Path(config.docs_dir).resolve()]  # MkDocs watches its docs_dir itself
        for rel in ("refs", TOPICS_DIR, CARDS_DIR, SOURCES_DIR):
            folder = (root / rel).resolve()
            if folder.is_dir() and not any(folder.is_relative_to(t) for t in trees):
                server.watch(str(folder))
                trees.append(folder)
        # The curriculum (in the root), the manifest, and a `sources/` created later.
        server.watch(str(root), recursive=False)
        manifest_dir = (root / MANIFEST).parent.resolve()
        if not any(manifest_dir.is_relative_to(t) for t in trees):
            server.watch(str(manifest_dir), recursive=False)
        return server if self.config.poll_for_edits else told_by_the_kernel(server)


def _title_formulas(page: Page) -> None:
    """A page title with a formula: MathML in the nav (Material's `typeset`, which its
    nav and our footer print instead of the title) and the header (`meta.title`, which
    Material prints as HTML); its TeX as text in `<title>` (`meta.refs_title_text`,
    main.html). The title itself stays text: search, `aria-label`s and the exports
    read it."""
    if page.title and (nav := heading_math.escaped_title(page.title)):
        page.typeset = {"title": nav[0]}  # type: ignore[attr-defined]
        page.refs_titled = nav  # type: ignore[attr-defined]  # the footer's (footer_titles)
    header = page.meta.get("title") or page.title
    if header and (shown := heading_math.escaped_title(str(header))):
        page.meta["title"], page.meta[heading_math.TITLE_TEXT] = shown


def _neighbours_titled(page: Page) -> dict[str, tuple[str, str]]:
    """The footer's neighbours whose title holds a formula: printed title -> (HTML, text)."""
    out = {}
    for n in (page.previous_page, page.next_page):
        if n is not None and (titled := getattr(n, "refs_titled", None)) is not None:
            out[str(n.title)] = titled
    return out


def _search_entries(config: MkDocsConfig) -> list | None:
    """The entries list of the search plugin's index (MkDocs' or Material's), if any."""
    for plugin in config.plugins.values():
        entries = getattr(getattr(plugin, "search_index", None), "entries", None)
        if isinstance(entries, list):
            return entries
    return None


def _static(config: MkDocsConfig, src: str, path: Path) -> File:
    """A file published as-is, even a `.md` (raw artifacts are not pages)."""
    f = File.generated(config, src, abs_src_path=str(path))
    if f.is_documentation_page():
        f.is_documentation_page = lambda: False  # type: ignore[method-assign]
        f.dest_uri = src
        f.url = src
    return f
