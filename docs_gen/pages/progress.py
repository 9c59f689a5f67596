"""Progress pictures: pipeline status (fixed at build) and reading ticks (live, in JS).

Everything is inline HTML/SVG drawn here; `refs-library.js` only fills in the
"read" parts from the learner's ticks, which live in the browser's localStorage.
"""

from __future__ import annotations

import html
from collections import Counter

from extract.manifest import STATUSES, Resource

from .common import STATUS_LABELS

# Order of the stacked segments: done first.
STACK = ("condensed", "converted", "fetched", "pending", "link_only")
assert set(STACK) == set(STATUSES)


def ids_attr(resources: list[Resource]) -> str:
    return html.escape(" ".join(r.id for r in resources), quote=True)


def status_stack(resources: list[Resource]) -> str:
    """A stacked bar of pipeline statuses with a legend of counts."""
    counts = Counter(r.status for r in resources)
    total = max(len(resources), 1)
    segs = "".join(
        f'<span class="refs-seg refs-status-{s}" style="width:{100 * counts[s] / total:.2f}%" '
        f'title="{counts[s]} {STATUS_LABELS[s]}"></span>'
        for s in STACK
        if counts[s]
    )
    legend = " · ".join(f"{counts[s]} {STATUS_LABELS[s]}" for s in STACK if counts[s])
    return (
        f'<div class="refs-stack" role="img" aria-label="{html.escape(legend)}">{segs}</div>'
        f'<div class="refs-legend">{html.escape(legend) or "no resources"}</div>'
    )


def read_meter(resources: list[Resource], label: str) -> str:
    """A bar and a count of how many of these resources the learner ticked as read."""
    ids = ids_attr(resources)
    n = len(resources)
    return (
        f'<div class="refs-meter" data-refs-progress data-ids="{ids}">'
        f'<div class="refs-meter-fill" style="width:0%"></div></div>'
        f'<div class="refs-legend"><span data-refs-count data-ids="{ids}">0</span> of {n} '
        f"{html.escape(label)} read</div>"
    )


def progress_card(title: str, resources: list[Resource]) -> str:
    done = sum(r.status == "condensed" for r in resources)
    return (
        f'<div class="refs-progress-card"><div class="refs-progress-title">{html.escape(title)}'
        f" <small>{done}/{len(resources)} condensed</small></div>"
        f"{status_stack(resources)}{read_meter(resources, 'ticked as')}</div>"
    )


def topic_chart(rows: list[tuple[str, str, list[Resource]]]) -> str:
    """One SVG: a row per topic (label linking to its page, status stack, read bar).

    ``rows`` are (label, href, resources). Bars are drawn in a 0..100 unit box so the
    JS can set the read bar's width as a percentage of the row.
    """
    row_h, bar_x, bar_w, width = 26, 330, 420, 830
    height = row_h * len(rows) + 8
    parts = [
        f'<svg class="refs-topic-chart" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="Progress per topic" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, href, resources) in enumerate(rows):
        y = 4 + i * row_h
        n = len(resources)
        counts = Counter(r.status for r in resources)
        short = label if len(label) <= 44 else label[:43] + "…"
        parts.append(
            f'<a href="{html.escape(href, quote=True)}"><text x="0" y="{y + 15}" '
            f'class="refs-chart-label"><title>{html.escape(label)}</title>{html.escape(short)}</text></a>'
        )
        parts.append(
            f'<rect x="{bar_x}" y="{y + 3}" width="{bar_w}" height="12" class="refs-chart-bg"/>'
        )
        x = float(bar_x)
        for s in STACK:
            if counts[s] and n:
                w = bar_w * counts[s] / n
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="12" '
                    f'class="refs-chart-seg refs-status-{s}"><title>{counts[s]} '
                    f"{STATUS_LABELS[s]}</title></rect>"
                )
                x += w
        ids = ids_attr(resources)
        parts.append(
            f'<rect x="{bar_x}" y="{y + 17}" width="0" height="4" class="refs-chart-read" '
            f'data-refs-bar data-x="{bar_x}" data-w="{bar_w}" data-ids="{ids}"/>'
        )
        parts.append(
            f'<text x="{bar_x + bar_w + 10}" y="{y + 15}" class="refs-chart-count">'
            f'<tspan data-refs-count data-ids="{ids}">0</tspan>/{n} read</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
