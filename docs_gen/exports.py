"""Machine-readable exports written at the site root: `refs.json` and `llms.txt`.

Both are functions of the `Library` and of the site plugin's `url_for(repo_rel_path,
anchor=None) -> str`, so every link in them is a link the built site serves. The
card data is `extract.views`, the same view `refs show --json` prints, with each
evidence citation given the URL of the heading it cites.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from extract import fsio
from extract.cards import find_citations, parse_card
from extract.citations import Resolver
from extract.full_md import full_md_rel
from extract.library import Library
from extract.markdown import escape
from extract.views import card_view, resource_facts

from .pages.paths import card_src

UrlFor = Callable[..., str]
EXPORT_VERSION = 1


def _card_with_urls(
    lib: Library,
    rid: str,
    resolver: Resolver,
    url_for: UrlFor,
    memo: dict | None = None,
    read: Callable[[Path], str] = fsio.read_text,
) -> dict | None:
    if not lib.has_card(rid):
        return None
    text = read(lib.card_path(rid))
    key = None
    if memo is not None:
        # Everything the view is made of: the card's text, what each citation resolves
        # to, which cards exist (related entries) and the URLs (``memo["scope"]``).
        found = memo.get(("citations", rid))
        if found is None or found[0] != text:
            found = memo[("citations", rid)] = (text, find_citations(text))
        judged = tuple((c.file, c.anchor, resolver.problem(c)) for c in found[1])
        key = (text, judged, memo.get("scope"))
        kept = memo.get(("view", rid))
        if kept is not None and kept[0] == key:
            return kept[1]  # shared with the memo: the exports only serialise it
    view = card_view(lib, parse_card(lib.card_path(rid), text, rid=rid), resolver)
    for claim in view["claims"]:
        for ev in claim["evidence"]:
            # A citation that does not resolve gets no URL: a link to nowhere is worse.
            ev["url"] = url_for(ev["path"], ev["anchor"]) if ev["resolves"] else None
    for rel in view["related"]:
        rel["url"] = url_for(card_src(rel["id"])) if rel["exists"] else None
    if memo is not None and key is not None:
        memo[("view", rid)] = (key, view)
    return view


def _topic_url(lib: Library, topic, url_for: UrlFor) -> str:
    return url_for(lib.rel(lib.topic_doc_path(topic)))


def refs_data(
    lib: Library,
    url_for: UrlFor,
    resolver: Resolver | None = None,
    memo: dict | None = None,
    read: Callable[[Path], str] = fsio.read_text,
) -> dict:
    """``memo``: card views of earlier builds (a served site), with ``memo["scope"]`` a
    digest of what every card's view shares (URLs, which cards exist); ``read``: how a
    card's text is read (a served site's reader keeps unchanged files)."""
    resolver = resolver or Resolver(lib)
    resources = []
    for res in lib.resources:
        facts = resource_facts(lib, res.id)
        facts["page_url"] = url_for(card_src(res.id))
        facts["source_md_url"] = url_for(facts["full_md_path"]) if facts["full_md_path"] else None
        facts["card"] = _card_with_urls(lib, res.id, resolver, url_for, memo, read)
        resources.append(facts)
    topics = [
        {
            "key": t.key,
            "title": t.title,
            "group": t.group,
            "url": _topic_url(lib, t, url_for),
            "resources": [r.id for r in lib.topic_resources(t.key)],
        }
        for t in lib.topics
    ]
    order = [{"step": s.step, "title": s.title, "ids": list(s.ids)} for s in lib.reading_order]
    return {
        "version": EXPORT_VERSION,
        "title": lib.curriculum.title,
        "topics": topics,
        "reading_order": order,
        "resources": resources,
    }


def build_refs_json(
    lib: Library,
    url_for: UrlFor,
    resolver: Resolver | None = None,
    memo: dict | None = None,
    read: Callable[[Path], str] = fsio.read_text,
) -> str:
    """`refs.json`: the manifest, the curriculum's words and every parsed card.

    `<`, `>` and `&` are written as JSON escapes: the data is the same, and a page that
    inlines the file in a `<script>` block cannot be broken out of by a title. Written
    compact: with `indent` the json module leaves its C encoder for the pure-Python one,
    about 0.3 s on every served rebuild of a populated library, for a file programs read."""
    data = refs_data(lib, url_for, resolver, memo, read)
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def _one_line(text: str, limit: int = 200) -> str:
    """The first sentence of ``text`` on one line, bounded (llms.txt notes are short)."""
    flat = " ".join(text.split())
    m = re.match(r"(.+?[.!?])(\s|$)", flat)
    first = m.group(1) if m else flat
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _link(name: str, url: str, note: str = "") -> str:
    # Markdown that shows the words: brackets kept out of the link syntax, and `<`, `>`,
    # `&` as entities so a title like `Evil <script>` is text wherever this is rendered.
    # A formula stays as written (`$O(n^2)$`): llms.txt is markdown, whose readers (an
    # agent, GitHub) take `$...$` for a formula; refs.json holds the library's text too.
    name = escape(name.replace("[", "(").replace("]", ")"), html=True)
    return f"- [{name}]({url})" + (f": {escape(note, html=True)}" if note else "")


def build_llms_txt(lib: Library, url_for: UrlFor) -> str:
    """`llms.txt`: `# title`, `> summary`, then `## sections` of `- [name](url): note`."""
    res = lib.resources
    with_card = [r for r in res if lib.has_card(r.id)]
    title = lib.curriculum.title or "Reference library"
    numbered = sum(1 for t in lib.topics if t.key != "meta")
    reviewed = sum(1 for r in with_card if r.status == "condensed")
    out = [
        f"# {escape(title, html=True)}",
        "",
        f"> A grounded reference library: {numbered} topics, {len(res)} resources, "
        f"{len(with_card)} resource cards ({reviewed} reviewed). A card's claims each cite a "
        "heading of the source's lossless markdown.",
        "",
        f"Everything below is also in one JSON file, [refs.json]({url_for('refs.json')}): "
        "manifest facts, parsed cards, and evidence links. From a checkout, "
        "`refs show <id> --json`, `refs cite <id> [N]` and `refs search <words>` answer the same "
        "questions offline.",
        "",
        "## Topics",
        "",
    ]
    for t in lib.topics:
        members = lib.topic_resources(t.key)
        cards = sum(1 for r in members if lib.has_card(r.id))
        note = f"{len(members)} resources, {cards} cards"
        out.append(_link(f"{t.label}: {t.title}", _topic_url(lib, t, url_for), note))
    out += ["", "## Cards", ""]
    for r in with_card:
        note = f"{r.type}, {r.status}; " + _one_line(lib.description(r.id) or r.title)
        out.append(_link(r.title, url_for(card_src(r.id)), note))
    without = [r for r in res if not lib.has_card(r.id)]
    if without:
        out += ["", "## Resources without cards", ""]
        for r in without:
            note = f"{r.type}, {r.status}; " + _one_line(lib.description(r.id) or r.title)
            out.append(_link(r.title, url_for(card_src(r.id)), note))
    sources = [r for r in res if lib.has_full_md(r.id)]
    if sources:
        out += ["", "## Optional", ""]
        for r in sources:
            path = full_md_rel(r.id)
            out.append(_link(f"{r.title} (full text)", url_for(path), "Tier 2 lossless markdown"))
    return "\n".join(out) + "\n"


def url_maker(site_urls: dict[str, str], site_url: str | None = None) -> UrlFor:
    """`url_for` over the plugin's {repo path: site URL} map.

    URLs are absolute when the site declares `site_url`, else relative to the site
    root (where both exports are written, so relative links still resolve). A path
    the site has no page for (say `refs.json` itself) keeps its own path.
    """
    base = (site_url or "").rstrip("/")

    def url_for(path: str, anchor: str | None = None) -> str:
        url = site_urls.get(path, path)
        if base:
            url = f"{base}/{url.lstrip('/')}"
        return url + (f"#{anchor}" if anchor else "")

    return url_for


def export_texts(
    lib: Library,
    site_urls: dict[str, str],
    site_url: str | None,
    resolver: Resolver | None = None,
    memo: dict | None = None,
    read: Callable[[Path], str] = fsio.read_text,
) -> dict:
    """{name: text} of the exports."""
    url_for = url_maker(site_urls, site_url)
    return {
        "refs.json": build_refs_json(lib, url_for, resolver, memo, read),
        "llms.txt": build_llms_txt(lib, url_for),
    }


def write_exports(
    lib: Library,
    config,
    site_urls: dict[str, str],
    texts: dict | None = None,
    resolver: Resolver | None = None,
    durable: bool = True,
) -> list[Path]:
    """Write `refs.json` and `llms.txt` at the site root (the plugin's on_post_build);
    ``texts``: what `export_texts` made (a served site keeps them while unchanged).
    ``durable=False`` (a served site's temporary folder, emptied by MkDocs on every
    rebuild, as its pages are): written plainly, without the atomic, synced write."""
    if texts is None:
        texts = export_texts(lib, site_urls, config.get("site_url"), resolver)
    site_dir = Path(config["site_dir"])
    written = []
    for name, text in texts.items():
        if durable:
            fsio.write_text(site_dir / name, text)
        else:
            (site_dir / name).write_text(text, encoding="utf-8", newline="")
        written.append(site_dir / name)
    return written
