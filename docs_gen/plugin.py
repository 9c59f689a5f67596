"""The MkDocs plugin: the whole library as a site, re-read on every build.

Thin by design: it plans the pages (`site_files.plan`), adds them as virtual files under
their repo paths, asks the page builders for generated markdown, and runs the per-page
rewriters (heading ids, evidence, sibling links) and HTML passes (sanitising, MathML).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from extract.anchors import headings
from extract.full_md import full_md_rel
from extract.library import CARDS_DIR, MANIFEST, SOURCES_DIR, TOPICS_DIR, Library

from . import site_files
from .evidence import Evidence
from .exports import write_exports
from .headings import toc_slugify, with_heading_ids
from .links import Links
from .mathml import render_math
from .nav import build_nav
from .pages import cards as cards_page
from .pages import catalog as catalog_page
from .pages import dashboard, sources, topics
from .pages.common import header_title
from .repo_links import RepoLinks
from .sanitize import sanitize_html
from .site_files import SitePage

log = logging.getLogger("mkdocs.plugins.refs-library")

PACKAGE = Path(__file__).parent
ASSETS = PACKAGE / "assets"
TEMPLATES = PACKAGE / "templates"
ASSET_DIR = "assets/refs-library"
CSS = f"{ASSET_DIR}/refs-library.css"
JS = f"{ASSET_DIR}/refs-library.js"

# What the plugin's pages need from Python-Markdown, whatever mkdocs.yml says.
REQUIRED_EXTENSIONS = {
    "attr_list": {},
    "tables": {},
    "admonition": {},
    "md_in_html": {},
    "toc": {"permalink": True, "slugify": toc_slugify},
    "pymdownx.arithmatex": {"generic": True},
}


class LibraryConfig(Config):
    root = c.Optional(c.Type(str))  # the library's repo root; default: beside mkdocs.yml
    scope_drd_url = c.Type(str, default="")  # base URL of the sibling implementation repo
    publish_raw = c.Type(bool, default=False)  # publish sources/<id>/raw/ artifacts
    repo_blob_url = c.Type(str, default="")  # default: repo_url + edit_uri with edit->blob


class LibraryPlugin(BasePlugin[LibraryConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.lib: Library | None = None
        self.pages: dict[str, SitePage] = {}
        self.evidence: Evidence | None = None
        self.repo_links: RepoLinks | None = None
        self.site_urls: dict[str, str] = {}

    # ---------- configuration ----------
    @property
    def root(self) -> Path:
        return Path(self._root)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").resolve().parent
        self._root = str((base / self.config.root).resolve() if self.config.root else base)
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
        if CSS not in [str(x) for x in config.extra_css]:
            config.extra_css.append(CSS)
        if JS not in [str(x) for x in config.extra_javascript]:
            config.extra_javascript.append(JS)
        config.theme.dirs.insert(0, str(TEMPLATES))
        if not self.config.repo_blob_url and config.repo_url and config.edit_uri:
            edit = config.edit_uri.strip("/")
            if edit.startswith("edit/"):
                self.config.repo_blob_url = (
                    config.repo_url.rstrip("/") + "/blob/" + edit[len("edit/") :]
                )
        return config

    # ---------- files and nav ----------
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        lib = Library(self.root)  # re-read per build: live reload sees every edit
        self.lib = lib
        links = Links(config.use_directory_urls)
        planned = site_files.plan(lib)
        self.pages = {p.src: p for p in planned}
        self.evidence = Evidence(lib, links)

        for f in [f for f in files if site_files.is_library_file(lib, f.abs_src_path)]:
            files.remove(f)  # found in `docs_dir: refs`; published below under its repo path
        for p in planned:
            existing = files.get_file_from_path(p.src)
            if existing is not None:
                log.info("%s in docs_dir is replaced by the library's page", p.src)
                files.remove(existing)
            files.append(self._file(p, config, lib, links))
        for name in ("refs-library.css", "refs-library.js"):
            files.append(
                File.generated(config, f"{ASSET_DIR}/{name}", abs_src_path=str(ASSETS / name))
            )
        published = {p.src for p in planned}
        if self.config.publish_raw:
            for src, path in site_files.raw_files(lib):
                files.append(_static(config, src, path))
                published.add(src)
        self.repo_links = RepoLinks(
            lib.root,
            published.__contains__,
            self.config.scope_drd_url,
            self.config.repo_blob_url,
        )
        # The cited-by index needs every citing page before any source page renders.
        for p in planned:
            if p.kind in ("card", "topic-doc") and p.path is not None:
                body, _ = get_data(p.path.read_text(encoding="utf-8"))
                label = p.rid or (p.topic.label if p.topic else p.src)
                self.evidence.index(p.src, body, label, is_card=p.kind == "card")
        config.nav = build_nav(planned, {r.id: r.type for r in lib.resources})
        self.site_urls = {p.src: links.url(p.src) for p in planned}
        return files

    def _file(self, p: SitePage, config: MkDocsConfig, lib: Library, links: Links) -> File:
        if p.path is not None:
            f = File.generated(config, p.src, abs_src_path=str(p.path))
            f.edit_uri = p.src  # the repo path: edit links open the real file
            return f
        return File.generated(config, p.src, content=self._generate(p, lib, links))

    def _generate(self, p: SitePage, lib: Library, links: Links) -> str:
        if p.kind == "home":
            return dashboard.build_dashboard(lib, links)
        if p.kind == "catalog":
            return catalog_page.build_catalog(lib, links)
        if p.kind == "topics-index":
            return topics.build_topic_index(lib)
        if p.kind == "topic":
            return topics.build_topic_page(lib, p.topic)
        if p.kind == "cards-index":
            return cards_page.build_cards_index(lib)
        if p.kind == "card-stub":
            return cards_page.build_card_stub(lib, lib.resource(p.rid))
        if p.kind == "sources-index":
            return sources.build_sources_index(lib)
        raise ValueError(f"no builder for page kind {p.kind}")

    # ---------- pages ----------
    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        p = self.pages.get(page.file.src_uri)
        if p is None or self.lib is None or self.evidence is None:
            return markdown
        lib = self.lib
        if p.kind == "topic-doc":
            markdown = topics.topic_doc_page(lib, p.topic, markdown)
        found = headings(markdown)  # anchors of the text as written
        if p.from_repo and p.kind != "source":
            # Line-preserving: claims are numbered and citations judged on the card as written.
            markdown, broken = self.evidence.rewrite(p.src, markdown, is_card=p.kind == "card")
            for b in broken:
                log.warning(b.message())
        markdown, _ = with_heading_ids(markdown, found)
        if p.kind == "source":
            markdown = self._source_page(p, page, markdown, found)
        elif p.kind == "card" and p.rid and lib.has(p.rid):
            markdown = cards_page.card_page(lib, p.rid, markdown)
        if p.from_repo and self.repo_links is not None:
            markdown = self.repo_links.rewrite(p.src, markdown)
        if shown := header_title(p.kind, page.title):  # "Card: ...", "Source: ..."
            page.meta["title"] = shown
        return markdown

    def _source_page(self, p: SitePage, page: Page, markdown: str, found) -> str:
        assert self.lib is not None and self.evidence is not None and p.path is not None
        meta, problem = sources.front_matter_of(p.path.read_text(encoding="utf-8"))
        if problem and p.src != full_md_rel(p.rid or ""):
            problem = None  # another markdown file of a source: front matter optional
        if problem:
            log.warning("%s: front matter: %s", p.src, problem)
        if not meta:
            meta = {k: v for k, v in page.meta.items()}
        if meta.get("title"):
            page.title = str(meta["title"])
        markdown = sources.add_cited_by(
            p.src, markdown, {h.line - 1: h.anchor for h in found}, self.evidence.cited_by
        )
        return sources.source_page(
            self.lib, p.rid, markdown, meta, problem, self._links(page), p.src
        )

    def _links(self, page: Page) -> Links:
        return Links(page.file.use_directory_urls)

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        p = self.pages.get(page.file.src_uri)
        if p is not None and p.from_repo:
            html = sanitize_html(html)  # untrusted text: nothing live survives
        return render_math(html)

    # ---------- after the build ----------
    def on_post_build(self, config: MkDocsConfig) -> None:
        """The machine-readable exports (`refs.json`, `llms.txt`) beside the pages."""
        if self.lib is not None:
            write_exports(self.lib, config, dict(self.site_urls))

    # ---------- live reload ----------
    def on_serve(self, server, config: MkDocsConfig, builder):
        root = self.root
        for rel in (TOPICS_DIR, CARDS_DIR, SOURCES_DIR, "refs"):
            if (root / rel).is_dir():
                server.watch(str(root / rel))
        # The curriculum (in the root), the manifest, and a `sources/` created later.
        server.watch(str(root), recursive=False)
        server.watch(str((root / MANIFEST).parent), recursive=False)
        return server


def _static(config: MkDocsConfig, src: str, path: Path) -> File:
    """A repo file published as-is, even a `.md` (raw artifacts are not pages)."""
    f = File.generated(config, src, abs_src_path=str(path))
    if f.is_documentation_page():
        f.is_documentation_page = lambda: False  # type: ignore[method-assign]
        f.dest_uri = src
        f.url = src
    return f
