"""What MkDocs itself redoes for every page on every rebuild, kept while it cannot change.

Under `mkdocs serve` (MkDocs 1.6) each rebuild loads a fresh config but reuses a plugin
instance that has `on_startup` (`config_options.Plugins.plugin_cache`), and runs every
event for every page: `on_files`, `on_nav`, then per page read -> `on_page_markdown` ->
Python-Markdown (`Page.render`) -> `on_page_content`, then per page `on_page_context`
(the search plugin indexes the page here) -> theme template -> `on_post_page`. Three
things dominate and are pure functions of their inputs, so this module keeps them
across rebuilds, each keyed by everything it reads:

- `Page.render` (Python-Markdown): key = the final markdown, the page's URL, every
  file's URL (relative links) and the markdown configuration. A hit restores content,
  toc, title, anchors and the link-check data, and replays what MkDocs logged.
- the theme template: key = the render key, the nav, the page's title, meta, URLs
  and the config. A hit renders a one-line template that prints the stored page.
- the search entries of the page: key = its URL, title, content, toc and meta.

- `refs.json` and `llms.txt`: key = the manifest's facts, the curriculum's words, every
  card, what its citations resolve against and what its review record says of them
  (when it was reviewed, which cited passages changed since), the URLs.

A changed file changes its own keys (and, through citations, those of the pages that
depend on it); everything else is a hit.

The plugin makes a `ServeCache` only when MkDocs starts with `serve` (`on_startup`):
what it does to MkDocs' objects (a page's `render` replaced on a hit, its private
render results read and restored, the search plugin's `add_entry_from_context` wrapped,
a template swapped for a printed page) relies on MkDocs internals that a plain
`mkdocs build`, with nothing to reuse, never touches.
"""

from __future__ import annotations

import json
import logging
import types
from dataclasses import dataclass, field

import jinja2
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from extract.cards import parse_card
from extract.review_record import record_path
from extract.views import staleness

from .exports import export_texts
from .exports_memo import exports_key
from .site import Site, digest

CACHED_TEMPLATE = "refs-library-cached-page.html"
CACHED_CONTEXT = "refs_library_cached_page"


@dataclass
class Converted:
    content: str
    toc: TableOfContents
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict | None
    records: list[logging.LogRecord]


class _Recorder(logging.Handler):
    """Keeps what MkDocs logs while one page converts, to replay it on a hit."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.records is not None and record.levelno >= logging.INFO:
            self.records.append(record)


def _json(value: object) -> str:
    return json.dumps(
        value, sort_keys=True, default=lambda o: getattr(o, "__qualname__", type(o).__name__)
    )


def toc_tree(toc) -> list:
    return [(t.title, t.id, t.level, toc_tree(t.children)) for t in toc]


def nav_tree(items) -> list:
    out = []
    for item in items:
        children = getattr(item, "children", None) or []
        out.append((item.title, getattr(item, "url", None), nav_tree(children)))
    return out


class _Bytecode(jinja2.BytecodeCache):
    """Compiled theme templates across rebuilds (each rebuild makes a new Jinja
    environment; Jinja checks each template's source checksum itself)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class _Printed:
    """A stand-in template that prints a stored output (same `render` as Jinja's)."""

    def __init__(self, output: str) -> None:
        self.output = output

    def render(self, *args, **kwargs) -> str:
        return self.output


@dataclass
class ServeCache:
    converted: dict[str, tuple[str, Converted]] = field(default_factory=dict)
    outputs: dict[str, tuple[str, str]] = field(default_factory=dict)
    search: dict[str, tuple[str, list]] = field(default_factory=dict)
    recorder: _Recorder = field(default_factory=_Recorder)
    bytecode: _Bytecode = field(default_factory=_Bytecode)
    templates: dict[str, tuple[str, str]] = field(default_factory=dict)  # 404.html, sitemap
    _exports: tuple[str, dict] | None = None
    card_views: dict = field(default_factory=dict)  # refs.json's view of each card
    review_memo: dict = field(default_factory=dict)  # rid -> (key, what its record says)
    _blanked: dict[str, str] = field(default_factory=dict)
    _digests: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (text, digest)
    # this build's state
    files_key: str = ""
    nav_key: str = ""
    render_keys: dict[str, str] = field(default_factory=dict)
    output_keys: dict[str, str] = field(default_factory=dict)
    hits: set[str] = field(default_factory=set)  # pages whose stored output is printed
    _restored: int = 0

    # ---------- one build ----------
    def start(self, config, files) -> None:
        """New build: the keys every page shares (files, markdown config, site config)."""
        self.render_keys, self.hits, self._restored = {}, set(), 0
        config_file = config.config_file_path or ""
        try:
            with open(config_file, "rb") as fh:
                config_bytes = fh.read()
        except OSError:
            config_bytes = b""
        site = {
            k: config.get(k)
            for k in (
                "site_name", "site_url", "repo_url", "repo_name", "edit_uri", "site_author",
                "site_description", "copyright", "extra", "extra_css", "extra_javascript",
                "use_directory_urls", "markdown_extensions", "mdx_configs",
            )
        }  # fmt: skip
        theme = {k: config.theme[k] for k in config.theme} if config.theme else {}
        self.files_key = digest(
            config_bytes,
            _json(site),
            _json(theme),
            _json(list(config.theme.dirs) if config.theme else []),
            _json(sorted((f.src_uri, f.url) for f in files)),
        )
        root = logging.getLogger("mkdocs")
        if self.recorder not in root.handlers:
            root.addHandler(self.recorder)

    def set_nav(self, nav) -> None:
        self.nav_key = digest(_json(nav_tree(nav.items)))

    def set_env(self, env) -> None:
        if env.bytecode_cache is None:
            env.bytecode_cache = self.bytecode

    # ---------- theme templates that are not pages (404.html, sitemap.xml) ----------
    def template(self, name: str, template):
        kept = self.templates.get(name)
        if kept is not None and kept[0] == digest(self.files_key, self.nav_key):
            return _Printed(kept[1])
        return template

    def keep_template(self, name: str, output: str) -> None:
        self.templates[name] = (digest(self.files_key, self.nav_key), output)

    def hashed(self, name: str, text: str) -> str:
        """digest(text), remembered under ``name``: a page's markdown or HTML that is the
        same string as last time (or an equal one) is compared, not hashed again."""
        kept = self._digests.get(name)
        if kept is None or not (kept[0] is text or kept[0] == text):
            kept = self._digests[name] = (text, digest(text))
        return kept[1]

    # ---------- Python-Markdown ----------
    def before_render(self, page: Page, markdown: str) -> None:
        """Restore a stored conversion instead of running Python-Markdown, on a hit."""
        src = page.file.src_uri
        key = digest(self.files_key, page.file.url, self.hashed(f"md:{src}", markdown))
        self.render_keys[src] = key
        kept = self.converted.get(src)
        if kept is not None and kept[0] == key:
            page.render = types.MethodType(_restore(kept[1]), page)  # type: ignore[method-assign]
            self._restored += 1
        else:
            self.recorder.records = []

    def restored(self, page: Page) -> bool:
        return "render" in vars(page)

    def after_render(self, page: Page, content: str) -> None:
        src = page.file.src_uri
        records, self.recorder.records = self.recorder.records, None
        if records is None:
            return  # restored: nothing new to keep
        self.converted[src] = (
            self.render_keys[src],
            Converted(
                content,
                page.toc,
                page._title_from_render,
                page.present_anchor_ids,
                page.links_to_anchors,
                records,
            ),
        )

    # ---------- the theme template ----------
    def output_key(self, page: Page) -> str:
        neighbours = [(p.title, p.url) if p else None for p in (page.previous_page, page.next_page)]
        return digest(
            self.render_keys.get(page.file.src_uri, ""),
            self.nav_key,
            page.title,
            page.url,
            page.canonical_url,
            page.edit_url,
            page.update_date,
            _json(page.meta),
            _json(neighbours),
            self.hashed(f"html:{page.file.src_uri}", page.content or ""),
        )

    def choose_outputs(self, pages) -> None:
        """Once every page is read (`on_env`), before any template runs: a page whose
        stored output has the same key prints it through the one-line template."""
        self.output_keys = {}
        for page in pages:
            src = page.file.src_uri
            key = self.output_keys[src] = self.output_key(page)
            kept = self.outputs.get(src)
            if kept is not None and kept[0] == key:
                self.hits.add(src)
                page.meta["template"] = CACHED_TEMPLATE

    def stored_output(self, page: Page) -> str | None:
        if page.file.src_uri in self.hits:
            return self.outputs[page.file.src_uri][1]
        return None

    def keep_output(self, page: Page, output: str) -> None:
        key = self.output_keys.get(page.file.src_uri)
        if key is not None:
            self.outputs[page.file.src_uri] = (key, output)

    @property
    def outputs_reused(self) -> int:
        return len(self.hits)

    @property
    def renders_reused(self) -> int:
        return self._restored

    # ---------- search ----------
    def wrap_search(self, plugins) -> None:
        """Keep each page's search entries: the search plugin of MkDocs or Material
        indexes a page with `search_index.add_entry_from_context(page)`, appending to
        `search_index.entries`; a page whose inputs are unchanged gets its entries back."""
        for plugin in plugins.values():
            index = getattr(plugin, "search_index", None)
            add = getattr(index, "add_entry_from_context", None)
            entries = getattr(index, "entries", None)
            if index is None or add is None or not isinstance(entries, list):
                continue

            def cached(page, index=index, add=add):
                # The output key covers URL, title, content, toc and meta already.
                key = self.output_keys.get(page.file.src_uri) or digest(
                    page.url, page.title, page.content, _json(toc_tree(page.toc))
                )
                kept = self.search.get(page.file.src_uri)
                if kept is not None and kept[0] == key:
                    index.entries.extend(kept[1])
                    return None
                n = len(index.entries)
                result = add(page)
                self.search[page.file.src_uri] = (key, index.entries[n:])
                return result

            index.add_entry_from_context = cached

    def blank_printed(self, page: Page) -> None:
        """A printed page needs no content for its template, and the search index has
        its entries: the search plugin's own pass over the content is skipped."""
        if page.file.src_uri in self.hits and page.content:
            self._blanked[page.file.src_uri] = page.content
            page.content = ""

    def unblank(self, page: Page) -> None:
        content = self._blanked.pop(page.file.src_uri, None)
        if content is not None:
            page.content = content

    # ---------- refs.json and llms.txt ----------
    def exports(self, site: Site, site_url: str | None) -> dict:
        """{name: text} of the exports, made again only when what they are made of
        changed; each card's view is kept while its text, what it cites and the URLs
        are the same."""
        reviewed = reviews(site, self.review_memo)
        key = exports_key(site, site_url, reviewed)
        if self._exports is None or self._exports[0] != key:
            memo = self.card_views
            cards = tuple(p.src for p in site.planned if p.kind.claims)
            scope = (
                tuple(sorted(site.urls.items())), cards, tuple(site.lib.ids), site_url,
                digest(repr(reviewed)),
            )  # fmt: skip
            if memo.get("scope") != scope:
                memo.clear()
                memo["scope"] = scope
            texts = export_texts(
                site.lib, dict(site.urls), site_url, site.resolver, memo, read=site.read
            )
            self._exports = (key, texts)
        return self._exports[1]

    def close(self) -> None:
        """The server stops: MkDocs' logger no longer feeds the recorder."""
        logging.getLogger("mkdocs").removeHandler(self.recorder)

    def forget(self, srcs: set[str]) -> None:
        """Drop pages the site no longer has."""
        for store in (self.converted, self.outputs, self.search):
            for src in [s for s in store if s not in srcs]:
                del store[src]
        for name in [n for n in self._digests if n.partition(":")[2] not in srcs]:
            del self._digests[name]


def _restore(c: Converted):
    def render(page: Page, config, files) -> None:
        page.content = c.content
        page.toc = c.toc
        page._title_from_render = c.title
        page.present_anchor_ids = c.anchors
        page.links_to_anchors = c.links_to_anchors
        for record in c.records:  # what MkDocs said about this page last time, said again
            logging.getLogger(record.name).handle(record)

    return render


def reviews(site: Site, memo: dict | None = None) -> list[tuple]:
    """What each reviewed card's record says now: its date and the cited passages that
    changed since (they change with the source's text, not only its headings). ``memo``
    (a served site): kept while the card, its record and the texts it cites are the same."""
    out = []
    for p in site.planned:
        if p.kind.claims and p.path is not None and p.rid:
            if record_path(site.lib, p.rid).is_file():
                text = site.text(p)
                name = f"text:{p.src}"
                key = digest(site.hashed(name, text), site.record_state(p, text, name))
                kept = memo.get(p.rid) if memo is not None else None
                if kept is None or kept[0] != key:
                    card = parse_card(p.path, text, rid=p.rid)
                    kept = (key, staleness(site.lib, card))
                    if memo is not None:
                        memo[p.rid] = kept
                out.append((p.rid, kept[1]))
    return out
