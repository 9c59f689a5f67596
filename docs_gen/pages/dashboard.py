"""Home: the reading-order dashboard."""

from __future__ import annotations

import html

from extract.full_md import full_md_rel
from extract.library import Library
from extract.manifest import Resource

from ..links import Links, md_path
from .common import (
    HOME,
    badge,
    card_src,
    cell,
    md_link,
    text,
    tick,
    topic_src,
    topics_text,
)
from .progress import progress_card, topic_chart

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
    links = [md_link("card", md_path(from_src, card_src(res.id)))]
    if lib.has_full_md(res.id):
        links.append(md_link("full.md", md_path(from_src, full_md_rel(res.id))))
    links += [f"[source ↗]({u})" for u in res.urls[:1]]
    return (
        f"| {tick(res.id, res.title)} | {md_link(res.title, md_path(from_src, card_src(res.id)))}"
        f" | {cell(res.type)} | {topics_text(lib, res, from_src)} | {badge(res.status)}"
        f" | {' · '.join(links)} |"
    )


def build_dashboard(lib: Library, links: Links) -> str:
    cur = lib.curriculum
    resources = lib.resources
    phase1 = [r for r in resources if r.phase1]
    out = [f"# {text(cur.title) or 'Reading dashboard'}", ""]
    if cur.intro:
        out += [cur.intro.split("\n\n")[0], ""]
    out += [
        "Tick a resource as read and your progress below follows; ticks are kept in this "
        "browser only. The coloured bars show how far each resource is through the "
        "pipeline (fetched, converted, condensed into a card).",
        "",
        "## Progress",
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
                f'<a href="{html.escape(links.href(HOME, card_src(res.id)))}">{html.escape(res.title)}</a>'
                f" {badge(res.status)} <small>{html.escape(why)} · {html.escape(res.type)}</small></li>"
            )
        out += [
            f'<ol class="refs-next" data-limit="{NEXT_SHOWN}">' + "".join(items) + "</ol>",
            '<p class="refs-next-done" hidden>Everything in the reading order is ticked as read.</p>',
            "",
        ]
    else:
        out += ["No reading order yet: add one to the curriculum and run `refs sync`.", ""]

    rows = []
    for t in lib.topics:
        src = topic_src(lib, t.key)
        label = f"{t.label}: {t.title.split(' — ')[0]}"
        rows.append((label, links.href(HOME, src), lib.topic_resources(t.key)))
    if rows:
        out += ["## Progress by topic", "", topic_chart(rows), ""]

    out += ["## Reading order", ""]
    for step in lib.reading_order:
        out += [f"### Step {step.step}: {text(step.title)}", ""]
        out += [
            "| Read | Resource | Type | Topics | Status | Links |",
            "|---|---|---|---|---|---|",
        ]
        for rid in step.ids:
            if lib.has(rid):
                out.append(resource_row(lib, lib.resource(rid), HOME))
            else:
                out.append(f"|  | `{rid}` (not in the manifest) |  |  |  |  |")
        out.append("")
    return "\n".join(out)
