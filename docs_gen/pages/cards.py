"""Cards: the index, a card's frame (title, breadcrumb, status strip), and a generated page
for each resource that has no card yet."""

from __future__ import annotations

import html
import re

from extract.cards import PLACEHOLDER
from extract.full_md import full_md_rel
from extract.library import Library
from extract.manifest import TYPES, Resource
from extract.markdown import prose_lines
from extract.progress import next_step
from extract.review_record import record_path
from extract.views import load_card, staleness

from ..links import md_path
from ..search_text import field_table, hidden
from .paths import CARDS_INDEX, CATALOG, card_src
from .placeholders import collapse
from .snippets import FULL_TEXT, ORIGINAL, STATUS_LABELS, badge, cell, maintainers, md_link, tick
from .tables import reflowing
from .titles import (
    CARD_LABEL,
    RESOURCE_LABEL,
    after_title,
    breadcrumb,
    kind_span,
    soft_breaks,
    topic_crumbs,
    topics_text,
    with_kind_label,
)

# `| Status | converted |`: the Status row of a card's field table, as people write it.
_STATUS_ROW = re.compile(r"^(\s*\|?\s*)(status)(\s*\|\s*)(.*?)(\s*\|?\s*)$", re.I)


def status_row(markdown: str, status: str) -> tuple[str, str | None]:
    """The card with its field table's Status cell showing the manifest's status (the one
    record of it, also in the badge), and what the table said when it said otherwise.

    Only the first table above the first `## ` section is the field table.
    """
    lines = markdown.split("\n")
    in_table = False
    for i in prose_lines(lines):
        line = lines[i]
        if line.startswith("## "):
            break
        if not line.lstrip().startswith("|"):
            if in_table:
                break
            continue
        in_table = True
        m = _STATUS_ROW.match(line)
        if m:
            written = m.group(4).strip()
            lines[i] = m.group(1) + m.group(2) + m.group(3) + badge(status) + m.group(5)
            said = written.strip("`*_ ").lower().replace(" ", "_")
            return "\n".join(lines), (None if said == status else written)
    return markdown, None


def source_links(lib: Library, res: Resource, here: str) -> list[str]:
    """Markdown links to read the resource: our full text, then the original."""
    out = []
    if lib.has_full_md(res.id):
        out.append(md_link(FULL_TEXT, md_path(here, full_md_rel(res.id))))
    out += [f"[{ORIGINAL}]({u})" for u in res.urls[:1]]
    return out


def status_strip(lib: Library, res: Resource, here: str) -> str:
    """Status, the read tick and where to read it: one line, not indexed for search."""
    parts = [f"Status {badge(res.status)}", f"<label>{tick(res.id, res.title)} read</label>"]
    parts += source_links(lib, res, here)
    return " · ".join(parts) + "\n{: .refs-card-strip data-search-exclude }"


def stale_markers(lib: Library, rid: str, markdown: str) -> tuple[str, str]:
    """A small marker after each claim whose cited passage changed since the card was
    reviewed (on the `claim-N` line the evidence pass numbered), and a note for the
    maintainers naming them ("" when none)."""
    if not record_path(lib, rid).is_file():
        return markdown, ""  # never reviewed: nothing can be stale (no card parse)
    card = load_card(lib, rid)
    reviewed, stale = staleness(lib, card) if card else (None, {})
    if not stale:
        return markdown, ""
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        m = re.search(r'<a id="claim-(\d+)"></a>', line)
        if m and int(m.group(1)) in stale:
            changed = ", ".join(s["target"].rpartition("/")[2] for s in stale[int(m.group(1))])
            tip = f"The passage this claim cites ({changed}) changed after the card was reviewed"
            lines[i] = (
                f'{line} <span class="refs-stale-claim" title="{html.escape(tip, quote=True)}">'
                "source changed since review</span>"
            )
    numbers = ", ".join(str(n) for n in sorted(stale))
    note = (
        f"Claim(s) {numbers} cite passages that changed after the card was reviewed "
        f"({reviewed}): re-read them, correct the claims, then run"
    )
    return "\n".join(lines), note


def card_maintainers(
    lib: Library, res: Resource, table_said: str | None = None, stale_note: str = ""
) -> str:
    step = next_step(lib, res.id)
    items = [(f"Next step: {step.what}", step.command)]
    if stale_note:
        items.append((stale_note, f"refs review {res.id}"))
    if lib.has_card(res.id):
        items.append(("Card file:", card_src(res.id)))
    else:
        items.append(
            (
                "This page is generated from the manifest; the card does not exist yet:",
                card_src(res.id),
            )
        )
    if table_said is not None:
        items.append(
            (
                f"The card's field table says “{table_said}”, the manifest "
                f"“{STATUS_LABELS.get(res.status, res.status)}”; the page shows the manifest's "
                "status. Fix the table's Status row in",
                card_src(res.id),
            )
        )
    if res.local_paths:
        items.append(("Local files: " + ", ".join(f"`{p}`" for p in res.local_paths), ""))
    return maintainers(items)


def card_page(lib: Library, rid: str, markdown: str) -> str:
    """A written card as the site shows it: labelled "Card", with its topics, status
    strip and (collapsed) maintainers' notes under the title; the field table's Status
    is the manifest's; parts still marked TODO(card) collapsed, not shown as content."""
    res = lib.resource(rid)
    here = card_src(rid)
    markdown, said = status_row(markdown, res.status)
    markdown = field_table(markdown)  # the snippet of a search hit is the card's text
    markdown, stale_note = stale_markers(lib, rid, markdown)
    markdown = with_kind_label(collapse(markdown, PLACEHOLDER), CARD_LABEL)
    crumbs = breadcrumb([topic_crumbs(lib, res, here), [(res.title, "")]])
    maintainers_block = card_maintainers(lib, res, said, stale_note)
    block = "\n\n".join(x for x in (crumbs, status_strip(lib, res, here), maintainers_block) if x)
    return after_title(markdown, block)


def build_card_stub(lib: Library, res: Resource) -> str:
    """What exists for a resource with no card: the curriculum's words and where to read it."""
    here = card_src(res.id)
    byline = lib.byline(res.id)
    out = [f"# {kind_span(RESOURCE_LABEL)}{soft_breaks(cell(res.title))}", ""]
    crumbs = breadcrumb([topic_crumbs(lib, res, here), [(res.title, "")]])
    if crumbs:
        out += [crumbs, ""]
    out += [status_strip(lib, res, here), "", card_maintainers(lib, res), ""]
    # The byline, the "no card yet" note and the field table: shown, not searched (a
    # hit's snippet is the curriculum's words, not the author line or the page's chrome)
    head = [f"*{cell(byline)}*", ""] if byline else []
    read = source_links(lib, res, here)
    where = f" Read it: {' · '.join(read)}." if read else ""
    head += [f"No card yet: nobody has condensed this resource.{where}", "{: .refs-note }", ""]
    table = [
        "| Field | Value |",
        "|---|---|",
        f"| Type | {cell(res.type)} |",
        f"| Topics | {topics_text(lib, res, here)} |",
        f"| Priority | {cell(res.priority)}{' (Phase 1)' if res.phase1 else ''} |",
        f"| Status | {badge(res.status)} |",
    ]
    for url in res.urls:
        table.append(f"| URL | <{url}> |")
    if res.notes:
        table.append(f"| Notes | {cell(res.notes)} |")
    out += [*hidden(head + table), ""]
    desc = lib.description(res.id)
    if desc:
        out += ["## What the curriculum says", "", desc, ""]
    return "\n".join(out)


def build_cards_index(lib: Library) -> str:
    """The cards written so far, by type; the resources without one are the catalog's
    (the Cards tab lists cards, not every resource of the manifest)."""
    carded = [r for r in lib.resources if lib.has_card(r.id)]
    rest = len(lib.resources) - len(carded)
    catalog = md_path(CARDS_INDEX, CATALOG)
    out = [
        "# Cards",
        "",
        "A card condenses one resource: its claims, each linked to the passage of the "
        "source that backs it, and what to do about them.",
        "",
        f"{len(carded)} of the {len(lib.resources)} resources have a card"
        + (
            f"; the other {rest} are in the [catalog]({catalog}), with where to read them."
            if rest
            else "."
        ),
        "",
    ]
    by_type: dict[str, list[Resource]] = {}
    for r in carded:
        by_type.setdefault(r.type, []).append(r)
    for t in TYPES:
        if t not in by_type:
            continue
        rows = ["| Resource | Status |", "|---|---|"]
        for r in sorted(by_type[t], key=lambda r: r.title.lower()):
            rows.append(
                f"| {md_link(r.title, md_path(CARDS_INDEX, card_src(r.id)))} | {badge(r.status)} |"
            )
        out += [f"## {t}", "", reflowing("\n".join(rows)), ""]
    return "\n".join(out)
