"""Home: the reading-order dashboard."""

from __future__ import annotations

import html

from extract.library import Library
from extract.manifest import Resource

from ..links import Links, md_path
from .cards import source_links
from .paths import HOME, card_src, topic_page
from .progress import progress_card, status_key, topic_rows
from .snippets import badge, cell, maintainers, md_link, tick, title_in_html
from .tables import reflowing
from .titles import DASHBOARD_LABEL, kind_span, short_topic_title, topics_text

NEXT_SHOWN = 3


def next_candidates(lib: Library) -> list[tuple[Resource, str]]:
    """Resources in the order to read them: reading order first, then Phase 1, then the rest."""
    seen: set[str] = set()
    out: list[tuple[Resource, str]] = []
    for step in lib.reading_order:
        for rid in step.ids:
            if lib.has(rid) and rid not in seen:
                seen.add(rid)
                out.append((lib.resource(rid), f"step {step.step}: {step.title}"))
    for res in lib.resources:
        if res.phase1 and res.id not in seen:
            seen.add(res.id)
            out.append((res, "Phase 1"))
    return out


def resource_row(lib: Library, res: Resource, from_src: str) -> str:
    card = "card" if lib.has_card(res.id) else "no card yet"
    links = [md_link(card, md_path(from_src, card_src(res.id)))]
    links += source_links(lib, res, from_src)
    return (
        f"| {tick(res.id, res.title)} | {md_link(res.title, md_path(from_src, card_src(res.id)))}"
        f" | {cell(res.type)} | {topics_text(lib, res, from_src)} | {badge(res.status)}"
        f" | {' · '.join(links)} |"
    )


def build_dashboard(lib: Library, links: Links) -> str:
    cur = lib.curriculum
    resources = lib.resources
    phase1 = [r for r in resources if r.phase1]
    out = [f"# {kind_span(DASHBOARD_LABEL)}{cell(cur.title or 'Reading dashboard')}", ""]
    if cur.intro:
        out += [cur.intro.split("\n\n")[0], ""]
    out += [
        "Tick a resource as read and your progress below follows; ticks are kept in this "
        "browser only. The coloured bars show how far each resource has come: fetched, "
        "converted to full text, condensed into a card.",
        "",
        "## Progress",
        "",
        status_key(),
        "",
        '<div class="refs-progress-grid">'
        + progress_card(f"All resources ({len(resources)})", resources)
        + progress_card(f"Phase 1: priority high ({len(phase1)})", phase1)
        + "</div>",
        "",
        "## What to read next",
        "",
    ]
    cands = next_candidates(lib)
    if cands:
        items = []
        for i, (res, why) in enumerate(cands):
            hidden = " hidden" if i >= NEXT_SHOWN else ""
            items.append(
                f'<li data-rid="{html.escape(res.id)}"{hidden}>'
                f'<a href="{html.escape(links.href(HOME, card_src(res.id)))}">{title_in_html(res.title)}</a>'
                f" {badge(res.status)} <small>{html.escape(why)} · {html.escape(res.type)}</small></li>"
            )
        out += [
            f'<ol class="refs-next" data-limit="{NEXT_SHOWN}">' + "".join(items) + "</ol>",
            '<p class="refs-next-done" hidden>Everything in the reading order is ticked as read.</p>',
            "",
        ]
    else:
        out += [
            "No reading order yet.",
            "",
            maintainers([("Add a reading order to the curriculum, then run", "refs sync")]),
            "",
        ]

    rows = []
    for t in lib.topics:
        src = topic_page(lib, t)
        label = f"{t.label}: {short_topic_title(t.title)}"
        rows.append((label, links.href(HOME, src), lib.topic_resources(t.key)))
    if rows:
        out += ["## Progress by topic", "", status_key(), "", topic_rows(rows), ""]

    out += ["## Reading order", ""]
    for step in lib.reading_order:
        out += [f"### Step {step.step}: {cell(step.title)}", ""]
        table = [
            "| Read | Resource | Type | Topics | Status | Links |",
            "|---|---|---|---|---|---|",
        ]
        for rid in step.ids:
            if lib.has(rid):
                table.append(resource_row(lib, lib.resource(rid), HOME))
            else:
                table.append(f"|  | `{rid}` (not in the manifest) |  |  |  |  |")
        out += [reflowing("\n".join(table), "order"), ""]
    return "\n".join(out)
