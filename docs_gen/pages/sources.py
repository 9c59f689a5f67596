"""Sources: each `sources/<id>/full.md` with its front matter as a header and, at each
cited heading, links back to the claims that cite it."""

from __future__ import annotations

import html
import re

from extract.anchors import explicit_anchors
from extract.errors import RefsError
from extract.full_md import FRONT_MATTER_KEYS, SOURCE_SHA256, authors_of, full_md_rel, parse
from extract.library import Library
from extract.progress import next_step

from ..evidence import Backlink
from ..links import Links, md_path
from .paths import SOURCES_INDEX, card_src
from .snippets import badge, maintainers, md_link
from .tables import reflowing
from .titles import SOURCE_LABEL, after_title, breadcrumb, topic_crumbs, with_kind_label

# Front matter a reader has no use for (it tells a re-fetch what changed): shown to
# maintainers only.
FOR_MAINTAINERS = (SOURCE_SHA256,)

_LABELS = {
    "source_url": "Original",
    "fetch_date": "Fetched",
    "source_type": "Type",
    "author": "Author",
    "conversion_notes": "About this copy",
}


_MARKER_LINE = re.compile(r"""^<a id="[^"]+"></a>$""")


def front_matter_of(text: str) -> tuple[dict, str | None]:
    """(fields, problem): the full.md front matter, or what is wrong with it."""
    try:
        meta, _ = parse(text)
        return meta, None
    except RefsError as exc:
        return {}, exc.message


def source_header(
    lib: Library, rid: str, meta: dict, problem: str | None, links: Links, here: str = ""
) -> str:
    """The front matter as an HTML header block (not raw YAML), kept out of search: the
    index holds the source's text, not its provenance.

    ``problem`` (a front matter that does not parse) is for maintainers: see
    `source_maintainers`. ``here``: the page's path (default: the source's full.md).
    """
    here = here or full_md_rel(rid)
    rows = []
    # The known keys in their order, then any others the file carries (kept as written).
    extra = [k for k in meta if k not in (*FRONT_MATTER_KEYS, "authors")]
    for key in (*FRONT_MATTER_KEYS, *extra):
        if key == "title" or key in FOR_MAINTAINERS:
            continue
        value = ", ".join(authors_of(meta)) if key == "author" else meta.get(key)
        if isinstance(value, dict):
            continue
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        text = str(value).strip()
        if key == "source_url" and text.startswith(("http://", "https://")):
            shown = f'<a href="{html.escape(text, quote=True)}">{html.escape(text)}</a>'
        elif key == "conversion_notes":
            notes = "<br>".join(html.escape(x) for x in text.splitlines())
            shown = f"<details><summary>how it was converted</summary>{notes}</details>"
        else:
            shown = html.escape(text)
        label = _LABELS.get(key) or str(key).replace("_", " ").capitalize()
        if key == "author" and len(authors_of(meta)) > 1:
            label = "Authors"
        rows.append(f"<dt>{html.escape(label)}</dt><dd>{shown}</dd>")
    if lib.has(rid):
        res = lib.resource(rid)
        rows.append(f"<dt>Status</dt><dd>{badge(res.status)}</dd>")
    if lib.has(rid) or lib.has_card(rid):
        card = html.escape(links.href(here, card_src(rid)))
        text = "read the card" if lib.has_card(rid) else "no card yet"
        rows.append(f'<dt>Card</dt><dd><a href="{card}">{text}</a></dd>')
    return '<dl class="refs-source-header" data-search-exclude>' + "".join(rows) + "</dl>"


def source_maintainers(
    lib: Library, rid: str, problem: str | None, here: str = "", meta: dict | None = None
) -> str:
    items = [("Converted text:", here or full_md_rel(rid))]
    for key in FOR_MAINTAINERS:
        if meta and meta.get(key):
            items.append((f"{key}:", str(meta[key])))
    if problem:
        items.append((f"Its front matter is broken: {problem}", ""))
    if lib.has(rid):
        step = next_step(lib, rid)
        items.append((f"Next step: {step.what}", step.command))
    return maintainers(items)


def source_page(
    lib: Library,
    rid: str,
    markdown: str,
    meta: dict,
    problem: str | None,
    links: Links,
    here: str = "",
) -> str:
    """A source's page (its full.md, or another markdown file ``here`` of it) as the site
    shows it: labelled "Source", under its topics and card, with its provenance header
    and the maintainers' notes below the title."""
    here = here or full_md_rel(rid)
    res = lib.resource(rid) if lib.has(rid) else None
    resource = [(res.title, md_path(here, card_src(rid)))] if res is not None else []
    crumbs = breadcrumb([topic_crumbs(lib, res, here), resource, [("Source", "")]])
    header = source_header(lib, rid, meta, problem, links, here)
    notes = source_maintainers(lib, rid, problem, here, meta)
    block = "\n\n".join(x for x in (crumbs, header, notes) if x)
    return after_title(with_kind_label(markdown, SOURCE_LABEL), block)


def cited_by_line(here: str, backlinks: list[Backlink]) -> list[str]:
    """Markdown lines: "Cited by: <page title>, claim 2; <page title> (claim 3, mention 1)"
    as a styled paragraph: each citing page once, by its title, each place linked."""
    pages: dict[str, list[Backlink]] = {}
    for b in backlinks:
        pages.setdefault(b.src, []).append(b)
    items = []
    for src, links in pages.items():
        if len(links) == 1:
            b = links[0]
            text = f"{b.label}, claim {b.claim}" if b.claim is not None else b.label
            items.append(md_link(text, md_path(here, src, b.anchor)))
            continue
        mentions = iter(range(1, len(links) + 1))
        places = ", ".join(
            _place(here, b, 0 if b.claim is not None else next(mentions)) for b in links
        )
        items.append(f"{md_link(links[0].label, md_path(here, src))} ({places})")
    return ["", f"Cited by: {'; '.join(items)}", "{: .refs-cited-by data-search-exclude }", ""]


def _place(here: str, b: Backlink, n: int) -> str:
    """One place on a citing page: "claim 2", or the n-th mention elsewhere on it."""
    text = f"claim {b.claim}" if b.claim is not None else f"mention {n}"
    return md_link(text, md_path(here, b.src, b.anchor))


def add_cited_by(
    here: str,
    markdown: str,
    heading_lines: dict[int, str],
    wanted: dict[str, list[Backlink]],
) -> str:
    """Insert the cited-by paragraph after each cited heading (and `<a id>` marker line).

    ``here`` is the source page's repo path (`sources/<id>/full.md`); ``heading_lines``
    maps 0-based line index -> anchor of the headings in ``markdown``; ``wanted`` maps
    anchor -> the places citing it (`Evidence.cited_in(here)`).
    """
    if not wanted:
        return markdown
    lines = markdown.split("\n")
    places: dict[int, list[str]] = {i: [a] for i, a in heading_lines.items()}
    if any(a not in set(heading_lines.values()) for a in wanted):
        for i, line in enumerate(lines):
            for a in explicit_anchors(line):
                # A marker line standing on a heading: the note goes after the heading.
                j = i
                while j < len(lines) and j not in heading_lines and _MARKER_LINE.match(lines[j]):
                    j += 1
                places.setdefault(j if j in heading_lines else i, []).append(a)
    out: list[str] = []
    done = 0  # lines[:done] are in `out`
    for i in sorted(i for i in places if i < len(lines)):  # only where a note may go
        links = [b for a in dict.fromkeys(places[i]) for b in wanted.get(a, [])]
        if links:
            out += lines[done : i + 1]
            out += cited_by_line(here, list(dict.fromkeys(links)))
            done = i + 1
    return "\n".join(out + lines[done:])


def build_sources_index(lib: Library) -> str:
    out = [
        "# Sources",
        "",
        "The full text of every resource copied into the library: the original, converted "
        "to markdown with every heading kept, so that each claim on a card links to the "
        "passage that backs it.",
        "",
    ]
    converted = [r for r in lib.resources if lib.has_full_md(r.id)]
    if not converted:
        out += [
            "No source is copied in yet; the [catalog](../catalog.md) shows every "
            "resource and where to read it.",
            "",
            maintainers([("`refs fetch <id>` then `refs convert <id>` adds one here.", "")]),
            "",
        ]
        return "\n".join(out)
    rows = ["| Resource | Type | Status | Card |", "|---|---|---|---|"]
    for r in converted:
        card = "card" if lib.has_card(r.id) else "no card yet"
        rows.append(
            f"| {md_link(r.title, md_path(SOURCES_INDEX, full_md_rel(r.id)))} | {r.type} | "
            f"{badge(r.status)} | {md_link(card, md_path(SOURCES_INDEX, card_src(r.id)))} |"
        )
    out += [reflowing("\n".join(rows)), ""]
    return "\n".join(out)
