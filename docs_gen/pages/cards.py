"""Cards: the index, and a generated page for each resource that has no card yet."""

from __future__ import annotations

from extract.full_md import full_md_rel
from extract.library import Library
from extract.manifest import TYPES, Resource
from extract.progress import next_step

from ..links import md_path
from .common import (
    CARDS_INDEX,
    badge,
    card_src,
    cell,
    md_link,
    text,
    tick,
    topics_text,
)


def build_card_stub(lib: Library, res: Resource) -> str:
    """What exists for a resource with no card, and the command that moves it forward."""
    here = card_src(res.id)
    step = next_step(lib, res.id)
    byline = lib.byline(res.id)
    out = [f"# {text(res.title)}", ""]
    if byline:
        out += [f"*{cell(byline)}*", ""]
    out += [
        '!!! info "No card yet"',
        f"    This page is generated from the manifest: `{here}` does not exist yet.",
        "",
        "| Field | Value |",
        "|---|---|",
        f"| Id | `{res.id}` |",
        f"| Type | {cell(res.type)} |",
        f"| Topics | {topics_text(lib, res, here)} |",
        f"| Priority | {cell(res.priority)}{' (Phase 1)' if res.phase1 else ''} |",
        f"| Status | {badge(res.status)} |",
        f"| Read | {tick(res.id, res.title)} |",
    ]
    for url in res.urls:
        out.append(f"| URL | <{url}> |")
    if lib.has_full_md(res.id):
        out.append(f"| Converted | {md_link('full.md', md_path(here, full_md_rel(res.id)))} |")
    if res.local_paths:
        out.append(f"| Local files | {', '.join(f'`{p}`' for p in res.local_paths)} |")
    if res.notes:
        out.append(f"| Notes | {cell(res.notes)} |")
    out.append("")
    desc = lib.description(res.id)
    if desc:
        out += ["## Why it matters (from the curriculum)", "", desc, ""]
    out += ["## Next step", "", step.what, ""]
    if step.command:
        out += ["```bash", step.command, "```", ""]
    return "\n".join(out)


def build_cards_index(lib: Library) -> str:
    out = [
        "# Cards",
        "",
        "One page per resource: its card (`refs/resources/<id>.md`) when written, "
        "otherwise a generated page saying what exists and what to run next.",
        "",
    ]
    by_type: dict[str, list[Resource]] = {}
    for r in lib.resources:
        by_type.setdefault(r.type, []).append(r)
    for t in TYPES:
        if t not in by_type:
            continue
        out += [f"## {t}", "", "| Resource | Card | Status |", "|---|---|---|"]
        for r in sorted(by_type[t], key=lambda r: r.title.lower()):
            card = "card" if lib.has_card(r.id) else "not yet"
            out.append(
                f"| {md_link(r.title, md_path(CARDS_INDEX, card_src(r.id)))} | {card} | {badge(r.status)} |"
            )
        out.append("")
    return "\n".join(out)
